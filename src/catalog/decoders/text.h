// Trimming and case-insensitive matching helpers for the decoders (case folding itself: regpersist/value.h). Windows
// compares paths and names with ordinal case folding; the names and markers the heuristics look for are all ASCII, so
// folding ASCII letters only is exact for them and leaves other UTF-8 bytes untouched.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "regpersist/value.h"  // iequals, to_lower_ascii

namespace regpersist::decoders_detail {

inline bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

inline bool iends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

// Position of `needle` in `text` ignoring ASCII case, or npos.
inline std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from = 0) {
  if (needle.empty()) return from <= text.size() ? from : std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= text.size(); ++i) {
    if (iequals(text.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

inline bool icontains(std::string_view text, std::string_view needle) {
  return ifind(text, needle) != std::string_view::npos;
}

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Removes one pair of surrounding double quotes (and the spaces inside them).
inline std::string_view unquote(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = trim(text.substr(1, text.size() - 2));
  return text;
}

// The last component of a Windows or URL-style path ("C:\\x\\a.exe" → "a.exe").
inline std::string_view file_name_of(std::string_view path) {
  const std::size_t slash = path.find_last_of("\\/");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Appends `value` as exactly `digits` upper-case hex digits, most significant first.
inline void append_hex(std::string& out, std::uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back(kDigits[(value >> shift) & 0xF]);
}

// "0x…" in lower case, at least `min_digits` digits long ("0x1234", "0x10000000").
inline std::string hex_literal(std::uint64_t value, int min_digits = 1) {
  int digits = std::max(min_digits, 1);
  while (digits < 16 && (value >> (4 * digits)) != 0) ++digits;
  std::string out;
  append_hex(out, value, digits);
  return "0x" + to_lower_ascii(out);
}

}  // namespace regpersist::decoders_detail
