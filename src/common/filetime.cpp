// FILETIME conversions and ISO 8601 rendering (std::chrono calendar, UTC only).
#include "regpersist/filetime.h"

#include <chrono>
#include <cstdio>

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

std::string filetime_to_iso(std::uint64_t ticks, bool micros) {
  using namespace std::chrono;
  const auto total_seconds = static_cast<std::int64_t>(ticks / kTicksPerSecond) - kEpochDeltaSeconds;
  const auto fraction = static_cast<unsigned>((ticks % kTicksPerSecond) / kTicksPerMicrosecond);
  const sys_seconds instant{std::chrono::seconds{total_seconds}};
  const auto day_start = floor<days>(instant);
  const year_month_day date{day_start};
  const hh_mm_ss clock{instant - day_start};
  char buffer[48];
  const int length =
      std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02lld", int{date.year()}, unsigned{date.month()},
                    unsigned{date.day()}, static_cast<int>(clock.hours().count()),
                    static_cast<int>(clock.minutes().count()), static_cast<long long>(clock.seconds().count()));
  if (micros)
    std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length), ".%06uZ", fraction);
  else
    std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length), "Z");
  return buffer;
}

bool filetime_is_plausible(std::uint64_t ticks) {
  static const std::uint64_t year_1700 = filetime_from_utc(1700, 1, 1);
  static const std::uint64_t year_10000 = filetime_from_utc(9999, 12, 31, 23, 59, 59);
  return ticks >= year_1700 && ticks <= year_10000;
}

}  // namespace regpersist
