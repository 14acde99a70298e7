// read_windows_version: the SOFTWARE CurrentVersion facts the report's case header shows (product,
// release, build with its update revision) and their one-line description.
#include <gtest/gtest.h>

#include "regpersist/timeline.h"
#include "support/hive_builder.h"

namespace regpersist {
namespace {

constexpr const char* kCurrentVersion = "Microsoft\\Windows NT\\CurrentVersion";

WindowsVersion version_of(const testsupport::HiveBuilder& software) {
  Diagnostics diagnostics;
  return read_windows_version(Hive::open_bytes(software.build(), "SOFTWARE", diagnostics));
}

TEST(WindowsVersion, ReadsProductReleaseAndBuildWithRevision) {
  testsupport::HiveBuilder software("SOFTWARE");
  software.sz(kCurrentVersion, "ProductName", "Windows 10 Pro")
      .sz(kCurrentVersion, "DisplayVersion", "22H2")
      .sz(kCurrentVersion, "ReleaseId", "2009")
      .sz(kCurrentVersion, "CurrentBuildNumber", "19045")
      .sz(kCurrentVersion, "CurrentBuild", "19045")
      .dword(kCurrentVersion, "UBR", 3803);
  const auto version = version_of(software);
  EXPECT_EQ(version.product_name, "Windows 10 Pro");
  EXPECT_EQ(version.display_version, "22H2");
  EXPECT_EQ(version.build, "19045.3803");
  EXPECT_EQ(version.describe(), "Windows 10 Pro 22H2 (build 19045.3803)");
}

TEST(WindowsVersion, FallsBackToReleaseIdAndCurrentBuild) {
  testsupport::HiveBuilder software("SOFTWARE");
  software.sz(kCurrentVersion, "ReleaseId", "1909").sz(kCurrentVersion, "CurrentBuild", "18363");
  const auto version = version_of(software);
  EXPECT_EQ(version.display_version, "1909");
  EXPECT_EQ(version.build, "18363");
  EXPECT_EQ(version.describe(), "1909 (build 18363)");
}

TEST(WindowsVersion, NothingRecordedDescribesAsEmpty) {
  testsupport::HiveBuilder software("SOFTWARE");
  software.key("Microsoft");
  EXPECT_EQ(version_of(software).describe(), "");
}

}  // namespace
}  // namespace regpersist
