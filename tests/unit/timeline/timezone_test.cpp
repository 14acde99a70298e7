// Time zones: the Windows rule engine against the IANA database hour by hour, reading
// TimeZoneInformation from a SYSTEM hive, and the offset text.
#include "regpersist/timezone.h"

#include <gtest/gtest.h>

#include "regpersist/filetime.h"
#include "regpersist/timeline.h"
#include "unit/timeline/timeline_test_support.h"

namespace regpersist {
namespace {

using testsupport::filetime;
using namespace timeline_test;

// Every hour of 2019-2024 (transitions included) gets the same UTC offset from the machine's stored
// rule as from the IANA zone that follows the same rule in those years.
void expect_same_offsets(const TimeZoneInfo& windows, const std::string& iana) {
  const TimeZone ours = TimeZone::from_windows(windows);
  const TimeZone reference = TimeZone::from_iana(iana);
  int daylight_hours = 0;
  for (std::uint64_t t = filetime(2019, 1, 1); t < filetime(2025, 1, 1); t += 3600 * kTicksPerSecond) {
    const auto ours_period = ours.at(t);
    ASSERT_EQ(ours_period.offset_minutes, reference.at(t).offset_minutes) << iana << " at " << filetime_to_iso(t);
    ASSERT_EQ(ours_period.daylight, reference.at(t).daylight) << iana << " at " << filetime_to_iso(t);
    daylight_hours += ours_period.daylight;
  }
  EXPECT_GT(daylight_hours, 6 * 24 * 150) << "daylight saving must actually occur";
}

TEST(WindowsTimeZone, WestEuropeMatchesBerlinEveryHour) { expect_same_offsets(w_europe(), "Europe/Berlin"); }
TEST(WindowsTimeZone, PacificMatchesLosAngelesEveryHour) { expect_same_offsets(pacific(), "America/Los_Angeles"); }
TEST(WindowsTimeZone, SouthernHemisphereMatchesSydneyEveryHour) {
  expect_same_offsets(aus_eastern(), "Australia/Sydney");
}

TEST(WindowsTimeZone, TransitionInstantsAndPeriodNames) {
  const TimeZone zone = TimeZone::from_windows(w_europe());
  // 2021-03-28 02:00 CET = 01:00 UTC: the last second of standard time, then daylight.
  const auto before = zone.at(filetime(2021, 3, 28, 0, 59, 59));
  const auto after = zone.at(filetime(2021, 3, 28, 1, 0, 0));
  EXPECT_EQ(before.offset_minutes, 60);
  EXPECT_EQ(before.name, "W. Europe Standard Time");
  EXPECT_EQ(after.offset_minutes, 120);
  EXPECT_EQ(after.name, "W. Europe Daylight Time");
  // 2021-10-31 03:00 CEST = 01:00 UTC.
  EXPECT_EQ(zone.at(filetime(2021, 10, 31, 0, 59, 59)).offset_minutes, 120);
  EXPECT_EQ(zone.at(filetime(2021, 10, 31, 1, 0, 0)).offset_minutes, 60);
}

TEST(WindowsTimeZone, NoDaylightRuleMeansFixedOffset) {
  TimeZoneInfo india;
  india.key_name = "India Standard Time";
  india.bias = -330;
  const TimeZone zone = TimeZone::from_windows(india);
  EXPECT_EQ(zone.at(filetime(2021, 7, 1)).offset_minutes, 330);
  EXPECT_FALSE(zone.at(filetime(2021, 7, 1)).daylight);
  EXPECT_EQ(zone.describe(), "India Standard Time (UTC+05:30, no daylight saving)");
}

TEST(WindowsTimeZone, AbsoluteDateRuleAppliesOnlyInItsYear) {
  TimeZoneInfo info = w_europe();
  info.daylight_start = {2021, 3, 0, 28, 2, 0, 0};
  info.standard_start = {2021, 10, 0, 31, 3, 0, 0};
  const TimeZone zone = TimeZone::from_windows(info);
  EXPECT_EQ(zone.at(filetime(2021, 7, 1)).offset_minutes, 120);
  EXPECT_EQ(zone.at(filetime(2022, 7, 1)).offset_minutes, 60);
}

TEST(WindowsTimeZone, ReadFromTheActiveControlSetOfSystem) {
  const auto file = testsupport::scratch_dir("tz_read") / "SYSTEM";
  system_hive(pacific(), "WKS-07").write(file);
  Diagnostics diagnostics;
  const Hive hive = Hive::open_file(file, diagnostics);
  const auto info = read_time_zone(hive);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->key_name, "Pacific Standard Time");
  EXPECT_EQ(info->bias, 480);
  EXPECT_EQ(info->daylight_bias, -60);
  EXPECT_EQ(info->active_time_bias, 420);
  EXPECT_EQ(info->daylight_start.month, 3);
  EXPECT_EQ(info->daylight_start.day, 2);
  EXPECT_EQ(info->standard_start.month, 11);
  EXPECT_EQ(info->control_set, "ControlSet001");
  EXPECT_EQ(read_computer_name(hive), "WKS-07");
  EXPECT_EQ(TimeZone::from_windows(*info).describe(),
            "Pacific Standard Time (UTC-08:00, daylight saving UTC-07:00, from SYSTEM "
            "ControlSet001\\Control\\TimeZoneInformation)");
}

TEST(WindowsTimeZone, SystemWithoutTimeZoneInformation) {
  const auto file = testsupport::scratch_dir("tz_absent") / "SYSTEM";
  testsupport::HiveBuilder builder;
  builder.dword("Select", "Current", 1).key("ControlSet001\\Control");
  builder.write(file);
  Diagnostics diagnostics;
  const Hive hive = Hive::open_file(file, diagnostics);
  EXPECT_FALSE(read_time_zone(hive).has_value());
  EXPECT_EQ(read_computer_name(hive), "");
}

TEST(WindowsTimeZone, AbsurdBiasIsReportedAndIgnored) {
  TimeZoneInfo hostile = w_europe();
  hostile.bias = 0x7FFFFFFF;
  hostile.daylight_bias = -0x7FFFFFFF;
  const auto file = testsupport::scratch_dir("tz_hostile") / "SYSTEM";
  system_hive(hostile, "X").write(file);
  Diagnostics diagnostics;
  const Hive hive = Hive::open_file(file, diagnostics);
  const auto info = read_time_zone(hive);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->bias, 0);
  EXPECT_EQ(info->daylight_bias, 0);
  EXPECT_FALSE(info->observes_daylight());
  EXPECT_EQ(TimeZone::from_windows(*info).at(filetime(2021, 7, 1)).offset_minutes, 0);
  ASSERT_FALSE(diagnostics.all().empty());
  EXPECT_NE(diagnostics.all().front().message.find("Bias of 2147483647 minutes is beyond a day"), std::string::npos);
}

TEST(TimeZone, UnknownIanaNameIsAnError) {
  EXPECT_THROW(TimeZone::from_iana("Mars/Olympus_Mons"), Error);
  EXPECT_EQ(TimeZone::from_iana("Europe/Berlin").at(filetime(2021, 1, 1)).name, "CET");
}

TEST(TimeZone, OffsetText) {
  EXPECT_EQ(utc_offset_text(60), "UTC+01:00");
  EXPECT_EQ(utc_offset_text(-480), "UTC-08:00");
  EXPECT_EQ(utc_offset_text(330), "UTC+05:30");
  EXPECT_EQ(utc_offset_text(0), "UTC+00:00");
}

}  // namespace
}  // namespace regpersist
