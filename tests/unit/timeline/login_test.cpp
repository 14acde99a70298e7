// Login activity from built hives: SAM F/V records, Names, domain SID, and ProfileList times, with
// hostile and truncated records.
#include <gtest/gtest.h>

#include "regpersist/filetime.h"
#include "regpersist/timeline.h"
#include "unit/timeline/timeline_test_support.h"

namespace regpersist {
namespace {

using testsupport::filetime;
using testsupport::HiveBuilder;

void put_u16(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint16_t value) {
  bytes[at] = static_cast<std::uint8_t>(value);
  bytes[at + 1] = static_cast<std::uint8_t>(value >> 8);
}
void put_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t value) {
  put_u16(bytes, at, static_cast<std::uint16_t>(value));
  put_u16(bytes, at + 2, static_cast<std::uint16_t>(value >> 16));
}
void put_u64(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint64_t value) {
  put_u32(bytes, at, static_cast<std::uint32_t>(value));
  put_u32(bytes, at + 4, static_cast<std::uint32_t>(value >> 32));
}

struct FRecord {
  std::uint64_t last_logon = 0, password_set = 0, expires = 0, failed = 0;
  std::uint32_t rid = 0, flags = 0x10;
  std::uint16_t failed_count = 0, logon_count = 0;
};

std::vector<std::uint8_t> f_record(const FRecord& f) {
  std::vector<std::uint8_t> bytes(80, 0);
  put_u16(bytes, 0, 3);
  put_u16(bytes, 2, 1);
  put_u64(bytes, 0x08, f.last_logon);
  put_u64(bytes, 0x18, f.password_set);
  put_u64(bytes, 0x20, f.expires);
  put_u64(bytes, 0x28, f.failed);
  put_u32(bytes, 0x30, f.rid);
  put_u32(bytes, 0x34, 513);
  put_u32(bytes, 0x38, f.flags);
  put_u16(bytes, 0x40, f.failed_count);
  put_u16(bytes, 0x42, f.logon_count);
  return bytes;
}

// V record: 17 descriptors (offset relative to 0xCC, length, 0) then the strings; index 0 is the
// security descriptor (here 4 dummy bytes).
std::vector<std::uint8_t> v_record(const std::vector<std::string>& strings) {
  std::vector<std::uint8_t> bytes(0xCC, 0);
  std::vector<std::uint8_t> data = {1, 0, 4, 0x80};
  put_u32(bytes, 4, 4);
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const auto encoded = testsupport::utf16le(strings[i], false);
    put_u32(bytes, (i + 1) * 12, static_cast<std::uint32_t>(data.size()));
    put_u32(bytes, (i + 1) * 12 + 4, static_cast<std::uint32_t>(encoded.size()));
    data.insert(data.end(), encoded.begin(), encoded.end());
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

std::vector<std::uint8_t> domain_v() {
  std::vector<std::uint8_t> bytes(48, 0);
  put_u32(bytes, 36, 4070822719u);
  put_u32(bytes, 40, 3404542230u);
  put_u32(bytes, 44, 2541167049u);
  return bytes;
}

const std::string kUsers = "SAM\\Domains\\Account\\Users";

HiveBuilder sam_hive() {
  HiveBuilder builder;
  builder.binary("SAM\\Domains\\Account", "V", domain_v());
  FRecord alice{filetime(2021, 3, 27, 2, 13),
                filetime(2020, 6, 1, 9),
                0x7FFFFFFFFFFFFFFF,
                filetime(2021, 3, 27, 2, 10),
                1001,
                0x210,
                3,
                42};
  builder.binary(kUsers + "\\000003E9", "F", f_record(alice))
      .binary(kUsers + "\\000003E9", "V", v_record({"alice", "Alice Liddell", "helpdesk \x1b[2J"}))
      .sz(kUsers + "\\000003E9", "UserPasswordHint", "rabbit");
  builder.value(kUsers + "\\Names\\alice", "", 1001, {});
  builder.key(kUsers + "\\Names\\alice", filetime(2019, 5, 4, 3, 2, 1));
  FRecord guest{0, 0, 0, 0, 501, 0x215, 0, 0};
  builder.binary(kUsers + "\\000001F5", "F", f_record(guest)).binary(kUsers + "\\000001F5", "V", v_record({"Guest"}));
  builder.binary(kUsers + "\\000003EA", "F", std::vector<std::uint8_t>(20, 0xFF));  // truncated F
  builder.value(kUsers + "\\Names\\truncated", "", 1002, {});
  builder.binary(kUsers + "\\000003EB", "V", std::vector<std::uint8_t>(0xCC, 0xFF));  // descriptors out of range
  builder.key(kUsers + "\\NotARid");
  return builder;
}

Hive open(const HiveBuilder& builder, const std::string& name, Diagnostics& diagnostics) {
  const auto file = testsupport::scratch_dir("login_" + name) / name;
  builder.write(file);
  return Hive::open_file(file, diagnostics);
}

TEST(SamAccounts, DecodesFAndVRecords) {
  Diagnostics diagnostics;
  const Hive sam = open(sam_hive(), "SAM", diagnostics);
  const auto accounts = read_sam_accounts(sam);
  ASSERT_EQ(accounts.size(), 4u);
  const auto alice = std::find_if(accounts.begin(), accounts.end(), [](auto& a) { return a.rid == 1001; });
  ASSERT_NE(alice, accounts.end());
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->full_name, "Alice Liddell");
  EXPECT_EQ(alice->sid, "S-1-5-21-4070822719-3404542230-2541167049-1001");
  EXPECT_EQ(alice->last_logon, filetime(2021, 3, 27, 2, 13));
  EXPECT_EQ(alice->last_failed_logon, filetime(2021, 3, 27, 2, 10));
  EXPECT_EQ(alice->password_last_set, filetime(2020, 6, 1, 9));
  EXPECT_EQ(alice->logon_count, 42);
  EXPECT_EQ(alice->failed_logon_count, 3);
  EXPECT_EQ(alice->acb_flags, 0x210u);
  EXPECT_EQ(alice->created, filetime(2019, 5, 4, 3, 2, 1));
  EXPECT_EQ(alice->password_hint, "rabbit");
  EXPECT_EQ(acb_flags_text(0x215),
            "account disabled, password not required, normal user account, password does not "
            "expire");
}

TEST(SamAccounts, MalformedRecordsAreReportedNotTrusted) {
  Diagnostics diagnostics;
  const Hive sam = open(sam_hive(), "SAM", diagnostics);
  const auto accounts = read_sam_accounts(sam);
  const auto truncated = std::find_if(accounts.begin(), accounts.end(), [](auto& a) { return a.rid == 1002; });
  ASSERT_NE(truncated, accounts.end());
  EXPECT_FALSE(truncated->has_f_record);
  EXPECT_EQ(truncated->name, "truncated");  // from Names when V is absent
  const auto bad_v = std::find_if(accounts.begin(), accounts.end(), [](auto& a) { return a.rid == 1003; });
  ASSERT_NE(bad_v, accounts.end());
  EXPECT_EQ(bad_v->name, "");
  const bool reported = std::any_of(diagnostics.all().begin(), diagnostics.all().end(), [](const Diagnostic& d) {
    return d.message.find("000003EA: F record of 20 bytes") != std::string::npos;
  });
  EXPECT_TRUE(reported);
}

TEST(SamEvents, OneEventPerRealTime) {
  Diagnostics diagnostics;
  const Hive sam = open(sam_hive(), "SAM", diagnostics);
  const auto events = sam_events(sam, HiveInfo{"SAM", HiveType::sam, "ab", "case", "WKS-07"});
  std::vector<std::string> alice;
  for (const auto& event : events)
    if (event.user == "alice") alice.push_back(event.timestamp_desc + " " + filetime_to_iso(event.filetime, false));
  std::sort(alice.begin(), alice.end());
  EXPECT_EQ(alice, (std::vector<std::string>{
                       "Account Created 2019-05-04T03:02:01Z", "Last Failed Login Time 2021-03-27T02:10:00Z",
                       "Last Login Time 2021-03-27T02:13:00Z", "Last Password Set Time 2020-06-01T09:00:00Z"}));
  for (const auto& event : events) EXPECT_TRUE(filetime_is_plausible(event.filetime));  // Guest: no times at all
  const auto& first = *std::find_if(events.begin(), events.end(), [](auto& e) { return e.user == "alice"; });
  EXPECT_EQ(first.key_path, "HKEY_LOCAL_MACHINE\\SAM\\SAM\\Domains\\Account\\Users\\000003E9");
  EXPECT_EQ(first.sid, "S-1-5-21-4070822719-3404542230-2541167049-1001");
  EXPECT_EQ(first.host, "WKS-07");
  EXPECT_EQ(first.data_type, "windows:registry:sam_users");
  EXPECT_EQ(first.details.at("login_count"), "42");
  EXPECT_EQ(first.details.at("failed_login_count"), "3");
  EXPECT_EQ(first.details.at("account_rid"), "1001");
  EXPECT_EQ(first.message,
            "[HKEY_LOCAL_MACHINE\\SAM\\SAM\\Domains\\Account\\Users\\000003E9] Username: alice Full name: Alice "
            "Liddell Comments: helpdesk \x1b[2J RID: 1001 Login count: 42 Failed login count: 3");
}

HiveBuilder software_hive(std::uint64_t load) {
  HiveBuilder builder;
  const std::string profiles = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";
  const std::string alice = profiles + "\\S-1-5-21-1-2-3-1001";
  builder.key("Classes").expand_sz(alice, "ProfileImagePath", "C:\\Users\\alice");
  builder.dword(alice, "LocalProfileLoadTimeHigh", static_cast<std::uint32_t>(load >> 32))
      .dword(alice, "LocalProfileLoadTimeLow", static_cast<std::uint32_t>(load));
  builder.dword(alice, "LocalProfileUnloadTimeHigh", 0).dword(alice, "LocalProfileUnloadTimeLow", 0);
  builder.expand_sz(profiles + "\\S-1-5-18", "ProfileImagePath", "%systemroot%\\system32\\config\\systemprofile");
  return builder;
}

TEST(ProfileListEvents, LoadAndUnloadTimes) {
  const std::uint64_t load = filetime(2021, 3, 27, 2, 13, 30);
  Diagnostics diagnostics;
  const Hive software = open(software_hive(load), "SOFTWARE", diagnostics);
  const auto events = profile_list_events(software, HiveInfo{"SOFTWARE", HiveType::software, "", "", ""});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].timestamp_desc, "Last Profile Load Time");
  EXPECT_EQ(events[0].filetime, load);
  EXPECT_EQ(events[0].user, "alice");
  EXPECT_EQ(events[0].sid, "S-1-5-21-1-2-3-1001");
  EXPECT_EQ(events[0].key_path,
            "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\S-1-5-21-1-2-3-1001");
}

TEST(LoginEvents, SamAndProfileListOfOneInstallation) {
  Diagnostics diagnostics;
  const Hive sam = open(sam_hive(), "SAM", diagnostics);
  const Hive software = open(software_hive(filetime(2021, 3, 27, 2, 13, 30)), "SOFTWARE", diagnostics);
  const auto both = login_events(&sam, &software, "case.E01", "WKS-07");
  const auto profiles = std::count_if(both.begin(), both.end(), [](const Event& e) {
    return e.data_type == "windows:registry:profile_list" && e.hive_type == "SOFTWARE";
  });
  EXPECT_EQ(profiles, 1);
  EXPECT_EQ(both.size(), sam_events(sam, HiveInfo{}).size() + 1);
  for (const auto& event : both) {
    EXPECT_EQ(event.evidence, "case.E01");
    EXPECT_EQ(event.host, "WKS-07");
    EXPECT_EQ(event.hive_path, event.hive_type == "SAM" ? sam.label() : software.label());
    EXPECT_EQ(event.hive_sha256, event.hive_type == "SAM" ? sam.sha256() : software.sha256());
  }
  EXPECT_EQ(login_events(nullptr, &software, "", "").size(), 1u);
  EXPECT_TRUE(login_events(nullptr, nullptr, "", "").empty());
}

}  // namespace
}  // namespace regpersist
