// Value decoding and the UTF-8 guarantees of every text helper.
#include "regpersist/value.h"

#include <gtest/gtest.h>

namespace regpersist {

namespace {
std::vector<std::uint8_t> units(std::initializer_list<std::uint16_t> code_units) {
  std::vector<std::uint8_t> bytes;
  for (const auto u : code_units) {
    bytes.push_back(static_cast<std::uint8_t>(u & 0xFF));
    bytes.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  return bytes;
}
}  // namespace

TEST(Utf16, SurrogatePairsBecomeOneCodePoint) {
  EXPECT_EQ(utf16le_to_utf8(units({0xD83D, 0xDE00}), false), "\xF0\x9F\x98\x80");
}

TEST(Utf16, UnpairedSurrogatesAndOddLengthBecomeReplacementCharacters) {
  EXPECT_EQ(utf16le_to_utf8(units({'a', 0xD800, 'b'}), false),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf16le_to_utf8(units({0xDC00}), false), "\xEF\xBF\xBD");
  auto odd = units({'x'});
  odd.push_back('y');
  EXPECT_EQ(utf16le_to_utf8(odd, false), "x\xEF\xBF\xBD");
}

TEST(Utf16, StopsAtNulOnlyWhenAsked) {
  EXPECT_EQ(utf16le_to_utf8(units({'a', 0, 'b'}), true), "a");
  EXPECT_EQ(utf16le_to_utf8(units({'a', 0, 'b'}), false), std::string("a\0b", 3));
}

TEST(Utf8, SanitizeReplacesInvalidBytesAndKeepsValidText) {
  EXPECT_EQ(sanitize_utf8("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_EQ(sanitize_utf8("\xFF"
                          "a"),
            "\xEF\xBF\xBD"
            "a");
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // encoded surrogate
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
}

TEST(Latin1, HighBytesBecomeTwoByteUtf8) {
  EXPECT_EQ(latin1_to_utf8(std::vector<std::uint8_t>{'A', 0xE9}), "A\xC3\xA9");
}

TEST(ValueDecoding, StringsWithAndWithoutTerminator) {
  Value sz{"", 1, units({'h', 'i', 0, 'x'})};
  EXPECT_EQ(sz.to_text(), "hi");
  Value unterminated{"", 2, units({'%', 'a', '%'})};
  EXPECT_EQ(unterminated.to_text(), "%a%");
}

TEST(ValueDecoding, MultiStringKeepsInnerEmptiesAndDropsTrailing) {
  Value multi{"", 7, units({'a', 0, 0, 'b', 0, 0})};
  EXPECT_EQ(multi.strings(), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(multi.to_text(), "a, , b");
  Value no_terminator{"", 7, units({'a', 0, 'b'})};
  EXPECT_EQ(no_terminator.strings(), (std::vector<std::string>{"a", "b"}));
}

TEST(ValueDecoding, Numbers) {
  std::uint64_t n = 0;
  EXPECT_TRUE((Value{"", 4, {0x78, 0x56, 0x34, 0x12}}.as_number(n)));
  EXPECT_EQ(n, 0x12345678u);
  EXPECT_TRUE((Value{"", 5, {0x12, 0x34, 0x56, 0x78}}.as_number(n)));
  EXPECT_EQ(n, 0x12345678u);
  EXPECT_TRUE((Value{"", 11, {1, 0, 0, 0, 0, 0, 0, 0x80}}.as_number(n)));
  EXPECT_EQ(n, 0x8000000000000001u);
  EXPECT_FALSE((Value{"", 4, {1, 2}}.as_number(n)));
  EXPECT_EQ((Value{"", 4, {1, 2}}.to_text()), "0102");
}

TEST(ValueDecoding, BinaryAndUnknownTypesAsHex) {
  EXPECT_EQ((Value{"", 3, {0xde, 0xad}}.to_text()), "dead");
  EXPECT_EQ((Value{"", 0x12345, {0x01}}.to_text()), "01");
  EXPECT_EQ(value_type_name(0x12345), "0x00012345");
  EXPECT_EQ(value_type_name(8), "REG_RESOURCE_LIST");
}

}  // namespace regpersist
