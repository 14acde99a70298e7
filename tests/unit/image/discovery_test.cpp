// Evidence discovery over folders (KAPE-style collections, mounted images) and loose hive files:
// installation roots, machine and user hives by location or by content, logs in any case,
// ProfileList SIDs, RegBack, grouping of loose files, and the ProfileImagePath mapping.
#include "regpersist/discovery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "image/windows_discovery.h"
#include "installation_summary.h"
#include "testdata.h"
#include "windows_tree.h"

namespace regpersist {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

bool mentions(const Diagnostics& diagnostics, const std::string& text) {
  return std::any_of(diagnostics.all().begin(), diagnostics.all().end(),
                     [&](const Diagnostic& d) { return (d.file + ": " + d.message).find(text) != std::string::npos; });
}

void copy_into(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

TEST(FolderDiscovery, FindsEveryHiveOfAKapeStyleCollection) {
  const auto collection = testsupport::scratch_dir("image-kape");
  const auto tree = testsupport::write_windows_tree(collection / "C");
  Diagnostics diagnostics;
  const auto installations = discover_evidence(collection.string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  EXPECT_EQ(installations[0].root, (collection / "C").string());
  EXPECT_EQ(testsupport::summarize(installations[0], tree.root.string()), testsupport::expected_hives(tree.root));
  EXPECT_FALSE(diagnostics.has_errors());
}

TEST(FolderDiscovery, RecordsSizeHashAndFileTimes) {
  const auto tree = testsupport::write_windows_tree(testsupport::scratch_dir("image-origin"));
  Diagnostics diagnostics;
  const auto installations = discover_evidence(tree.root.string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  const HiveSource& system = *installations[0].system;
  EXPECT_EQ(system.origin.evidence, tree.root.string());
  EXPECT_EQ(system.origin.size, fs::file_size(tree.root / "Windows/System32/config/SYSTEM"));
  EXPECT_EQ(system.origin.sha256, sha256_hex(system.bytes));
  EXPECT_TRUE(system.origin.modified.has_value());
  EXPECT_FALSE(system.origin.volume.has_value());
  ASSERT_EQ(system.logs.size(), 2u);
  EXPECT_EQ(system.logs[0].name, "SYSTEM.LOG1");
  EXPECT_EQ(system.logs[1].name, "system.log2");
}

TEST(FolderDiscovery, MatchesFolderNamesInAnyCase) {
  const auto root = testsupport::scratch_dir("image-case");
  testsupport::write_windows_tree(root);
  fs::rename(root / "Windows/System32/config", root / "Windows/System32/CONFIG");
  fs::rename(root / "Windows", root / "WINDOWS");
  Diagnostics diagnostics;
  const auto installations = discover_evidence(root.string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  ASSERT_TRUE(installations[0].system.has_value());
  EXPECT_EQ(installations[0].system->origin.path, (root / "WINDOWS/System32/CONFIG/SYSTEM").string());
}

TEST(FolderDiscovery, ReportsEmptyRegBackCopiesAndProfilesMissingFromEvidence) {
  const auto tree = testsupport::write_windows_tree(testsupport::scratch_dir("image-notes"));
  Diagnostics diagnostics;
  discover_evidence(tree.root.string(), diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "RegBack/SOFTWARE: empty file where a hive was expected"));
  EXPECT_TRUE(mentions(diagnostics, "profile of S-1-5-18 (%systemroot%\\system32\\config\\systemprofile) is not in"));
}

TEST(FolderDiscovery, FolderWithoutWindowsTreeGivesItsHiveFiles) {
  const auto source = testsupport::write_windows_tree(testsupport::scratch_dir("image-src1"));
  const auto folder = testsupport::scratch_dir("image-loose-tree");
  copy_into(source.root / "Windows/System32/config/SYSTEM", folder / "a/b/exported_system");
  copy_into(source.root / "Windows/System32/config/SOFTWARE", folder / "a/b/exported_software");
  std::ofstream(folder / "notes.txt") << "not a hive";
  Diagnostics diagnostics;
  const auto installations = discover_evidence(folder.string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  EXPECT_EQ(installations[0].system->origin.path, (folder / "a/b/exported_system").string());
  EXPECT_EQ(installations[0].software->origin.path, (folder / "a/b/exported_software").string());
}

TEST(LooseHives, TypeComesFromContentAndLogsOfAnyCaseTravelWithIt) {
  const auto source = testsupport::write_windows_tree(testsupport::scratch_dir("image-src2"));
  const auto folder = testsupport::scratch_dir("image-mystery");
  copy_into(source.root / "Windows/System32/config/SYSTEM", folder / "mystery.bin");
  copy_into(source.root / "Windows/System32/config/SYSTEM.LOG1", folder / "MYSTERY.BIN.log1");
  Diagnostics diagnostics;
  const auto installations = discover_evidence((folder / "mystery.bin").string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  ASSERT_TRUE(installations[0].system.has_value());
  ASSERT_EQ(installations[0].system->logs.size(), 1u);
  EXPECT_EQ(installations[0].system->logs[0].name, "MYSTERY.BIN.log1");
  EXPECT_EQ(installations[0].root, folder.string());
}

TEST(LooseHives, FilesOfOneFolderFormOneInstallationWithItsUser) {
  const auto source = testsupport::write_windows_tree(testsupport::scratch_dir("image-src3"));
  const auto folder = testsupport::scratch_dir("image-grouped");
  copy_into(source.root / "Windows/System32/config/SYSTEM", folder / "SYSTEM");
  copy_into(source.root / "Windows/System32/config/SOFTWARE", folder / "SOFTWARE");
  copy_into(source.root / "Users/alice/NTUSER.DAT", folder / "NTUSER.DAT");
  copy_into(source.root / "Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat", folder / "UsrClass.dat");
  std::vector<std::string> paths;
  for (const char* name : {"NTUSER.DAT", "SYSTEM", "UsrClass.dat", "SOFTWARE"})
    paths.push_back((folder / name).string());
  Diagnostics diagnostics;
  const auto installations = discover_evidence(paths, diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  EXPECT_TRUE(installations[0].system && installations[0].software);
  ASSERT_EQ(installations[0].users.size(), 1u);
  EXPECT_TRUE(installations[0].users[0].ntuser && installations[0].users[0].usrclass);
}

TEST(LooseHives, SecondHiveOfATypeStartsAnotherInstallation) {
  const auto source = testsupport::write_windows_tree(testsupport::scratch_dir("image-src4"));
  const auto folder = testsupport::scratch_dir("image-two-systems");
  copy_into(source.root / "Windows/System32/config/SYSTEM", folder / "SYSTEM");
  copy_into(source.root / "Windows/System32/config/RegBack/SYSTEM", folder / "SYSTEM_OLD");
  Diagnostics diagnostics;
  const auto installations = discover_evidence(
      std::vector<std::string>{(folder / "SYSTEM").string(), (folder / "SYSTEM_OLD").string()}, diagnostics);
  ASSERT_EQ(installations.size(), 2u);
  EXPECT_EQ(installations[0].system->origin.path, (folder / "SYSTEM").string());
  EXPECT_EQ(installations[1].system->origin.path, (folder / "SYSTEM_OLD").string());
}

TEST(LooseHives, LogsGivenExplicitlyJoinTheirPrimaryOrAreReported) {
  const auto source = testsupport::write_windows_tree(testsupport::scratch_dir("image-src5"));
  const auto folder = testsupport::scratch_dir("image-logs");
  copy_into(source.root / "Windows/System32/config/SYSTEM", folder / "SYSTEM");
  copy_into(source.root / "Windows/System32/config/SYSTEM.LOG1", folder / "SYSTEM.LOG1");
  copy_into(source.root / "Windows/System32/config/SYSTEM.LOG1", folder / "orphan.LOG1");
  Diagnostics diagnostics;
  const auto installations =
      discover_evidence(std::vector<std::string>{(folder / "SYSTEM").string(), (folder / "SYSTEM.LOG1").string(),
                                                 (folder / "orphan.LOG1").string()},
                        diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  EXPECT_EQ(installations[0].system->logs.size(), 1u);
  EXPECT_FALSE(mentions(diagnostics, "SYSTEM.LOG1: transaction log given without"));
  EXPECT_TRUE(mentions(diagnostics, "orphan.LOG1: transaction log given without its primary hive"));
}

TEST(Discovery, MissingPathIsAnErrorAndTheRestIsProcessed) {
  const auto tree = testsupport::write_windows_tree(testsupport::scratch_dir("image-missing"));
  Diagnostics diagnostics;
  const auto installations =
      discover_evidence(std::vector<std::string>{"/nonexistent/evidence.E01", tree.root.string()}, diagnostics);
  EXPECT_EQ(installations.size(), 1u);
  EXPECT_TRUE(mentions(diagnostics, "/nonexistent/evidence.E01: no such file or folder"));
}

TEST(ProfileComponents, MapsDriveAndEnvironmentPrefixesBelowTheRoot) {
  using V = std::vector<std::string>;
  EXPECT_EQ(image::profile_components("C:\\Users\\alice"), (V{"Users", "alice"}));
  EXPECT_EQ(image::profile_components("%SystemDrive%\\Users\\Bob"), (V{"Users", "Bob"}));
  EXPECT_EQ(image::profile_components("%systemroot%\\ServiceProfiles\\LocalService"),
            (V{"Windows", "ServiceProfiles", "LocalService"}));
  EXPECT_EQ(image::profile_components("C:\\Documents and Settings\\x\\"), (V{"Documents and Settings", "x"}));
}

TEST(ProfileComponents, RefusesTraversalAndPathsOutsideTheVolume) {
  EXPECT_FALSE(image::profile_components("C:\\Users\\..\\..\\etc").has_value());
  EXPECT_FALSE(image::profile_components("C:\\Users\\.\\x").has_value());
  EXPECT_FALSE(image::profile_components("\\\\server\\share\\alice").has_value());
  EXPECT_FALSE(image::profile_components("%USERPROFILE%\\x").has_value());
  EXPECT_FALSE(image::profile_components("C:").has_value());
  EXPECT_FALSE(image::profile_components("").has_value());
}

}  // namespace
}  // namespace regpersist
