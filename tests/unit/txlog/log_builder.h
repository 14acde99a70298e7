// Test support for the txlog unit tests: hand-made transaction-log bytes (new-format HvLE entries with
// valid Marvin32 hashes, old-format DIRT vectors) built from hives written by HiveBuilder.
#pragma once

#include <cstdint>
#include <vector>

namespace regpersist::testsupport {

// hbin-relative offset and bytes of one dirty page (4096-byte multiples in real logs).
struct LogPage {
  std::uint32_t offset = 0;
  std::vector<std::uint8_t> bytes;
};

struct LogEntrySpec {
  std::uint32_t sequence = 0;
  std::uint32_t hive_bins_size = 0;
  std::vector<LogPage> pages;
};

// Every 4096-byte page of `hive`'s bins, as a replay would need to turn any hive into `hive`.
std::vector<LogPage> all_pages(const std::vector<std::uint8_t>& hive);
std::uint32_t hive_bins_size(const std::vector<std::uint8_t>& hive);

// One HvLE entry with correct size, hashes and page references.
std::vector<std::uint8_t> log_entry(const LogEntrySpec& spec);

// A new-format log: `hive`'s first 512 bytes as its base block (file type 6, both sequence numbers =
// `sequence`, checksum fixed), then the entries.
std::vector<std::uint8_t> new_format_log(const std::vector<std::uint8_t>& hive, std::uint32_t sequence,
                                         const std::vector<LogEntrySpec>& entries);

// An old-format log carrying `target`'s bins: base block of `target` (file type 1), a DIRT bitmap marking every
// 512-byte page listed in `dirty_pages` (indices into the bins), then those pages.
std::vector<std::uint8_t> old_format_log(const std::vector<std::uint8_t>& target,
                                         const std::vector<std::uint32_t>& dirty_pages);

}  // namespace regpersist::testsupport
