// Bounds-checked little-endian reader over a registry value's bytes, shared by the blob decoders
// (TaskCache, FailureActions, StartupApproved, SYSTEMTIME). Every read checks the bytes left and
// fails instead of reading past the end; the caller turns a failure into an error text and keeps
// what it decoded before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace regpersist::decoders_detail {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return bytes_.size() - offset_; }
  bool at_end() const { return offset_ == bytes_.size(); }

  std::optional<std::uint8_t> u8() { return read_le<std::uint8_t>(); }
  std::optional<std::uint16_t> u16() { return read_le<std::uint16_t>(); }
  std::optional<std::uint32_t> u32() { return read_le<std::uint32_t>(); }
  std::optional<std::uint64_t> u64() { return read_le<std::uint64_t>(); }

  // The next `count` bytes, or nothing (and no advance) when fewer remain.
  std::optional<std::span<const std::uint8_t>> bytes(std::size_t count) {
    if (count > remaining()) return std::nullopt;
    auto out = bytes_.subspan(offset_, count);
    offset_ += count;
    return out;
  }

  bool skip(std::size_t count) { return bytes(count).has_value(); }

 private:
  template <typename T>
  std::optional<T> read_le() {
    auto raw = bytes(sizeof(T));
    if (!raw) return std::nullopt;
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>(value | static_cast<T>(T{(*raw)[i]} << (8 * i)));
    return value;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t offset_ = 0;
};

}  // namespace regpersist::decoders_detail
