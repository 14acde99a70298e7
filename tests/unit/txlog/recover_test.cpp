// Deleted-data recovery on hives written by HiveBuilder: deleted keys with their values and full paths,
// deleted subtrees, orphan values, values left in a live value list's slack, big data, and plausibility limits.
#include "regpersist/recover.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "hive_builder.h"
#include "regpersist/hive.h"
#include "txlog/bytes.h"
#include "txlog/hive_cells.h"

namespace regpersist {
namespace {

using testsupport::filetime;
using testsupport::HiveBuilder;

const RecoveredKey* find_key(const RecoveredData& data, const std::string& path) {
  const auto it =
      std::find_if(data.keys.begin(), data.keys.end(), [&](const RecoveredKey& k) { return k.path == path; });
  return it == data.keys.end() ? nullptr : &*it;
}

const Value* find_value(const std::vector<RecoveredValue>& values, const std::string& name) {
  const auto it =
      std::find_if(values.begin(), values.end(), [&](const RecoveredValue& v) { return v.value.name == name; });
  return it == values.end() ? nullptr : &it->value;
}

RecoveredData recover(const std::vector<std::uint8_t>& hive, Diagnostics& diagnostics) {
  return recover_deleted(hive, "test hive", diagnostics);
}

HiveBuilder persistence_hive() {
  HiveBuilder builder;
  builder.key("Microsoft\\Windows\\CurrentVersion\\Run", filetime(2021, 3, 4, 5, 6, 7))
      .sz("Microsoft\\Windows\\CurrentVersion\\Run", "OneDrive", "C:\\onedrive.exe")
      .key("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor", filetime(2023, 11, 12, 23, 45, 1))
      .sz("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor", "Payload", "C:\\Users\\Public\\evil.exe")
      .dword("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor", "Interval", 3600)
      .binary("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor", "Config", std::vector<std::uint8_t>(300, 0x5A))
      .binary("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor", "Big", std::vector<std::uint8_t>(40000, 0x42))
      .key("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor\\Child", filetime(2023, 11, 12, 23, 46, 0));
  return builder;
}

TEST(RecoverDeleted, DeletedKeyComesBackWithPathTimeAndValues) {
  const auto hive = persistence_hive().build_with_deleted({"Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor"});
  Diagnostics diagnostics;
  const RecoveredData data = recover(hive, diagnostics);
  const RecoveredKey* key = find_key(data, "Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor");
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(key->path_complete);
  EXPECT_EQ(key->name, "Backdoor");
  EXPECT_EQ(key->last_written, filetime(2023, 11, 12, 23, 45, 1));
  EXPECT_EQ(key->source, DeletedSource::free_cell);
  ASSERT_EQ(key->values.size(), 4u);
  EXPECT_EQ(find_value(key->values, "Payload")->as_string(), "C:\\Users\\Public\\evil.exe");
  std::uint64_t interval = 0;
  ASSERT_TRUE(find_value(key->values, "Interval")->as_number(interval));
  EXPECT_EQ(interval, 3600u);
  EXPECT_EQ(find_value(key->values, "Config")->data, std::vector<std::uint8_t>(300, 0x5A));
  EXPECT_EQ(find_value(key->values, "Big")->data, std::vector<std::uint8_t>(40000, 0x42));
  EXPECT_TRUE(data.values.empty());  // every deleted value went back to its key
}

TEST(RecoverDeleted, DeletedSubtreeResolvesThroughDeletedParents) {
  const auto hive = persistence_hive().build_with_deleted({"Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor"});
  Diagnostics diagnostics;
  const RecoveredData data = recover(hive, diagnostics);
  const RecoveredKey* child = find_key(data, "Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor\\Child");
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->path_complete);
  EXPECT_EQ(child->last_written, filetime(2023, 11, 12, 23, 46, 0));
  EXPECT_EQ(data.keys.size(), 2u);  // live keys are never reported
}

TEST(RecoverDeleted, LostParentGivesAPartialPath) {
  HiveBuilder builder = persistence_hive();
  auto hive = builder.build_with_deleted({"Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor"});
  // Wipe the deleted Backdoor nk signature: its child's parent chain no longer resolves.
  const std::uint32_t backdoor = builder.key_offsets().at("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor");
  hive[kBaseBlockSize + backdoor + 4] = 'x';
  Diagnostics diagnostics;
  const RecoveredData data = recover(hive, diagnostics);
  const RecoveredKey* child = find_key(data, "Child");
  ASSERT_NE(child, nullptr);
  EXPECT_FALSE(child->path_complete);
  // The wiped key's values cannot be re-associated any more: they are orphans.
  EXPECT_EQ(find_value(data.values, "Payload")->as_string(), "C:\\Users\\Public\\evil.exe");
  for (const RecoveredValue& value : data.values) EXPECT_EQ(value.key_path, "");
}

TEST(RecoverDeleted, ValueLeftInALiveValueListSlackKeepsItsKey) {
  HiveBuilder builder;
  builder.sz("Run", "Keep", "C:\\ok.exe").sz("Run", "Zap", "C:\\gone.exe");
  auto hive = builder.build();
  // Deleting a value shortens the key's value list: the last offset stays behind in the list's slack.
  const std::uint32_t run = builder.key_offsets().at("Run");
  const std::size_t count_at = kBaseBlockSize + run + 4 + 36;
  ASSERT_EQ(le32(hive, count_at), 2u);
  put_le32(hive, count_at, 1);
  Diagnostics diagnostics;
  const RecoveredData data = recover(hive, diagnostics);
  EXPECT_TRUE(data.keys.empty());
  ASSERT_EQ(data.values.size(), 1u);
  EXPECT_EQ(data.values[0].key_path, "Run");
  EXPECT_EQ(data.values[0].source, DeletedSource::cell_slack);
  EXPECT_EQ(data.values[0].value.name, "Zap");
  EXPECT_EQ(data.values[0].value.as_string(), "C:\\gone.exe");
  const Hive live = Hive::open_bytes(hive, "test", diagnostics);
  EXPECT_FALSE(live.find("Run")->value("Zap"));
}

TEST(RecoverDeleted, CleanHiveHasNothingToRecover) {
  Diagnostics diagnostics;
  const RecoveredData data = recover(persistence_hive().build(), diagnostics);
  EXPECT_TRUE(data.keys.empty());
  EXPECT_TRUE(data.values.empty());
}

TEST(RecoverDeleted, ImplausibleRecordsAreRejected) {
  HiveBuilder builder = persistence_hive();
  auto hive = builder.build_with_deleted({"Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor"});
  const std::size_t nk =
      kBaseBlockSize + builder.key_offsets().at("Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor\\Child") + 4;
  put_le32(hive, nk + 20, 50000);  // subkey count above yarp's limit of 10000
  Diagnostics diagnostics;
  const RecoveredData data = recover(hive, diagnostics);
  EXPECT_EQ(find_key(data, "Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor\\Child"), nullptr);
  EXPECT_NE(find_key(data, "Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor"), nullptr);
}

TEST(RecoverDeleted, GarbageAndTruncationNeverCrash) {
  auto hive = persistence_hive().build_with_deleted({"Microsoft\\Windows\\CurrentVersion\\Run\\Backdoor"});
  Diagnostics diagnostics;
  for (std::size_t cut : {std::size_t{0}, std::size_t{100}, kBaseBlockSize, kBaseBlockSize + 33, hive.size() / 2}) {
    const std::vector<std::uint8_t> truncated(hive.begin(), hive.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_NO_THROW(recover(truncated, diagnostics));
  }
  std::vector<std::uint8_t> noise = hive;
  for (std::size_t i = kBaseBlockSize; i < noise.size(); i += 7) noise[i] = static_cast<std::uint8_t>(i * 31);
  EXPECT_NO_THROW(recover(noise, diagnostics));
}

TEST(ReplayChanges, ReportsKeysAndValuesOnlyTheReplayedHiveHas) {
  HiveBuilder builder;
  builder.sz("Run", "Keep", "C:\\ok.exe").sz("Run", "Swap", "C:\\v1.exe");
  Diagnostics diagnostics;
  const Hive primary = Hive::open_bytes(builder.build(), "primary", diagnostics);
  builder.sz("run", "SWAP", "C:\\v2.exe").sz("Run\\New", "Planted", "C:\\evil.exe");
  const Hive replayed = Hive::open_bytes(builder.build(), "replayed", diagnostics);
  const ReplayChanges changes = replay_changes(primary, replayed);
  EXPECT_EQ(changes.added_keys, (std::set<std::string>{"Run\\New"}));
  EXPECT_EQ(changes.changed_values,
            (std::set<std::pair<std::string, std::string>>{{"Run", "Swap"}, {"Run\\New", "Planted"}}));
}

// The live-tree cell set is a bitmap over aligned offsets; odd and out-of-range references must still be exact.
TEST(RecoverOffsetSet, HoldsAlignedUnalignedAndOutOfRangeOffsetsExactly) {
  OffsetSet set(64);
  for (const std::uint32_t offset : {0u, 8u, 56u, 13u, 64u, 0xFFFFFFF8u}) set.insert(offset);
  for (const std::uint32_t offset : {0u, 8u, 56u, 13u, 64u, 0xFFFFFFF8u}) EXPECT_TRUE(set.contains(offset)) << offset;
  for (const std::uint32_t offset : {16u, 9u, 12u, 72u, 0xFFFFFFF0u, 0xFFFFFFFFu})
    EXPECT_FALSE(set.contains(offset)) << offset;
}

}  // namespace
}  // namespace regpersist
