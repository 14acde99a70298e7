// Deleted-data recovery on real hives: yarp's deleted-data test hives recover what MANIFEST.md states, and on
// every hive of the shared corpus each deleted key that reglookup-recover reports is found too, with the same
// name and last-write time.
//
// Intended difference: reglookup-recover also reports "keys" that fail yarp's plausibility limits (regipy
// UsrClass.dat at file offset 0x4E890: name length 55536 in a 1904-byte cell and 7471203 subkeys;
// ericzimmerman-registry BCD at 0x3750: a 2 MiB cell size). regpersist rejects such records as noise; the test
// checks that every key it does not report is one of those.
#include "regpersist/recover.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "hive_builder.h"
#include "regpersist/base_block.h"
#include "regpersist/filetime.h"
#include "testdata.h"
#include "txlog/hive_cells.h"

namespace regpersist {
namespace {

using testsupport::corpus_file;

std::vector<std::uint8_t> read_corpus(const std::string& manifest_path) {
  std::ifstream in(corpus_file(manifest_path), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

RecoveredData recover_corpus(const std::string& manifest_path) {
  Diagnostics diagnostics;
  return recover_deleted(read_corpus(manifest_path), manifest_path, diagnostics);
}

std::vector<std::pair<std::string, bool>> paths(const RecoveredData& data) {
  std::vector<std::pair<std::string, bool>> out;
  for (const RecoveredKey& key : data.keys) out.emplace_back(key.path, key.path_complete);
  std::sort(out.begin(), out.end());
  return out;
}

const std::string kYarp = "yarp/hives_for_tests/";

TEST(YarpDeleted, DeletedDataHiveRecoversKey456AndBothValues) {
  const RecoveredData data = recover_corpus(kYarp + "DeletedDataHive");
  ASSERT_EQ(data.keys.size(), 1u);
  EXPECT_EQ(data.keys[0].path, "456");
  EXPECT_TRUE(data.keys[0].path_complete);
  ASSERT_EQ(data.keys[0].values.size(), 1u);
  EXPECT_EQ(data.keys[0].values[0].value.name, "v");
  EXPECT_EQ(data.keys[0].values[0].value.as_string(), "123456");
  ASSERT_EQ(data.values.size(), 1u);
  EXPECT_EQ(data.values[0].value.name, "v2");
  EXPECT_EQ(data.values[0].value.type, 1u);
  EXPECT_EQ(data.values[0].value.as_string(), "456");
  EXPECT_EQ(data.values[0].key_path, "123");  // its offset is still in key 123's value-list slack
}

TEST(YarpDeleted, DeletedTreesRecoverFullPaths) {
  const std::vector<std::pair<std::string, bool>> expected = {
      {"1\\2\\3", true}, {"1\\2\\3\\4", true}, {"1\\2\\3\\4\\5", true}, {"1\\2\\3\\4\\New Key #1", true}};
  EXPECT_EQ(paths(recover_corpus(kYarp + "DeletedTreeHive")), expected);
  EXPECT_EQ(paths(recover_corpus(kYarp + "DeletedTreeNoRootFlagHive")), expected);
}

TEST(YarpDeleted, LostParentChainGivesPartialPaths) {
  const std::vector<std::pair<std::string, bool>> expected = {
      {"3", false}, {"3\\4", false}, {"3\\4\\5", false}, {"3\\4\\New Key #1", false}};
  EXPECT_EQ(paths(recover_corpus(kYarp + "DeletedTreePartialPathHive")), expected);
}

TEST(YarpDeleted, RemnantsHiveRecoversTheUnnamedDword) {
  const RecoveredData data = recover_corpus(kYarp + "RemnantsHive");
  EXPECT_TRUE(data.keys.empty());
  ASSERT_EQ(data.values.size(), 1u);
  EXPECT_EQ(data.values[0].value.name, "");
  std::uint64_t number = 0;
  ASSERT_TRUE(data.values[0].value.as_number(number));
  EXPECT_EQ(number, 1u);
  EXPECT_EQ(data.values[0].key_path, "");  // orphan
}

TEST(YarpDeleted, SlackMarkersAddNoFalseRecords) {
  // SlackHive is ManySubkeysHive with "SLCK" bytes written into cell slack: the same records are recovered.
  const RecoveredData slack = recover_corpus(kYarp + "SlackHive");
  EXPECT_EQ(paths(slack), paths(recover_corpus(kYarp + "ManySubkeysHive")));
  EXPECT_EQ(paths(slack),
            (std::vector<std::pair<std::string, bool>>{{"key_with_many_subkeys\\2119\\New Key #1", true}}));
  EXPECT_EQ(slack.values.size(), 0u);
}

// ---- reglookup-recover on the whole corpus ----

std::vector<std::uint8_t> unescape_reglookup(std::string_view text) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(static_cast<std::uint8_t>(text[i]));
    }
  }
  return out;
}

// reglookup-recover prints a name's stored bytes (Latin-1 or UTF-16LE) with %XX escapes.
bool same_name(const std::string& ours, const std::vector<std::uint8_t>& theirs) {
  if (std::vector<std::uint8_t>(ours.begin(), ours.end()) == theirs) return true;
  if (testsupport::utf16le(ours, false) == theirs) return true;
  const auto utf16 = testsupport::utf16le(ours, false);
  std::vector<std::uint8_t> latin1;
  for (std::size_t i = 0; i + 1 < utf16.size(); i += 2)
    if (utf16[i + 1] == 0) latin1.push_back(utf16[i]);
  return latin1.size() * 2 == utf16.size() && latin1 == theirs;
}

struct PeerKey {
  std::uint32_t file_offset = 0;
  std::vector<std::uint8_t> name;
  std::string mtime;  // "YYYY-MM-DD HH:MM:SS"
};

std::vector<PeerKey> reglookup_recover_keys(const std::string& file) {
  const auto result = testsupport::run_command({"reglookup-recover", file});
  std::vector<PeerKey> keys;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    if (fields.size() < 6 || fields[2] != "KEY") continue;
    keys.push_back(
        {static_cast<std::uint32_t>(std::stoul(fields[0], nullptr, 16)), unescape_reglookup(fields[4]), fields[5]});
  }
  return keys;
}

std::string seconds_text(std::uint64_t filetime) {
  std::string iso = filetime_to_iso(filetime, false);  // "YYYY-MM-DDTHH:MM:SSZ"
  iso[10] = ' ';
  iso.pop_back();
  return iso;
}

// Whether the record reglookup-recover reported at `cell` fails the plausibility limits regpersist applies.
bool implausible(const std::vector<std::uint8_t>& hive, std::uint32_t cell) {
  const auto bins = std::span<const std::uint8_t>(hive).subspan(kBaseBlockSize);
  return !read_key_record(bins, cell + 4, static_cast<std::uint32_t>(bins.size()), Check::plausible);
}

TEST(ReglookupRecover, EveryDeletedKeyItFindsIsFoundWithTheSameNameAndTime) {
  std::size_t compared = 0, rejected = 0;
  for (const auto& row : testsupport::read_manifest()) {
    if (row.kind != "hive" || row.size == 0 || row.path.ends_with(".gz")) continue;
    const std::string file = corpus_file(row.path).string();
    const auto peer = reglookup_recover_keys(file);
    if (peer.empty()) continue;
    const auto hive = read_corpus(row.path);
    Diagnostics diagnostics;
    const RecoveredData ours = recover_deleted(hive, file, diagnostics);
    for (const PeerKey& key : peer) {
      const std::uint32_t cell = key.file_offset - static_cast<std::uint32_t>(kBaseBlockSize);
      const auto it =
          std::find_if(ours.keys.begin(), ours.keys.end(), [&](const RecoveredKey& k) { return k.offset == cell; });
      if (it == ours.keys.end()) {
        EXPECT_TRUE(implausible(hive, cell)) << row.path << ": key at file offset " << key.file_offset << " missed";
        ++rejected;
        continue;
      }
      ++compared;
      EXPECT_TRUE(same_name(it->name, key.name)) << row.path << ": " << it->name;
      EXPECT_EQ(seconds_text(it->last_written), key.mtime) << row.path << ": " << it->path;
    }
  }
  EXPECT_GE(compared, 2900u);  // 2907 deleted keys on the corpus at the pinned revisions
  EXPECT_LE(rejected, 2u);
}

}  // namespace
}  // namespace regpersist
