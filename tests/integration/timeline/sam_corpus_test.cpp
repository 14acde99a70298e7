// SAM accounts of the shared corpus: the real last-logon, failed-logon and password-change times and
// the counts, asserted per account, and every account compared with RegRipper's samparse.
#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <regex>
#include <sstream>

#include "regpersist/filetime.h"
#include "regpersist/timeline.h"
#include "regpersist/timezone.h"
#include "testdata.h"

namespace regpersist {
namespace {

using testsupport::corpus_file;

std::vector<SamAccount> accounts_of(const std::string& manifest_path) {
  Diagnostics diagnostics;
  const Hive sam = Hive::open_file(corpus_file(manifest_path), diagnostics);
  return read_sam_accounts(sam);
}

const SamAccount& account(const std::vector<SamAccount>& accounts, std::uint32_t rid) {
  for (const auto& candidate : accounts)
    if (candidate.rid == rid) return candidate;
  throw std::runtime_error("no account with RID " + std::to_string(rid));
}

std::string iso(std::uint64_t filetime) {
  return filetime_is_plausible(filetime) ? filetime_to_iso(filetime, false) : "never";
}

TEST(SamCorpus, VelociraptorWindows10Account) {
  const auto accounts = accounts_of("velociraptor/SAM");
  ASSERT_EQ(accounts.size(), 5u);
  const SamAccount& test = account(accounts, 1001);
  EXPECT_EQ(test.name, "test");
  EXPECT_EQ(iso(test.last_logon), "2021-12-01T12:40:21Z");
  EXPECT_EQ(iso(test.password_last_set), "2021-10-07T08:07:32Z");
  EXPECT_EQ(iso(test.last_failed_logon), "2021-10-13T13:33:34Z");
  EXPECT_EQ(test.logon_count, 112);
  EXPECT_EQ(test.failed_logon_count, 0);
  EXPECT_EQ(test.acb_flags, 0x214u);
  EXPECT_EQ(test.account_expires, 0x7FFFFFFFFFFFFFFFu);
  EXPECT_EQ(account(accounts, 504).name, "WDAGUtilityAccount");
}

TEST(SamCorpus, PlasoGoldAdministrator) {
  const auto accounts = accounts_of("plaso/regf/SAM");
  const SamAccount& gold = account(accounts, 1001);
  EXPECT_EQ(gold.name, "gold_administrator");
  EXPECT_EQ(gold.sid, "S-1-5-21-4070822719-3404542230-2541167049-1001");
  EXPECT_EQ(iso(gold.last_logon), "2016-10-11T19:52:35Z");
  EXPECT_EQ(iso(gold.password_last_set), "2015-11-23T02:59:18Z");
  EXPECT_EQ(iso(gold.last_failed_logon), "never");
  EXPECT_EQ(iso(gold.created), "2015-11-23T02:59:18Z");
  EXPECT_EQ(gold.logon_count, 4);
  EXPECT_EQ(gold.password_hint, ".");
  EXPECT_EQ(account(accounts, 500).comment, "Built-in account for administering the computer/domain");
}

// Windows XP-era hive with many failed logons (counts checked with hivexget F, offset 0x40).
TEST(SamCorpus, DupeNameFailedLogonCounts) {
  const auto accounts = accounts_of("ericzimmerman-registry/Hives/SAM_DUPENAME");
  const SamAccount& admin = account(accounts, 500);
  EXPECT_EQ(admin.failed_logon_count, 16);
  EXPECT_EQ(admin.logon_count, 10);
  EXPECT_EQ(iso(admin.last_failed_logon), "2005-10-17T18:33:16Z");
  EXPECT_EQ(account(accounts, 1002).failed_logon_count, 17);
  const SamAccount& emily = account(accounts, 1007);
  EXPECT_EQ(emily.name, "emily");
  EXPECT_EQ(emily.failed_logon_count, 1);
  EXPECT_EQ(emily.logon_count, 792);
  EXPECT_EQ(iso(emily.last_logon), "2006-11-25T18:00:51Z");
  EXPECT_EQ(iso(emily.last_failed_logon), "2006-12-16T11:58:54Z");
  const SamAccount& harrymsn = account(accounts, 1023);
  EXPECT_EQ(harrymsn.failed_logon_count, 6);
  EXPECT_EQ(iso(harrymsn.last_failed_logon), "2007-11-11T15:27:42Z");
}

TEST(SamCorpus, RegipyPreston) {
  const auto accounts = accounts_of("regipy/SAM.xz");
  const SamAccount& preston = account(accounts, 1000);
  EXPECT_EQ(preston.name, "Preston");
  EXPECT_EQ(iso(preston.last_logon), "2014-09-30T02:59:34Z");
  EXPECT_EQ(iso(preston.password_last_set), "2014-09-24T03:35:45Z");
  EXPECT_EQ(preston.logon_count, 4);
}

// RegRipper prints "Tue Mar 18 10:20:47 2014 Z" or "Never".
std::string regripper_time(std::uint64_t filetime) {
  if (filetime == 0) return "Never";
  const std::time_t seconds = static_cast<std::time_t>(filetime_to_unix_micros(filetime) / 1'000'000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a %b %e %H:%M:%S %Y Z", &parts);
  return buffer;
}

struct RegRipperAccount {
  std::string name, last_login, password_reset, password_fail, login_count;
};

std::map<std::uint32_t, RegRipperAccount> regripper_accounts(const std::string& file) {
  const auto result = testsupport::run_command({"regripper", "-r", file, "-p", "samparse"});
  static const std::regex kUser(R"(^Username\s+: (.*) \[(\d+)\]$)");
  static const std::regex kField(R"(^(Last Login Date|Pwd Reset Date|Pwd Fail Date|Login Count)\s+: (.*)$)");
  std::map<std::uint32_t, RegRipperAccount> accounts;
  RegRipperAccount* current = nullptr;
  std::istringstream lines(result.out);
  std::smatch match;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, match, kUser)) {
      current = &accounts[static_cast<std::uint32_t>(std::stoul(match[2]))];
      current->name = match[1];
    } else if (current && std::regex_match(line, match, kField)) {
      const std::string label = match[1];
      (label == "Last Login Date"  ? current->last_login
       : label == "Pwd Reset Date" ? current->password_reset
       : label == "Pwd Fail Date"  ? current->password_fail
                                   : current->login_count) = match[2];
    }
  }
  return accounts;
}

TEST(SamCorpus, EveryAccountAgreesWithRegRipperSamparse) {
  std::size_t compared = 0;
  for (const auto& row : testsupport::read_manifest()) {
    if (row.hive_type != "SAM" || row.kind != "hive" || row.parse != "ok") continue;
    const std::string file = corpus_file(row.path).string();
    const auto theirs = regripper_accounts(file);
    const auto ours = accounts_of(row.path);
    ASSERT_EQ(ours.size(), theirs.size()) << row.path;
    for (const auto& mine : ours) {
      SCOPED_TRACE(row.path + " RID " + std::to_string(mine.rid));
      ASSERT_TRUE(theirs.count(mine.rid));
      const auto& expected = theirs.at(mine.rid);
      EXPECT_EQ(mine.name, expected.name);
      EXPECT_EQ(regripper_time(mine.last_logon), expected.last_login);
      EXPECT_EQ(regripper_time(mine.password_last_set), expected.password_reset);
      EXPECT_EQ(regripper_time(mine.last_failed_logon), expected.password_fail);
      EXPECT_EQ(std::to_string(mine.logon_count), expected.login_count);
      ++compared;
    }
  }
  EXPECT_GE(compared, 30u);  // anchors §4.4: 35 accounts over the shared SAM hives
}

TEST(SamCorpus, LoginEventsJudgedAfterHours) {
  Diagnostics diagnostics;
  const Hive sam = Hive::open_file(corpus_file("velociraptor/SAM"), diagnostics);
  auto events = sam_events(sam, HiveInfo{"SAM", HiveType::sam, sam.sha256(), "", ""});
  mark_after_hours(events, OfficeHours{}, TimeZone::from_iana("Europe/Berlin"));
  std::map<std::string, std::string> test_events;
  for (const auto& event : events)
    if (event.user == "test") test_events[event.timestamp_desc] = event.after_hours_reason;
  // Wed 2021-12-01 13:40 CET is inside office hours; the failed logon Wed 2021-10-13 15:33 CEST too.
  EXPECT_EQ(test_events.at("Last Login Time"), "");
  EXPECT_EQ(test_events.at("Last Failed Login Time"), "");
  // The password was set Thu 2021-10-07 10:07 CEST: inside; the WDAG account's Fri 02:50 CEST is not.
  EXPECT_EQ(test_events.at("Last Password Set Time"), "");
  const auto wdag = std::find_if(events.begin(), events.end(), [](const Event& e) {
    return e.user == "WDAGUtilityAccount" && e.timestamp_desc == "Last Password Set Time";
  });
  ASSERT_NE(wdag, events.end());
  EXPECT_EQ(wdag->after_hours_reason, "Fri 02:50 local (UTC+02:00 CEST), outside 08:00-18:00 Mon-Fri");
}

}  // namespace
}  // namespace regpersist
