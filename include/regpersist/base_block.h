// The 4 KiB base block ("regf" header) of a hive or transaction log file: parsing, checksum,
// dirty state and repair. Pure code on bytes (src/txlog/), independent of libregf.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace regpersist {

inline constexpr std::size_t kBaseBlockSize = 4096;
inline constexpr std::size_t kChecksumOffset = 508;

enum class RegfFileType : std::uint32_t { primary = 0, log_old = 1, log_nt = 2, log_new = 6 };

struct BaseBlock {
  std::uint32_t primary_sequence = 0;
  std::uint32_t secondary_sequence = 0;
  std::uint64_t last_written = 0;  // FILETIME
  std::uint32_t major_version = 0;
  std::uint32_t minor_version = 0;
  std::uint32_t file_type = 0;
  std::uint32_t file_format = 0;
  std::uint32_t root_cell_offset = 0;  // hbin-relative
  std::uint32_t hive_bins_size = 0;
  std::uint32_t clustering_factor = 0;
  std::string file_name;  // UTF-8 of the embedded UTF-16LE name (debugging only)
  std::uint32_t stored_checksum = 0;
  std::uint32_t computed_checksum = 0;

  bool checksum_valid() const { return stored_checksum == computed_checksum; }
  bool sequences_match() const { return primary_sequence == secondary_sequence; }
  // SPEC "Dirty state of a hive": sequence numbers differ or the checksum is wrong.
  bool dirty() const { return !sequences_match() || !checksum_valid(); }
  std::string version() const { return std::to_string(major_version) + "." + std::to_string(minor_version); }
};

// XOR-32 of the first 127 dwords, with 0xFFFFFFFF stored as 0xFFFFFFFE and 0 as 1.
std::uint32_t base_block_checksum(std::span<const std::uint8_t> bytes);

// Parses the base block at the start of `bytes`. Throws regpersist::Error (file = `label`) when
// the bytes are too short or the "regf" signature is missing.
BaseBlock parse_base_block(std::span<const std::uint8_t> bytes, const std::string& label);

// Bytes of hive bins actually present: the run of well-formed "hbin" headers (each naming its own
// offset, size a multiple of 4096, inside the file) that starts right after the base block.
std::uint32_t effective_hive_bins_size(std::span<const std::uint8_t> hive);

// Sets the base block's hive-bins size field (in place, checksum not updated).
void set_hive_bins_size(std::vector<std::uint8_t>& hive, std::uint32_t size);

// Rewrites the checksum (and, when `equalise_sequences`, the secondary sequence number) in place.
void repair_base_block(std::vector<std::uint8_t>& hive, bool equalise_sequences);

}  // namespace regpersist
