// The full-hive key timeline of `regpersist keys`: one event per key with its last-write time, with its
// provenance (allocated, log), plus the deleted keys and values recovered from the hive.
#include "regpersist/filetime.h"
#include "regpersist/hive_load.h"
#include "regpersist/timeline.h"
#include "timeline/text.h"

namespace regpersist {

namespace {

constexpr std::string_view kKeyDataType = "windows:registry:key_value";
constexpr std::string_view kKeyParser = "regpersist/keys";

Event key_event(const Key& key, const std::string& path, const Event& shared) {
  Event event = shared;
  event.filetime = key.last_written();
  event.key_path.reserve(path.size() + 1);
  event.key_path += '\\';
  event.key_path += path;
  const auto subkeys = std::to_string(key.subkey_count());
  const auto values = std::to_string(key.value_count());
  // Appended in place: this runs once per key of the hive.
  event.message.reserve(event.key_path.size() + subkeys.size() + values.size() + 24);
  event.message += '[';
  event.message += event.key_path;
  event.message += "] subkeys: ";
  event.message += subkeys;
  event.message += ", values: ";
  event.message += values;
  event.details = {{"subkeys", subkeys}, {"values", values}};
  return event;
}

constexpr std::size_t kMaxMessageBytes = 2048;

Event shared_fields(const HiveInfo& info) {
  Event shared;
  shared.timestamp_desc = kContentModificationTime;
  shared.data_type = kKeyDataType;
  shared.parser = kKeyParser;
  shared.evidence = info.evidence.empty() ? info.path : info.evidence;
  shared.hive_type = hive_type_name(info.type);
  shared.hive_path = info.path;
  shared.hive_sha256 = info.sha256;
  shared.host = info.host;
  return shared;
}

// Plaso's "name: [REG_SZ] data" form of one value.
std::string value_text(const Value& value) {
  return (value.name.empty() ? std::string("(default)") : value.name) + ": [" + value_type_name(value.type) + "] " +
         value.to_text();
}

Event deleted_key_event(const RecoveredKey& key, const Event& shared) {
  Event event = shared;
  event.provenance = provenance_name(Provenance::deleted);
  event.filetime = key.last_written;
  event.key_path = "\\" + key.path;
  std::vector<std::string> values;
  for (const RecoveredValue& value : key.values) values.push_back(value_text(value.value));
  event.values = truncate_utf8(join(values, " "), kMaxMessageBytes);
  const auto count = std::to_string(key.values.size());
  event.message = truncate_utf8("[" + event.key_path + "] deleted key (" + deleted_source_name(key.source) +
                                    (key.path_complete ? "" : ", parent key lost") + "), values: " + count,
                                kMaxMessageBytes);
  event.details = {{"values", count},
                   {"deleted_source", deleted_source_name(key.source)},
                   {"path_complete", key.path_complete ? "true" : "false"}};
  return event;
}

// A deleted value left in a live key's lists, at that key's last-write time.
Event deleted_value_event(const RecoveredValue& value, std::uint64_t key_time, const Event& shared) {
  Event event = shared;
  event.provenance = provenance_name(Provenance::deleted);
  event.filetime = key_time;
  event.key_path = "\\" + value.key_path;
  event.value_name = value.value.name;
  event.data = value.value.to_text();
  event.values = value_text(value.value);
  event.message = truncate_utf8("[" + event.key_path + "] deleted value " + event.values, kMaxMessageBytes);
  event.details = {{"deleted_source", deleted_source_name(value.source)}};
  return event;
}

}  // namespace

std::vector<Event> key_events(const Hive& hive, const HiveInfo& info, std::size_t& skipped) {
  const Event shared = shared_fields(info);
  std::vector<Event> events;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    if (filetime_is_plausible(key.last_written()))
      events.push_back(key_event(key, path, shared));
    else
      ++skipped;
  });
  return events;
}

std::vector<Event> loaded_key_events(const LoadedHive& loaded, const HiveInfo& info, std::size_t& skipped) {
  auto events = key_events(loaded.hive, info, skipped);
  const bool log_changed_keys = !loaded.changes.added_keys.empty() || !loaded.changes.retimed_keys.empty();
  if (log_changed_keys)  // else every key keeps the default "allocated"
    for (Event& event : events) event.provenance = provenance_name(loaded.key_provenance(event.key_path.substr(1)));
  const Event shared = shared_fields(info);
  for (const RecoveredKey& key : loaded.deleted.keys) {
    if (filetime_is_plausible(key.last_written))
      events.push_back(deleted_key_event(key, shared));
    else
      ++skipped;
  }
  for (const RecoveredValue& value : loaded.deleted.values) {
    const auto key = value.key_path.empty() ? std::nullopt : loaded.hive.find(value.key_path);
    if (key && filetime_is_plausible(key->last_written()))
      events.push_back(deleted_value_event(value, key->last_written(), shared));
  }
  return events;
}

}  // namespace regpersist
