// Fixtures of the decoder tests: little-endian binary blobs built field by field (TaskCache blobs,
// FailureActions, SYSTEMTIME …) so each test shows the layout it exercises, hex dumps of public
// sources, and the real hives of the shared corpus.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/hive.h"
#include "support/testdata.h"

namespace regpersist::testsupport {

class BlobBuilder {
 public:
  BlobBuilder& u8(std::uint8_t value) {
    bytes_.push_back(value);
    return *this;
  }
  BlobBuilder& u16(std::uint16_t value) { return little_endian(value, 2); }
  BlobBuilder& u32(std::uint32_t value) { return little_endian(value, 4); }
  BlobBuilder& u64(std::uint64_t value) { return little_endian(value, 8); }
  BlobBuilder& raw(const std::vector<std::uint8_t>& bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  BlobBuilder& zeros(std::size_t count) {
    bytes_.insert(bytes_.end(), count, 0);
    return *this;
  }
  // ASCII text as UTF-16LE code units, no terminator.
  BlobBuilder& utf16(std::string_view text) {
    for (char c : text) u16(static_cast<std::uint8_t>(c));
    return *this;
  }
  // uint32 byte length + UTF-16LE text (the TaskCache string form).
  BlobBuilder& counted_utf16(std::string_view text) {
    u32(static_cast<std::uint32_t>(text.size() * 2));
    return utf16(text);
  }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  BlobBuilder& little_endian(std::uint64_t value, int size) {
    for (int i = 0; i < size; ++i) bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    return *this;
  }
  std::vector<std::uint8_t> bytes_;
};

// Parses "03 00 00 00 1c ec …" hex dumps (spaces ignored).
inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<std::uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    i += 2;
  }
  return out;
}

// A hive of the shared corpus with the diagnostics it reports to.
struct CorpusHive {
  explicit CorpusHive(const std::string& manifest_path)
      : hive(Hive::open_file(corpus_file(manifest_path), diagnostics)) {}
  Diagnostics diagnostics;
  Hive hive;
};

// The SYSTEM hives of the corpus whose ControlSet001 holds a full Windows service set.
inline constexpr const char* kSharedSystemHives[] = {"dissect.regf/SYSTEM.gz", "regipy/SYSTEM.xz",
                                                     "regipy/SYSTEM_2.xz"};

}  // namespace regpersist::testsupport
