// `regpersist hives`: JSON and text listings of generated images, --export-hives (safe names that
// cannot leave the folder, never overwriting), and a clear, specific message — never a crash — for
// every image of the shared corpus, none of which holds a Windows installation with hives.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "generated_images.h"
#include "installation_summary.h"
#include "testdata.h"

namespace regpersist {
namespace {

namespace fs = std::filesystem;
using testsupport::generated_images;
using testsupport::run_command;

std::string binary() { return testsupport::regpersist_binary().string(); }

std::set<std::string> expected_hashes(bool with_logs) {
  const auto& tree = generated_images().tree;
  std::set<std::string> hashes;
  for (const auto& hive : tree.hives) hashes.insert(testsupport::file_sha256(tree.root / hive));
  if (with_logs) {
    for (const auto& log : tree.logs) hashes.insert(testsupport::file_sha256(tree.root / log));
  }
  return hashes;
}

TEST(HivesCommand, ListsAnImageAsJsonWithHashesUsersAndLogs) {
  const auto result =
      run_command({binary(), "hives", "--format", "json", (generated_images().images / "disk-gpt.vmdk").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto installation = nlohmann::json::parse(result.out);
  std::set<std::string> hashes;
  for (const auto& hive : installation["hives"]) {
    hashes.insert(hive["sha256"].get<std::string>());
    if (hive["role"] == "NTUSER" && hive["user"] == "alice") {
      EXPECT_EQ(hive["sid"], testsupport::kAliceSid);
      EXPECT_EQ(hive["dirty"], "clean");
      ASSERT_EQ(hive["logs"].size(), 1u);
      EXPECT_EQ(hive["logs"][0]["name"], "NTUSER.DAT.LOG1");
    }
  }
  EXPECT_EQ(hashes, expected_hashes(false));
}

TEST(HivesCommand, TextListingNamesRolesUsersAndSids) {
  const auto result = run_command({binary(), "hives", (generated_images().images / "disk-mbr.raw").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(std::string("NTUSER Bob ") + testsupport::kBobSid), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("log system.log2"), std::string::npos) << result.out;
}

TEST(HivesCommand, ExportKeepsHostileNamesInsideTheFolderAndNeverOverwrites) {
  const auto base = testsupport::scratch_dir("image-export");
  const auto out = base / "out";
  const std::string image = (generated_images().images / "disk-gpt.E01").string();
  const auto first = run_command({binary(), "hives", "-q", "--export-hives", out.string(), image});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::set<std::string> hashes;
  std::size_t files = 0;
  bool hostile_seen = false;
  for (const auto& entry : fs::recursive_directory_iterator(base)) {
    ASSERT_EQ(entry.path().parent_path(), entry.is_directory() ? base : out) << entry.path();
    if (entry.is_directory()) continue;
    ++files;
    hashes.insert(testsupport::file_sha256(entry.path()));
    hostile_seen = hostile_seen || entry.path().filename() == "1-NTUSER-.._.._x-NTUSER.DAT";
  }
  EXPECT_EQ(files, generated_images().tree.hives.size() + generated_images().tree.logs.size());
  EXPECT_EQ(hashes, expected_hashes(true));
  EXPECT_TRUE(hostile_seen);

  const auto second = run_command({binary(), "hives", "-q", "--export-hives", out.string(), image});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("1-SYSTEM-SYSTEM: not exported: File exists"), std::string::npos) << second.err;
}

// `script` gives the command a terminal, as an analyst's shell would.
std::string on_a_terminal(const std::vector<std::string>& args) {
  std::string command;
  for (const auto& arg : args) command += "'" + arg + "' ";
  return run_command({"script", "-qec", command + "> /dev/null", "/dev/null"}).out;
}

TEST(HivesCommand, ShowsProgressOnATerminalUnlessQuiet) {
  const std::string image = (generated_images().images / "disk-gpt.E01").string();
  const auto shown = on_a_terminal({binary(), "hives", image});
  EXPECT_NE(shown.find("\rregpersist: NTFS volume 6 (offset 3145728)"), std::string::npos) << shown;
  EXPECT_NE(shown.find(":vol6:/Windows/System32/config/SOFTWARE"), std::string::npos) << shown;
  const auto quiet = on_a_terminal({binary(), "hives", "--quiet", image});
  EXPECT_EQ(quiet.find("\rregpersist:"), std::string::npos) << quiet;
  EXPECT_EQ(run_command({binary(), "hives", image}).err.find("\rregpersist:"), std::string::npos);
}

struct CorpusImage {
  const char* path;     // manifest path
  const char* message;  // what stderr must say
};

class CorpusImages : public ::testing::TestWithParam<CorpusImage> {};

TEST_P(CorpusImages, GiveASpecificMessageAndNoCrash) {
  const auto image = testsupport::corpus_file(GetParam().path);
  const auto result = run_command({binary(), "hives", image.string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(GetParam().message), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    Shared, CorpusImages,
    ::testing::Values(CorpusImage{"images/ext2.E01", "ext2 file system, not NTFS (skipped)"},
                      CorpusImage{"images/ext2.split.E01", "ext2 file system, not NTFS (skipped)"},
                      CorpusImage{"images/ext2.splitraw.000", "ext2 file system, not NTFS (skipped)"},
                      CorpusImage{"images/ext2.qcow2", "ext2 file system, not NTFS (skipped)"},
                      CorpusImage{"images/ext2.vhd", "ext2 file system, not NTFS (skipped)"},
                      CorpusImage{"images/ext2.vmdk", "ext2 file system, not NTFS (skipped)"},
                      CorpusImage{"images/mbr.raw", "volume 6 (offset 180224): ext2 file system, not NTFS"},
                      CorpusImage{"images/mbr.raw.gz", "volume 6 (offset 67072): ext4 file system, not NTFS"},
                      CorpusImage{"images/vsstest.qcow2", "NTFS volume without a Windows installation"},
                      CorpusImage{"images/windows_volume.qcow2", "Windows folders found but no registry hive in them"},
                      CorpusImage{"velociraptor/partition_image.E01", "Config/SYSTEM: not a registry hive: no regf"},
                      CorpusImage{"velociraptor/test.ntfs.dd.E01", "NTFS volume without a Windows installation"},
                      CorpusImage{"dissect.volume/gpt.bin", "GPT header present but libtsk rejects the partition"},
                      CorpusImage{"dissect.volume/gpt_hybrid.bin", "GPT header present but libtsk rejects"},
                      CorpusImage{"dissect.volume/gpt_4k.bin", "only a protective MBR was readable"}),
    [](const ::testing::TestParamInfo<CorpusImage>& param_info) {
      std::string name = param_info.param.path;
      for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

TEST(HivesCommand, LooseHiveAndMissingEvidenceInOneRun) {
  const auto result =
      run_command({binary(), "hives", testsupport::corpus_file("velociraptor/SAM").string(), "/nonexistent.E01"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("  SAM  "), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("/nonexistent.E01: no such file or folder"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace regpersist
