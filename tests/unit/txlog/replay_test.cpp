// Transaction-log replay on hand-made logs: new-format ordering, gaps, bad entries, stale and foreign logs,
// growth, old-format dirty vectors, a rebuilt base block, and the hive that libregf then reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hive_builder.h"
#include "regpersist/base_block.h"
#include "regpersist/hive.h"
#include "regpersist/txlog.h"
#include "txlog/bytes.h"
#include "unit/txlog/log_builder.h"

namespace regpersist {
namespace {

using ::testing::HasSubstr;
using testsupport::HiveBuilder;
using testsupport::LogEntrySpec;

// The hive before (dirty, sequence 3/2) and the hive the logs turn it into (extra keys, more hive bins).
struct DirtyPair {
  std::vector<std::uint8_t> before;
  std::vector<std::uint8_t> after;
};

DirtyPair dirty_pair() {
  HiveBuilder builder;
  builder.sz("Software\\Run", "Updater", "C:\\old.exe").sequences(3, 2);
  DirtyPair pair;
  pair.before = builder.build();
  for (int i = 0; i < 40; ++i)
    builder.binary("Software\\Big" + std::to_string(i), "Blob", std::vector<std::uint8_t>(2000, 0x41));
  builder.sz("Software\\Run", "Planted", "C:\\evil.exe");
  pair.after = builder.build();
  return pair;
}

LogEntrySpec entry(std::uint32_t sequence, const std::vector<std::uint8_t>& target) {
  return {sequence, testsupport::hive_bins_size(target), testsupport::all_pages(target)};
}

LogSource log_source(std::string name, std::vector<std::uint8_t> bytes) {
  LogSource log;
  log.label = "/evidence/" + name;
  log.name = std::move(name);
  log.bytes = std::move(bytes);
  return log;
}

LogSource single_entry_log(std::string name, const std::vector<std::uint8_t>& base, std::uint32_t sequence,
                           const std::vector<std::uint8_t>& target) {
  return log_source(std::move(name), testsupport::new_format_log(base, sequence, {entry(sequence, target)}));
}

bool mentions(const Diagnostics& diagnostics, const std::string& file, const std::string& text) {
  for (const Diagnostic& d : diagnostics.all())
    if (d.file == file && d.message.find(text) != std::string::npos) return true;
  return false;
}

std::optional<std::string> run_value(const std::vector<std::uint8_t>& hive, const std::string& name) {
  Diagnostics diagnostics;
  const Hive opened = Hive::open_bytes(hive, "replayed", diagnostics);
  const auto key = opened.find("Software\\Run");
  if (!key) return std::nullopt;
  const auto value = key->value(name);
  return value ? std::optional(value->as_string()) : std::nullopt;
}

TEST(Replay, NewFormatLogAddsTheChangesAndCleansTheHive) {
  DirtyPair pair = dirty_pair();
  ASSERT_FALSE(run_value(pair.before, "Planted"));
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result =
      replay_transaction_logs(hive, {single_entry_log("SOFT.LOG1", pair.before, 2, pair.after)}, "SOFT", diagnostics);
  EXPECT_TRUE(result.was_dirty);
  EXPECT_TRUE(result.clean);
  ASSERT_EQ(result.applied.size(), 1u);
  EXPECT_EQ(result.applied[0].name, "SOFT.LOG1");
  EXPECT_EQ(result.applied[0].format, LogFormat::new_entries);
  EXPECT_EQ(result.applied[0].entries, 1u);
  EXPECT_EQ(result.applied[0].pages, testsupport::all_pages(pair.after).size());
  EXPECT_EQ(result.applied[0].first_sequence, 2u);
  EXPECT_EQ(result.applied[0].last_sequence, 2u);
  // The hive grew to the log's hive-bins size and its base block is clean and consistent.
  EXPECT_EQ(hive.size(), pair.after.size());
  const BaseBlock base = parse_base_block(hive, "SOFT");
  EXPECT_FALSE(base.dirty());
  EXPECT_EQ(base.primary_sequence, 2u);
  EXPECT_EQ(base.hive_bins_size, testsupport::hive_bins_size(pair.after));
  EXPECT_TRUE(std::equal(hive.begin() + kBaseBlockSize, hive.end(), pair.after.begin() + kBaseBlockSize));
  EXPECT_EQ(run_value(hive, "Planted"), "C:\\evil.exe");
}

TEST(Replay, LogsAreOrderedBySequenceNumberNotByName) {
  DirtyPair pair = dirty_pair();
  // LOG1 holds the later entry (3), LOG2 the earlier one (2): Windows alternates between the two files.
  HiveBuilder middle_builder;
  middle_builder.sz("Software\\Run", "Middle", "C:\\mid.exe");
  const auto middle = middle_builder.build();
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(
      hive,
      {single_entry_log("H.LOG1", pair.before, 3, pair.after), single_entry_log("H.LOG2", pair.before, 2, middle)}, "H",
      diagnostics);
  ASSERT_EQ(result.applied.size(), 2u);
  EXPECT_EQ(result.applied[0].name, "H.LOG2");
  EXPECT_EQ(result.applied[1].name, "H.LOG1");
  EXPECT_EQ(result.applied[1].last_sequence, 3u);
  EXPECT_EQ(run_value(hive, "Planted"), "C:\\evil.exe");
  EXPECT_FALSE(run_value(hive, "Middle"));
}

TEST(Replay, SequenceNumbersWrapAround) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint8_t> before = pair.before;
  put_le32(before, 4, 0);  // primary 0 / secondary 0xFFFFFFFF
  put_le32(before, 8, 0xFFFFFFFFu);
  repair_base_block(before, false);
  std::vector<std::uint8_t> hive = before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(
      hive,
      {single_entry_log("H.LOG1", before, 0, pair.after), single_entry_log("H.LOG2", before, 0xFFFFFFFFu, pair.before)},
      "H", diagnostics);
  ASSERT_EQ(result.applied.size(), 2u);
  EXPECT_EQ(result.applied[0].name, "H.LOG2");
  EXPECT_EQ(result.applied[1].last_sequence, 0u);
  EXPECT_EQ(run_value(hive, "Planted"), "C:\\evil.exe");
}

TEST(Replay, AGapBetweenLogsStopsTheReplay) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(
      hive,
      {single_entry_log("H.LOG1", pair.before, 2, pair.before), single_entry_log("H.LOG2", pair.before, 4, pair.after)},
      "H", diagnostics);
  ASSERT_EQ(result.applied.size(), 1u);
  EXPECT_EQ(result.applied[0].name, "H.LOG1");
  EXPECT_TRUE(mentions(diagnostics, "/evidence/H.LOG2", "previous log ended at sequence number 2"));
  EXPECT_FALSE(run_value(hive, "Planted"));
}

TEST(Replay, ABadEntryHashStopsTheLogThere) {
  DirtyPair pair = dirty_pair();
  auto log = testsupport::new_format_log(pair.before, 2, {entry(2, pair.before), entry(3, pair.after)});
  const std::size_t second_entry = 512 + testsupport::log_entry(entry(2, pair.before)).size();
  log[second_entry + 4096] ^= 0xFF;  // a byte of the second entry's page data: Hash-1 no longer matches
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(hive, {log_source("H.LOG1", log)}, "H", diagnostics);
  ASSERT_EQ(result.applied.size(), 1u);
  EXPECT_EQ(result.applied[0].entries, 1u);
  EXPECT_EQ(result.applied[0].last_sequence, 2u);
  EXPECT_TRUE(mentions(diagnostics, "/evidence/H.LOG1", "bad data hash"));
  EXPECT_FALSE(run_value(hive, "Planted"));
}

TEST(Replay, ATruncatedEntryStopsTheLogThere) {
  DirtyPair pair = dirty_pair();
  auto log = testsupport::new_format_log(pair.before, 2, {entry(2, pair.before), entry(3, pair.after)});
  log.resize(log.size() - 1024);
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(hive, {log_source("H.LOG1", log)}, "H", diagnostics);
  ASSERT_EQ(result.applied.size(), 1u);
  EXPECT_EQ(result.applied[0].entries, 1u);
  EXPECT_TRUE(mentions(diagnostics, "/evidence/H.LOG1", "is truncated"));
}

TEST(Replay, StaleEmptyForeignAndDamagedLogsAreIgnoredWithADiagnostic) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint8_t> before = pair.before;
  std::fill(before.begin() + 112, before.begin() + 144, std::uint8_t{0x11});  // RmId/LogId of this hive
  repair_base_block(before, false);
  std::vector<std::uint8_t> foreign_base = before;
  foreign_base[128] = 0x22;
  auto bad_checksum = testsupport::new_format_log(before, 2, {entry(2, pair.after)});
  bad_checksum[508] ^= 1;
  std::vector<std::uint8_t> hive = before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(
      hive,
      {single_entry_log("stale.LOG1", before, 1, pair.after), log_source("empty.LOG2", {}),
       log_source("short.LOG", std::vector<std::uint8_t>(100, 0)),
       single_entry_log("foreign.LOG1", foreign_base, 2, pair.after), log_source("checksum.LOG2", bad_checksum)},
      "H", diagnostics);
  EXPECT_FALSE(result.replayed());
  EXPECT_FALSE(result.clean);
  EXPECT_EQ(hive, before);
  EXPECT_TRUE(mentions(diagnostics, "/evidence/stale.LOG1", "stale"));
  EXPECT_TRUE(mentions(diagnostics, "/evidence/empty.LOG2", "empty"));
  EXPECT_TRUE(mentions(diagnostics, "/evidence/short.LOG", "truncated"));
  EXPECT_TRUE(mentions(diagnostics, "/evidence/foreign.LOG1", "another hive"));
  EXPECT_TRUE(mentions(diagnostics, "/evidence/checksum.LOG2", "checksum is invalid"));
  EXPECT_TRUE(mentions(diagnostics, "H", "no usable transaction log"));
}

TEST(Replay, DirtyHiveWithoutLogsIsLeftAsItIsWithAWarning) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(hive, {}, "H", diagnostics);
  EXPECT_TRUE(result.was_dirty);
  EXPECT_FALSE(result.clean);
  EXPECT_EQ(hive, pair.before);
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(diagnostics.all()[0].severity, Severity::warning);
}

TEST(Replay, CleanHiveIgnoresItsLogs) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint8_t> hive = HiveBuilder().sequences(4, 4).build();
  const auto original = hive;
  Diagnostics diagnostics;
  const auto result =
      replay_transaction_logs(hive, {single_entry_log("H.LOG1", hive, 4, pair.after)}, "H", diagnostics);
  EXPECT_FALSE(result.was_dirty);
  EXPECT_TRUE(result.clean);
  EXPECT_FALSE(result.replayed());
  EXPECT_EQ(hive, original);
}

TEST(Replay, InvalidPrimaryBaseBlockIsRebuiltFromTheLatestLog) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint8_t> hive = pair.before;
  std::fill(hive.begin() + 4, hive.begin() + 512, std::uint8_t{0xEE});  // base block destroyed
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(
      hive,
      {single_entry_log("H.LOG1", pair.before, 2, pair.before), single_entry_log("H.LOG2", pair.before, 3, pair.after)},
      "H", diagnostics);
  EXPECT_TRUE(result.base_block_from_log);
  ASSERT_EQ(result.applied.size(), 1u);
  EXPECT_EQ(result.applied[0].name, "H.LOG2");
  EXPECT_TRUE(mentions(diagnostics, "/evidence/H.LOG1", "base block is invalid"));
  const BaseBlock base = parse_base_block(hive, "H");
  EXPECT_FALSE(base.dirty());
  EXPECT_EQ(base.file_type, 0u);
  EXPECT_EQ(run_value(hive, "Planted"), "C:\\evil.exe");
}

TEST(Replay, OldFormatDirtyVectorWritesItsPages) {
  DirtyPair pair = dirty_pair();
  std::vector<std::uint32_t> pages;
  for (std::uint32_t page = 0; page < testsupport::hive_bins_size(pair.after) / 512; ++page) pages.push_back(page);
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  const auto result = replay_transaction_logs(
      hive, {log_source("H.LOG", testsupport::old_format_log(pair.after, pages))}, "H", diagnostics);
  ASSERT_EQ(result.applied.size(), 1u);
  EXPECT_EQ(result.applied[0].format, LogFormat::old_dirty_vector);
  EXPECT_EQ(result.applied[0].pages, pages.size());
  EXPECT_FALSE(parse_base_block(hive, "H").dirty());
  EXPECT_EQ(run_value(hive, "Planted"), "C:\\evil.exe");
}

TEST(Replay, OldFormatLogMissingPagesIsIgnored) {
  DirtyPair pair = dirty_pair();
  auto log = testsupport::old_format_log(pair.after, {0, 1, 2, 3});
  log.resize(log.size() - 512);
  std::vector<std::uint8_t> hive = pair.before;
  Diagnostics diagnostics;
  EXPECT_FALSE(replay_transaction_logs(hive, {log_source("H.LOG", log)}, "H", diagnostics).replayed());
  EXPECT_TRUE(mentions(diagnostics, "/evidence/H.LOG", "more pages than the log holds"));
  EXPECT_EQ(hive, pair.before);
}

}  // namespace
}  // namespace regpersist
