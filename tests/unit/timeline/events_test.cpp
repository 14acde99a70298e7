// Findings become events: one per plausible time, provenance carried over, none for a finding
// without a valid time; events sort reproducibly.
#include <gtest/gtest.h>

#include "hive_builder.h"
#include "regpersist/event.h"

namespace regpersist {
namespace {

using testsupport::filetime;

Finding task_finding() {
  Finding finding;
  finding.rule_id = "taskcache-tasks";
  finding.techniques = {"T1053.005", "T1053"};
  finding.technique_name = "Scheduled Task";
  finding.category = "Scheduled tasks";
  finding.evidence = "case.E01";
  finding.hive_type = HiveType::software;
  finding.hive_path = "case.E01:/Windows/System32/config/SOFTWARE";
  finding.hive_sha256 = std::string(64, 'a');
  finding.host = "WKS-07";
  finding.key_path = "Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{1}";
  finding.plaso_key_path = "HKEY_LOCAL_MACHINE\\Software\\" + finding.key_path;
  finding.value_name = "Actions";
  finding.data = "C:\\Users\\Public\\u.exe -k";
  finding.details = {{"task_name", "\\Updater"}};
  finding.control_set = "";
  finding.provenance = Provenance::deleted;
  finding.last_written = filetime(2021, 3, 29, 22, 14, 5);
  finding.other_times = {{filetime(2021, 3, 29, 22, 14, 0), "Last registered Time"},
                         {filetime(2021, 3, 30, 1, 0), "Launch Time"},
                         {0, "Last Completed Time"}};
  finding.reasons = {"user_writable_path"};
  return finding;
}

TEST(EventsFromFinding, OneEventPerPlausibleTime) {
  const auto events = events_from_finding(task_finding());
  ASSERT_EQ(events.size(), 3u);  // the zero "Last Completed Time" is no event
  EXPECT_EQ(events[0].timestamp_desc, "Content Modification Time");
  EXPECT_EQ(events[0].filetime, filetime(2021, 3, 29, 22, 14, 5));
  EXPECT_EQ(events[1].timestamp_desc, "Last registered Time");
  EXPECT_EQ(events[2].timestamp_desc, "Launch Time");
  EXPECT_EQ(events[2].filetime, filetime(2021, 3, 30, 1, 0));
}

TEST(EventsFromFinding, CarriesProvenanceAndTechnique) {
  const Event event = events_from_finding(task_finding()).front();
  EXPECT_EQ(event.key_path,
            "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\"
            "TaskCache\\Tasks\\{1}");
  EXPECT_EQ(event.message,
            "[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{1}] "
            "Actions: C:\\Users\\Public\\u.exe -k (T1053.005 Scheduled Task) suspicious: user_writable_path");
  EXPECT_EQ(event.values, "Actions: C:\\Users\\Public\\u.exe -k");
  EXPECT_EQ(event.data_type, "windows:registry:persistence");
  EXPECT_EQ(event.parser, "regpersist/scan");
  EXPECT_EQ(event.technique, "T1053.005");
  EXPECT_EQ(event.technique_name, "Scheduled Task");
  EXPECT_EQ(event.rule_id, "taskcache-tasks");
  EXPECT_EQ(event.hive_type, "SOFTWARE");
  EXPECT_EQ(event.host, "WKS-07");
  EXPECT_EQ(event.evidence, "case.E01");
  EXPECT_EQ(event.provenance, "deleted");
  EXPECT_TRUE(event.suspicious);
  EXPECT_EQ(event.reasons, std::vector<std::string>{"user_writable_path"});
  EXPECT_EQ(event.details.at("task_name"), "\\Updater");
  EXPECT_EQ(event.source_long, "Scheduled tasks Registry Key");
}

TEST(EventsFromFinding, NoPlausibleTimeNoEvent) {
  Finding finding = task_finding();
  finding.last_written = 0;
  finding.other_times = {{filetime(1601, 1, 2), "Launch Time"}};
  EXPECT_TRUE(events_from_finding(finding).empty());
}

TEST(EventsFromFinding, HiveRelativePathWithoutPlasoForm) {
  Finding finding = task_finding();
  finding.plaso_key_path.clear();
  finding.value_name.clear();
  finding.data.clear();
  finding.reasons.clear();
  const Event event = events_from_finding(finding).front();
  EXPECT_EQ(event.key_path, finding.key_path);
  EXPECT_EQ(event.message, "[" + finding.key_path + "] (T1053.005 Scheduled Task)");
  EXPECT_EQ(event.values, "");
  EXPECT_FALSE(event.suspicious);
}

TEST(EventsFromFinding, LongDataKeepsTheMessageShortAndValid) {
  Finding finding = task_finding();
  finding.data = std::string(5000, 'x') + "\xc3\xa9";
  const Event event = events_from_finding(finding).front();
  EXPECT_LE(event.message.size(), 2048u + 3u);
  EXPECT_TRUE(event.message.ends_with("..."));
  EXPECT_EQ(event.data.size(), 5002u);  // the full data stays in its own field
}

TEST(SortEvents, ByTimeThenHiveThenKey) {
  std::vector<Event> events(3);
  events[0].filetime = 30;
  events[1].filetime = 10;
  events[1].key_path = "b";
  events[2].filetime = 10;
  events[2].key_path = "a";
  sort_events(events);
  EXPECT_EQ(events[0].key_path, "a");
  EXPECT_EQ(events[1].key_path, "b");
  EXPECT_EQ(events[2].filetime, 30u);
}

TEST(EventFormat, NamesRoundTrip) {
  for (const auto& name : event_format_names()) EXPECT_TRUE(parse_event_format(name).has_value()) << name;
  EXPECT_EQ(event_format_names().size(), 6u);
  EXPECT_EQ(parse_event_format("l2tcsv"), EventFormat::l2tcsv);
  EXPECT_FALSE(parse_event_format("xml").has_value());
}

}  // namespace
}  // namespace regpersist
