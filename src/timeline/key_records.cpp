// The full-hive key timeline of `regpersist keys`: one event per key with its last-write time.
#include "regpersist/filetime.h"
#include "regpersist/timeline.h"

namespace regpersist {

namespace {

constexpr std::string_view kKeyDataType = "windows:registry:key_value";
constexpr std::string_view kKeyParser = "regpersist/keys";

Event key_event(const Key& key, const std::string& path, const Event& shared) {
  Event event = shared;
  event.filetime = key.last_written();
  event.key_path = "\\" + path;
  const auto subkeys = std::to_string(key.subkey_count());
  const auto values = std::to_string(key.value_count());
  event.message = "[" + event.key_path + "] subkeys: " + subkeys + ", values: " + values;
  event.details = {{"subkeys", subkeys}, {"values", values}};
  return event;
}

}  // namespace

std::vector<Event> key_events(const Hive& hive, const HiveInfo& info, std::size_t& skipped) {
  Event shared;
  shared.timestamp_desc = kContentModificationTime;
  shared.data_type = kKeyDataType;
  shared.parser = kKeyParser;
  shared.evidence = info.evidence.empty() ? info.path : info.evidence;
  shared.hive_type = hive_type_name(info.type);
  shared.hive_path = info.path;
  shared.hive_sha256 = info.sha256;
  shared.host = info.host;
  std::vector<Event> events;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    if (filetime_is_plausible(key.last_written()))
      events.push_back(key_event(key, path, shared));
    else
      ++skipped;
  });
  return events;
}

}  // namespace regpersist
