// `--progress=json`, the wrappers' progress contract: on stderr, one JSON object per line with
// exactly phase, evidence, volume, hive, bytes_done and bytes_total; every hive read from an image is
// reported with its volume and finished with bytes_done == bytes_total; scan and keys report their
// phases; the events come even with --quiet and never touch stdout; --progress=none prints none.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "generated_images.h"
#include "testdata.h"

namespace regpersist {
namespace {

using testsupport::generated_images;
using testsupport::run_command;

std::string binary() { return testsupport::regpersist_binary().string(); }

// The progress events of a run's stderr (lines starting with '{'), each checked against the contract.
std::vector<nlohmann::json> progress_events(const std::string& err) {
  std::vector<nlohmann::json> events;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    const auto event = nlohmann::json::parse(line);
    std::set<std::string> keys;
    for (const auto& item : event.items()) keys.insert(item.key());
    EXPECT_EQ(keys, (std::set<std::string>{"phase", "evidence", "volume", "hive", "bytes_done", "bytes_total"}))
        << line;
    EXPECT_TRUE(event["bytes_done"].is_number_unsigned() && event["bytes_total"].is_number_unsigned()) << line;
    EXPECT_LE(event["bytes_done"].get<std::uint64_t>(), event["bytes_total"].get<std::uint64_t>()) << line;
    events.push_back(event);
  }
  return events;
}

std::set<std::string> finished_reads(const std::vector<nlohmann::json>& events) {
  std::set<std::string> hives;
  for (const auto& event : events) {
    if (event["phase"] == "read" && event["bytes_done"] == event["bytes_total"])
      hives.insert(event["hive"].get<std::string>());
  }
  return hives;
}

TEST(ProgressJson, ImageReadsNameTheVolumeAndFinishEveryHive) {
  const auto image = (generated_images().images / "disk-gpt.E01").string();
  const auto result = run_command({binary(), "hives", "--progress=json", "-q", image});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto events = progress_events(result.err);
  ASSERT_FALSE(events.empty()) << result.err;
  EXPECT_EQ(events.front()["phase"], "volume");
  for (const auto& event : events) {
    EXPECT_EQ(event["evidence"], image);
    EXPECT_TRUE(event["volume"].is_string()) << event.dump();
  }
  std::set<std::string> expected;
  for (const auto& hive : generated_images().tree.hives) expected.insert("/" + hive);
  const auto read = finished_reads(events);
  for (const auto& hive : expected) EXPECT_TRUE(read.contains(hive)) << hive << "\n" << result.err;
}

TEST(ProgressJson, ScanReportsReadsOfAFolderThenTheScanAndKeepsStdoutClean) {
  const auto& tree = generated_images().tree;
  const auto result = run_command({binary(), "scan", "--progress=json", "--format", "jsonl", "-q", tree.root.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto events = progress_events(result.err);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["phase"], "scan");
  EXPECT_TRUE(events.front()["volume"].is_null());
  EXPECT_TRUE(finished_reads(events).contains((tree.root / tree.hives.front()).string()));
  EXPECT_EQ(result.out.find("\"phase\""), std::string::npos);
}

TEST(ProgressJson, KeysReportsTheReadThenTheTimelineOfEachHive) {
  const auto& tree = generated_images().tree;
  const auto system_hive = (tree.root / "Windows/System32/config/SYSTEM").string();
  const auto result = run_command({binary(), "keys", "--progress", "json", "-o", "/dev/null", system_hive});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto events = progress_events(result.err);
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(finished_reads(events).contains(system_hive)) << result.err;
  EXPECT_EQ(events.back()["phase"], "keys");
  EXPECT_EQ(events.back()["hive"], system_hive);
}

TEST(ProgressJson, NoneAndUnknownModes) {
  const auto image = (generated_images().images / "disk-gpt.vhd").string();
  const auto none = run_command({binary(), "hives", "--progress=none", image});
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_TRUE(progress_events(none.err).empty()) << none.err;
  const auto bad = run_command({binary(), "hives", "--progress=xml", image});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("--progress"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace regpersist
