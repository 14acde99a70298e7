// Transaction-log replay on yarp's test hives (shared testdata yarp/hives_for_tests, MANIFEST.md "Dirty hives
// and their logs"): the replayed hives equal the ones Windows itself repaired, and the bad-log sets fail the
// way the specification says, with a diagnostic naming the log. Also log discovery beside a hive.
#include <gtest/gtest.h>

#include <algorithm>

#include "integration/txlog/replay_support.h"
#include "regpersist/base_block.h"
#include "testdata.h"

namespace regpersist {
namespace {

using testsupport::corpus_file;
using testsupport::has_diagnostic;
using testsupport::replay_corpus_hive;
using testsupport::snapshot;

const std::string kYarp = "yarp/hives_for_tests/";

void expect_same_as_windows(const testsupport::Replayed& replayed, const std::string& reference) {
  Diagnostics diagnostics;
  const Hive ours = Hive::open_bytes(replayed.hive, "replayed", diagnostics);
  const Hive windows = Hive::open_file(corpus_file(kYarp + reference), diagnostics);
  const auto expected = snapshot(windows);
  EXPECT_EQ(snapshot(ours), expected);
  Diagnostics unreplayed_diagnostics;
  const Hive primary = Hive::open_bytes(replayed.primary, "primary", unreplayed_diagnostics);
  EXPECT_NE(snapshot(primary), expected);  // the comparison can tell replayed from unreplayed
}

TEST(YarpReplay, NewDirtyHive1EqualsTheHiveWindows10Recovered) {
  const auto replayed = replay_corpus_hive(kYarp + "NewDirtyHive1/NewDirtyHive");
  ASSERT_EQ(replayed.result.applied.size(), 2u);
  EXPECT_EQ(replayed.result.applied[0].name, "NewDirtyHive.LOG1");
  EXPECT_EQ(replayed.result.applied[0].first_sequence, 2u);
  EXPECT_EQ(replayed.result.applied[1].name, "NewDirtyHive.LOG2");
  EXPECT_EQ(replayed.result.applied[1].first_sequence, 3u);
  EXPECT_EQ(replayed.result.applied[1].last_sequence, 5u);
  EXPECT_EQ(replayed.result.applied[0].entries + replayed.result.applied[1].entries, 4u);
  EXPECT_TRUE(replayed.result.clean);
  expect_same_as_windows(replayed, "NewDirtyHive1/RecoveredHive_Windows10");
  // MANIFEST: "result equals RecoveredHive_Windows10 from offset 4096".
  const auto windows = testsupport::replay_corpus_hive(kYarp + "NewDirtyHive1/RecoveredHive_Windows10").primary;
  ASSERT_EQ(replayed.hive.size(), windows.size());
  EXPECT_TRUE(
      std::equal(replayed.hive.begin() + kBaseBlockSize, replayed.hive.end(), windows.begin() + kBaseBlockSize));
}

TEST(YarpReplay, NewDirtyHive2SkipsTheStaleLog1) {
  const auto replayed = replay_corpus_hive(kYarp + "NewDirtyHive2/NewDirtyHive");
  ASSERT_EQ(replayed.result.applied.size(), 1u);
  EXPECT_EQ(replayed.result.applied[0].name, "NewDirtyHive.LOG2");
  EXPECT_EQ(replayed.result.applied[0].entries, 3u);
  EXPECT_EQ(replayed.result.applied[0].last_sequence, 5u);
  EXPECT_TRUE(has_diagnostic(replayed.diagnostics, "NewDirtyHive2/NewDirtyHive.LOG1", "stale"));
  EXPECT_EQ(parse_base_block(replayed.hive, "h").primary_sequence, 5u);
}

TEST(YarpReplay, OldDirtyHiveEqualsTheHiveWindows7Recovered) {
  const auto replayed = replay_corpus_hive(kYarp + "OldDirtyHive/OldDirtyHive");
  ASSERT_EQ(replayed.result.applied.size(), 1u);
  EXPECT_EQ(replayed.result.applied[0].format, LogFormat::old_dirty_vector);
  EXPECT_EQ(replayed.result.applied[0].name, "OldDirtyHive.LOG1");
  EXPECT_TRUE(has_diagnostic(replayed.diagnostics, "OldDirtyHive.LOG2", "empty"));
  expect_same_as_windows(replayed, "OldDirtyHive/RecoveredHive_Windows7");
  Diagnostics diagnostics;
  const Hive ours = Hive::open_bytes(replayed.hive, "replayed", diagnostics);
  EXPECT_TRUE(ours.find("key_with_many_subkeys\\5000\\find_me_in_log"));
  EXPECT_FALSE(ours.find("key_with_many_subkeys\\1"));
  EXPECT_EQ(ours.find("key_with_many_subkeys\\4500")->value("V")->strings(),
            (std::vector<std::string>{"a", "bb", "ccc"}));
}

TEST(YarpReplay, BadBaseBlockIsRestoredFromTheOldFormatLog) {
  const auto replayed = replay_corpus_hive(kYarp + "BadBaseBlockHive/BadBaseBlockHive");
  EXPECT_TRUE(replayed.result.base_block_from_log);
  ASSERT_EQ(replayed.result.applied.size(), 1u);
  const BaseBlock base = parse_base_block(replayed.hive, "h");
  EXPECT_EQ(base.version(), "1.3");
  EXPECT_FALSE(base.dirty());
  Diagnostics diagnostics;
  const Hive ours = Hive::open_bytes(replayed.hive, "replayed", diagnostics);
  EXPECT_TRUE(ours.find("key_with_many_subkeys"));
  EXPECT_TRUE(ours.find("key_with_many_subkeys\\5000\\find_me_in_log"));
}

struct BadLogCase {
  std::string hive;
  std::vector<std::pair<std::string, std::string>> diagnostics;  // (log file, message part)
};

class YarpBadLogs : public testing::TestWithParam<BadLogCase> {};

TEST_P(YarpBadLogs, RecoveryFailsAndSaysWhy) {
  const auto replayed = replay_corpus_hive(kYarp + GetParam().hive);
  EXPECT_TRUE(replayed.result.was_dirty);
  EXPECT_FALSE(replayed.result.replayed());
  EXPECT_FALSE(replayed.result.clean);
  EXPECT_EQ(replayed.hive, replayed.primary);
  for (const auto& [log, text] : GetParam().diagnostics)
    EXPECT_TRUE(has_diagnostic(replayed.diagnostics, log, text)) << log;
  EXPECT_TRUE(has_diagnostic(replayed.diagnostics, "/BadLogHive", "no usable transaction log"));
}

INSTANTIATE_TEST_SUITE_P(
    Manifest, YarpBadLogs,
    testing::Values(BadLogCase{"BadLogHive1/BadLogHive", {{"BadLogHive1/BadLogHive.LOG1", "checksum is invalid"}}},
                    BadLogCase{"BadLogHive2/BadLogHive", {{"BadLogHive2/BadLogHive.LOG1", "no \"DIRT\""}}},
                    BadLogCase{"BadLogHive3/BadLogHive",
                               {{"BadLogHive3/BadLogHive.LOG1", "checksum is invalid"},
                                {"BadLogHive3/BadLogHive.LOG2", "checksum is invalid"}}}));

std::vector<std::string> found_names(const std::string& folder, const std::string& hive) {
  Diagnostics diagnostics;
  std::vector<std::string> names;
  for (const LogSource& log : find_logs_beside(corpus_file(kYarp + "Discovery/" + folder + "/" + hive), diagnostics))
    names.push_back(log.name);
  return names;
}

TEST(LogDiscovery, FindsLogsBesideTheHiveInAnyCase) {
  EXPECT_EQ(found_names("1", "aa"), (std::vector<std::string>{"aa.LOG", "aa.LOG1", "aa.LOG2"}));
  EXPECT_EQ(found_names("2", "AA"), (std::vector<std::string>{"aa.LOG1", "aa.LOG2"}));
  EXPECT_EQ(found_names("3", "AA"), (std::vector<std::string>{"aa.log", "aa.log1"}));
  // yarp finds aa.log1/aa.log2 here only on case-insensitive file systems; a copy of Windows evidence is
  // case-insensitive by nature, so regpersist always matches them.
  EXPECT_EQ(found_names("4", "AA"), (std::vector<std::string>{"aa.LOG", "aa.log1", "aa.log2"}));
  EXPECT_TRUE(found_names("5", "aa").empty());
}

}  // namespace
}  // namespace regpersist
