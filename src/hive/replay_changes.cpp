// The "log" provenance: which keys and values a transaction-log replay added, found by comparing the key
// trees of the primary file and of the replayed hive through the Hive API (see regpersist/recover.h).
#include <algorithm>
#include <map>

#include "regpersist/hive.h"
#include "regpersist/recover.h"

namespace regpersist {

namespace {

// Folded value name -> (type, data).
using ValueIndex = std::map<std::string, std::pair<std::uint32_t, std::vector<std::uint8_t>>>;
struct KeyIndex {
  std::uint64_t last_written = 0;
  ValueIndex values;
};
using TreeIndex = std::map<std::string, KeyIndex>;  // by folded key path

TreeIndex index_tree(const Hive& hive) {
  TreeIndex index;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    KeyIndex& entry = index[to_lower_ascii(path)];
    entry.last_written = key.last_written();
    for (Value& value : key.values())
      entry.values.try_emplace(to_lower_ascii(value.name), value.type, std::move(value.data));
  });
  return index;
}

bool unchanged(const ValueIndex& before, const Value& value) {
  const auto old_value = before.find(to_lower_ascii(value.name));
  return old_value != before.end() && old_value->second.first == value.type && old_value->second.second == value.data;
}

}  // namespace

ReplayChanges replay_changes(const Hive& primary, const Hive& replayed) {
  const TreeIndex before = index_tree(primary);
  ReplayChanges changes;
  walk_keys(replayed, [&](const Key& key, const std::string& path) {
    const auto old_key = before.find(to_lower_ascii(path));
    if (old_key == before.end())
      changes.added_keys.insert(path);
    else if (old_key->second.last_written != key.last_written())
      changes.retimed_keys.insert(path);
    for (const Value& value : key.values())
      if (old_key == before.end() || !unchanged(old_key->second.values, value))
        changes.changed_values.emplace(path, value.name);
  });
  return changes;
}

}  // namespace regpersist
