// Registry value types and the decoding of value data into text, numbers and string lists.
// Every string produced here is valid UTF-8 whatever the hive holds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace regpersist {

enum class ValueType : std::uint32_t {
  none = 0,
  sz = 1,
  expand_sz = 2,
  binary = 3,
  dword = 4,
  dword_big_endian = 5,
  link = 6,
  multi_sz = 7,
  resource_list = 8,
  full_resource_descriptor = 9,
  resource_requirements_list = 10,
  qword = 11,
};

// "REG_SZ" …; unknown numbers as "0x0000abcd".
std::string value_type_name(std::uint32_t type);

struct Value {
  std::string name;  // "" is the default value
  std::uint32_t type = 0;
  std::vector<std::uint8_t> data;
  bool corrupted = false;  // the data could not be read completely

  // Text form for display and timelines: strings as text, numbers in decimal, REG_MULTI_SZ joined
  // with ", " (see strings()), binary and unknown types as lowercase hex.
  std::string to_text() const;
  // REG_SZ / REG_EXPAND_SZ / REG_LINK as one string (stops at the first NUL).
  std::string as_string() const;
  // REG_MULTI_SZ as its strings (empty strings in the middle kept, trailing ones dropped).
  std::vector<std::string> strings() const;
  // REG_DWORD (LE), REG_DWORD_BIG_ENDIAN, REG_QWORD; other types or short data: nothing.
  bool as_number(std::uint64_t& out) const;
};

// UTF-16LE bytes to UTF-8, stopping at the first NUL code unit when `stop_at_nul`. Unpaired
// surrogates and a trailing odd byte become U+FFFD.
std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes, bool stop_at_nul);
// Latin-1 (the "compressed" name encoding of nk/vk records) to UTF-8.
std::string latin1_to_utf8(std::span<const std::uint8_t> bytes);
// Any bytes to valid UTF-8: valid sequences kept, invalid bytes replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);
std::string to_hex(std::span<const std::uint8_t> bytes);

// ASCII case folding, as Windows compares registry and NTFS names for the characters that matter here
// (hive, key, value and file names); other bytes are left as they are.
char to_lower_ascii(char c);
std::string to_lower_ascii(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

}  // namespace regpersist
