// Marvin32 (see marvin32.h).
#include "txlog/marvin32.h"

#include <bit>

#include "txlog/bytes.h"

namespace regpersist {

namespace {
struct MarvinState {
  std::uint32_t s0;
  std::uint32_t s1;

  void mix() {
    s1 ^= s0;
    s0 = std::rotl(s0, 20) + s1;
    s1 = std::rotl(s1, 9) ^ s0;
    s0 = std::rotl(s0, 27) + s1;
    s1 = std::rotl(s1, 19);
  }
};

// The last 0–3 bytes with the 0x80 end marker above them.
std::uint32_t final_word(std::span<const std::uint8_t> tail) {
  switch (tail.size()) {
    case 0:
      return 0x80u;
    case 1:
      return 0x8000u | tail[0];
    case 2:
      return 0x800000u | le16(tail, 0);
    default:
      return 0x80000000u | (std::uint32_t{tail[2]} << 16) | le16(tail, 0);
  }
}
}  // namespace

std::uint64_t marvin32(std::span<const std::uint8_t> bytes, std::uint64_t seed) {
  MarvinState state{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
  std::size_t at = 0;
  for (; bytes.size() - at >= 4; at += 4) {
    state.s0 += le32(bytes, at);
    state.mix();
  }
  state.s0 += final_word(bytes.subspan(at));
  state.mix();
  state.mix();
  return (std::uint64_t{state.s1} << 32) | state.s0;
}

}  // namespace regpersist
