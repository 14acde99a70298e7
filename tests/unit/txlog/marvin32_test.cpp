// Marvin32 against the published test vectors (notatin src/marvin32.rs, from .NET coreclr).
#include "txlog/marvin32.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace regpersist {
namespace {

std::uint64_t hash(std::vector<std::uint8_t> bytes, std::uint64_t seed = 0x004FB61A001BDBCCull) {
  return marvin32(bytes, seed);
}

TEST(Marvin32, ShortInputsCoverEveryTailLength) {
  EXPECT_EQ(hash({}), 0x30ED35C100CD3C7Dull);
  EXPECT_EQ(hash({0xAF}), 0x48E73FC77D75DDC1ull);
  EXPECT_EQ(hash({0xE7, 0x0F}), 0xB5F6E1FC485DBFF8ull);
  EXPECT_EQ(hash({0x37, 0xF4, 0x95}), 0xF0B07C789B8CF7E8ull);
  EXPECT_EQ(hash({0x86, 0x42, 0xDC, 0x59}), 0x7008F2E87E9CF556ull);
}

TEST(Marvin32, LongInputAndOtherSeed) {
  std::vector<std::uint8_t> bytes(256);
  std::iota(bytes.begin(), bytes.end(), std::uint8_t{0});
  EXPECT_EQ(hash(bytes), 0x7DFCAB33FCEAD72Cull);
  EXPECT_EQ(hash({}, 0x804FB61A001BDBCCull), 0x10A9D5D3996FD65Dull);
}

}  // namespace
}  // namespace regpersist
