// Time zones: reading SYSTEM TimeZoneInformation, and local time from three rule sources.
//
// The Windows rules are evaluated here by hand on purpose: the after-hours rule must judge what the
// machine's own clock showed, and that is the fixed StandardStart/DaylightStart rule stored in its
// SYSTEM hive (which may differ from the IANA zone of the same name, e.g. an unpatched machine or a
// custom rule). The per-year "Dynamic DST" tables in SOFTWARE are not read: the stored rule is the
// one in force when the hive was written. IANA zones (--tz) come from Debian's
// libhowardhinnant-date over the system tz database (libstdc++ 12 has no std::chrono::tzdb).
#include "regpersist/timezone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>

#include "regpersist/error.h"
#include "regpersist/filetime.h"

namespace regpersist {

class TimeZone::Rules {
 public:
  virtual ~Rules() = default;
  virtual const std::string& name() const = 0;
  virtual Period at(std::int64_t unix_seconds) const = 0;
  virtual std::string describe() const = 0;
};

namespace {

std::int64_t to_unix_seconds(std::uint64_t filetime) {
  return static_cast<std::int64_t>(filetime / kTicksPerSecond) - kEpochDeltaSeconds;
}

class UtcRules final : public TimeZone::Rules {
 public:
  const std::string& name() const override { return name_; }
  TimeZone::Period at(std::int64_t) const override { return {0, false, "UTC"}; }
  std::string describe() const override { return "UTC"; }

 private:
  std::string name_ = "UTC";
};

// Seconds since 1970 of a local date-time given as a calendar date plus a time of day.
std::int64_t local_seconds(std::chrono::sys_days day, const TransitionRule& rule) {
  return day.time_since_epoch() / std::chrono::seconds{1} + rule.hour * 3600 + rule.minute * 60 + rule.second;
}

// The day a transition rule names in `year`: the n-th (5 = last) weekday of the month, or the
// absolute date of a rule with a year. Nothing when the rule does not apply to `year`.
std::optional<std::chrono::sys_days> transition_day(const TransitionRule& rule, int year) {
  using namespace std::chrono;
  if (rule.month < 1 || rule.month > 12 || rule.day_of_week > 6) return std::nullopt;
  const auto ym = std::chrono::year{year} / std::chrono::month{rule.month};
  if (rule.year != 0) {
    if (rule.year != year || rule.day < 1 || rule.day > unsigned{(ym / last).day()}) return std::nullopt;
    return sys_days{ym / std::chrono::day{rule.day}};
  }
  if (rule.day < 1 || rule.day > 5) return std::nullopt;
  const weekday wanted{rule.day_of_week};
  const sys_days first = sys_days{ym / std::chrono::day{1}};
  sys_days day = first + (wanted - weekday{first});
  day += days{7 * (rule.day - 1)};
  const sys_days month_end = sys_days{ym / last};
  while (day > month_end) day -= days{7};
  return day;
}

class WindowsRules final : public TimeZone::Rules {
 public:
  explicit WindowsRules(TimeZoneInfo info) : info_(std::move(info)), name_(info_.display_name()) {}
  const std::string& name() const override { return name_; }

  TimeZone::Period at(std::int64_t unix_seconds) const override {
    const int standard_offset = -(info_.bias + info_.standard_bias);
    const TimeZone::Period standard{standard_offset, false, period_name(false)};
    if (!info_.observes_daylight()) return standard;
    const auto local_standard = std::chrono::sys_seconds{std::chrono::seconds{unix_seconds + standard_offset * 60}};
    const int year = int{std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(local_standard)}.year()};
    const auto daylight_day = transition_day(info_.daylight_start, year);
    const auto standard_day = transition_day(info_.standard_start, year);
    if (!daylight_day || !standard_day) return standard;
    // DaylightStart is given in standard local time, StandardStart in daylight local time.
    const int daylight_offset = -(info_.bias + info_.daylight_bias);
    const std::int64_t to_daylight = local_seconds(*daylight_day, info_.daylight_start) - standard_offset * 60;
    const std::int64_t to_standard = local_seconds(*standard_day, info_.standard_start) - daylight_offset * 60;
    const bool daylight = to_daylight < to_standard ? unix_seconds >= to_daylight && unix_seconds < to_standard
                                                    : unix_seconds >= to_daylight || unix_seconds < to_standard;
    if (!daylight) return standard;
    return {daylight_offset, true, period_name(true)};
  }

  std::string describe() const override {
    std::string text = name_ + " (" + utc_offset_text(-(info_.bias + info_.standard_bias));
    if (info_.observes_daylight())
      text += ", daylight saving " + utc_offset_text(-(info_.bias + info_.daylight_bias));
    else
      text += ", no daylight saving";
    if (!info_.control_set.empty()) text += ", from SYSTEM " + info_.control_set + "\\Control\\TimeZoneInformation";
    return text + ")";
  }

 private:
  // Windows names the periods "… Standard Time" / "… Daylight Time"; StandardName may be an
  // "@tzres.dll,-NNN" resource reference, so the key name is preferred.
  std::string period_name(bool daylight) const {
    const std::string& stored = daylight ? info_.daylight_name : info_.standard_name;
    if (!stored.empty() && stored[0] != '@') return stored;
    if (daylight && name_.ends_with(" Standard Time")) return name_.substr(0, name_.size() - 14) + " Daylight Time";
    return name_;
  }

  TimeZoneInfo info_;
  std::string name_;
};

class IanaRules final : public TimeZone::Rules {
 public:
  explicit IanaRules(const date::time_zone* zone) : zone_(zone), name_(zone->name()) {}
  const std::string& name() const override { return name_; }

  TimeZone::Period at(std::int64_t unix_seconds) const override {
    const auto info = zone_->get_info(date::sys_seconds{std::chrono::seconds{unix_seconds}});
    return {static_cast<int>(info.offset.count() / 60), info.save != std::chrono::minutes{0}, info.abbrev};
  }

  std::string describe() const override { return name_ + " (IANA time zone, --tz)"; }

 private:
  const date::time_zone* zone_;
  std::string name_;
};

}  // namespace

bool TimeZoneInfo::observes_daylight() const {
  return daylight_start.month != 0 && standard_start.month != 0 && daylight_bias != standard_bias;
}

std::string TimeZoneInfo::display_name() const {
  if (!key_name.empty()) return key_name;
  if (!standard_name.empty() && standard_name[0] != '@') return standard_name;
  return utc_offset_text(-(bias + standard_bias));
}

std::string utc_offset_text(int offset_minutes) {
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "UTC%c%02d:%02d", offset_minutes < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return buffer;
}

TimeZone::TimeZone(std::shared_ptr<const Rules> rules) : rules_(std::move(rules)) {}

TimeZone TimeZone::utc() { return TimeZone(std::make_shared<UtcRules>()); }

TimeZone TimeZone::from_windows(const TimeZoneInfo& info) { return TimeZone(std::make_shared<WindowsRules>(info)); }

TimeZone TimeZone::from_iana(const std::string& name) {
  if (name == "UTC" || name == "Z") return utc();
  try {
    return TimeZone(std::make_shared<IanaRules>(date::locate_zone(name)));
  } catch (const std::exception& error) {
    throw Error("--tz " + name, std::string("unknown time zone (") + error.what() + ")");
  }
}

const std::string& TimeZone::name() const { return rules_->name(); }

TimeZone::Period TimeZone::at(std::uint64_t filetime) const { return rules_->at(to_unix_seconds(filetime)); }

std::string TimeZone::describe() const { return rules_->describe(); }

}  // namespace regpersist
