// Deleted keys and values (anchors §4.3.10): records left in unallocated cells, in cells no live key
// references, in the slack of live cells and after the last hive bin, recovered from the hive's bytes;
// and which keys and values a transaction-log replay added (the "log" provenance).
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/value.h"

namespace regpersist {

class Hive;

// Where a recovered record was found.
enum class DeletedSource {
  free_cell,   // an unallocated cell, or an allocated cell that no live structure references
  cell_slack,  // the unused tail of a live cell (a value list, subkey list, key or value record)
  after_bins,  // bytes after the last hive bin (remnants of a larger hive)
};

std::string deleted_source_name(DeletedSource source);  // "free cell", "cell slack", "after hive bins"

struct RecoveredValue {
  Value value;               // value.corrupted: the data could not be read or its cell holds live data now
  std::uint32_t offset = 0;  // hbin-relative offset of the vk cell (its size field)
  DeletedSource source = DeletedSource::free_cell;
  // Key the value belonged to: a live key's path when found in its value list's slack, else "" (orphan).
  // Values of recovered deleted keys are listed in RecoveredKey::values instead.
  std::string key_path;
};

struct RecoveredKey {
  std::string path;            // backslash path below the root, as Hive/walk_keys spell paths
  bool path_complete = false;  // false: a parent is gone, `path` starts at the oldest parent still found
  std::string name;
  std::uint64_t last_written = 0;  // FILETIME
  std::uint32_t offset = 0;        // hbin-relative offset of the nk cell (its size field)
  std::uint32_t parent_offset = 0;
  DeletedSource source = DeletedSource::free_cell;
  std::vector<RecoveredValue> values;  // the deleted key's values still readable through its value list
};

struct RecoveredData {
  std::vector<RecoveredKey> keys;      // in offset order
  std::vector<RecoveredValue> values;  // deleted values not in a recovered key: of a live key, or orphans
};

// Scans `hive` (a primary file, replayed or not) for deleted key and value records, validates them with
// yarp's plausibility limits, re-associates values with their keys through the keys' value lists and rebuilds
// paths through the parent chain (live or deleted parents). Problems with the hive's structure go to
// `diagnostics` under `label`; never throws on bad input.
RecoveredData recover_deleted(std::span<const std::uint8_t> hive, const std::string& label, Diagnostics& diagnostics);

// What a replay added: keys present in `replayed` but not in `primary`, keys of both whose last-write time the
// replay changed, and values (key path, value name) that are new or whose type or data differ. Paths compare
// case-insensitively (ASCII), spelled as in `replayed`.
struct ReplayChanges {
  std::set<std::string> added_keys;
  std::set<std::string> retimed_keys;
  std::set<std::pair<std::string, std::string>> changed_values;
};
ReplayChanges replay_changes(const Hive& primary, const Hive& replayed);

// A key of a hive written from scratch: path below the root, last-write time (FILETIME), values.
struct WrittenKey {
  std::string path;
  std::uint64_t last_written = 0;
  std::vector<Value> values;
};
// A small valid hive (format 1.3) holding `keys`; parents not listed are created with time 0, a key listed
// twice keeps the later time and the first of each value name (case-insensitive). Used to read recovered
// deleted data through the Hive API, so the catalog's rules run over it unchanged.
std::vector<std::uint8_t> write_hive(const std::vector<WrittenKey>& keys);

}  // namespace regpersist
