// `info` and `keys` on real hives of the shared corpus: what the README promises of them.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testdata.h"

namespace regpersist {

namespace {

using testsupport::corpus_file;
using testsupport::run_command;

nlohmann::json info_of(const std::string& manifest_path) {
  const auto result = run_command(
      {testsupport::regpersist_binary().string(), "info", "--format", "json", corpus_file(manifest_path).string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return nlohmann::json::parse(result.out);
}

std::vector<nlohmann::json> jsonl(const std::string& text) {
  std::vector<nlohmann::json> records;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

}  // namespace

TEST(InfoCommand, SystemHiveWithControlSets) {
  const auto info = info_of("regipy/SYSTEM.xz");
  EXPECT_EQ(info["hive_type"], "SYSTEM");
  EXPECT_EQ(info["dirty"], false);
  EXPECT_EQ(info["keys"], 30756);  // manifest: reglookup reads 30756 keys
  EXPECT_EQ(info["control_sets"], (nlohmann::json{"ControlSet001", "ControlSet002"}));
  EXPECT_EQ(info["current_control_set"], "ControlSet001");
  EXPECT_EQ(info["sha256"].get<std::string>().size(), 64u);
}

TEST(InfoCommand, DirtyHiveShowsBothSequenceNumbers) {
  const auto info = info_of("regipy/SYSTEM_2.xz");
  EXPECT_EQ(info["dirty"], true);
  EXPECT_NE(info["primary_sequence"], info["secondary_sequence"]);
}

TEST(InfoCommand, HashIsTheFilesSha256) {
  const auto info = info_of("velociraptor/SAM");
  EXPECT_EQ(info["hive_type"], "SAM");
  EXPECT_EQ(info["sha256"].get<std::string>().substr(0, 16), "f6b018923fc2f27c");  // manifest.tsv sha256_16
}

TEST(KeysCommand, JsonlIsSortedByTimeAndCarriesTimesketchFields) {
  const auto result = run_command(
      {testsupport::regpersist_binary().string(), "keys", corpus_file("plaso/NTUSER-RunTests.DAT").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = jsonl(result.out);
  ASSERT_EQ(records.size(), 893u);  // manifest: reglookup reads 893 keys
  for (std::size_t i = 1; i < records.size(); ++i)
    EXPECT_LE(records[i - 1]["timestamp"].get<std::int64_t>(), records[i]["timestamp"].get<std::int64_t>());
  for (const auto& field : {"message", "datetime", "timestamp", "timestamp_desc", "key_path", "hive_type"})
    EXPECT_TRUE(records[0].contains(field)) << field;
  EXPECT_EQ(records[0]["timestamp_desc"], "Content Modification Time");
  EXPECT_EQ(records[0]["hive_type"], "NTUSER");
}

TEST(KeysCommand, CsvToAFile) {
  const auto out = testsupport::scratch_dir("keys_csv") / "keys.csv";
  const auto result = run_command({testsupport::regpersist_binary().string(), "keys", "--format", "csv", "-o",
                                   out.string(), corpus_file("plaso/regf/SAM").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.empty());
  std::ifstream in(out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("datetime,timestamp,timestamp_desc,message,", 0), 0u);
  int rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, 76);  // manifest: reglookup reads 76 keys
}

}  // namespace regpersist
