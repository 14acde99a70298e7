// Parsing of one transaction-log file, independent of the hive it belongs to: its 512-byte base-block
// copy, its new-format HvLE entries (SPEC §New format) or its old-format DIRT dirty vector (SPEC §Old
// format). Every length and offset is checked against the bytes of the log; nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regpersist/base_block.h"
#include "regpersist/txlog.h"

namespace regpersist {

inline constexpr std::size_t kLogHeaderSize = 512;
inline constexpr std::size_t kLogSectorSize = 512;
inline constexpr std::size_t kHivePageSize = 4096;
// Windows refuses to load a hive over 2 GiB; larger sizes in a log are corruption.
inline constexpr std::uint32_t kMaxHiveBinsSize = 0x80000000u;

struct LogHeader {
  BaseBlock base;  // parsed from the first 512 bytes (the rest of a base block is not copied into logs)
  LogFormat format = LogFormat::new_entries;
};

// The log's base-block copy if it is usable: "regf", valid checksum, equal sequence numbers, a log file type.
// Otherwise nothing, and `why` says what is wrong.
std::optional<LogHeader> read_log_header(std::span<const std::uint8_t> log, std::string& why);

// One dirty page reference of an HvLE entry and its bytes inside the log.
struct DirtyPage {
  std::uint32_t offset = 0;  // hbin-relative
  std::span<const std::uint8_t> bytes;
};

struct LogEntry {
  std::size_t log_offset = 0;
  std::uint32_t sequence = 0;
  std::uint32_t flags = 0;
  std::uint32_t hive_bins_size = 0;
  std::vector<DirtyPage> pages;
};

struct LogEntries {
  std::vector<LogEntry> entries;  // consecutive sequence numbers from the header's primary sequence
  std::string stop_reason;        // why iteration stopped before the end of the file ("" = clean end)
};

// Valid HvLE entries from offset 512, in file order, while each one's sequence number is the next expected.
LogEntries read_log_entries(std::span<const std::uint8_t> log, std::uint32_t first_sequence);

// Old format: hbin-relative offsets of the 512-byte dirty pages and where each one's bytes are in the log.
struct DirtyVector {
  std::vector<DirtyPage> pages;
};

// Reads the DIRT vector for `hive_bins_size` bytes of hive bins; nothing (and `why`) if the signature is
// missing or the log is too short for the pages it announces.
std::optional<DirtyVector> read_dirty_vector(std::span<const std::uint8_t> log, std::uint32_t hive_bins_size,
                                             std::string& why);

}  // namespace regpersist
