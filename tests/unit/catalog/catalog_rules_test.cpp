// The catalog as data: the embedded rules/persistence.yaml covers the research catalog (all 163 of
// its rows, every category); every rule finds a planted entry at its own key path and flags it, and
// does not flag its Windows default (its stated entries, or the location as a clean Windows holds
// it); a Windows entry that is emptied or missing (Userinit, BootExecute, LSA packages, KnownDLLs) is
// flagged as removed; rule files are validated with line-numbered problems and override built-in
// rules by id; key patterns expand as documented.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "catalog/pattern.h"
#include "regpersist/catalog.h"
#include "support/catalog_planter.h"

namespace regpersist {
namespace {

using testsupport::PlantedHives;

TEST(CatalogData, CoversTheResearchCatalogInEveryCategory) {
  const auto& catalog = builtin_catalog();
  std::set<std::string> rows, categories;
  for (const auto& rule : catalog.rules) {
    if (rule.ref.starts_with("L")) rows.insert(rule.ref);
    categories.insert(rule.category);
  }
  EXPECT_EQ(rows.size(), 163u) << "every row of the research catalog has a rule (README, rules section)";
  for (const char* code : {"RUN", "SAP", "SFR", "WLG", "BOOT", "ENV", "IFEO", "EXP", "COM", "TSK", "SVC",
                           "NET", "PRT", "LSA", "NSH", "OFF",  "ACC", "SHM",  "RDP", "COD", "OTH", "EXPO"}) {
    EXPECT_TRUE(categories.contains(code)) << code;
  }
  // The rows no peer tool covers (catalog §1.1) are all present.
  for (const char* row : {"L032", "L037", "L042", "L070", "L096", "L112", "L113", "L114", "L120", "L128", "L129",
                          "L137", "L138", "L149", "L152", "L156", "L157", "L158", "L159"}) {
    EXPECT_TRUE(rows.contains(row)) << row;
  }
}

TEST(CatalogData, EveryRuleHasItsAttackMapping) {
  for (const auto& rule : builtin_catalog().rules) {
    EXPECT_FALSE(rule.techniques.empty()) << rule.id;
    EXPECT_FALSE(rule.technique_name.empty()) << rule.id;
    EXPECT_FALSE(rule.category_name.empty()) << rule.id;
    EXPECT_GT(rule.line, 0) << rule.id;
  }
  const auto* run = builtin_catalog().find("run-hklm");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->techniques.front(), "T1547.001");
  EXPECT_EQ(run->technique_name, "Registry Run Keys / Startup Folder");
  EXPECT_EQ(run->hive, HiveType::software);
}

class EveryRule : public ::testing::TestWithParam<std::size_t> {
 protected:
  const Rule& rule() const { return builtin_catalog().rules.at(GetParam()); }
};

TEST_P(EveryRule, FindsAndFlagsAPlantedEntry) {
  PlantedHives hives;
  const auto time = testsupport::filetime(2024, 3, 5, 23, 10);
  const auto planted = testsupport::plant_positive(rule(), hives, time);
  const auto result = testsupport::scan_planted(hives, testsupport::single_rule_catalog(rule()));
  const auto found = std::find_if(result.findings.begin(), result.findings.end(), [&](const Finding& finding) {
    return iequals(finding.key_path, planted.key_path) && finding.value_name == planted.value_name;
  });
  ASSERT_NE(found, result.findings.end()) << rule().id << " did not report " << planted.key_path << " / "
                                          << planted.value_name << " (" << result.findings.size() << " findings)";
  EXPECT_EQ(found->rule_id, rule().id);
  EXPECT_EQ(found->techniques, rule().techniques);
  EXPECT_EQ(found->last_written, time);
  EXPECT_FALSE(found->plaso_key_path.empty());
  if (!testsupport::presence_only(rule())) {
    EXPECT_TRUE(found->suspicious()) << rule().id;
  }
  if (rule().hive == HiveType::ntuser || rule().hive == HiveType::usrclass) {
    EXPECT_EQ(found->user, "alice");
    EXPECT_EQ(found->sid, "S-1-5-21-1-2-3-1001");
  }
  if (rule().hive == HiveType::system && planted.key_path.starts_with("ControlSet")) {
    EXPECT_EQ(found->control_set, "ControlSet001");
    EXPECT_TRUE(found->active_control_set);
  }
}

TEST_P(EveryRule, DoesNotFlagItsWindowsDefaults) {
  PlantedHives hives;
  const auto shape = testsupport::plant_defaults(rule(), hives);
  ASSERT_NE(shape, testsupport::DefaultShape::unknown) << rule().id << ": the planter has no Windows default for it";
  const auto result = testsupport::scan_planted(hives, testsupport::single_rule_catalog(rule()));
  for (const auto& finding : result.findings) {
    EXPECT_FALSE(finding.suspicious()) << rule().id << " flagged its default " << finding.key_path << " / "
                                       << finding.value_name << " = " << finding.data << ": "
                                       << ::testing::PrintToString(finding.reasons);
  }
  if (shape == testsupport::DefaultShape::absent) {
    EXPECT_TRUE(result.findings.empty()) << rule().id;
  } else if (rule().report == ReportMode::all) {
    EXPECT_FALSE(result.findings.empty()) << rule().id;
  }
}

INSTANTIATE_TEST_SUITE_P(Catalog, EveryRule, ::testing::Range<std::size_t>(0, builtin_catalog().rules.size()),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                           auto name = builtin_catalog().rules.at(param.param).id;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Findings of the built-in rule `id` on the planted hives, by value name.
std::map<std::string, Finding> findings_of(const char* id, const PlantedHives& hives) {
  const auto* rule = builtin_catalog().find(id);
  EXPECT_NE(rule, nullptr) << id;
  std::map<std::string, Finding> by_value;
  if (rule == nullptr) return by_value;
  for (auto& finding : testsupport::scan_planted(hives, testsupport::single_rule_catalog(*rule)).findings)
    by_value.emplace(finding.key_path + "|" + finding.value_name, std::move(finding));
  return by_value;
}

bool has_reason(const Finding& finding, const std::string& reason) {
  return std::find(finding.reasons.begin(), finding.reasons.end(), reason) != finding.reasons.end();
}

constexpr const char* kWinlogon = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
constexpr const char* kSessionManager = "ControlSet001\\Control\\Session Manager";

TEST(CatalogRemovedDefaults, AnEmptiedUserinitIsRemovedAndAMissingShellToo) {
  PlantedHives hives;
  hives.software.sz(kWinlogon, "Userinit", "");
  const auto found = findings_of("winlogon-userinit", hives);
  ASSERT_TRUE(found.contains(std::string(kWinlogon) + "|Userinit"));
  const auto& userinit = found.at(std::string(kWinlogon) + "|Userinit");
  EXPECT_TRUE(has_reason(userinit, "non_default_value:removed")) << ::testing::PrintToString(userinit.reasons);
  EXPECT_EQ(userinit.details.at("removed"), "C:\\Windows\\system32\\userinit.exe");

  const auto shell = findings_of("winlogon-shell", hives);  // the key holds no Shell value at all
  ASSERT_TRUE(shell.contains(std::string(kWinlogon) + "|Shell"));
  EXPECT_TRUE(has_reason(shell.at(std::string(kWinlogon) + "|Shell"), "non_default_value:removed"));
}

TEST(CatalogRemovedDefaults, UserinitWithAnAddedProgramIsNotRemoved) {
  PlantedHives hives;
  hives.software.sz(kWinlogon, "Userinit", "C:\\Windows\\system32\\userinit.exe,C:\\Users\\Public\\u.exe,");
  const auto found = findings_of("winlogon-userinit", hives);
  ASSERT_EQ(found.size(), 1u);
  const auto& userinit = found.begin()->second;
  EXPECT_TRUE(has_reason(userinit, "non_default_value"));
  EXPECT_TRUE(has_reason(userinit, "user_writable_path"));
  EXPECT_FALSE(has_reason(userinit, "non_default_value:removed"));
}

TEST(CatalogRemovedDefaults, TheWow64WinlogonViewNeedsNoUserinit) {
  PlantedHives hives;
  hives.software.sz("Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon", "Background", "0 0 0");
  EXPECT_TRUE(findings_of("winlogon-userinit", hives).empty());
}

TEST(CatalogRemovedDefaults, BootExecuteWithoutAutocheckIsRemoved) {
  PlantedHives hives;
  hives.system.multi_sz(kSessionManager, "BootExecute", {"evilnative"});
  const auto found = findings_of("boot-execute", hives);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(has_reason(found.begin()->second, "non_default_value:removed"));
  EXPECT_EQ(found.begin()->second.details.at("removed"), "autocheck autochk *");
}

TEST(CatalogRemovedDefaults, LsaPackagesAndKnownDllsMissingTheirWindowsEntries) {
  PlantedHives hives;
  const std::string lsa = "ControlSet001\\Control\\Lsa";
  hives.system.multi_sz(lsa, "Notification Packages", {"rassfm"});
  hives.system.multi_sz(lsa, "Authentication Packages", {"msv1_0"});
  const auto notification = findings_of("lsa-notification-packages", hives);
  ASSERT_EQ(notification.size(), 1u);
  EXPECT_TRUE(has_reason(notification.begin()->second, "non_default_value:removed"));
  const auto authentication = findings_of("lsa-authentication-packages", hives);
  ASSERT_EQ(authentication.size(), 1u);
  EXPECT_FALSE(authentication.begin()->second.suspicious());

  const auto known = std::string(kSessionManager) + "\\KnownDLLs";
  hives.system.sz(known, "user32", "user32.dll");
  const auto dlls = findings_of("known-dlls", hives);
  EXPECT_TRUE(dlls.contains(known + "|kernel32"));
  EXPECT_TRUE(has_reason(dlls.at(known + "|kernel32"), "non_default_value:removed"));
  EXPECT_FALSE(dlls.contains(known + "|user32"));
}

TEST(CatalogFile, ProblemsNameTheirLine) {
  const std::string text =
      "rules:\n"
      "  - id: good-rule\n"
      "    title: A rule\n"
      "    attack: [T1547.001]\n"
      "    category: RUN\n"
      "    hive: NTUSER\n"
      "    key: 'Software\\Run'\n"
      "    values: all\n"
      "    decoder: command\n"
      "  - id: Bad_Id\n"
      "    title: Broken\n"
      "    attack: [X1]\n"
      "    category: RUN\n"
      "    hive: KERNEL\n"
      "    key: 'Software\\{Run'\n"
      "    values: all\n"
      "    decoder: nothing\n";
  std::vector<RuleProblem> problems;
  const auto catalog = parse_catalog(text, "site.yaml", &builtin_catalog(), problems);
  ASSERT_EQ(catalog.rules.size(), 1u);
  EXPECT_EQ(catalog.rules[0].technique_name, "Registry Run Keys / Startup Folder");
  std::set<std::string> lines;
  for (const auto& problem : problems) lines.insert(problem.to_string());
  EXPECT_TRUE(lines.contains("site.yaml:10: id 'Bad_Id' must use lower-case letters, digits and '-'"));
  EXPECT_TRUE(lines.contains("site.yaml:12: 'X1' is not an ATT&CK technique id (T1234 or T1234.001)"));
  EXPECT_TRUE(lines.contains("site.yaml:14: unknown hive 'KERNEL' (SOFTWARE, SYSTEM, NTUSER, USRCLASS, SAM)"));
  EXPECT_TRUE(lines.contains("site.yaml:15: unbalanced '{' in key pattern"));
  EXPECT_TRUE(lines.contains("site.yaml:17: unknown decoder 'nothing'"));
}

TEST(CatalogFile, NotYamlIsOneProblemWithItsLine) {
  std::vector<RuleProblem> problems;
  parse_catalog("rules:\n  - id: x\n    title: [unclosed\n", "bad.yaml", nullptr, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].message.starts_with("not valid YAML")) << problems[0].message;
  EXPECT_GT(problems[0].line, 1);
}

TEST(CatalogFile, ARuleOfTheSameIdReplacesTheBuiltInOne) {
  std::vector<RuleProblem> problems;
  const auto extra = parse_catalog(
      "rules:\n  - {id: run-hklm, title: Site Run, attack: [T1547.001], category: RUN, hive: SOFTWARE,\n"
      "     key: 'Microsoft\\Windows\\CurrentVersion\\Run', values: all, decoder: command,\n"
      "     default: [{value: SiteAgent}]}\n"
      "  - {id: site-extra, title: Extra, attack: [T1547], category: OTH, hive: SYSTEM, key: 'Setup', values: all,\n"
      "     decoder: text}\n",
      "site.yaml", &builtin_catalog(), problems);
  ASSERT_TRUE(problems.empty()) << problems.front().to_string();
  const auto merged = merge_catalogs(builtin_catalog(), extra);
  EXPECT_EQ(merged.rules.size(), builtin_catalog().rules.size() + 1);
  EXPECT_EQ(merged.find("run-hklm")->title, "Site Run");
  EXPECT_EQ(merged.find("run-hklm")->source, "site.yaml");
  EXPECT_NE(merged.find("site-extra"), nullptr);
}

TEST(CatalogPattern, ExpandsAlternativesOptionalTextAndKeepsGuids) {
  EXPECT_EQ(expand_braces("{Wow6432Node\\}Microsoft\\Run{Once{Ex}}"),
            (std::vector<std::string>{"Microsoft\\Run", "Microsoft\\RunOnce", "Microsoft\\RunOnceEx",
                                      "Wow6432Node\\Microsoft\\Run", "Wow6432Node\\Microsoft\\RunOnce",
                                      "Wow6432Node\\Microsoft\\RunOnceEx"}));
  EXPECT_EQ(expand_braces("CLSID\\{645FF040-5081-101B-9F08-00AA002F954E}\\shell"),
            (std::vector<std::string>{"CLSID\\{645FF040-5081-101B-9F08-00AA002F954E}\\shell"}));
  EXPECT_EQ(expand_braces("X\\{{083863F1-70DE-11d0-BD40-00A0C911CE86},{AC757296-3522-4E11-9862-C17BE5A1767E}}"),
            (std::vector<std::string>{"X\\{083863F1-70DE-11d0-BD40-00A0C911CE86}",
                                      "X\\{AC757296-3522-4E11-9862-C17BE5A1767E}"}));
  const auto segments = split_pattern("Classes\\[*]\\shellex\\*.sdb");
  ASSERT_EQ(segments.size(), 4u);
  EXPECT_FALSE(segments[1].glob);
  EXPECT_EQ(segments[1].text, "*");
  EXPECT_TRUE(segments[3].glob);
}

TEST(CatalogPattern, GlobsAreCaseInsensitive) {
  EXPECT_TRUE(glob_match("MicrosoftEdgeAutoLaunch_*", "microsoftedgeautolaunch_0123ABCD"));
  EXPECT_TRUE(glob_match("C:\\Windows\\System32\\*", "c:\\windows\\system32\\drivers\\x.sys"));
  EXPECT_FALSE(glob_match("C:\\Windows\\System32\\*", "C:\\Users\\Public\\x.dll"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("a*b", "acbd"));
}

}  // namespace
}  // namespace regpersist
