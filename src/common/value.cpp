// Value data decoding and text encodings. Our own code: the hive's strings are decoded from the raw
// value bytes so that invalid UTF-16 (unpaired surrogates, odd lengths, missing terminators) still
// yields valid UTF-8 instead of an error from the codepage layer.
#include "regpersist/value.h"

#include <algorithm>
#include <cstdio>

namespace regpersist {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char16_t unit_at(std::span<const std::uint8_t> bytes, std::size_t index) {
  return static_cast<char16_t>(bytes[2 * index] | (bytes[2 * index + 1] << 8));
}

bool is_high_surrogate(char16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(char16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// Splits UTF-16LE data into NUL-separated strings (REG_MULTI_SZ layout).
std::vector<std::string> split_utf16_strings(std::span<const std::uint8_t> bytes) {
  std::vector<std::string> items;
  const std::size_t units = bytes.size() / 2;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= units; ++i) {
    if (i == units || unit_at(bytes, i) == 0) {
      items.push_back(utf16le_to_utf8(bytes.subspan(2 * start, 2 * (i - start)), false));
      start = i + 1;
    }
  }
  while (!items.empty() && items.back().empty()) items.pop_back();
  return items;
}

std::uint64_t read_le(std::span<const std::uint8_t> bytes, std::size_t size) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < size; ++i) v |= std::uint64_t{bytes[i]} << (8 * i);
  return v;
}

}  // namespace

std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes, bool stop_at_nul) {
  std::string out;
  out.reserve(bytes.size() / 2);
  const std::size_t units = bytes.size() / 2;
  for (std::size_t i = 0; i < units; ++i) {
    const char16_t u = unit_at(bytes, i);
    if (u == 0 && stop_at_nul) return out;
    if (is_high_surrogate(u) && i + 1 < units && is_low_surrogate(unit_at(bytes, i + 1))) {
      const char16_t low = unit_at(bytes, ++i);
      append_utf8(out, 0x10000 + ((char32_t{u} - 0xD800) << 10) + (char32_t{low} - 0xDC00));
    } else if (is_high_surrogate(u) || is_low_surrogate(u)) {
      append_utf8(out, kReplacement);
    } else {
      append_utf8(out, u);
    }
  }
  if (bytes.size() % 2 != 0) append_utf8(out, kReplacement);
  return out;
}

std::string latin1_to_utf8(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const std::uint8_t b : bytes) append_utf8(out, b);
  return out;
}

std::string sanitize_utf8(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80                    ? 1
                         : lead >= 0xC2 && lead <= 0xDF ? 2
                         : lead >= 0xE0 && lead <= 0xEF ? 3
                         : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                        : 0;
    char32_t cp = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      valid = (c & 0xC0) == 0x80;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    valid = valid && !(length == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) &&
            !(length == 4 && (cp < 0x10000 || cp > 0x10FFFF));
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      append_utf8(out, kReplacement);
      ++i;
    }
  }
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower_ascii(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return to_lower_ascii(x) == to_lower_ascii(y); });
}

std::string value_type_name(std::uint32_t type) {
  static constexpr const char* kNames[] = {"REG_NONE",
                                           "REG_SZ",
                                           "REG_EXPAND_SZ",
                                           "REG_BINARY",
                                           "REG_DWORD",
                                           "REG_DWORD_BIG_ENDIAN",
                                           "REG_LINK",
                                           "REG_MULTI_SZ",
                                           "REG_RESOURCE_LIST",
                                           "REG_FULL_RESOURCE_DESCRIPTOR",
                                           "REG_RESOURCE_REQUIREMENTS_LIST",
                                           "REG_QWORD"};
  if (type < std::size(kNames)) return kNames[type];
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08x", type);
  return buffer;
}

std::string Value::as_string() const { return utf16le_to_utf8(data, true); }

std::vector<std::string> Value::strings() const { return split_utf16_strings(data); }

bool Value::as_number(std::uint64_t& out) const {
  switch (static_cast<ValueType>(type)) {
    case ValueType::dword:
      if (data.size() < 4) return false;
      out = read_le(data, 4);
      return true;
    case ValueType::dword_big_endian:
      if (data.size() < 4) return false;
      out = (std::uint64_t{data[0]} << 24) | (std::uint64_t{data[1]} << 16) | (std::uint64_t{data[2]} << 8) | data[3];
      return true;
    case ValueType::qword:
      if (data.size() < 8) return false;
      out = read_le(data, 8);
      return true;
    default:
      return false;
  }
}

std::string Value::to_text() const {
  switch (static_cast<ValueType>(type)) {
    case ValueType::sz:
    case ValueType::expand_sz:
    case ValueType::link:
      return as_string();
    case ValueType::multi_sz: {
      std::string joined;
      for (const auto& item : strings()) {
        if (!joined.empty()) joined += ", ";
        joined += item;
      }
      return joined;
    }
    case ValueType::dword:
    case ValueType::dword_big_endian:
    case ValueType::qword: {
      std::uint64_t number = 0;
      if (as_number(number)) return std::to_string(number);
      return to_hex(data);
    }
    default:
      return to_hex(data);
  }
}

}  // namespace regpersist
