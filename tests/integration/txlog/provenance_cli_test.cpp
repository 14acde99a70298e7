// `keys` and `scan` on dirty hives and deleted data, through the CLI: transaction logs replayed by default
// (found beside the hive or given with --log) with "log" provenance on what the replay added, --no-logs for
// the primary file's own view, deleted keys and values as "deleted" events, and a deleted Run value as a
// scan finding with provenance "deleted" (--no-deleted turns that off).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "regpersist/base_block.h"
#include "support/hive_builder.h"
#include "support/testdata.h"
#include "txlog/bytes.h"
#include "unit/txlog/log_builder.h"

namespace regpersist {
namespace {

namespace fs = std::filesystem;
using testsupport::run_command;

const std::string kYarp = "yarp/hives_for_tests/";

std::vector<nlohmann::json> jsonl(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

std::vector<nlohmann::json> run_jsonl(std::vector<std::string> args) {
  args.insert(args.begin(), testsupport::regpersist_binary().string());
  args.insert(args.end(), {"--format", "jsonl", "-q"});
  const auto result = run_command(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return jsonl(result.out);
}

using KeyRow = std::tuple<std::string, std::string>;  // key path, datetime

// The live keys (allocated or log) of a `keys` run, and how many events have each provenance.
std::set<KeyRow> live_keys(const std::vector<nlohmann::json>& events) {
  std::set<KeyRow> keys;
  for (const auto& event : events)
    if (event["provenance"] != "deleted") keys.emplace(event["key_path"], event["datetime"]);
  return keys;
}

std::size_t count_provenance(const std::vector<nlohmann::json>& events, const std::string& provenance) {
  return static_cast<std::size_t>(std::count_if(events.begin(), events.end(),
                                                [&](const auto& event) { return event["provenance"] == provenance; }));
}

std::string dirty_hive() { return testsupport::corpus_file(kYarp + "NewDirtyHive1/NewDirtyHive").string(); }

TEST(KeysProvenance, DirtyHiveWithItsLogsGivesTheRecoveredHiveWithLogProvenance) {
  const auto replayed = run_jsonl({"keys", dirty_hive()});
  const auto recovered =
      run_jsonl({"keys", "--no-deleted", testsupport::corpus_file(kYarp + "NewDirtyHive1/RecoveredHive_Windows10")});
  EXPECT_EQ(live_keys(replayed), live_keys(recovered));
  EXPECT_TRUE(live_keys(replayed).contains({"\\Key3\\Key3_3", "2017-03-04T20:55:37.221691Z"}));
  EXPECT_EQ(count_provenance(replayed, "log"), 5u);  // the logs re-timed or added every key
  EXPECT_GT(count_provenance(replayed, "deleted"), 0u);
}

TEST(KeysProvenance, NoLogsGivesThePrimaryFilesView) {
  const auto primary = run_jsonl({"keys", "--no-logs", "--no-deleted", dirty_hive()});
  EXPECT_EQ(count_provenance(primary, "log"), 0u);
  EXPECT_EQ(count_provenance(primary, "deleted"), 0u);
  EXPECT_TRUE(live_keys(primary).contains({"\\Key1", "2017-03-04T20:52:03.503027Z"}));  // gone after the replay
  EXPECT_FALSE(live_keys(primary).contains({"\\Key3\\Key3_3", "2017-03-04T20:55:37.221691Z"}));
  const auto result = run_command({testsupport::regpersist_binary().string(), "keys", "--no-logs", dirty_hive()});
  EXPECT_NE(result.err.find("hive is dirty"), std::string::npos) << result.err;
}

TEST(KeysProvenance, LogGivenWithAnotherNameJoinsTheDirtyHive) {
  const auto dir = testsupport::scratch_dir("provenance-explicit-log");
  const auto folder = testsupport::corpus_file(kYarp + "NewDirtyHive1");
  fs::copy_file(folder / "NewDirtyHive", dir / "hive", fs::copy_options::overwrite_existing);
  fs::copy_file(folder / "NewDirtyHive.LOG1", dir / "first.bin", fs::copy_options::overwrite_existing);
  fs::copy_file(folder / "NewDirtyHive.LOG2", dir / "second.bin", fs::copy_options::overwrite_existing);
  const auto without = run_jsonl({"keys", "--no-deleted", (dir / "hive").string()});
  EXPECT_EQ(count_provenance(without, "log"), 0u);
  const auto with = run_jsonl({"keys", "--no-deleted", (dir / "hive").string(), "--log", (dir / "first.bin").string(),
                               "--log", (dir / "second.bin").string()});
  EXPECT_EQ(live_keys(with), live_keys(run_jsonl({"keys", "--no-deleted", dirty_hive()})));
  EXPECT_EQ(count_provenance(with, "log"), 5u);
}

TEST(KeysProvenance, DeletedDataHiveShowsTheDeletedKeyAndValue) {
  const auto events = run_jsonl({"keys", testsupport::corpus_file(kYarp + "DeletedDataHive").string()});
  std::set<std::tuple<std::string, std::string, std::string>> deleted;
  for (const auto& event : events)
    if (event["provenance"] == "deleted") deleted.emplace(event["key_path"], event["value_name"], event["datetime"]);
  EXPECT_TRUE(deleted.contains({"\\456", "", "2017-03-20T21:15:37.980294Z"}));
  EXPECT_TRUE(deleted.contains({"\\123", "v2", "2017-03-20T21:15:44.207156Z"}));
  const auto off = run_jsonl({"keys", "--no-deleted", testsupport::corpus_file(kYarp + "DeletedDataHive").string()});
  EXPECT_EQ(count_provenance(off, "deleted"), 0u);
}

void write_file(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

const std::string kRun = "Microsoft\\Windows\\CurrentVersion\\Run";

// A SOFTWARE hive (Classes and Microsoft at its root) with OneDrive in its Run key.
testsupport::HiveBuilder software_with_one_run_value() {
  testsupport::HiveBuilder builder("ROOT");
  builder.key("Classes")
      .key(kRun, testsupport::filetime(2024, 2, 3, 23, 10, 0))
      .sz(kRun, "OneDrive", "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe");
  return builder;
}

// A SOFTWARE hive whose Run key had two values; the second was deleted: Windows shortens the value list and
// the value's offset stays behind in the list's slack.
fs::path software_with_deleted_run_value() {
  testsupport::HiveBuilder builder = software_with_one_run_value();
  builder.sz(kRun, "Updater", "C:\\Users\\Public\\updater.exe");
  auto hive = builder.build();
  const std::size_t value_count = kBaseBlockSize + builder.key_offsets().at(kRun) + 4 + 36;
  put_le32(hive, value_count, 1);
  const auto path = testsupport::scratch_dir("provenance-deleted-run") / "SOFTWARE";
  write_file(path, hive);
  return path;
}

TEST(ScanProvenance, DeletedRunValueIsAFindingWithDeletedProvenance) {
  const auto hive = software_with_deleted_run_value().string();
  std::map<std::string, nlohmann::json> run_values;
  for (const auto& event : run_jsonl({"scan", hive}))
    if (event["rule_id"] == "run-hklm") run_values[event["value_name"]] = event;
  ASSERT_TRUE(run_values.contains("Updater"));
  EXPECT_EQ(run_values["Updater"]["provenance"], "deleted");
  EXPECT_EQ(run_values["Updater"]["data"], "C:\\Users\\Public\\updater.exe");
  EXPECT_EQ(run_values["Updater"]["datetime"], "2024-02-03T23:10:00.000000Z");
  EXPECT_EQ(run_values["Updater"]["hive_sha256"], run_values["OneDrive"]["hive_sha256"]);
  EXPECT_EQ(run_values["Updater"]["hive_path"], hive);
  EXPECT_FALSE(run_values["Updater"]["reasons"].empty());  // decoded and flagged as usual
  EXPECT_EQ(run_values["OneDrive"]["provenance"], "allocated");
  for (const auto& event : run_jsonl({"scan", "--no-deleted", hive})) EXPECT_NE(event["value_name"], "Updater");
}

// A dirty SOFTWARE hive whose .LOG1 adds a Run value (the primary file alone does not have it).
fs::path software_with_run_value_in_its_log() {
  testsupport::HiveBuilder builder = software_with_one_run_value();
  builder.sequences(3, 2);
  const auto before = builder.build();
  builder.sz(kRun, "Planted", "C:\\Users\\Public\\planted.exe");
  const auto after = builder.build();
  const auto dir = testsupport::scratch_dir("provenance-log-run");
  write_file(dir / "SOFTWARE", before);
  write_file(
      dir / "SOFTWARE.LOG1",
      testsupport::new_format_log(before, 2, {{2, testsupport::hive_bins_size(after), testsupport::all_pages(after)}}));
  return dir / "SOFTWARE";
}

TEST(ScanProvenance, RunValueAddedByTheLogIsAFindingWithLogProvenance) {
  const auto hive = software_with_run_value_in_its_log().string();
  std::map<std::string, std::string> provenance;
  for (const auto& event : run_jsonl({"scan", hive}))
    if (event["rule_id"] == "run-hklm") provenance[event["value_name"]] = event["provenance"];
  EXPECT_EQ(provenance["Planted"], "log");
  EXPECT_EQ(provenance["OneDrive"], "allocated");
  for (const auto& event : run_jsonl({"scan", "--no-logs", hive})) EXPECT_NE(event["value_name"], "Planted");
}

}  // namespace
}  // namespace regpersist
