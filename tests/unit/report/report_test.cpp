// The report layer without a browser: the ATT&CK Navigator layer against the layer format's required
// fields and types (4.x), its scores and comments, and the HTML page's escaping and Content-Security-Policy.
#include "regpersist/report.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "regpersist/filetime.h"

namespace regpersist {
namespace {

using nlohmann::json;

Finding run_finding(const std::string& value_name, bool suspicious, std::uint64_t time) {
  Finding finding;
  finding.rule_id = "run-hklm";
  finding.title = "Run key";
  finding.techniques = {"T1547.001"};
  finding.technique_name = "Registry Run Keys / Startup Folder";
  finding.hive_type = HiveType::software;
  finding.hive_path = "SOFTWARE";
  finding.key_path = "Microsoft\\Windows\\CurrentVersion\\Run";
  finding.value_name = value_name;
  finding.data = "C:\\Users\\Public\\evil.exe";
  finding.last_written = time;
  if (suspicious) finding.reasons = {"user_writable_path"};
  return finding;
}

ReportInput sample_input() {
  InstallationScan scan;
  scan.evidence = "triage";
  scan.root = "triage";
  scan.result.host = "WS01";
  scan.result.findings = {run_finding("Updater", true, filetime_from_utc(2024, 6, 1, 23, 0)),
                          run_finding("<script>alert(1)</script>", false, filetime_from_utc(2024, 6, 3, 10, 0))};
  Finding service = run_finding("", true, filetime_from_utc(2024, 6, 3, 11, 0));
  service.rule_id = "services";
  service.techniques = {"T1543.003"};
  scan.result.findings.push_back(service);
  ReportInput input;
  input.evidence = {"triage"};
  input.installations = {scan};
  return input;
}

const json& technique(const json& layer, const std::string& id) {
  for (const auto& entry : layer["techniques"])
    if (entry["techniqueID"] == id) return entry;
  throw std::runtime_error("no technique " + id);
}

TEST(NavigatorLayer, HasTheRequiredFieldsOfLayerFormat4) {
  const json layer = navigator_layer(sample_input());
  ASSERT_TRUE(layer["name"].is_string());
  EXPECT_EQ(layer["name"], "regpersist WS01");
  ASSERT_TRUE(layer["versions"].is_object());
  for (const auto* key : {"attack", "navigator", "layer"}) EXPECT_TRUE(layer["versions"][key].is_string()) << key;
  EXPECT_TRUE(layer["versions"]["layer"].get<std::string>().starts_with("4."));
  EXPECT_EQ(layer["domain"], "enterprise-attack");
  ASSERT_TRUE(layer["techniques"].is_array());
  const std::regex id_pattern(R"(T\d{4}(\.\d{3})?)");
  for (const auto& entry : layer["techniques"]) {
    ASSERT_TRUE(entry["techniqueID"].is_string());
    EXPECT_TRUE(std::regex_match(entry["techniqueID"].get<std::string>(), id_pattern)) << entry;
    EXPECT_TRUE(!entry.contains("score") || entry["score"].is_number()) << entry;
    EXPECT_TRUE(!entry.contains("comment") || entry["comment"].is_string()) << entry;
    EXPECT_TRUE(!entry.contains("color") || entry["color"].is_string()) << entry;
    EXPECT_TRUE(!entry.contains("enabled") || entry["enabled"].is_boolean()) << entry;
    for (const auto& item : entry.value("metadata", json::array())) {
      EXPECT_TRUE(item["name"].is_string()) << entry;
      EXPECT_TRUE(item["value"].is_string()) << entry;
    }
  }
  ASSERT_TRUE(layer["metadata"].is_array());
  EXPECT_TRUE(layer["gradient"]["colors"].is_array());
  EXPECT_TRUE(layer["gradient"]["maxValue"].is_number());
}

TEST(NavigatorLayer, ScoresEachTechniqueByItsFindingsAndNamesTheRules) {
  const json layer = navigator_layer(sample_input());
  const auto& run = technique(layer, "T1547.001");
  EXPECT_EQ(run["score"], 2);
  EXPECT_EQ(run["comment"], "run-hklm: 2 (1 suspicious, 1 after hours)");
  EXPECT_EQ(run["showSubtechniques"], false);
  EXPECT_EQ(technique(layer, "T1543.003")["score"], 1);
  EXPECT_EQ(technique(layer, "T1547")["showSubtechniques"], true);  // the parent, so the Navigator expands it
  EXPECT_EQ(layer["gradient"]["maxValue"], 2);
}

TEST(HtmlReport, EvidenceTextNeverFormsMarkupAndNothingCanBeFetched) {
  std::ostringstream page;
  write_html_report(page, sample_input());
  const std::string html = page.str();
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), std::string::npos);
  const std::regex csp(
      R"re(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; script-src 'sha256-[A-Za-z0-9+/]{43}=';[^"]*connect-src 'none')re");
  EXPECT_TRUE(std::regex_search(html, csp));
  const std::string without_svg_namespace = std::regex_replace(html, std::regex("http://www\\.w3\\.org/2000/svg"), "");
  for (const auto* scheme : {"http://", "https://", "ws://", "wss://"})
    EXPECT_EQ(without_svg_namespace.find(scheme), std::string::npos) << scheme;
  for (const auto* marker : {"@CSP@", "@STYLE@", "@SCRIPT@", "@DATA@"}) EXPECT_EQ(html.find(marker), std::string::npos);
}

TEST(HtmlReport, DataCountsFindingsSuspiciousAndAfterHours) {
  const json data = report_data(sample_input());
  EXPECT_EQ(data["counts"]["findings"], 3);
  EXPECT_EQ(data["counts"]["suspicious"], 2);
  EXPECT_EQ(data["counts"]["afterHours"], 1);  // Saturday 23:00 UTC; the Monday ones are in office hours
  EXPECT_EQ(data["findings"][1]["value"], "<script>alert(1)</script>");
}

}  // namespace
}  // namespace regpersist
