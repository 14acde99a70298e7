// Transaction-log file parsing (see log_file.h). Hand-written: libregf reads only the old DIRT format and
// cannot apply either format to a hive; yarp (Python) and notatin (Rust) are the references followed here.
#include "txlog/log_file.h"

#include <algorithm>
#include <array>

#include "txlog/bytes.h"
#include "txlog/marvin32.h"

namespace regpersist {

namespace {

constexpr std::size_t kEntryHeaderSize = 40;
constexpr std::size_t kDirtyVectorOffset = 512;

std::string hex32(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x00000000";
  for (int i = 9; i >= 2; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
  return out;
}

std::string at_offset(std::size_t offset) { return "entry at log offset " + std::to_string(offset); }

bool is_page_multiple(std::uint32_t size) { return size >= kHivePageSize && size % kHivePageSize == 0; }

std::optional<LogFormat> format_of_file_type(std::uint32_t file_type) {
  if (file_type == static_cast<std::uint32_t>(RegfFileType::log_old) ||
      file_type == static_cast<std::uint32_t>(RegfFileType::log_nt))
    return LogFormat::old_dirty_vector;
  if (file_type == static_cast<std::uint32_t>(RegfFileType::log_new)) return LogFormat::new_entries;
  return std::nullopt;
}

// Checks the fixed header of the entry at `at` (which fits in the log); "" when it is sound.
std::string entry_header_problem(std::span<const std::uint8_t> entry, std::uint32_t expected_sequence) {
  const std::uint32_t bins = le32(entry, 16);
  const std::uint32_t count = le32(entry, 20);
  if (!is_page_multiple(bins) || bins > kMaxHiveBinsSize)
    return "has an invalid hive-bins size " + std::to_string(bins);
  if (count == 0) return "has no dirty pages";
  if (count > (entry.size() - kEntryHeaderSize) / 8) return "announces more dirty pages than it holds";
  if (marvin32(entry.first(32), kLogEntryMarvinSeed) != le64(entry, 32)) return "has a bad header hash (Hash-2)";
  if (marvin32(entry.subspan(kEntryHeaderSize), kLogEntryMarvinSeed) != le64(entry, 24))
    return "has a bad data hash (Hash-1)";
  const std::uint32_t sequence = le32(entry, 12);
  if (sequence != expected_sequence)
    return "has sequence number " + std::to_string(sequence) + ", expected " + std::to_string(expected_sequence);
  return "";
}

// The dirty page references of a sound entry header; nothing if one runs past the entry or the hive bins.
std::optional<std::vector<DirtyPage>> entry_pages(std::span<const std::uint8_t> entry) {
  const std::uint32_t bins = le32(entry, 16);
  const std::uint32_t count = le32(entry, 20);
  std::vector<DirtyPage> pages;
  pages.reserve(count);
  std::size_t data = kEntryHeaderSize + std::size_t{count} * 8;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t offset = le32(entry, kEntryHeaderSize + i * 8);
    const std::uint32_t size = le32(entry, kEntryHeaderSize + i * 8 + 4);
    if (size > entry.size() - data || std::uint64_t{offset} + size > bins) return std::nullopt;
    pages.push_back({offset, entry.subspan(data, size)});
    data += size;
  }
  return pages;
}

}  // namespace

std::optional<LogHeader> read_log_header(std::span<const std::uint8_t> log, std::string& why) {
  if (log.empty()) {
    why = "empty file";
    return std::nullopt;
  }
  if (log.size() < kLogHeaderSize) {
    why = "truncated: " + std::to_string(log.size()) + " bytes, shorter than a log's 512-byte base block";
    return std::nullopt;
  }
  if (!std::equal(log.begin(), log.begin() + 4, std::begin("regf"))) {
    why = "not a transaction log (no \"regf\" signature)";
    return std::nullopt;
  }
  std::array<std::uint8_t, kBaseBlockSize> padded{};
  std::copy_n(log.begin(), kLogHeaderSize, padded.begin());
  LogHeader header{parse_base_block(padded, ""), LogFormat::new_entries};
  const BaseBlock& base = header.base;
  const std::optional<LogFormat> format = format_of_file_type(base.file_type);
  if (!base.checksum_valid())
    why = "base-block checksum is invalid (stored " + hex32(base.stored_checksum) + ", computed " +
          hex32(base.computed_checksum) + ")";
  else if (!base.sequences_match())
    why = "its own base block is dirty (sequence numbers " + std::to_string(base.primary_sequence) + "/" +
          std::to_string(base.secondary_sequence) + ")";
  else if (!format)
    why = "file type " + std::to_string(base.file_type) + " is not a transaction log";
  else if (base.major_version != 1)
    why = "unsupported format version " + base.version();
  if (!why.empty()) return std::nullopt;
  header.format = *format;
  return header;
}

LogEntries read_log_entries(std::span<const std::uint8_t> log, std::uint32_t first_sequence) {
  LogEntries result;
  std::uint32_t expected = first_sequence;
  std::size_t at = kLogHeaderSize;
  while (log.size() - at >= kEntryHeaderSize) {
    const auto header = log.subspan(at, kEntryHeaderSize);
    if (!std::equal(header.begin(), header.begin() + 4, std::begin("HvLE"))) break;  // end of the entries
    const std::uint32_t size = le32(header, 4);
    if (size < kLogSectorSize || size % kLogSectorSize != 0) {
      result.stop_reason = at_offset(at) + " has an invalid size " + std::to_string(size);
      break;
    }
    if (size > log.size() - at) {
      result.stop_reason = at_offset(at) + " is truncated (" + std::to_string(size) + " bytes announced, " +
                           std::to_string(log.size() - at) + " left)";
      break;
    }
    const auto entry = log.subspan(at, size);
    if (std::string problem = entry_header_problem(entry, expected); !problem.empty()) {
      result.stop_reason = at_offset(at) + " " + problem;
      break;
    }
    auto pages = entry_pages(entry);
    if (!pages) {
      result.stop_reason = at_offset(at) + " has a dirty page outside the entry or the hive bins";
      break;
    }
    result.entries.push_back({at, expected, le32(entry, 8), le32(entry, 16), std::move(*pages)});
    ++expected;
    at += size;
  }
  return result;
}

std::optional<DirtyVector> read_dirty_vector(std::span<const std::uint8_t> log, std::uint32_t hive_bins_size,
                                             std::string& why) {
  if (log.size() < kDirtyVectorOffset + 4 ||
      !std::equal(log.begin() + kDirtyVectorOffset, log.begin() + kDirtyVectorOffset + 4, std::begin("DIRT"))) {
    why = "no \"DIRT\" dirty-vector signature at offset 512";
    return std::nullopt;
  }
  if (!is_page_multiple(hive_bins_size) || hive_bins_size > kMaxHiveBinsSize) {
    why = "its base block has an invalid hive-bins size " + std::to_string(hive_bins_size);
    return std::nullopt;
  }
  const std::size_t bitmap_at = kDirtyVectorOffset + 4;
  const std::size_t bitmap_size = hive_bins_size / kHivePageSize;
  if (bitmap_size > log.size() - bitmap_at) {
    why = "truncated dirty vector";
    return std::nullopt;
  }
  const std::size_t pages_at = (bitmap_at + bitmap_size + kLogSectorSize - 1) / kLogSectorSize * kLogSectorSize;
  DirtyVector vector;
  std::size_t next = pages_at;
  for (std::size_t bit = 0; bit < bitmap_size * 8; ++bit) {
    if ((log[bitmap_at + bit / 8] & (1u << (bit % 8))) == 0) continue;
    if (next > log.size() || log.size() - next < kLogSectorSize) {
      why = "truncated: the dirty vector announces more pages than the log holds";
      return std::nullopt;
    }
    vector.pages.push_back({static_cast<std::uint32_t>(bit * kLogSectorSize), log.subspan(next, kLogSectorSize)});
    next += kLogSectorSize;
  }
  return vector;
}

}  // namespace regpersist
