// The after-hours rule: office hours parsing, local-time judgement across daylight-saving changes in
// non-UTC zones, and the per-technique summary.
#include <gtest/gtest.h>

#include <sstream>

#include "regpersist/error.h"
#include "regpersist/event.h"
#include "regpersist/timezone.h"
#include "unit/timeline/timeline_test_support.h"

namespace regpersist {
namespace {

using testsupport::filetime;
using namespace timeline_test;

Event event_at(std::uint64_t time, std::string technique = "T1547.001") {
  Event event;
  event.filetime = time;
  event.technique = std::move(technique);
  event.technique_name = "Registry Run Keys / Startup Folder";
  return event;
}

std::vector<Event> judged(std::vector<Event> events, const TimeZoneInfo& zone) {
  mark_after_hours(events, OfficeHours{}, TimeZone::from_windows(zone));
  return events;
}

TEST(OfficeHours, ParsesHoursAndWorkdays) {
  const OfficeHours hours = parse_office_hours("07:30-19:00", "Sun-Thu");
  EXPECT_EQ(hours.start_minute, 450);
  EXPECT_EQ(hours.end_minute, 1140);
  EXPECT_EQ(hours.workdays, 0b0011111);
  EXPECT_EQ(hours.describe(), "07:30-19:00 Sun-Thu");
  EXPECT_EQ(parse_office_hours("08:00-18:00", "mon,wed,FRI").describe(), "08:00-18:00 Mon,Wed,Fri");
  EXPECT_EQ(parse_office_hours("22:00-06:00", "Fri-Mon").describe(), "22:00-06:00 Fri-Mon");
  EXPECT_EQ(OfficeHours{}.describe(), "08:00-18:00 Mon-Fri");
}

TEST(OfficeHours, RejectsBadText) {
  EXPECT_THROW(parse_office_hours("8-18", "Mon-Fri"), Error);
  EXPECT_THROW(parse_office_hours("08:00-25:00", "Mon-Fri"), Error);
  EXPECT_THROW(parse_office_hours("08:00-08:00", "Mon-Fri"), Error);
  EXPECT_THROW(parse_office_hours("08:00-18:00", "Montag"), Error);
  EXPECT_THROW(parse_office_hours("08:00-18:00", ""), Error);
}

// Berlin, spring 2021: DST starts Sunday 28 March. The same UTC clock time is inside office hours in
// one week and outside in the next, only because of the change.
TEST(AfterHours, AcrossTheSpringChangeInWestEurope) {
  const auto events = judged({event_at(filetime(2021, 3, 26, 6, 30)),   // Fri 07:30 CET: before 08:00
                              event_at(filetime(2021, 3, 29, 6, 30)),   // Mon 08:30 CEST: inside
                              event_at(filetime(2021, 3, 26, 16, 30)),  // Fri 17:30 CET: inside
                              event_at(filetime(2021, 3, 29, 16, 30)),  // Mon 18:30 CEST: after
                              event_at(filetime(2021, 3, 28, 10, 0))},  // Sunday
                             w_europe());
  EXPECT_TRUE(events[0].after_hours);
  EXPECT_EQ(events[0].after_hours_reason,
            "Fri 07:30 local (UTC+01:00 W. Europe Standard Time), outside 08:00-18:00 Mon-Fri");
  EXPECT_FALSE(events[1].after_hours);
  EXPECT_EQ(events[1].after_hours_reason, "");
  EXPECT_FALSE(events[2].after_hours);
  EXPECT_TRUE(events[3].after_hours);
  EXPECT_EQ(events[3].after_hours_reason,
            "Mon 18:30 local (UTC+02:00 W. Europe Daylight Time), outside 08:00-18:00 Mon-Fri");
  EXPECT_TRUE(events[4].after_hours);
}

// Los Angeles, autumn 2021: DST ends Sunday 7 November.
TEST(AfterHours, AcrossTheAutumnChangeInPacific) {
  const auto events = judged({event_at(filetime(2021, 11, 5, 15, 30)),  // Fri 08:30 PDT: inside
                              event_at(filetime(2021, 11, 8, 15, 30)),  // Mon 07:30 PST: before 08:00
                              event_at(filetime(2021, 11, 9, 1, 30))},  // Mon 17:30 PST: inside
                             pacific());
  EXPECT_FALSE(events[0].after_hours);
  EXPECT_TRUE(events[1].after_hours);
  EXPECT_EQ(events[1].after_hours_reason,
            "Mon 07:30 local (UTC-08:00 Pacific Standard Time), outside 08:00-18:00 Mon-Fri");
  EXPECT_FALSE(events[2].after_hours);
}

TEST(AfterHours, LocalDayDecidesTheWorkday) {
  // Friday 23:30 UTC is Saturday 09:30 in Sydney (AEDT, UTC+11): a weekend, not a workday.
  const auto events = judged({event_at(filetime(2021, 11, 19, 22, 30))}, aus_eastern());
  EXPECT_TRUE(events[0].after_hours);
  EXPECT_EQ(events[0].after_hours_reason,
            "Sat 09:30 local (UTC+11:00 AUS Eastern Daylight Time), outside 08:00-18:00 Mon-Fri");
}

TEST(AfterHours, NightShiftWindowAndIanaZone) {
  std::vector<Event> events = {event_at(filetime(2021, 6, 7, 21, 0)), event_at(filetime(2021, 6, 7, 12, 0))};
  mark_after_hours(events, parse_office_hours("22:00-06:00", "Mon-Sun"), TimeZone::from_iana("Europe/Paris"));
  EXPECT_FALSE(events[0].after_hours);  // 23:00 CEST
  EXPECT_TRUE(events[1].after_hours);   // 14:00 CEST
  EXPECT_EQ(events[1].after_hours_reason, "Mon 14:00 local (UTC+02:00 CEST), outside 22:00-06:00 Sun-Sat");
}

TEST(AfterHours, SummaryCountsPerTechnique) {
  auto events = judged({event_at(filetime(2021, 3, 29, 6, 30)), event_at(filetime(2021, 3, 28, 10, 0)),
                        event_at(filetime(2021, 3, 27, 10, 0), "T1543.003")},
                       w_europe());
  events[2].technique_name = "Windows Service";
  events[0].suspicious = true;
  std::ostringstream out;
  write_summary(out, events, TimeZone::from_windows(w_europe()), OfficeHours{});
  EXPECT_EQ(out.str(),
            "time zone: W. Europe Standard Time (UTC+01:00, daylight saving UTC+02:00)\n"
            "office hours: 08:00-18:00 Mon-Fri local time\n"
            "events: 3, suspicious: 1, after hours: 2\n"
            "  T1543.003 Windows Service: 1 of 1 after hours\n"
            "  T1547.001 Registry Run Keys / Startup Folder: 1 of 2 after hours\n");
}

}  // namespace
}  // namespace regpersist
