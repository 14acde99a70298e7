// The after-hours rule: office hours and workdays, judging each event in local time (the
// machine's own rules or --tz), and the run summary that counts after-hours events per technique.
#include <array>
#include <chrono>
#include <cstdio>

#include "regpersist/error.h"
#include "regpersist/event.h"
#include "regpersist/filetime.h"
#include "regpersist/timezone.h"
#include "regpersist/value.h"
#include "timeline/text.h"

namespace regpersist {

namespace {

constexpr std::array<std::string_view, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr int kMinutesPerDay = 24 * 60;

int day_index(std::string_view name, std::string_view whole) {
  for (std::size_t i = 0; i < kDayNames.size(); ++i)
    if (iequals(name, kDayNames[i])) return static_cast<int>(i);
  throw Error("--workdays", "'" + std::string(whole) + "': expected day names like Mon-Fri or Mon,Wed,Sat");
}

// "08:00" -> 480; "24:00" allowed as an end.
int minute_of_day(std::string_view text, std::string_view whole) {
  unsigned hour = 0;
  unsigned minute = 0;
  char tail = 0;
  const std::string copy(text);
  if (text.size() != 5 || std::sscanf(copy.c_str(), "%2u:%2u%c", &hour, &minute, &tail) != 2 || minute > 59 ||
      hour * 60 + minute > kMinutesPerDay)
    throw Error("--office-hours", "'" + std::string(whole) + "': expected HH:MM-HH:MM, e.g. 08:00-18:00");
  return static_cast<int>(hour * 60 + minute);
}

std::string clock_text(int minutes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

bool is_workday(const OfficeHours& hours, int day) { return (hours.workdays >> day) & 1u; }

// "Mon-Fri", "Sun-Thu", "Mon,Wed,Sat": runs of consecutive days, starting after a day off.
std::string workdays_text(const OfficeHours& hours) {
  int start = -1;
  for (int day = 0; day < 7 && start < 0; ++day)
    if (is_workday(hours, day) && !is_workday(hours, (day + 6) % 7)) start = day;
  if (start < 0) return hours.workdays ? "Sun-Sat" : "no workdays";
  std::vector<std::string> runs;
  for (int offset = 0; offset < 7;) {
    const int first = (start + offset) % 7;
    if (!is_workday(hours, first)) {
      ++offset;
      continue;
    }
    int length = 1;
    while (offset + length < 7 && is_workday(hours, (first + length) % 7)) ++length;
    const int last = (first + length - 1) % 7;
    runs.push_back(std::string(kDayNames[first]) + (length > 1 ? "-" + std::string(kDayNames[last]) : ""));
    offset += length;
  }
  return join(runs, ",");
}

bool within_hours(const OfficeHours& hours, int minute) {
  if (hours.start_minute <= hours.end_minute) return minute >= hours.start_minute && minute < hours.end_minute;
  return minute >= hours.start_minute || minute < hours.end_minute;  // a night shift, e.g. 22:00-06:00
}

struct LocalClock {
  int weekday = 0;  // 0 = Sunday
  int minute = 0;   // of the day
};

LocalClock local_clock(std::uint64_t filetime, int offset_minutes) {
  using namespace std::chrono;
  const auto seconds = filetime_to_unix_micros(filetime) / 1'000'000 + std::int64_t{offset_minutes} * 60;
  const sys_seconds instant{std::chrono::seconds{seconds}};
  const auto day = floor<days>(instant);
  return {static_cast<int>(weekday{day}.c_encoding()), static_cast<int>((instant - day) / minutes{1})};
}

std::string summary_label(const Event& event) {
  if (!event.technique.empty()) return event.technique + " " + event.technique_name;
  if (!event.category.empty()) return event.category;
  return event.data_type;
}

}  // namespace

std::string OfficeHours::describe() const {
  return clock_text(start_minute) + "-" + clock_text(end_minute) + " " + workdays_text(*this);
}

OfficeHours parse_office_hours(std::string_view hours_text, std::string_view workdays_text_in) {
  OfficeHours hours;
  const auto dash = hours_text.find('-');
  if (dash == std::string_view::npos)
    throw Error("--office-hours", "'" + std::string(hours_text) + "': expected HH:MM-HH:MM, e.g. 08:00-18:00");
  hours.start_minute = minute_of_day(hours_text.substr(0, dash), hours_text);
  hours.end_minute = minute_of_day(hours_text.substr(dash + 1), hours_text);
  if (hours.start_minute == hours.end_minute)
    throw Error("--office-hours", "'" + std::string(hours_text) + "': start and end are the same");
  hours.workdays = 0;
  std::string_view rest = workdays_text_in;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto range_dash = item.find('-');
    const int first = day_index(item.substr(0, range_dash), workdays_text_in);
    const int last =
        range_dash == std::string_view::npos ? first : day_index(item.substr(range_dash + 1), workdays_text_in);
    for (int day = first;; day = (day + 1) % 7) {
      hours.workdays = static_cast<std::uint8_t>(hours.workdays | (1u << day));
      if (day == last) break;
    }
  }
  if (hours.workdays == 0) throw Error("--workdays", "no workdays given");
  return hours;
}

void mark_after_hours(std::vector<Event>& events, const OfficeHours& hours, const TimeZone& zone) {
  const std::string window = hours.describe();
  for (auto& event : events) {
    const TimeZone::Period period = zone.at(event.filetime);
    const LocalClock clock = local_clock(event.filetime, period.offset_minutes);
    event.after_hours = !is_workday(hours, clock.weekday) || !within_hours(hours, clock.minute);
    event.after_hours_reason =
        event.after_hours ? std::string(kDayNames[clock.weekday]) + " " + clock_text(clock.minute) + " local (" +
                                utc_offset_text(period.offset_minutes) + " " + period.name + "), outside " + window
                          : "";
  }
}

void write_summary(std::ostream& out, const std::vector<Event>& events, const TimeZone& zone,
                   const OfficeHours& hours) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_label;  // label -> (after hours, all)
  std::size_t suspicious = 0;
  std::size_t after_hours = 0;
  for (const auto& event : events) {
    auto& counts = by_label[summary_label(event)];
    ++counts.second;
    if (event.after_hours) ++counts.first, ++after_hours;
    if (event.suspicious) ++suspicious;
  }
  out << "time zone: " << zone.describe() << "\n"
      << "office hours: " << hours.describe() << " local time\n"
      << "events: " << events.size() << ", suspicious: " << suspicious << ", after hours: " << after_hours << "\n";
  for (const auto& [label, counts] : by_label)
    out << "  " << escape_for_terminal(label) << ": " << counts.first << " of " << counts.second << " after hours\n";
}

}  // namespace regpersist
