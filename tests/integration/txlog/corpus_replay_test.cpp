// Transaction-log replay on the real dirty hives of the shared corpus that come with their logs (regipy
// SYSTEM_B, UsrClass.dat, transactions_NTUSER.DAT; the DFIRArtifactMuseum Amcache sets): the entries applied
// are those MANIFEST.md derives from the sequence numbers, and the replay adds the keys and values the logs
// hold (the "log" provenance).
#include <gtest/gtest.h>

#include "integration/txlog/replay_support.h"
#include "regpersist/recover.h"

namespace regpersist {
namespace {

using testsupport::replay_corpus_hive;

struct AppliedRange {
  std::string log;
  std::size_t entries;
  std::uint32_t first, last;
};

struct CorpusCase {
  std::string hive;
  std::vector<AppliedRange> applied;  // MANIFEST.md "expected replay"
  std::size_t added_keys;
  std::size_t retimed_keys;
  std::size_t changed_values;
  std::string added_key;  // one of them ("" when none)
};

void PrintTo(const CorpusCase& c, std::ostream* out) { *out << c.hive; }

class CorpusReplay : public testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusReplay, AppliesTheManifestEntriesAndAddsTheLogsKeys) {
  const CorpusCase& expected = GetParam();
  const auto replayed = replay_corpus_hive(expected.hive);
  EXPECT_TRUE(replayed.result.was_dirty);
  EXPECT_TRUE(replayed.result.clean);
  ASSERT_EQ(replayed.result.applied.size(), expected.applied.size());
  for (std::size_t i = 0; i < expected.applied.size(); ++i) {
    const AppliedLog& applied = replayed.result.applied[i];
    EXPECT_EQ(applied.name, expected.applied[i].log);
    EXPECT_EQ(applied.entries, expected.applied[i].entries);
    EXPECT_EQ(applied.first_sequence, expected.applied[i].first);
    EXPECT_EQ(applied.last_sequence, expected.applied[i].last);
  }
  Diagnostics diagnostics;
  const Hive primary = Hive::open_bytes(replayed.primary, "primary", diagnostics);
  const Hive after = Hive::open_bytes(replayed.hive, "replayed", diagnostics);
  EXPECT_FALSE(diagnostics.has_errors());
  const ReplayChanges changes = replay_changes(primary, after);
  EXPECT_EQ(changes.added_keys.size(), expected.added_keys);
  EXPECT_EQ(changes.retimed_keys.size(), expected.retimed_keys);
  EXPECT_EQ(changes.changed_values.size(), expected.changed_values);
  if (!expected.added_key.empty()) {
    EXPECT_TRUE(changes.added_keys.contains(expected.added_key));
    EXPECT_FALSE(primary.find(expected.added_key));
    EXPECT_TRUE(after.find(expected.added_key));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Manifest, CorpusReplay,
    testing::Values(CorpusCase{"dfirartifactmuseum/Win10/APTSimulatorVM/Amcache.hve",
                               {{"Amcache.hve.LOG1", 2, 36, 37}, {"Amcache.hve.LOG2", 2, 38, 39}},
                               1,
                               9,
                               19,
                               "Root\\InventoryApplicationFile\\gkape.exe|cf356c8f87c2c3bd"},
                    CorpusCase{"dfirartifactmuseum/Win10/RathbunVM/Amcache.hve",
                               {{"Amcache.hve.LOG1", 5, 76, 80}, {"Amcache.hve.LOG2", 1, 81, 81}},
                               0,
                               2,
                               0,
                               ""},
                    CorpusCase{"dfirartifactmuseum/Win11/RathbunVM/Amcache.hve",
                               {{"Amcache.hve.LOG2", 2, 68, 69}, {"Amcache.hve.LOG1", 7, 70, 76}},
                               8,
                               21,
                               147,
                               "Root\\InventoryApplicationFile\\microsoftedge_x6|93edf134289e1ed3"},
                    CorpusCase{"regipy/SYSTEM_B.xz",
                               {{"SYSTEM_B.LOG1", 4, 2107, 2110}, {"SYSTEM_B.LOG2", 20, 2111, 2130}},
                               2472,
                               89,
                               4040,
                               "ControlSet001\\Control\\Class\\{4d36e967-e325-11ce-bfc1-08002be10318}\\0003"},
                    CorpusCase{"regipy/UsrClass.dat.xz",
                               {{"UsrClass.dat.LOG1", 4, 287, 290}, {"UsrClass.dat.LOG2", 10, 291, 300}},
                               33,
                               21,
                               183,
                               "Local Settings\\Software\\Microsoft\\Windows\\Shell\\BagMRU\\10"},
                    CorpusCase{"regipy/transactions_NTUSER.DAT.xz",
                               {{"transactions_ntuser.dat.log1", 23, 566, 588}},
                               521,
                               171,
                               723,
                               "Software\\Microsoft\\Payment"}));

TEST(CorpusReplay, StaleLog2OfTransactionsNtuserIsReported) {
  const auto replayed = replay_corpus_hive("regipy/transactions_NTUSER.DAT.xz");
  EXPECT_TRUE(testsupport::has_diagnostic(replayed.diagnostics, "transactions_ntuser.dat.log2", "stale"));
}

TEST(CorpusReplay, StaleEntryEndsTheAptSimulatorLog2) {
  const auto replayed = replay_corpus_hive("dfirartifactmuseum/Win10/APTSimulatorVM/Amcache.hve");
  EXPECT_TRUE(testsupport::has_diagnostic(replayed.diagnostics, "APTSimulatorVM/Amcache.hve.LOG2",
                                          "has sequence number 27, expected 40"));
}

TEST(CorpusReplay, Win10RathbunLogsOnlyUpdateTwoKeys) {
  // Its six entries add no key and no value: they move the last-write times reglookup-timeline also sees change.
  const auto replayed = replay_corpus_hive("dfirartifactmuseum/Win10/RathbunVM/Amcache.hve");
  Diagnostics diagnostics;
  const ReplayChanges changes = replay_changes(Hive::open_bytes(replayed.primary, "primary", diagnostics),
                                               Hive::open_bytes(replayed.hive, "replayed", diagnostics));
  EXPECT_EQ(changes.retimed_keys,
            (std::set<std::string>{"Root\\InventoryApplication", "Root\\InventoryApplicationFile"}));
}

TEST(CorpusReplay, CleanHiveWithALogIsLeftAlone) {
  const auto replayed = replay_corpus_hive("dfwinreg/NTUSER.DAT");
  EXPECT_FALSE(replayed.result.was_dirty);
  EXPECT_FALSE(replayed.result.replayed());
  EXPECT_EQ(replayed.hive, replayed.primary);
}

}  // namespace
}  // namespace regpersist
