// load_hive (regpersist/hive_load.h): replay, the replay's changes, deleted-data recovery and the summary of
// one hive, in the order scan and keys need them.
#include "regpersist/base_block.h"
#include "regpersist/hive_load.h"
#include "regpersist/sha256.h"
#include "regpersist/txlog.h"

namespace regpersist {

namespace {

// Every key and value of `hive`: what a replay added when the primary file alone cannot be read at all.
ReplayChanges everything_added(const Hive& hive) {
  ReplayChanges changes;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    changes.added_keys.insert(path);
    for (const Value& value : key.values()) changes.changed_values.emplace(path, value.name);
  });
  return changes;
}

ReplayChanges changes_of_replay(const HiveSource& source, const Hive& replayed) {
  Diagnostics ignored;  // the primary's own problems were reported when the replayed hive was opened
  try {
    return replay_changes(Hive::open_bytes(source.bytes, source.label, ignored), replayed);
  } catch (const Error&) {
    return everything_added(replayed);
  }
}

std::size_t deleted_value_count(const RecoveredData& deleted) {
  std::size_t count = deleted.values.size();
  for (const RecoveredKey& key : deleted.keys) count += key.values.size();
  return count;
}

HiveLoadSummary summarize(const LoadedHive& loaded, const HiveSource& source, const std::string& role,
                          const UserHives* user, ReplayResult replay) {
  HiveLoadSummary summary;
  summary.label = source.label;
  summary.role = role;
  if (user != nullptr) {
    summary.user = user->user;
    summary.sid = user->sid;
  }
  summary.type = loaded.hive.type();
  summary.sha256 = source.origin.sha256.empty() ? sha256_hex(source.bytes) : source.origin.sha256;
  summary.replay = std::move(replay);
  summary.log_keys = loaded.changes.added_keys.size() + loaded.changes.retimed_keys.size();
  summary.log_values = loaded.changes.changed_values.size();
  summary.deleted_keys = loaded.deleted.keys.size();
  summary.deleted_values = deleted_value_count(loaded.deleted);
  return summary;
}

// The state of a hive no replay ran on (clean, no logs, or replay turned off): dirty as its base block says.
ReplayResult unreplayed_state(const HiveSource& source) {
  ReplayResult state;
  try {
    state.was_dirty = parse_base_block(source.bytes, source.label).dirty();
  } catch (const Error&) {
    state.was_dirty = true;  // no readable base block: the hive open below reports why
  }
  state.clean = !state.was_dirty;
  return state;
}

}  // namespace

Provenance LoadedHive::key_provenance(const std::string& key_path) const {
  return changes.added_keys.contains(key_path) || changes.retimed_keys.contains(key_path) ? Provenance::log
                                                                                          : Provenance::allocated;
}

Provenance LoadedHive::value_provenance(const std::string& key_path, const std::string& value_name) const {
  return changes.changed_values.contains({key_path, value_name}) ? Provenance::log : Provenance::allocated;
}

std::optional<LoadedHive> load_hive(const HiveSource& source, const std::string& role, const UserHives* user,
                                    const ScanOptions& options, Diagnostics& diagnostics) {
  try {
    auto bytes = source.bytes;
    const bool replay_possible = options.replay_logs && !source.logs.empty();
    ReplayResult replay = replay_possible ? replay_transaction_logs(bytes, source.logs, source.label, diagnostics)
                                          : unreplayed_state(source);
    LoadedHive loaded{Hive::open_bytes(std::move(bytes), source.label, diagnostics), {}, {}, {}};
    if (replay.replayed()) loaded.changes = changes_of_replay(source, loaded.hive);
    if (options.recover_deleted) loaded.deleted = recover_deleted(loaded.hive.bytes(), source.label, diagnostics);
    loaded.summary = summarize(loaded, source, role, user, std::move(replay));
    return loaded;
  } catch (const Error& error) {
    diagnostics.error(error.file().empty() ? source.label : error.file(), error.message());
    return std::nullopt;
  }
}

}  // namespace regpersist
