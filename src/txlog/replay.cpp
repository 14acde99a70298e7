// Transaction-log replay (see regpersist/txlog.h). Hand-written, on bytes: no Debian library applies
// registry logs (libregf reads the primary file only), and the replayed bytes must exist before libregf
// opens them. Follows SPEC §Transaction log files and yarp's RegistryFile/Registry behaviour (anchors
// §4.3.7–4.3.9), generalised from LOG1/LOG2 to any number of logs ordered by sequence number.
#include <algorithm>
#include <optional>

#include "regpersist/base_block.h"
#include "regpersist/txlog.h"
#include "txlog/bytes.h"
#include "txlog/log_file.h"

namespace regpersist {

std::string log_format_name(LogFormat format) {
  return format == LogFormat::old_dirty_vector ? "old (DIRT)" : "new (HvLE)";
}

namespace {

// Base-block field offsets the replay reads or rewrites (anchors §4.3.1).
constexpr std::size_t kPrimarySequence = 4;
constexpr std::size_t kSecondarySequence = 8;
constexpr std::size_t kLastWritten = 12;
constexpr std::size_t kMinorVersion = 24;
constexpr std::size_t kFileType = 28;
constexpr std::size_t kRootCell = 36;
constexpr std::size_t kHiveBinsSize = 40;
constexpr std::size_t kGuids = 112;  // RmId and LogId, 16 bytes each
constexpr std::size_t kFlags = 144;
constexpr std::size_t kLastReorganized = 168;
constexpr std::size_t kFirstHbinTimestamp = kBaseBlockSize + 20;

struct Primary {
  std::optional<BaseBlock> base;              // when the signature is there
  bool valid = false;                         // the base block can be trusted (yarp's checks)
  std::optional<std::uint64_t> last_written;  // from the base block, or the first hbin when it is invalid
};

struct UsableLog {
  const LogSource* source;
  LogHeader header;
};

bool has_signature(std::span<const std::uint8_t> bytes, std::size_t at, std::string_view signature) {
  return bytes.size() >= at + signature.size() && std::equal(signature.begin(), signature.end(), bytes.begin() + at);
}

bool trustworthy(const BaseBlock& base) {
  return base.checksum_valid() && base.major_version == 1 && base.minor_version >= 1 && base.minor_version <= 6 &&
         base.file_type == static_cast<std::uint32_t>(RegfFileType::primary) && base.file_format == 1 &&
         base.clustering_factor == 1 && base.hive_bins_size >= kHivePageSize &&
         base.hive_bins_size % kHivePageSize == 0;
}

Primary inspect_primary(std::span<const std::uint8_t> hive) {
  Primary primary;
  if (has_signature(hive, 0, "regf")) primary.base = parse_base_block(hive, "");
  primary.valid = primary.base && trustworthy(*primary.base);
  if (primary.valid)
    primary.last_written = primary.base->last_written;
  else if (has_signature(hive, kBaseBlockSize, "hbin") && hive.size() >= kFirstHbinTimestamp + 8)
    primary.last_written = le64(hive, kFirstHbinTimestamp);
  return primary;
}

bool dirty(const Primary& primary) { return !primary.valid || !primary.base->sequences_match(); }

// Serial-number order with wrap-around (SPEC: sequence numbers are compared modulo 2^32).
bool sequence_before(std::uint32_t a, std::uint32_t b) { return a != b && b - a <= 0x7FFFFFFFu; }

bool all_zero(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// A log whose RmId/LogId differ from a trustworthy primary's was written for another hive.
bool belongs_to_other_hive(std::span<const std::uint8_t> hive, const Primary& primary, const LogSource& log) {
  if (!primary.valid) return false;
  const auto mine = hive.subspan(kGuids, 32);
  const auto theirs = std::span<const std::uint8_t>(log.bytes).subspan(kGuids, 32);
  return !all_zero(mine) && !all_zero(theirs) && !std::equal(mine.begin(), mine.end(), theirs.begin());
}

std::vector<UsableLog> usable_logs(std::span<const std::uint8_t> hive, const Primary& primary,
                                   const std::vector<LogSource>& logs, Diagnostics& diagnostics) {
  std::vector<UsableLog> usable;
  for (const LogSource& log : logs) {
    std::string why;
    std::optional<LogHeader> header = read_log_header(log.bytes, why);
    if (!header && log.bytes.empty())
      diagnostics.info(log.label, "empty transaction log; ignored");
    else if (!header)
      diagnostics.warn(log.label, why + "; transaction log ignored");
    else if (belongs_to_other_hive(hive, primary, log))
      diagnostics.warn(log.label, "transaction log of another hive (its log GUID differs from the hive's); ignored");
    else
      usable.push_back({&log, std::move(*header)});
  }
  return usable;
}

void grow_to(std::vector<std::uint8_t>& hive, std::uint32_t hive_bins_size) {
  if (hive.size() < kBaseBlockSize + hive_bins_size) hive.resize(kBaseBlockSize + hive_bins_size, 0);
}

void write_page(std::vector<std::uint8_t>& hive, const DirtyPage& page) {
  std::copy(page.bytes.begin(), page.bytes.end(),
            hive.begin() + static_cast<std::ptrdiff_t>(kBaseBlockSize + page.offset));
}

void copy_field(std::vector<std::uint8_t>& hive, std::span<const std::uint8_t> log, std::size_t at, std::size_t size) {
  std::copy_n(log.begin() + static_cast<std::ptrdiff_t>(at), size, hive.begin() + static_cast<std::ptrdiff_t>(at));
}

// The log's base block becomes the hive's (primary base block invalid: "this is how Windows works").
void take_base_block(std::vector<std::uint8_t>& hive, const LogSource& log) {
  std::copy_n(log.bytes.begin(), kLogHeaderSize, hive.begin());
  std::fill(hive.begin() + kLogHeaderSize, hive.begin() + kBaseBlockSize, std::uint8_t{0});
}

// The fields a replay takes from the log's base block (yarp's "effective" values).
void take_log_fields(std::vector<std::uint8_t>& hive, const LogSource& log) {
  copy_field(hive, log.bytes, kLastWritten, 8);
  copy_field(hive, log.bytes, kMinorVersion, 4);
  copy_field(hive, log.bytes, kRootCell, 4);
  copy_field(hive, log.bytes, kHiveBinsSize, 4);
  copy_field(hive, log.bytes, kFlags, 4);
  copy_field(hive, log.bytes, kLastReorganized, 8);
}

// The entries that keep the hive within what the log can fill (a hostile size would exhaust memory).
std::size_t plausible_prefix(const std::vector<LogEntry>& entries, std::size_t hive_size, const LogSource& source,
                             Diagnostics& diagnostics) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (kBaseBlockSize + std::size_t{entries[i].hive_bins_size} > hive_size + source.bytes.size()) {
      diagnostics.warn(source.label,
                       "entry at log offset " + std::to_string(entries[i].log_offset) +
                           " grows the hive beyond what the log can fill; replay of this log stops there");
      return i;
    }
  }
  return entries.size();
}

// Applies the log's consecutive valid entries; nothing (and the hive untouched) when it has none.
std::optional<AppliedLog> apply_entries(std::vector<std::uint8_t>& hive, const UsableLog& log,
                                        Diagnostics& diagnostics) {
  const LogSource& source = *log.source;
  const LogEntries read = read_log_entries(source.bytes, log.header.base.primary_sequence);
  if (!read.stop_reason.empty()) diagnostics.info(source.label, read.stop_reason + "; replay of this log stops there");
  const std::size_t count = plausible_prefix(read.entries, hive.size(), source, diagnostics);
  if (count == 0) {
    diagnostics.warn(source.label, "no usable log entry with sequence number " +
                                       std::to_string(log.header.base.primary_sequence) + "; transaction log ignored");
    return std::nullopt;
  }
  take_log_fields(hive, source);
  AppliedLog applied{source.name, LogFormat::new_entries,        count,
                     0,           read.entries.front().sequence, read.entries[count - 1].sequence};
  for (const LogEntry& entry : std::span(read.entries).first(count)) {
    grow_to(hive, entry.hive_bins_size);
    for (const DirtyPage& page : entry.pages) write_page(hive, page);
    put_le32(hive, kHiveBinsSize, entry.hive_bins_size);
    put_le32(hive, kFlags, (le32(hive, kFlags) & ~1u) | (entry.flags & 1u));
    applied.pages += entry.pages.size();
  }
  return applied;
}

std::string sequence_text(std::uint32_t n) { return "sequence number " + std::to_string(n); }

// New format: logs in sequence order; the first not older than the hive, then each that continues the last.
void replay_new_format(std::vector<std::uint8_t>& hive, const Primary& primary, std::vector<UsableLog> logs,
                       ReplayResult& result, Diagnostics& diagnostics) {
  std::stable_sort(logs.begin(), logs.end(), [](const UsableLog& a, const UsableLog& b) {
    return sequence_before(a.header.base.primary_sequence, b.header.base.primary_sequence);
  });
  if (!primary.valid) {
    // Only the log with the latest entries applies, and its base block replaces the primary's.
    for (auto it = logs.begin(); it + 1 < logs.end(); ++it)
      diagnostics.info(it->source->label,
                       "not applied: the hive's base block is invalid, so only the log with the "
                       "latest entries (" +
                           logs.back().source->name + ") is used");
    const std::vector<std::uint8_t> own_base_block(hive.begin(), hive.begin() + kBaseBlockSize);
    take_base_block(hive, *logs.back().source);
    if (auto applied = apply_entries(hive, logs.back(), diagnostics)) {
      result.base_block_from_log = true;
      result.applied.push_back(std::move(*applied));
    } else {
      std::copy(own_base_block.begin(), own_base_block.end(), hive.begin());
    }
    return;
  }
  std::optional<std::uint32_t> last;
  for (const UsableLog& log : logs) {
    const std::uint32_t start = log.header.base.primary_sequence;
    if (!last && sequence_before(start, primary.base->secondary_sequence)) {
      diagnostics.info(log.source->label, "stale: its entries start at " + sequence_text(start) +
                                              ", older than the hive (" +
                                              sequence_text(primary.base->secondary_sequence) + "); not applied");
      continue;
    }
    if (last && start != *last + 1) {
      diagnostics.warn(log.source->label, "its entries start at " + sequence_text(start) +
                                              " but the previous log ended at " + sequence_text(*last) +
                                              "; not applied");
      continue;
    }
    if (auto applied = apply_entries(hive, log, diagnostics)) {
      last = applied->last_sequence;
      result.applied.push_back(std::move(*applied));
    }
  }
}

std::optional<AppliedLog> apply_dirty_vector(std::vector<std::uint8_t>& hive, const Primary& primary,
                                             const UsableLog& log, Diagnostics& diagnostics) {
  const LogSource& source = *log.source;
  std::string why;
  const std::optional<DirtyVector> vector = read_dirty_vector(source.bytes, log.header.base.hive_bins_size, why);
  if (!vector) {
    diagnostics.warn(source.label, why + "; transaction log ignored");
    return std::nullopt;
  }
  if (!primary.valid) take_base_block(hive, source);
  take_log_fields(hive, source);
  grow_to(hive, log.header.base.hive_bins_size);
  for (const DirtyPage& page : vector->pages) write_page(hive, page);
  const std::uint32_t sequence = primary.valid ? primary.base->primary_sequence : log.header.base.primary_sequence;
  return AppliedLog{source.name, LogFormat::old_dirty_vector, 0, vector->pages.size(), sequence, sequence};
}

// Old format: the most recent applicable log (yarp: later last-written timestamp; first one on a tie).
void replay_old_format(std::vector<std::uint8_t>& hive, const Primary& primary, std::vector<UsableLog> logs,
                       ReplayResult& result, Diagnostics& diagnostics) {
  std::stable_sort(logs.begin(), logs.end(), [](const UsableLog& a, const UsableLog& b) {
    return a.header.base.last_written > b.header.base.last_written;
  });
  for (const UsableLog& log : logs) {
    if (!primary.last_written || log.header.base.last_written < *primary.last_written) {
      diagnostics.warn(log.source->label,
                       "stale or of another hive: its last-written time is older than the hive's "
                       "(or the hive has none); not applied");
      continue;
    }
    if (auto applied = apply_dirty_vector(hive, primary, log, diagnostics)) {
      result.base_block_from_log = !primary.valid;
      result.applied.push_back(std::move(*applied));
      return;
    }
  }
}

// After a replay: one consistent base block that libregf accepts.
void finish_base_block(std::vector<std::uint8_t>& hive, std::uint32_t sequence) {
  put_le32(hive, kPrimarySequence, sequence);
  put_le32(hive, kSecondarySequence, sequence);
  put_le32(hive, kFileType, static_cast<std::uint32_t>(RegfFileType::primary));
  repair_base_block(hive, false);
}

std::string describe(const AppliedLog& applied) {
  std::string text = "replayed " + log_format_name(applied.format) + " transaction log " + applied.name + ": ";
  if (applied.format == LogFormat::new_entries)
    text += std::to_string(applied.entries) + " entries, sequence numbers " + std::to_string(applied.first_sequence) +
            "-" + std::to_string(applied.last_sequence) + ", ";
  return text + std::to_string(applied.pages) + " dirty pages";
}

}  // namespace

ReplayResult replay_transaction_logs(std::vector<std::uint8_t>& hive, const std::vector<LogSource>& logs,
                                     const std::string& label, Diagnostics& diagnostics) {
  ReplayResult result;
  if (hive.size() < kBaseBlockSize || !(has_signature(hive, 0, "regf") || has_signature(hive, kBaseBlockSize, "hbin")))
    return result;  // not a hive: opening it reports that
  const Primary primary = inspect_primary(hive);
  result.was_dirty = dirty(primary);
  if (!result.was_dirty) {
    result.clean = true;
    if (!logs.empty()) diagnostics.info(label, "hive is clean; its transaction logs are not needed");
    return result;
  }
  std::vector<UsableLog> usable = usable_logs(hive, primary, logs, diagnostics);
  std::vector<UsableLog> new_format, old_format;
  for (UsableLog& log : usable)
    (log.header.format == LogFormat::new_entries ? new_format : old_format).push_back(std::move(log));
  if (!new_format.empty()) {
    for (const UsableLog& log : old_format)
      diagnostics.info(log.source->label, "old-format log not applied: new-format logs are present");
    replay_new_format(hive, primary, std::move(new_format), result, diagnostics);
  } else if (!old_format.empty()) {
    replay_old_format(hive, primary, std::move(old_format), result, diagnostics);
  }
  if (!result.replayed()) {
    diagnostics.warn(label, std::string("dirty hive (") +
                                (primary.valid ? "sequence numbers differ" : "invalid base block") +
                                ") and no usable transaction log; read as it is, recent changes may be missing");
    return result;
  }
  finish_base_block(hive, result.applied.back().last_sequence);
  result.clean = true;
  for (const AppliedLog& applied : result.applied) diagnostics.info(label, describe(applied));
  return result;
}

}  // namespace regpersist
