// Time zones for judging local time: the machine's own rule set read from SYSTEM
// TimeZoneInformation (what the clock on that machine showed, which is what the after-hours rule
// must judge), an IANA zone by name (--tz, from the system tz database via Debian's
// libhowardhinnant-date: libstdc++ 12 has no std::chrono::tzdb), or UTC.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "regpersist/hive.h"

namespace regpersist {

// A SYSTEMTIME transition rule of TIME_ZONE_INFORMATION. year == 0: "day-of-week form": the
// `day`-th (1-4, 5 = last) `day_of_week` (0 = Sunday) of `month` at hour:minute local time.
// year != 0: an absolute date in that year only. month == 0: no transition.
struct TransitionRule {
  std::uint16_t year = 0;
  std::uint16_t month = 0;
  std::uint16_t day_of_week = 0;
  std::uint16_t day = 0;
  std::uint16_t hour = 0;
  std::uint16_t minute = 0;
  std::uint16_t second = 0;
};

// SYSTEM ControlSetNNN\Control\TimeZoneInformation of the active control set.
struct TimeZoneInfo {
  std::string key_name;       // TimeZoneKeyName, "W. Europe Standard Time"
  std::string standard_name;  // StandardName (may be "@tzres.dll,-322")
  std::string daylight_name;
  std::int32_t bias = 0;                         // minutes; UTC = local + bias
  std::int32_t standard_bias = 0;                // added to bias in standard time
  std::int32_t daylight_bias = 0;                // added to bias in daylight time (usually -60)
  std::optional<std::int32_t> active_time_bias;  // bias in effect when the hive was written
  TransitionRule standard_start;                 // daylight -> standard
  TransitionRule daylight_start;                 // standard -> daylight
  bool dynamic_daylight_disabled = false;        // "adjust for daylight saving" turned off
  std::string control_set;                       // "ControlSet001"
  bool observes_daylight() const;
  std::string display_name() const;  // key name, else standard name, else "UTC±hh:mm"
};

// Reads the active control set's (Select\Current, else the first) TimeZoneInformation; nothing
// when the hive has none. Unreadable values are reported to the hive's diagnostics.
std::optional<TimeZoneInfo> read_time_zone(const Hive& system);

// "UTC+01:00", "UTC-08:00", "UTC+05:30".
std::string utc_offset_text(int offset_minutes);

class TimeZone {
 public:
  struct Period {
    int offset_minutes = 0;  // local - UTC
    bool daylight = false;
    std::string name;  // "W. Europe Daylight Time", "CEST", "UTC"
  };
  class Rules;  // defined in src/timeline/timezone.cpp

  static TimeZone utc();
  static TimeZone from_windows(const TimeZoneInfo& info);
  static TimeZone from_iana(const std::string& name);  // throws Error for an unknown name

  const std::string& name() const;
  Period at(std::uint64_t filetime) const;
  // Summary line: "W. Europe Standard Time (UTC+01:00, daylight saving UTC+02:00, from SYSTEM ControlSet001)".
  std::string describe() const;

 private:
  explicit TimeZone(std::shared_ptr<const Rules> rules);
  std::shared_ptr<const Rules> rules_;
};

}  // namespace regpersist
