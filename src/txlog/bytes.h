// Little-endian reads and writes on byte spans, bounds checked by the caller.
#pragma once

#include <cstdint>
#include <span>

namespace regpersist {

inline std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
inline std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) | (std::uint32_t{b[at + 2]} << 16) |
         (std::uint32_t{b[at + 3]} << 24);
}
inline std::uint64_t le64(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint64_t{le32(b, at)} | (std::uint64_t{le32(b, at + 4)} << 32);
}
inline void put_le32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace regpersist
