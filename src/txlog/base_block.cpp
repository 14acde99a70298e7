// Base block parsing, checksum and repair (SPEC §Base block). Our own code on bytes: libregf refuses
// a hive whose checksum is wrong, and the transaction-log replay needs to read and rewrite the header
// before libregf ever sees the hive.
#include "regpersist/base_block.h"

#include "regpersist/error.h"
#include "regpersist/value.h"
#include "txlog/bytes.h"

namespace regpersist {

std::uint32_t base_block_checksum(std::span<const std::uint8_t> bytes) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kChecksumOffset; i += 4) sum ^= le32(bytes, i);
  if (sum == 0xFFFFFFFFu) return 0xFFFFFFFEu;
  if (sum == 0) return 1;
  return sum;
}

BaseBlock parse_base_block(std::span<const std::uint8_t> bytes, const std::string& label) {
  if (bytes.empty()) throw Error(label, "empty file, not a registry hive");
  if (bytes.size() < 4 || bytes[0] != 'r' || bytes[1] != 'e' || bytes[2] != 'g' || bytes[3] != 'f')
    throw Error(label, "not a registry hive (no \"regf\" signature)");
  if (bytes.size() < kBaseBlockSize)
    throw Error(label, "truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the 4096-byte base block");
  BaseBlock block;
  block.primary_sequence = le32(bytes, 4);
  block.secondary_sequence = le32(bytes, 8);
  block.last_written = le64(bytes, 12);
  block.major_version = le32(bytes, 20);
  block.minor_version = le32(bytes, 24);
  block.file_type = le32(bytes, 28);
  block.file_format = le32(bytes, 32);
  block.root_cell_offset = le32(bytes, 36);
  block.hive_bins_size = le32(bytes, 40);
  block.clustering_factor = le32(bytes, 44);
  block.file_name = utf16le_to_utf8(bytes.subspan(48, 64), true);
  block.stored_checksum = le32(bytes, kChecksumOffset);
  block.computed_checksum = base_block_checksum(bytes);
  return block;
}

std::uint32_t effective_hive_bins_size(std::span<const std::uint8_t> hive) {
  constexpr std::size_t kHbinHeaderSize = 32;
  std::size_t offset = 0;  // hbin-relative
  while (kBaseBlockSize + offset + kHbinHeaderSize <= hive.size()) {
    const std::size_t at = kBaseBlockSize + offset;
    if (hive[at] != 'h' || hive[at + 1] != 'b' || hive[at + 2] != 'i' || hive[at + 3] != 'n') break;
    const std::uint32_t size = le32(hive, at + 8);
    if (le32(hive, at + 4) != offset || size == 0 || size % kBaseBlockSize != 0 || at + size > hive.size()) break;
    offset += size;
  }
  return static_cast<std::uint32_t>(offset);
}

void set_hive_bins_size(std::vector<std::uint8_t>& hive, std::uint32_t size) {
  if (hive.size() >= kBaseBlockSize) put_le32(hive, 40, size);
}

void repair_base_block(std::vector<std::uint8_t>& hive, bool equalise_sequences) {
  if (hive.size() < kBaseBlockSize) return;
  if (equalise_sequences) put_le32(hive, 8, le32(hive, 4));
  put_le32(hive, kChecksumOffset, base_block_checksum(hive));
}

}  // namespace regpersist
