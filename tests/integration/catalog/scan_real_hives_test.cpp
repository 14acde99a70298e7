// `regpersist scan` on the real hives of the shared corpus: concrete Run values of the plaso and
// notatin NTUSER hives, services of the regipy and dissect.regf SYSTEM hives with their decoded
// Start/Type and control set, the NTUSER Software subtree of regipy — and every plugin of Debian's
// `regripper` that reads a location of the catalog, run on each shared hive of its type, every entry it
// reports being among the findings:
//   SYSTEM (regipy SYSTEM, SYSTEM_2, SYSTEM_WIN_10_1709, dissect.regf SYSTEM): services, svc, svcdll,
//     lsa, securityproviders, printmon, rdpport, termserv, environment, profiler; appcertdlls,
//     portproxy, pending and ntds run too and report nothing on these hives.
//   NTUSER (plaso NTUSER, NTUSER-WIN7, NTUSER-RunTests, notatin NTUSER, regipy NTUSER): run, load,
//     environment, profiler; cmdproc, mmo, runvirtual and psscript run and report nothing.
//   USRCLASS (regipy UsrClass): clsid (its InprocServer32/LocalServer32 lines); scriptleturl reports
//     nothing. Debian's regripper has no winlogon, appinitdlls, imagefile, netsh or taskcache input
//     here: the corpus holds no SOFTWARE hive (MANIFEST.md), so those plugins have nothing to read.
//
// Intended differences from RegRipper:
// - `services`/`svc` list every service key; regpersist reports the services that start by themselves
//   (Start 0/1/2 or trigger-started) and any other with a suspicion reason, so only RegRipper's
//   Boot/System/Auto Start services are compared; `svcdll` entries of demand-start services likewise.
// - `environment`/`profiler` print every variable; the catalog reads the ones that hijack execution
//   (Path, PATHEXT, ComSpec, windir, TEMP/TMP, COR_*/CORECLR_*, DOTNET_STARTUP_HOOKS): only those.
// - `termserv` prints informational values (ProductVersion, TSUserEnabled); the ones the catalog reads
//   (fDenyTSConnections, fSingleSessionPerUser, StartupPrograms) are compared.
// - `clsid` drops the first character of InprocServer32 data ("ystemroot%…"): data is compared by suffix.
// - `samparse` is not compared: regpersist reports a SAM account only when its F-record RID differs
//   from its key (RID hijacking), which none of the corpus accounts does.
// - The scans read the primary files as RegRipper does (`--no-logs --no-deleted`).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "catalog/pattern.h"
#include "regpersist/catalog.h"
#include "support/testdata.h"

namespace regpersist {
namespace {

using nlohmann::json;
using testsupport::corpus_file;
using testsupport::run_command;

std::vector<json> scan_jsonl(const std::filesystem::path& hive, const std::vector<std::string>& options = {}) {
  std::vector<std::string> command{
      testsupport::regpersist_binary().string(), "scan", hive.string(), "--format", "jsonl", "-q"};
  command.insert(command.end(), options.begin(), options.end());
  const auto result = run_command(command);
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

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// One entry a RegRipper plugin reports: the end of its key path, the value name ("" for a service key)
// and the data ("" = not compared; `data_suffix`: regpersist's data ends with it).
struct RipperEntry {
  std::string key_suffix;
  std::string value_name;
  std::string data;
  bool data_suffix = false;
};

bool has_finding(const std::vector<json>& events, const RipperEntry& entry) {
  return std::any_of(events.begin(), events.end(), [&](const json& event) {
    const auto data = event["data"].get<std::string>();
    const bool data_matches =
        entry.data.empty() || (entry.data_suffix ? data.ends_with(entry.data) : data == entry.data);
    return lower(event["key_path"].get<std::string>()).ends_with(lower(entry.key_suffix)) &&
           lower(event["value_name"].get<std::string>()) == lower(entry.value_name) && data_matches;
  });
}

// The scan of a corpus hive as RegRipper reads it (primary file only), once per test program.
const std::vector<json>& primary_scan(const std::string& manifest_path) {
  static std::map<std::string, std::vector<json>> scans;
  auto found = scans.find(manifest_path);
  if (found == scans.end())
    found = scans.emplace(manifest_path, scan_jsonl(corpus_file(manifest_path), {"--no-logs", "--no-deleted"})).first;
  return found->second;
}

using RipperParser = std::vector<RipperEntry> (*)(const std::string& output);

// Applies `pattern` to every line; `make` turns a match (and the last key line seen) into an entry.
template <typename Make>
std::vector<RipperEntry> entries_of(const std::string& output, const std::regex& pattern, Make make) {
  std::vector<RipperEntry> entries;
  std::istringstream lines(output);
  std::string key;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    const bool key_line = line.starts_with("Software\\") || line.starts_with("Microsoft\\") ||
                          line.starts_with("Wow6432Node\\") || line.starts_with("ControlSet");
    if (key_line && !line.ends_with("not found.") && line.find(' ') == std::string::npos) key = line;
    if (std::regex_match(line, match, pattern)) make(match, key, entries);
  }
  return entries;
}

// run.pl: a key line, then "  name - data" lines.
std::vector<RipperEntry> run_entries(const std::string& output) {
  static const std::regex kEntry{R"(^  (.+?) - (.*)$)"};
  return entries_of(output, kEntry, [](const std::smatch& match, const std::string& key, auto& out) {
    if (!key.empty()) out.push_back({key.substr(key.find('\\')), match[1], match[2]});
  });
}

// load.pl: "load = data" / "run = data" under Software\Microsoft\Windows NT\CurrentVersion\Windows.
std::vector<RipperEntry> load_entries(const std::string& output) {
  static const std::regex kEntry{R"(^(load|run) = (.*)$)"};
  return entries_of(output, kEntry, [](const std::smatch& match, const std::string&, auto& out) {
    out.push_back({"Windows NT\\CurrentVersion\\Windows", match[1], match[2]});
  });
}

// The variables the catalog's environment rules read (machine or user).
bool catalog_reads_variable(const std::string& name) {
  for (const char* id : {"environment-machine", "environment-user"}) {
    const auto& wanted = builtin_catalog().find(id)->value_names;
    if (std::any_of(wanted.begin(), wanted.end(), [&](const std::string& glob) { return glob_match(glob, name); }))
      return true;
  }
  return false;
}

// environment.pl: "NAME   padded data" rows; profiler.pl: "NAME -> data" rows.
std::vector<RipperEntry> environment_entries(const std::string& output) {
  static const std::regex kRow{R"(^(\S+)(?: -> |\s{2,})(.*)$)"};
  return entries_of(output, kRow, [](const std::smatch& match, const std::string&, auto& out) {
    if (catalog_reads_variable(match[1])) out.push_back({"Environment", match[1], trimmed(match[2])});
  });
}

// services.pl / svc.pl: the services RegRipper shows as Boot, System or Auto Start.
std::map<std::string, std::string> service_starts(const std::string& manifest_path) {
  std::map<std::string, std::string> starts;
  std::istringstream lines(regripper(corpus_file(manifest_path), "services"));
  static const std::regex kField{R"(^  (\w+)\s*= ?(.*)$)"};
  std::string name;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, kField)) continue;
    if (match[1] == "Name") name = match[2];
    if (match[1] == "Start") starts[lower(name)] = match[2];
  }
  return starts;
}

bool starts_by_itself(const std::string& start) {
  return start == "Boot Start" || start == "System Start" || start == "Auto Start";
}

std::vector<RipperEntry> autostart_service_entries(const std::string& manifest_path) {
  std::vector<RipperEntry> entries;
  for (const auto& [name, start] : service_starts(manifest_path)) {
    if (starts_by_itself(start)) entries.push_back({"\\Services\\" + name, "", ""});
  }
  return entries;
}

// svc.pl (CSV): "LastWrite,Name,DisplayName,ImagePath,Type,Start,Group" of the current control set.
std::vector<RipperEntry> svc_entries(const std::string& output) {
  static const std::regex kRow{R"(^[^,]+,([^,]+),[^,]*,[^,]*,[^,]*,([^,]*),.*$)"};
  return entries_of(output, kRow, [](const std::smatch& match, const std::string&, auto& out) {
    if (starts_by_itself(match[2])) out.push_back({"\\Services\\" + std::string(match[1]), "", ""});
  });
}

// svcdll.pl: "  Name -> ServiceDll" for the services whose ServiceDll the scan reports (the
// demand-start ones are left out, see the header).
std::vector<RipperEntry> svcdll_entries(const std::string& output) {
  static const std::regex kRow{R"(^  (\S+) -> (.+)$)"};
  return entries_of(output, kRow, [](const std::smatch& match, const std::string&, auto& out) {
    out.push_back({"\\Services\\" + std::string(match[1]), "", match[2]});
  });
}

std::vector<RipperEntry> lsa_entries(const std::string& output) {
  static const std::regex kPackages{R"(^(Authentication|Notification|Security) Packages\s*: (.*)$)"};
  return entries_of(output, kPackages, [](const std::smatch& match, const std::string&, auto& out) {
    out.push_back({"\\Control\\Lsa", std::string(match[1]) + " Packages", ""});
  });
}

// securityproviders.pl: "SecurityPrividers = credssp.dll" (sic).
std::vector<RipperEntry> security_provider_entries(const std::string& output) {
  static const std::regex kLine{R"(^SecurityPr\w+ = (.*)$)"};
  return entries_of(output, kLine, [](const std::smatch& match, const std::string&, auto& out) {
    out.push_back({"\\Control\\SecurityProviders", "SecurityProviders", match[1]});
  });
}

// printmon.pl: "Name  LastWrite: …" then "  Driver: dll".
std::vector<RipperEntry> print_monitor_entries(const std::string& output) {
  std::vector<RipperEntry> entries;
  std::istringstream lines(output);
  static const std::regex kMonitor{R"(^(.+?)  LastWrite: .*$)"};
  static const std::regex kDriver{R"(^  Driver: (.*)$)"};
  std::string monitor;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kMonitor)) monitor = match[1];
    if (std::regex_match(line, match, kDriver) && !monitor.empty())
      entries.push_back({"\\Print\\Monitors\\" + monitor, "Driver", match[1]});
  }
  return entries;
}

std::vector<RipperEntry> rdp_port_entries(const std::string& output) {
  static const std::regex kLine{R"(^Remote Desktop Listening Port Number = (\d+)$)"};
  return entries_of(output, kLine, [](const std::smatch& match, const std::string&, auto& out) {
    out.push_back({"\\WinStations\\RDP-Tcp", "PortNumber", match[1]});
  });
}

std::vector<RipperEntry> terminal_server_entries(const std::string& output) {
  static const std::regex kLine{R"(^  (fDenyTSConnections|fSingleSessionPerUser) = (\d+)$|^  StartupPrograms: (.*)$)"};
  return entries_of(output, kLine, [](const std::smatch& match, const std::string&, auto& out) {
    if (match[3].matched)
      out.push_back({"\\Wds\\rdpwd", "StartupPrograms", match[3]});
    else
      out.push_back({"\\Control\\Terminal Server", match[1], match[2]});
  });
}

// clsid.pl: "<time>  {GUID}\InprocServer32: data" / "<time>  {GUID}\LocalServer32 data".
std::vector<RipperEntry> clsid_server_entries(const std::string& output) {
  static const std::regex kLine{R"(^\S+ \S+  (\{[^}]+\}\\(?:InprocServer32|LocalServer32)):? (.+)$)"};
  return entries_of(output, kLine, [](const std::smatch& match, const std::string&, auto& out) {
    out.push_back({"CLSID\\" + std::string(match[1]), "", match[2], true});
  });
}

// The plugins that find nothing on these hives print their banner, the key they read and "… not found."
// lines; any other line is an entry this test must learn to compare.
void expect_reports_nothing(const std::string& plugin, const std::vector<const char*>& hives) {
  static const std::regex kNoEntry{
      R"(^$|^\S+ v\.\d+$|^\(.*\) .*$|^Launching .*$|^LastWrite(?: Time)?:? .*$|^.* not found\.$|)"
      R"(^(Software|ControlSet\d+)\\\S.*$)"};
  for (const char* manifest_path : hives) {
    std::istringstream lines(regripper(corpus_file(manifest_path), plugin));
    for (std::string line; std::getline(lines, line);) {
      EXPECT_TRUE(std::regex_match(line, kNoEntry)) << manifest_path << ": RegRipper " << plugin << " reports " << line;
    }
  }
}

const std::vector<const char*> kSystemHives = {"regipy/SYSTEM.xz", "regipy/SYSTEM_2.xz", "regipy/SYSTEM_WIN_10_1709.xz",
                                               "dissect.regf/SYSTEM.gz"};
const std::vector<const char*> kNtuserHives = {"plaso/NTUSER.DAT", "plaso/NTUSER-WIN7.DAT", "plaso/NTUSER-RunTests.DAT",
                                               "notatin/NTUSER.DAT", "regipy/NTUSER.DAT.xz"};
const std::vector<const char*> kUsrClassHives = {"regipy/UsrClass.dat.xz"};

// Runs `plugin` on every hive, checks each entry `parse` reads from its output against the scan, and
// returns how many entries were compared.
std::size_t compare_plugin(const std::string& plugin, const std::vector<const char*>& hives, RipperParser parse) {
  std::size_t compared = 0;
  for (const char* manifest_path : hives) {
    const auto& events = primary_scan(manifest_path);
    for (const auto& entry : parse(regripper(corpus_file(manifest_path), plugin))) {
      ++compared;
      EXPECT_TRUE(has_finding(events, entry)) << manifest_path << ": RegRipper " << plugin << " reports "
                                              << entry.key_suffix << " / " << entry.value_name << " = " << entry.data;
    }
  }
  return compared;
}

TEST(RegRipperComparison, RunEntriesOfTheNtuserHives) {
  // Not regipy/ntuser_software_partial: RegRipper's run plugin guesses that partial hive's type in Perl
  // hash order and prints no entry on some runs (its entries are asserted in ScanRealHives instead).
  EXPECT_GT(compare_plugin("run", kNtuserHives, run_entries), 5u);
}

TEST(RegRipperComparison, LoadEnvironmentAndProfilerEntriesOfTheNtuserHives) {
  EXPECT_GE(compare_plugin("load", kNtuserHives, load_entries), 1u);  // plaso NTUSER's empty `load`
  EXPECT_GE(compare_plugin("environment", kNtuserHives, environment_entries), 8u);
  EXPECT_GE(compare_plugin("profiler", kNtuserHives, environment_entries), 8u);
  for (const char* plugin : {"cmdproc", "mmo", "runvirtual", "psscript"}) expect_reports_nothing(plugin, kNtuserHives);
}

TEST(RegRipperComparison, AutostartServicesOfTheSystemHives) {
  for (const char* manifest_path : kSystemHives) {
    const auto& events = primary_scan(manifest_path);
    std::size_t compared = 0;
    for (const auto& entry : autostart_service_entries(manifest_path)) {
      ++compared;
      EXPECT_TRUE(has_finding(events, entry)) << manifest_path << ": RegRipper services reports " << entry.key_suffix;
    }
    EXPECT_GT(compared, 50u) << manifest_path;
  }
  EXPECT_GT(compare_plugin("svc", kSystemHives, svc_entries), 200u);
}

TEST(RegRipperComparison, ServiceDllsOfTheSystemHives) {
  std::size_t compared = 0;
  for (const char* manifest_path : kSystemHives) {
    const auto& events = primary_scan(manifest_path);
    const auto starts = service_starts(manifest_path);
    for (const auto& entry : svcdll_entries(regripper(corpus_file(manifest_path), "svcdll"))) {
      const auto name = lower(entry.key_suffix.substr(entry.key_suffix.rfind('\\') + 1));
      if (!starts.contains(name) || !starts_by_itself(starts.at(name))) continue;
      ++compared;
      const bool found = std::any_of(events.begin(), events.end(), [&](const json& event) {
        return lower(event["key_path"].get<std::string>()).ends_with(lower(entry.key_suffix)) &&
               event["details"].value("service_dll", "") == entry.data;
      });
      EXPECT_TRUE(found) << manifest_path << ": RegRipper svcdll reports " << entry.key_suffix << " -> " << entry.data;
    }
  }
  EXPECT_GT(compared, 50u);
}

TEST(RegRipperComparison, LsaAndSecurityProvidersOfTheSystemHives) {
  EXPECT_EQ(compare_plugin("lsa", kSystemHives, lsa_entries), 3 * kSystemHives.size());
  EXPECT_EQ(compare_plugin("securityproviders", kSystemHives, security_provider_entries), kSystemHives.size());
}

TEST(RegRipperComparison, PrintMonitorsAndTerminalServerOfTheSystemHives) {
  EXPECT_GT(compare_plugin("printmon", kSystemHives, print_monitor_entries), 4 * kSystemHives.size());
  EXPECT_EQ(compare_plugin("rdpport", kSystemHives, rdp_port_entries), kSystemHives.size());
  EXPECT_GE(compare_plugin("termserv", kSystemHives, terminal_server_entries), 2 * kSystemHives.size());
}

TEST(RegRipperComparison, EnvironmentOfTheSystemHives) {
  EXPECT_GE(compare_plugin("environment", kSystemHives, environment_entries), 6 * kSystemHives.size());
  EXPECT_GE(compare_plugin("profiler", kSystemHives, environment_entries), 6 * kSystemHives.size());
  for (const char* plugin : {"appcertdlls", "portproxy", "pending", "ntds"})
    expect_reports_nothing(plugin, kSystemHives);
}

TEST(RegRipperComparison, ComServersOfTheUsrClassHive) {
  EXPECT_GT(compare_plugin("clsid", kUsrClassHives, clsid_server_entries), 10u);
  expect_reports_nothing("scriptleturl", kUsrClassHives);
}

}  // namespace
}  // namespace regpersist
