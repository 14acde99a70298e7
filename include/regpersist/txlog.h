// Transaction-log replay for dirty hives (SPEC §Dirty state, §Transaction log files; anchors §4.3.7–4.3.9):
// finding the .LOG/.LOG1/.LOG2 files beside a hive, and applying their old-format (DIRT dirty vector) or
// new-format (HvLE entries) data to the hive's bytes in memory before libregf reads them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/evidence.h"

namespace regpersist {

enum class LogFormat { old_dirty_vector, new_entries };

std::string log_format_name(LogFormat format);  // "old (DIRT)", "new (HvLE)"

// What one log contributed to a replay.
struct AppliedLog {
  std::string name;  // LogSource::name
  LogFormat format = LogFormat::new_entries;
  std::size_t entries = 0;           // HvLE entries applied (0 for the old format)
  std::size_t pages = 0;             // dirty page references (new) or 512-byte dirty pages (old) written
  std::uint32_t first_sequence = 0;  // first entry's sequence number (old format: the log's base block)
  std::uint32_t last_sequence = 0;
};

struct ReplayResult {
  bool was_dirty = false;            // sequence numbers differed or the base-block checksum was wrong
  bool clean = false;                // the hive is consistent now (it was clean, or a replay finished it)
  bool base_block_from_log = false;  // the primary's base block was invalid and was rebuilt from a log's
  std::vector<AppliedLog> applied;   // in the order applied
  bool replayed() const { return !applied.empty(); }
};

// Replays `logs` into `hive` in place when the hive is dirty: grows the hive as the log says, then equalises
// the sequence numbers and recomputes the base-block checksum. New-format logs are ordered by sequence
// number (never by name) and applied while their entries stay consecutive; a stale, empty, truncated or
// damaged log, or one that belongs to another hive, is ignored with a diagnostic naming it. A dirty hive that
// no log can repair gets a warning and is left as it is. Never throws on bad input.
ReplayResult replay_transaction_logs(std::vector<std::uint8_t>& hive, const std::vector<LogSource>& logs,
                                     const std::string& label, Diagnostics& diagnostics);

// The transaction logs beside a hive file: <name>.LOG, .LOG1 and .LOG2 in the same folder, matched
// case-insensitively (empty files included; replay ignores them with a diagnostic). Order: .LOG, .LOG1, .LOG2.
// A log that cannot be read is reported to `diagnostics` and left out.
std::vector<LogSource> find_logs_beside(const std::filesystem::path& hive_file, Diagnostics& diagnostics);

// True when `log_name` is the .LOG, .LOG1 or .LOG2 of a hive file named `hive_name` (case-insensitive).
bool is_log_of(const std::string& hive_name, const std::string& log_name);

// One transaction log file read whole (a --log FILE). Throws Error naming the file when it cannot be read.
LogSource read_log_file(const std::filesystem::path& file);

}  // namespace regpersist
