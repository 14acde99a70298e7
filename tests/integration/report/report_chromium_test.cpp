// `regpersist report` rendered by headless Chromium (Debian `chromium`, installed by scripts/setup.sh)
// with networking blocked: the evidence is a triage folder with planted persistence across categories
// (all after hours), a hostile value name, a dirty NTUSER.DAT and a deleted Run key in it. The DOM after
// the page's script ran must show the header counts, the ATT&CK cells, one table row per finding and
// the hostile name as text; the net log must hold no request from the page. A screenshot is kept in
// the build tree (report/report.png beside the test's scratch folder).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "regpersist/discovery.h"
#include "regpersist/event.h"
#include "regpersist/scan.h"
#include "support/catalog_planter.h"
#include "support/testdata.h"

namespace regpersist {
namespace {

namespace fs = std::filesystem;
using testsupport::run_command;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kHostileName = "<script>alert(1)</script>";
constexpr const char* kRunKey = "Software\\Microsoft\\Windows\\CurrentVersion\\Run";
constexpr const char* kDeletedKey = "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce";

// The planted installation plus a hostile Run value name, and NTUSER.DAT rewritten dirty (sequence
// numbers differ) with its RunOnce key deleted (cells left free for recovery).
fs::path build_evidence(const fs::path& root) {
  testsupport::PlantedHives hives;
  testsupport::plant_realistic_installation(hives);
  hives.ntuser.sz(kRunKey, kHostileName, testsupport::kUserWritableImage);
  hives.ntuser.sz(kDeletedKey, "Dropper", "C:\\Users\\Public\\dropper.exe");
  testsupport::write_triage_folder(hives, root);
  hives.ntuser.sequences(2, 1);
  const auto bytes = hives.ntuser.build_with_deleted({kDeletedKey});
  std::ofstream(root / "Users" / "alice" / "NTUSER.DAT", std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return root;
}

std::vector<std::string> chromium_command(const fs::path& profile) {
  return {kChromium,
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--user-data-dir=" + profile.string(),
          "--host-resolver-rules=MAP * ~NOTFOUND",
          "--proxy-server=127.0.0.1:9",
          "--virtual-time-budget=10000"};
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

// The number in the header element id="count-NAME"; -1 when absent.
long header_count(const std::string& dom, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(dom, match, std::regex("id=\"count-" + name + "\">(\\d+)<"))) return -1;
  return std::stol(match[1]);
}

// Requests a page started: URL requests whose initiator is an origin (the browser's own update and
// account checks say "not an origin"), and any WebSocket at all.
std::vector<std::string> page_requests(const fs::path& net_log) {
  const auto log = nlohmann::json::parse(read_text(net_log));
  std::vector<std::string> requests;
  for (const auto& event : log["events"]) {
    const auto params = event.value("params", nlohmann::json::object());
    const std::string url = params.value("url", "");
    const std::string initiator = params.value("initiator", "not an origin");
    const bool network = url.starts_with("http:") || url.starts_with("https:") || url.starts_with("ws");
    if (network && (initiator != "not an origin" || url.starts_with("ws"))) requests.push_back(url);
  }
  return requests;
}

struct Expected {
  std::size_t findings = 0, suspicious = 0, after_hours = 0, deleted = 0;
  std::size_t technique_findings = 0, technique_suspicious = 0;  // T1547.001
};

// What the report must show, from the library's own scan of the same folder.
Expected expected_counts(const fs::path& evidence) {
  Diagnostics diagnostics;
  Expected expected;
  for (const auto& installation : discover_evidence({evidence.string()}, diagnostics)) {
    for (const auto& finding : scan_installation(installation, {}, diagnostics).findings) {
      auto events = events_from_finding(finding);
      mark_after_hours(events, OfficeHours{}, TimeZone::utc());
      ++expected.findings;
      expected.suspicious += finding.suspicious();
      expected.after_hours += std::any_of(events.begin(), events.end(), [](const Event& e) { return e.after_hours; });
      expected.deleted += finding.provenance == Provenance::deleted;
      const bool run_key =
          std::find(finding.techniques.begin(), finding.techniques.end(), "T1547.001") != finding.techniques.end();
      expected.technique_findings += run_key;
      expected.technique_suspicious += run_key && finding.suspicious();
    }
  }
  return expected;
}

class ReportInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " is missing (scripts/setup.sh installs chromium)";
  }
};

TEST_F(ReportInChromium, ShowsCountsTechniquesRowsAndInertEvidenceWithoutNetwork) {
  const auto dir = testsupport::scratch_dir("report_chromium");
  const auto evidence = build_evidence(dir / "triage");
  const auto page = dir / "report.html";
  const auto made = run_command({testsupport::regpersist_binary().string(), "report", evidence.string(), "--tz", "UTC",
                                 "-q", "-o", page.string()});
  ASSERT_LE(made.exit_code, 1) << made.err;

  auto dump = chromium_command(dir / "profile-dom");
  dump.insert(dump.end(),
              {"--log-net-log=" + (dir / "net-log.json").string(), "--dump-dom", "file://" + page.string()});
  const auto dom = run_command(dump);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  auto shot = chromium_command(dir / "profile-shot");
  shot.insert(shot.end(), {"--hide-scrollbars", "--window-size=1400,2600",
                           "--screenshot=" + (dir / "report.png").string(), "file://" + page.string()});
  EXPECT_EQ(run_command(shot).exit_code, 0);
  EXPECT_GT(fs::file_size(dir / "report.png"), 10'000u);

  const auto expected = expected_counts(evidence);
  ASSERT_GT(expected.findings, 20u);
  ASSERT_LE(expected.findings, 200u);  // one page of rows: all of them are in the DOM
  EXPECT_EQ(header_count(dom.out, "findings"), static_cast<long>(expected.findings));
  EXPECT_EQ(header_count(dom.out, "suspicious"), static_cast<long>(expected.suspicious));
  EXPECT_EQ(header_count(dom.out, "afterHours"), static_cast<long>(expected.after_hours));
  EXPECT_EQ(header_count(dom.out, "hives"), 5);
  // From the hive loads and provenance (dirty replay and deleted-key recovery):
  EXPECT_EQ(header_count(dom.out, "dirtyHives"), 1);
  EXPECT_GE(header_count(dom.out, "deletedRecovered"), 1);
  EXPECT_GE(expected.deleted, 1u);
  EXPECT_EQ(header_count(dom.out, "deletedFindings"), static_cast<long>(expected.deleted));
  EXPECT_GE(count_of(dom.out, "data-prov=\"deleted\""), 1u);

  const std::string cell = "data-technique=\"T1547.001\" data-count=\"" + std::to_string(expected.technique_findings) +
                           "\" data-suspicious=\"" + std::to_string(expected.technique_suspicious) + "\"";
  EXPECT_NE(dom.out.find(cell), std::string::npos) << cell;
  EXPECT_EQ(count_of(dom.out, "<tr class=\"row"), expected.findings);

  EXPECT_EQ(dom.out.find(kHostileName), std::string::npos);
  EXPECT_NE(dom.out.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page_requests(dir / "net-log.json"), std::vector<std::string>{});
}

}  // namespace
}  // namespace regpersist
