// `regpersist scan` on the real hives of the shared corpus: concrete Run values of the plaso and
// notatin NTUSER hives, services of the regipy and dissect.regf SYSTEM hives with their decoded
// Start/Type and control set, the NTUSER Software subtree of regipy — and RegRipper (Debian
// `regripper`: run, services, lsa) on the same hives, every entry it reports being among the findings.
//
// Intended differences from RegRipper: `services` lists every service key; regpersist reports the
// services that start by themselves (Start 0/1/2 or trigger-started) and any other with a suspicion
// reason, so only RegRipper's Boot/System/Auto Start services are compared.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/testdata.h"

namespace regpersist {
namespace {

using nlohmann::json;
using testsupport::corpus_file;
using testsupport::run_command;

std::vector<json> scan_jsonl(const std::filesystem::path& hive) {
  const auto result =
      run_command({testsupport::regpersist_binary().string(), "scan", hive.string(), "--format", "jsonl", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> events;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) events.push_back(json::parse(line));
  return events;
}

const json* find_event(const std::vector<json>& events, const std::string& rule_prefix, const std::string& key_suffix,
                       const std::string& value_name) {
  for (const auto& event : events) {
    const auto rule = event["rule_id"].get<std::string>();
    const auto key = event["key_path"].get<std::string>();
    if (rule.starts_with(rule_prefix) && key.ends_with(key_suffix) && event["value_name"] == value_name) return &event;
  }
  return nullptr;
}

TEST(ScanRealHives, RunValuesOfThePlasoNtuser) {
  const auto events = scan_jsonl(corpus_file("plaso/NTUSER.DAT"));
  const auto* ctfmon = find_event(events, "run-hkcu", "CurrentVersion\\Run", "ctfmon.exe");
  ASSERT_NE(ctfmon, nullptr);
  EXPECT_EQ((*ctfmon)["data"], "C:\\WINDOWS\\system32\\ctfmon.exe");
  EXPECT_EQ((*ctfmon)["datetime"], "2009-08-04T15:13:12.825875Z");
  EXPECT_EQ((*ctfmon)["technique"], "T1547.001");
  EXPECT_EQ((*ctfmon)["key_path"], "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
  EXPECT_FALSE((*ctfmon)["suspicious"].get<bool>()) << "the Windows XP default ctfmon entry";
}

TEST(ScanRealHives, RunValuesOfTheWin7PlasoNtuserAreFlaggedByPath) {
  const auto events = scan_jsonl(corpus_file("plaso/NTUSER-WIN7.DAT"));
  const auto* google = find_event(events, "run-hkcu", "CurrentVersion\\Run", "Google Update");
  ASSERT_NE(google, nullptr);
  EXPECT_EQ((*google)["data"], "\"C:\\Users\\nfury\\AppData\\Local\\Google\\Update\\GoogleUpdate.exe\" /c");
  EXPECT_EQ((*google)["datetime"], "2011-08-25T21:51:37.681928Z");
  const auto reasons = (*google)["reasons"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "user_writable_path"), reasons.end());
  const auto* skype = find_event(events, "run-hkcu", "CurrentVersion\\Run", "Skype");
  ASSERT_NE(skype, nullptr);
  EXPECT_EQ((*skype)["data"], "\"C:\\Program Files (x86)\\Skype\\Phone\\Skype.exe\" /nosplash /minimized");
}

TEST(ScanRealHives, OneDriveRunValueOfTheNotatinNtuserIsTheDefault) {
  const auto events = scan_jsonl(corpus_file("notatin/NTUSER.DAT"));
  const auto* onedrive = find_event(events, "run-hkcu", "CurrentVersion\\Run", "OneDrive");
  ASSERT_NE(onedrive, nullptr);
  EXPECT_EQ((*onedrive)["data"],
            "\"C:\\Users\\Patrick\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background");
  EXPECT_EQ((*onedrive)["datetime"], "2015-02-09T21:42:49.040365Z");
  EXPECT_FALSE((*onedrive)["suspicious"].get<bool>());
}

TEST(ScanRealHives, SoftwareSubtreeOfRegipyCommandProcessorAutoRun) {
  const auto events = scan_jsonl(corpus_file("regipy/ntuser_software_partial.xz"));
  const auto* autorun = find_event(events, "cmd-autorun", "Command Processor", "Autorun");
  ASSERT_NE(autorun, nullptr);
  EXPECT_EQ((*autorun)["data"], "\"C:\\Users\\tony\\Anaconda3\\condabin\\conda_hook.bat\"");
  const auto reasons = (*autorun)["reasons"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "script_file"), reasons.end());
  EXPECT_NE(find_event(events, "runonce-hklm", "CurrentVersion\\RunOnce", "Delete Cached Update Binary"), nullptr);
}

// The service finding of `key_suffix` with its decoded start mode, type and control-set state.
const json& expect_service(const std::vector<json>& events, const std::string& key_suffix, const std::string& start,
                           const std::string& type, const std::string& active) {
  static const json kNone;
  const auto* service = find_event(events, "service", key_suffix, "");
  EXPECT_NE(service, nullptr) << key_suffix;
  if (service == nullptr) return kNone;
  EXPECT_EQ((*service)["details"]["start"], start) << key_suffix;
  EXPECT_EQ((*service)["details"]["type"], type) << key_suffix;
  EXPECT_EQ((*service)["details"]["active_control_set"], active) << key_suffix;
  return *service;
}

TEST(ScanRealHives, ServicesOfTheRegipySystemHive) {
  const auto events = scan_jsonl(corpus_file("regipy/SYSTEM.xz"));
  const auto& dhcp = expect_service(events, "ControlSet001\\services\\Dhcp", "Automatic", "Win32ShareProcess", "true");
  EXPECT_EQ(dhcp["details"]["control_set"], "ControlSet001");
  EXPECT_EQ(dhcp["data"], "%SystemRoot%\\system32\\svchost.exe -k LocalServiceNetworkRestricted");
  expect_service(events, "ControlSet001\\services\\Tcpip", "Boot", "KernelDriver", "true");
  expect_service(events, "ControlSet002\\services\\Tcpip", "Boot", "KernelDriver", "false");
}

TEST(ScanRealHives, ServicesOfTheDissectSystemHive) {
  const auto events = scan_jsonl(corpus_file("dissect.regf/SYSTEM.gz"));
  expect_service(events, "\\Services\\EventLog", "Automatic", "Win32ShareProcess", "true");
}

// ------------------------------------------------------------------------------------------ RegRipper

std::string regripper(const std::filesystem::path& hive, const std::string& plugin) {
  const auto result = run_command({"regripper", "-r", hive.string(), "-p", plugin});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool has_finding(const std::vector<json>& events, const std::string& key_suffix, const std::string& value_name,
                 const std::string& data) {
  return std::any_of(events.begin(), events.end(), [&](const json& event) {
    return lower(event["key_path"].get<std::string>()).ends_with(lower(key_suffix)) &&
           event["value_name"] == value_name && (data.empty() || event["data"] == data);
  });
}

// RegRipper run.pl: a key header line, then "  name - data" lines.
void expect_run_entries_found(const std::string& manifest_path) {
  const auto hive = corpus_file(manifest_path);
  const auto events = scan_jsonl(hive);
  const auto output = regripper(hive, "run");
  std::istringstream lines(output);
  static const std::regex kEntry{R"(^  (.+?) - (.*)$)"};
  std::string key;
  std::size_t compared = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    const bool key_line =
        line.starts_with("Software\\") || line.starts_with("Microsoft\\") || line.starts_with("Wow6432Node\\");
    if (key_line && !line.ends_with("not found.") && line.find(' ') == std::string::npos) key = line;
    if (key.empty() || !std::regex_match(line, match, kEntry)) continue;
    ++compared;
    EXPECT_TRUE(has_finding(events, key.substr(key.find('\\')), match[1], match[2]))
        << manifest_path << ": RegRipper run reports " << key << " " << match[1] << " = " << match[2];
  }
  EXPECT_GT(compared, 0u) << manifest_path << ":\n" << output;
}

TEST(RegRipperComparison, RunEntriesOfTheNtuserHives) {
  // Not regipy/ntuser_software_partial: RegRipper's run plugin guesses that partial hive's type in Perl
  // hash order and prints no entry on some runs (its entries are asserted in ScanRealHives instead).
  for (const char* hive :
       {"plaso/NTUSER.DAT", "plaso/NTUSER-WIN7.DAT", "plaso/NTUSER-RunTests.DAT", "notatin/NTUSER.DAT"}) {
    expect_run_entries_found(hive);
  }
}

// RegRipper services.pl: "Name = …" … "Start = …" blocks for the Select\Current control set.
TEST(RegRipperComparison, AutostartServicesOfTheSystemHives) {
  for (const char* manifest_path : {"regipy/SYSTEM.xz", "dissect.regf/SYSTEM.gz"}) {
    const auto hive = corpus_file(manifest_path);
    const auto events = scan_jsonl(hive);
    std::istringstream lines(regripper(hive, "services"));
    static const std::regex kField{R"(^  (\w+)\s*= ?(.*)$)"};
    std::string control_set, name;
    std::size_t compared = 0;
    for (std::string line; std::getline(lines, line);) {
      std::smatch match;
      if (line.starts_with("ControlSet") && line.ends_with("\\Services")) control_set = line.substr(0, line.find('\\'));
      if (!std::regex_match(line, match, kField)) continue;
      if (match[1] == "Name") name = match[2];
      const std::string start = match[2];
      if (match[1] != "Start" || !(start == "Boot Start" || start == "System Start" || start == "Auto Start")) continue;
      ++compared;
      EXPECT_TRUE(has_finding(events, control_set + "\\Services\\" + name, "", ""))
          << manifest_path << ": RegRipper services reports " << name << " (" << start << ")";
    }
    EXPECT_GT(compared, 50u) << manifest_path;
  }
}

// RegRipper lsa.pl: "Authentication Packages : msv1_0" lines of the current control set.
TEST(RegRipperComparison, LsaPackagesOfTheSystemHives) {
  for (const char* manifest_path : {"regipy/SYSTEM.xz", "dissect.regf/SYSTEM.gz"}) {
    const auto hive = corpus_file(manifest_path);
    const auto events = scan_jsonl(hive);
    std::istringstream lines(regripper(hive, "lsa"));
    static const std::regex kPackages{R"(^(Authentication|Notification|Security) Packages\s*: (.*)$)"};
    std::size_t compared = 0;
    for (std::string line; std::getline(lines, line);) {
      std::smatch match;
      if (!std::regex_match(line, match, kPackages)) continue;
      ++compared;
      const std::string value = std::string(match[1]) + " Packages";
      EXPECT_TRUE(std::any_of(events.begin(), events.end(),
                              [&](const json& event) {
                                return event["value_name"] == value &&
                                       event["rule_id"].get<std::string>().starts_with("lsa-");
                              }))
          << manifest_path << ": RegRipper lsa reports " << line;
    }
    EXPECT_EQ(compared, 3u) << manifest_path;
  }
}

}  // namespace
}  // namespace regpersist
