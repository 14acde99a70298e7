// Disk images built at test time (make_test_images.sh) from the HiveBuilder tree of windows_tree.h:
// every format and partitioning gives the same hives, with the same SHA-256s, as the tree itself;
// damaged copies (truncated, partition table wiped, MFT record destroyed, BitLocker volume) give
// diagnostics while the readable rest is still found.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "generated_images.h"
#include "installation_summary.h"
#include "regpersist/discovery.h"

namespace regpersist {
namespace {

namespace fs = std::filesystem;

using testsupport::generated_images;
constexpr std::uint64_t kEfiOffset = testsupport::kGeneratedEfiOffset;
constexpr std::uint64_t kNtfsOffset = testsupport::kGeneratedNtfsOffset;

bool mentions(const Diagnostics& diagnostics, const std::string& text) {
  return std::any_of(diagnostics.all().begin(), diagnostics.all().end(),
                     [&](const Diagnostic& d) { return (d.file + ": " + d.message).find(text) != std::string::npos; });
}

std::string all_messages(const Diagnostics& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics.all()) text += d.file + ": " + d.message + "\n";
  return text;
}

// A copy of a generated image that a test may damage.
fs::path damaged_copy(const std::string& image, const std::string& name) {
  const auto copy = testsupport::scratch_dir("image-damaged-" + name) / image;
  fs::copy_file(generated_images().images / image, copy);
  return copy;
}

void overwrite(const fs::path& file, std::uint64_t offset, const std::vector<char>& bytes) {
  std::fstream io(file, std::ios::binary | std::ios::in | std::ios::out);
  io.seekp(static_cast<std::streamoff>(offset));
  io.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class EveryImageFormat : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryImageFormat, GivesTheSourceHivesWithEqualHashes) {
  const auto& g = generated_images();
  Diagnostics diagnostics;
  const auto installations = discover_evidence((g.images / GetParam()).string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u) << all_messages(diagnostics);
  EXPECT_EQ(testsupport::summarize(installations[0], ""), testsupport::expected_hives(g.tree.root));
  EXPECT_FALSE(diagnostics.has_errors()) << all_messages(diagnostics);
}

INSTANTIATE_TEST_SUITE_P(Generated, EveryImageFormat, ::testing::ValuesIn(testsupport::kGeneratedImageNames));

TEST(ImageOrigin, NamesVolumeOffsetMftEntryAndFileTimes) {
  const auto& g = generated_images();
  Diagnostics diagnostics;
  const auto installations = discover_evidence((g.images / "disk-gpt.E01").string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u);
  const HiveSource& software = *installations[0].software;
  EXPECT_EQ(software.origin.evidence, (g.images / "disk-gpt.E01").string());
  EXPECT_EQ(software.origin.path, "/Windows/System32/config/SOFTWARE");
  EXPECT_EQ(software.label, (g.images / "disk-gpt.E01").string() + ":vol" + std::to_string(*software.origin.volume) +
                                ":/Windows/System32/config/SOFTWARE");
  EXPECT_EQ(software.origin.volume_offset, kNtfsOffset);
  ASSERT_TRUE(software.origin.mft_entry.has_value());
  EXPECT_GE(*software.origin.mft_entry, 24u);  // records 0-23 belong to NTFS itself
  EXPECT_EQ(software.origin.size, fs::file_size(g.tree.root / "Windows/System32/config/SOFTWARE"));
  EXPECT_TRUE(software.origin.created && software.origin.modified && software.origin.accessed &&
              software.origin.changed);
  EXPECT_TRUE(mentions(diagnostics, "offset 1048576): fat12 file system, not NTFS (skipped)"));
}

TEST(DamagedImage, WipedPartitionTableIsReportedAndNtfsFoundByScanning) {
  const auto disk = damaged_copy("disk-mbr.raw", "wiped");
  overwrite(disk, 0, std::vector<char>(512, 0));
  Diagnostics diagnostics;
  const auto installations = discover_evidence(disk.string(), diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "no partition table and no file system at offset 0")) << all_messages(diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "found a volume at offset " + std::to_string(kNtfsOffset) + " by scanning"));
  ASSERT_EQ(installations.size(), 1u);
  EXPECT_EQ(testsupport::summarize(installations[0], ""), testsupport::expected_hives(generated_images().tree.root));
}

TEST(DamagedImage, TruncatedImageGivesDiagnosticsAndTheOtherVolumes) {
  const auto disk = damaged_copy("disk-gpt.raw", "truncated");
  fs::resize_file(disk, kNtfsOffset + 1024 * 1024);
  Diagnostics diagnostics;
  discover_evidence(disk.string(), diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "offset 1048576): fat12 file system, not NTFS (skipped)"))
      << all_messages(diagnostics);
  EXPECT_TRUE(diagnostics.has_errors()) << all_messages(diagnostics);
}

// The byte offset of MFT record `entry` of the NTFS volume at `volume_offset` (from its boot sector).
std::uint64_t mft_record_offset(const fs::path& disk, std::uint64_t volume_offset, std::uint64_t entry) {
  std::ifstream in(disk, std::ios::binary);
  std::vector<unsigned char> boot(512);
  in.seekg(static_cast<std::streamoff>(volume_offset));
  in.read(reinterpret_cast<char*>(boot.data()), 512);
  const std::uint64_t sector = boot[0x0B] | (boot[0x0C] << 8);
  const std::uint64_t cluster = sector * boot[0x0D];
  std::uint64_t mft_cluster = 0;
  std::memcpy(&mft_cluster, boot.data() + 0x30, sizeof mft_cluster);
  return volume_offset + mft_cluster * cluster + entry * 1024;
}

TEST(DamagedImage, DestroyedMftRecordLosesThatHiveOnly) {
  const auto disk = damaged_copy("disk-gpt.raw", "mft-record");
  Diagnostics before;
  const auto sam_entry = *discover_evidence(disk.string(), before).at(0).sam->origin.mft_entry;
  overwrite(disk, mft_record_offset(disk, kNtfsOffset, sam_entry), std::vector<char>(1024, '\x5a'));
  Diagnostics diagnostics;
  const auto installations = discover_evidence(disk.string(), diagnostics);
  ASSERT_EQ(installations.size(), 1u) << all_messages(diagnostics);
  EXPECT_FALSE(installations[0].sam.has_value());
  EXPECT_TRUE(installations[0].system && installations[0].software && installations[0].users.size() == 3);
  EXPECT_TRUE(diagnostics.has_errors()) << all_messages(diagnostics);
}

TEST(DamagedImage, DestroyedMftItselfIsAnErrorForThatVolume) {
  const auto disk = damaged_copy("disk-gpt.raw", "mft");
  for (std::uint64_t entry = 0; entry < 4; ++entry) {
    overwrite(disk, mft_record_offset(disk, kNtfsOffset, entry), std::vector<char>(1024, '\x5a'));
  }
  Diagnostics diagnostics;
  const auto installations = discover_evidence(disk.string(), diagnostics);
  EXPECT_TRUE(installations.empty());
  EXPECT_TRUE(mentions(diagnostics, "NTFS volume cannot be opened (damaged MFT or truncated image?)"))
      << all_messages(diagnostics);
}

TEST(EncryptedVolume, BitLockerIsReportedAndTheOtherVolumesRead) {
  const auto disk = damaged_copy("disk-gpt.raw", "bitlocker");
  const std::string signature = "-FVE-FS-";
  overwrite(disk, kEfiOffset + 3, std::vector<char>(signature.begin(), signature.end()));
  Diagnostics diagnostics;
  const auto installations = discover_evidence(disk.string(), diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "offset 1048576): BitLocker-encrypted volume")) << all_messages(diagnostics);
  EXPECT_EQ(installations.size(), 1u);
}

}  // namespace
}  // namespace regpersist
