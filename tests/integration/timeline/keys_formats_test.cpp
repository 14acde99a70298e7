// `regpersist keys` in every timeline format: the bodyfile read back by mactime (sleuthkit), JSONL and
// CSV checked against Timesketch's import requirements on real and hostile hives, office hours judged
// in the machine's own time zone from its SYSTEM hive, and bad option values.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "regpersist/filetime.h"
#include "testdata.h"
#include "unit/timeline/timeline_test_support.h"

namespace regpersist {
namespace {

using testsupport::corpus_file;
using testsupport::filetime;
using testsupport::run_command;
using namespace timeline_test;

// A key name with a formula, every format's separators and a terminal escape (valid UTF-8, no '\\').
const std::string kHostileKeyName = "=cmd|' /C calc'!A0,\"x\"\n\x1b[31mred%41";

// A SYSTEM hive in W. Europe time with keys on both sides of the 2021 spring change, one with a
// hostile name.
std::string built_system(const std::string& name) {
  auto builder = system_hive(w_europe(), "WKS-07");
  builder.key("ControlSet001\\Services\\Updater", filetime(2021, 3, 26, 16, 30));  // Fri 17:30 CET: inside
  builder.key("ControlSet001\\Services\\Nightly", filetime(2021, 3, 29, 16, 30));  // Mon 18:30 CEST: after
  builder.key("ControlSet001\\Services\\" + kHostileKeyName, filetime(2021, 3, 29, 9));
  const auto file = testsupport::scratch_dir(name) / "SYSTEM";
  builder.write(file);
  return file.string();
}

testsupport::CommandResult keys(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), {testsupport::regpersist_binary().string(), "keys"});
  return run_command(arguments);
}

nlohmann::json record_of(const std::string& jsonl, const std::string& key_suffix) {
  for (const auto& line : lines_of(jsonl)) {
    auto record = nlohmann::json::parse(line);
    if (record["key_path"].get<std::string>().ends_with(key_suffix)) return record;
  }
  return {};
}

TEST(KeysFormats, BodyfileReadBackByMactime) {
  const std::string hive = built_system("keys_mactime");
  const auto body = testsupport::scratch_dir("keys_mactime_out") / "system.body";
  ASSERT_EQ(keys({hive, "--format", "bodyfile", "-o", body.string()}).exit_code, 0);
  const auto result = run_command({"mactime", "-b", body.string(), "-d", "-y", "-z", "UTC", "2000-01-01..2030-01-01"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  auto has = [&](const std::string& line) { return std::find(lines.begin(), lines.end(), line) != lines.end(); };
  EXPECT_TRUE(has("2021-03-26T16:30:00Z,0,m...,0,0,0,0,\"[REG] \\ControlSet001\\Services\\Updater\""));
  EXPECT_TRUE(has("2021-03-29T16:30:00Z,0,m...,0,0,0,0,\"[REG] \\ControlSet001\\Services\\Nightly\""));
  // The hostile name comes back whole (mactime decodes %XX): its '|' did not split the line, its '%'
  // was not decoded, and its line break and escape are shown as text.
  const auto hostile = std::find_if(lines.begin(), lines.end(),
                                    [](const std::string& line) { return line.starts_with("2021-03-29T09:00:00Z"); });
  ASSERT_NE(hostile, lines.end());
  EXPECT_NE(hostile->find("=cmd|' /C calc'!A0,\"\"x\"\"\\x0a\\x1b[31mred%41"), std::string::npos) << *hostile;
}

TEST(KeysFormats, BodyfileOfARealHiveKeepsEveryTime) {
  const auto body = testsupport::scratch_dir("keys_mactime_real") / "sam.body";
  ASSERT_EQ(keys({corpus_file("plaso/regf/SAM").string(), "--format", "bodyfile", "-o", body.string()}).exit_code, 0);
  const auto json = keys({corpus_file("plaso/regf/SAM").string(), "--format", "jsonl"});
  const auto result = run_command({"mactime", "-b", body.string(), "-d", "-y", "-z", "UTC", "2000-01-01..2030-01-01"});
  std::multiset<std::string> from_mactime;
  for (const auto& line : lines_of(result.out))
    if (line.find(",m...,") != std::string::npos) from_mactime.insert(line.substr(0, 19));
  std::multiset<std::string> from_jsonl;
  for (const auto& line : lines_of(json.out))
    from_jsonl.insert(nlohmann::json::parse(line)["datetime"].get<std::string>().substr(0, 19));
  EXPECT_EQ(from_mactime.size(), 76u);
  EXPECT_EQ(from_mactime, from_jsonl);
}

TEST(KeysFormats, JsonlMeetsTimesketchOnRealAndHostileHives) {
  for (const auto& hive : {corpus_file("plaso/NTUSER-RunTests.DAT").string(), corpus_file("regipy/SAM.xz").string(),
                           built_system("keys_timesketch")}) {
    SCOPED_TRACE(hive);
    const auto result = keys({hive, "--format", "jsonl"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    expect_timesketch_jsonl(result.out);
  }
}

TEST(KeysFormats, CsvMeetsTimesketch) {
  const auto result = keys({built_system("keys_csv_ts"), "--format", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  EXPECT_EQ(lines[0].rfind("datetime,timestamp,timestamp_desc,message,", 0), 0u);
  std::size_t rows = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(lines[i][0]))) continue;  // continuation of a quoted cell
    ++rows;
    EXPECT_TRUE(std::regex_search(lines[i], std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z,\d+,)"))) << lines[i];
  }
  EXPECT_EQ(rows, lines_of(keys({built_system("keys_csv_ts2"), "--format", "jsonl"}).out).size());
}

TEST(KeysFormats, OfficeHoursJudgedInTheMachinesOwnZone) {
  const auto result = keys({built_system("keys_after_hours"), "--format", "jsonl"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto updater = record_of(result.out, "\\Updater");
  const auto nightly = record_of(result.out, "\\Nightly");
  EXPECT_EQ(updater["after_hours"], false);
  EXPECT_EQ(nightly["after_hours"], true);
  EXPECT_EQ(nightly["after_hours_reason"],
            "Mon 18:30 local (UTC+02:00 W. Europe Daylight Time), outside 08:00-18:00 Mon-Fri");
  EXPECT_EQ(nightly["host"], "WKS-07");
  EXPECT_NE(result.err.find("time zone: W. Europe Standard Time (UTC+01:00, daylight saving UTC+02:00, from SYSTEM "
                            "ControlSet001\\Control\\TimeZoneInformation)"),
            std::string::npos)
      << result.err;
}

TEST(KeysFormats, TzAndOfficeHoursOverrideTheMachine) {
  const auto result = keys({built_system("keys_tz"), "--format", "jsonl", "--tz", "America/New_York", "--office-hours",
                            "09:00-17:00", "--workdays", "Sun-Thu"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Fri 2021-03-26 16:30 UTC = 12:30 EDT on a Friday: not a workday here.
  EXPECT_EQ(record_of(result.out, "\\Updater")["after_hours_reason"],
            "Fri 12:30 local (UTC-04:00 EDT), outside 09:00-17:00 Sun-Thu");
  EXPECT_EQ(record_of(result.out, "\\Nightly")["after_hours"], false);  // Mon 12:30 EDT
}

TEST(KeysFormats, TableIsTheTerminalDefaultAndJsonlThePipeDefault) {
  const std::string hive = built_system("keys_default_format");
  EXPECT_EQ(keys({hive}).out.front(), '{');
  const auto table = keys({hive, "--format", "table", "--tz", "Europe/Berlin"});
  EXPECT_TRUE(table.out.starts_with("TIME (Europe/Berlin)"));
  EXPECT_NE(table.out.find("2021-03-29 18:30:00 +02:00  Content Modification Time"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos);
}

TEST(KeysFormats, BadOptionValuesAreUsageErrors) {
  const std::string hive = built_system("keys_bad_options");
  const auto tz = keys({hive, "--tz", "Mars/Olympus_Mons"});
  EXPECT_EQ(tz.exit_code, 64);
  EXPECT_NE(tz.err.find("--tz Mars/Olympus_Mons: unknown time zone"), std::string::npos) << tz.err;
  EXPECT_TRUE(tz.out.empty());
  EXPECT_EQ(keys({hive, "--office-hours", "9-5"}).exit_code, 64);
  EXPECT_EQ(keys({hive, "--workdays", "Caturday"}).exit_code, 64);
  EXPECT_EQ(keys({hive, "--format", "xml"}).exit_code, 64);
}

}  // namespace
}  // namespace regpersist
