// Golden files of every timeline format (tests/golden/timeline/, reviewed by eye): `keys` on a SYSTEM
// hive built here (W. Europe time, keys around a daylight-saving change, a hostile key name), and the
// login events of real SAM hives of the shared corpus. REGPERSIST_UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "regpersist/timeline.h"
#include "testdata.h"
#include "unit/timeline/timeline_test_support.h"

namespace regpersist {
namespace {

using testsupport::filetime;
using namespace timeline_test;

const std::filesystem::path kGoldenDir = std::filesystem::path(__FILE__).parent_path() / "../../golden/timeline";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const auto file = kGoldenDir / name;
  if (std::getenv("REGPERSIST_UPDATE_GOLDEN")) {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(file, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << file << " (run with REGPERSIST_UPDATE_GOLDEN=1 and review it)";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << file;
}

std::string built_system() {
  auto builder = system_hive(w_europe(), "WKS-07");
  builder.key("ControlSet001\\Services\\Updater", filetime(2021, 3, 26, 16, 30));
  builder.key("ControlSet001\\Services\\Nightly", filetime(2021, 3, 29, 16, 30));
  builder.key("ControlSet001\\Services\\=cmd|' /C calc'!A0,\"x\"\x1b[31mred%41", filetime(2021, 3, 28, 0, 59, 59));
  const auto file = testsupport::scratch_dir("golden_system") / "SYSTEM";
  builder.write(file);
  return file.string();
}

TEST(Golden, KeysOnABuiltSystemHiveInEveryFormat) {
  const std::string hive = built_system();
  for (const auto& format : event_format_names()) {
    SCOPED_TRACE(format);
    const auto result =
        testsupport::run_command({testsupport::regpersist_binary().string(), "keys", "--format", format, hive});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    expect_golden("keys_system." + format, replace_all(result.out, hive, "SYSTEM"));
  }
}

void expect_login_golden(const std::string& manifest_path, const std::string& name) {
  Diagnostics diagnostics;
  const Hive sam = Hive::open_file(testsupport::corpus_file(manifest_path), diagnostics);
  const HiveInfo info{manifest_path, HiveType::sam, sam.sha256(), "shared/testdata/" + manifest_path, "HOST"};
  auto events = sam_events(sam, info);
  const TimeZone berlin = TimeZone::from_iana("Europe/Berlin");
  mark_after_hours(events, OfficeHours{}, berlin);
  for (const auto& format : event_format_names()) {
    SCOPED_TRACE(format);
    std::ostringstream out;
    write_events(out, events, {*parse_event_format(format), format == "table" ? &berlin : nullptr});
    expect_golden(name + "." + format, out.str());
  }
}

TEST(Golden, LoginEventsOfRealSamHivesInEveryFormat) {
  expect_login_golden("plaso/regf/SAM", "sam_plaso");
  expect_login_golden("velociraptor/SAM", "sam_velociraptor");
}

}  // namespace
}  // namespace regpersist
