// Timeline records of the full-hive key listing (`regpersist keys`) and their writers.
// Field names follow Timesketch's import contract (message, datetime, timestamp, timestamp_desc)
// and Plaso's registry event names (data_type, key_path, parser) so merged sketches search alike.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "regpersist/hive.h"

namespace regpersist {

struct HiveInfo {
  std::string path;  // hive path as given, or evidence path inside an image
  HiveType type = HiveType::other;
  std::string sha256;
};

struct KeyRecord {
  std::uint64_t last_written = 0;  // FILETIME
  std::string key_path;            // "\\Software\\Microsoft" below the root; "\\" is the root
  std::uint32_t subkeys = 0;
  std::uint32_t values = 0;
  const HiveInfo* hive = nullptr;
};

// One record per key of the hive (bounded walk), in walk order.
std::vector<KeyRecord> collect_key_records(const Hive& hive, const HiveInfo& info);
// Sorts by last-write time, then hive, then path (a stable, reproducible order).
void sort_by_time(std::vector<KeyRecord>& records);

enum class KeyFormat { jsonl, csv };
void write_key_records(std::ostream& out, const std::vector<KeyRecord>& records, KeyFormat format);

// RFC 4180 field quoting, with cells a spreadsheet would run as a formula neutralised by a leading '.
std::string csv_field(std::string_view text);

}  // namespace regpersist
