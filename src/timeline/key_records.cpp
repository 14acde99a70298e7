// Builds the full-hive key timeline: one record per key with its last-write time.
#include <algorithm>

#include "regpersist/timeline.h"

namespace regpersist {

std::vector<KeyRecord> collect_key_records(const Hive& hive, const HiveInfo& info) {
  std::vector<KeyRecord> records;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    records.push_back({key.last_written(), "\\" + path, static_cast<std::uint32_t>(key.subkey_count()),
                       static_cast<std::uint32_t>(key.value_count()), &info});
  });
  return records;
}

void sort_by_time(std::vector<KeyRecord>& records) {
  std::sort(records.begin(), records.end(), [](const KeyRecord& a, const KeyRecord& b) {
    if (a.last_written != b.last_written) return a.last_written < b.last_written;
    if (a.hive->path != b.hive->path) return a.hive->path < b.hive->path;
    return a.key_path < b.key_path;
  });
}

}  // namespace regpersist
