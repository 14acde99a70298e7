// FILETIME conversions and ISO 8601 rendering (std::chrono calendar, UTC only).
#include "regpersist/filetime.h"

#include <charconv>
#include <chrono>
#include <string>

namespace regpersist {

std::int64_t filetime_to_unix_micros(std::uint64_t ticks) {
  const auto micros = static_cast<std::int64_t>(ticks / kTicksPerMicrosecond);
  return micros - kEpochDeltaSeconds * 1'000'000;
}

std::uint64_t unix_seconds_to_filetime(std::int64_t seconds) {
  return static_cast<std::uint64_t>(seconds + kEpochDeltaSeconds) * kTicksPerSecond;
}

std::uint64_t filetime_from_utc(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                                unsigned second) {
  using namespace std::chrono;
  const sys_days date{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}};
  const auto seconds = date.time_since_epoch() / std::chrono::seconds{1} + hour * 3600 + minute * 60 + second;
  return unix_seconds_to_filetime(seconds);
}

namespace {

// Appends `value` in decimal, zero-padded to at least `width` characters sign included: printf's "%0*lld"
// without its cost (this runs once per timeline event).
void append_padded(std::string& out, std::int64_t value, std::size_t width) {
  char digits[24];
  char* const end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  const auto length = static_cast<std::size_t>(end - digits);
  const bool negative = value < 0;
  if (negative) out += '-';
  if (length < width) out.append(width - length, '0');
  out.append(digits + (negative ? 1 : 0), end);
}

}  // namespace

std::string filetime_to_iso(std::uint64_t ticks, bool micros) {
  using namespace std::chrono;
  const auto total_seconds = static_cast<std::int64_t>(ticks / kTicksPerSecond) - kEpochDeltaSeconds;
  const auto fraction = (ticks % kTicksPerSecond) / kTicksPerMicrosecond;
  const sys_seconds instant{std::chrono::seconds{total_seconds}};
  const auto day_start = floor<days>(instant);
  const year_month_day date{day_start};
  const hh_mm_ss clock{instant - day_start};
  std::string text;
  text.reserve(32);
  append_padded(text, int{date.year()}, 4);
  text += '-';
  append_padded(text, unsigned{date.month()}, 2);
  text += '-';
  append_padded(text, unsigned{date.day()}, 2);
  text += 'T';
  append_padded(text, static_cast<std::int64_t>(clock.hours().count()), 2);
  text += ':';
  append_padded(text, static_cast<std::int64_t>(clock.minutes().count()), 2);
  text += ':';
  append_padded(text, static_cast<std::int64_t>(clock.seconds().count()), 2);
  if (micros) {
    text += '.';
    append_padded(text, static_cast<std::int64_t>(fraction), 6);
  }
  text += 'Z';
  return text;
}

bool filetime_is_plausible(std::uint64_t ticks) {
  static const std::uint64_t year_1700 = filetime_from_utc(1700, 1, 1);
  static const std::uint64_t year_10000 = filetime_from_utc(9999, 12, 31, 23, 59, 59);
  return ticks >= year_1700 && ticks <= year_10000;
}

}  // namespace regpersist
