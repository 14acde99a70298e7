// Windows FILETIME values (100 ns ticks since 1601-01-01 UTC) and their ISO 8601 UTC rendering.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace regpersist {

inline constexpr std::uint64_t kTicksPerSecond = 10'000'000;
inline constexpr std::uint64_t kTicksPerMicrosecond = 10;
// Seconds between 1601-01-01 and 1970-01-01.
inline constexpr std::int64_t kEpochDeltaSeconds = 11'644'473'600;

// Microseconds since 1970-01-01 UTC (negative before 1970).
std::int64_t filetime_to_unix_micros(std::uint64_t ticks);
std::uint64_t unix_seconds_to_filetime(std::int64_t seconds);
// Ticks for a calendar date and time in UTC.
std::uint64_t filetime_from_utc(int year, unsigned month, unsigned day, unsigned hour = 0, unsigned minute = 0,
                                unsigned second = 0);

// "2011-09-01T14:57:12.123456Z"; seconds only when `micros` is false.
std::string filetime_to_iso(std::uint64_t ticks, bool micros = true);

// A FILETIME worth putting on a timeline: not zero, not before 1700, not after 9999.
bool filetime_is_plausible(std::uint64_t ticks);

}  // namespace regpersist
