// Shared helpers of the txlog integration tests: replaying a corpus hive with the logs beside it, and a
// comparable snapshot (keys, last-write times, values) of a hive read through the Hive API.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/hive.h"
#include "regpersist/txlog.h"

namespace regpersist::testsupport {

struct Replayed {
  std::vector<std::uint8_t> primary;  // the file as read
  std::vector<std::uint8_t> hive;     // after replay
  ReplayResult result;
  Diagnostics diagnostics;
};

// Reads the corpus hive (manifest path), finds its logs beside it and replays them.
Replayed replay_corpus_hive(const std::string& manifest_path);

// True when a diagnostic about a file whose name ends with `file_suffix` contains `text`.
bool has_diagnostic(const Diagnostics& diagnostics, const std::string& file_suffix, const std::string& text);

struct KeySnapshot {
  std::uint64_t last_written = 0;
  std::map<std::string, std::pair<std::uint32_t, std::vector<std::uint8_t>>> values;  // name -> (type, data)
  bool operator==(const KeySnapshot&) const = default;
};
using HiveSnapshot = std::map<std::string, KeySnapshot>;  // path -> key

HiveSnapshot snapshot(const Hive& hive);

}  // namespace regpersist::testsupport
