// The `scan` and `rules` subcommands as an analyst uses them: table output by default with the
// exposure summary and diagnostics at its end, --suspicious, --rules overriding a built-in rule,
// `rules list`, and `rules check` printing line-numbered problems with a failing exit code.
#include <gtest/gtest.h>

#include <fstream>

#include "support/testdata.h"
#include "support/catalog_planter.h"

namespace regpersist {
namespace {

using testsupport::run_command;

std::string binary() { return testsupport::regpersist_binary().string(); }

std::filesystem::path write_file(const std::string& test, const std::string& name, const std::string& text) {
  const auto path = testsupport::scratch_dir(test) / name;
  std::ofstream(path) << text;
  return path;
}

// A SYSTEM hive with RDP enabled on a moved port and an inbound rule opening it.
std::filesystem::path exposed_system_hive(const std::string& test) {
  testsupport::HiveBuilder system("SYSTEM");
  system.dword("Select", "Current", 1)
      .dword("ControlSet001\\Control\\Terminal Server", "fDenyTSConnections", 0)
      .dword("ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "PortNumber", 3390)
      .dword("ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "UserAuthentication", 0)
      .sz("ControlSet001\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules", "RDP-In",
          "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|Name=RDP custom|");
  const auto path = testsupport::scratch_dir(test) / "SYSTEM";
  system.write(path);
  return path;
}

TEST(ScanCli, TableByDefaultEndsWithTheExposureSummaryAndDiagnostics) {
  const auto hive = exposed_system_hive("scan_cli_table");
  const auto missing = (hive.parent_path() / "NTUSER.DAT").string();
  const auto result = run_command({binary(), "scan", hive.string(), missing});
  EXPECT_EQ(result.exit_code, 1) << result.err;  // one input missing, the other scanned
  EXPECT_NE(result.out.find("T1133 external remote services (exposed):"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("RDP: enabled, port 3390, NLA off"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Firewall opens RDP custom: rdp"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Diagnostics:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(missing), std::string::npos) << result.out;
  EXPECT_NE(result.err.find(missing), std::string::npos) << result.err;
}

TEST(ScanCli, RulesFileReplacesABuiltInRuleById) {
  const auto hive = exposed_system_hive("scan_cli_rules");
  const auto rules = write_file("scan_cli_rules_file", "site.yaml",
                                "rules:\n"
                                "  - id: rdp-listener\n"
                                "    title: Site RDP listener (port 3390 is ours)\n"
                                "    attack: [T1133]\n"
                                "    category: RDP\n"
                                "    hive: SYSTEM\n"
                                "    key: 'ControlSet*\\Control\\Terminal Server\\WinStations\\RDP-Tcp'\n"
                                "    values: [PortNumber]\n"
                                "    decoder: number\n"
                                "    default: [{data: '3390'}]\n");
  const auto result =
      run_command({binary(), "scan", hive.string(), "--rules", rules.string(), "--format", "jsonl", "--suspicious"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("\"value_name\":\"PortNumber\""), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"value_name\":\"fDenyTSConnections\""), std::string::npos) << result.out;
}

TEST(RulesCli, ListShowsEveryRule) {
  const auto result = run_command({binary(), "rules", "list"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto lines = std::count(result.out.begin(), result.out.end(), '\n');
  EXPECT_EQ(static_cast<std::size_t>(lines), builtin_catalog().rules.size() + 1);
  EXPECT_NE(result.out.find("run-hklm\tL001\tT1547.001\tRUN\tSOFTWARE\t"), std::string::npos);
}

TEST(RulesCli, CheckPrintsLineNumberedProblems) {
  const auto bad = write_file("rules_cli_check", "bad.yaml",
                              "rules:\n"
                              "  - id: ok-rule\n"
                              "    title: fine\n"
                              "    attack: [T1547]\n"
                              "    category: RUN\n"
                              "    hive: NTUSER\n"
                              "    key: 'Software\\X'\n"
                              "    values: all\n"
                              "    decoder: command\n"
                              "    colour: red\n");
  const auto result = run_command({binary(), "rules", "check", bad.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(bad.string() + ":10: unknown rule field 'colour'"), std::string::npos) << result.err;
  const auto good = write_file("rules_cli_check_good", "good.yaml",
                               "rules:\n  - {id: ok-rule, title: fine, attack: [T1547],\n"
                               "     category: RUN, hive: NTUSER, key: 'Software\\X',\n"
                               "     values: all, decoder: command}\n");
  const auto ok = run_command({binary(), "rules", "check", good.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("1 rules OK"), std::string::npos);
}

}  // namespace
}  // namespace regpersist
