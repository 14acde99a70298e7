// Text helpers of the timeline writers (see text.h).
#include "timeline/text.h"

#include <cstdio>

#include "regpersist/filetime.h"
#include "regpersist/value.h"

namespace regpersist {

namespace {

bool is_c1_control(std::string_view text, std::size_t i) {
  return static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
}

// U+202A..U+202E and U+2066..U+2069 (E2 80 AA..AE, E2 81 A6..A9): they reorder what a terminal shows.
bool is_bidi_control(std::string_view text, std::size_t i) {
  if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xE2) return false;
  const auto second = static_cast<unsigned char>(text[i + 1]);
  const auto third = static_cast<unsigned char>(text[i + 2]);
  return (second == 0x80 && third >= 0xAA && third <= 0xAE) || (second == 0x81 && third >= 0xA6 && third <= 0xA9);
}

std::string hex_escape(unsigned value, const char* pattern) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

}  // namespace

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

std::string truncate_utf8(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

std::string escape_for_terminal(std::string_view raw) {
  const std::string text = sanitize_utf8(raw);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) {
      out += hex_escape(byte, "\\x%02x");
    } else if (is_c1_control(text, i)) {
      out += hex_escape(static_cast<unsigned char>(text[i + 1]), "\\x%02x");
      ++i;
    } else if (is_bidi_control(text, i)) {
      const unsigned code = 0x2000u + ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) +
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      out += hex_escape(code, "\\u{%04x}");
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string escape_pipe_field(std::string_view raw) {
  const std::string text = sanitize_utf8(raw);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '%' || c == '|')
      out += hex_escape(byte, "%%%02X");
    else if (byte < 0x20 || byte == 0x7F)
      out += hex_escape(byte, "\\x%02x");
    else
      out += c;
  }
  return out;
}

std::string local_datetime(std::uint64_t filetime, int offset_minutes) {
  const auto shift = static_cast<std::int64_t>(offset_minutes) * 60 * static_cast<std::int64_t>(kTicksPerSecond);
  const auto shifted = static_cast<std::int64_t>(filetime) + shift;
  const std::string iso = filetime_to_iso(shifted < 0 ? 0 : static_cast<std::uint64_t>(shifted), false);
  return iso.substr(0, iso.size() - 1);  // drop the "Z": this is local wall-clock time
}

}  // namespace regpersist
