// Login activity the registry keeps, as timeline events: SAM local accounts (F and V records of
// SAM\Domains\Account\Users\<RID>, names from Users\Names, domain SID from Account\V) and the
// SOFTWARE ProfileList load/unload times. Layouts: shared research anchors §4.4 (checked against
// RegRipper samparse). The records are decoded here because no Debian library decodes them.
#include <algorithm>
#include <cstdio>
#include <map>

#include "regpersist/filetime.h"
#include "regpersist/timeline.h"
#include "timeline/text.h"
#include "txlog/bytes.h"

namespace regpersist {

namespace {

constexpr std::string_view kUsersPath = "SAM\\Domains\\Account\\Users";
constexpr std::string_view kProfileListPath = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";
constexpr std::size_t kFRecordSize = 0x44;    // through the logon count
constexpr std::size_t kVHeaderSize = 0xCC;    // 17 descriptors of 12 bytes
constexpr std::size_t kMaxAccounts = 100000;  // cap on a hostile Users key
constexpr std::uint64_t kNeverExpires = 0x7FFFFFFFFFFFFFFF;

bool decode_f_record(const std::vector<std::uint8_t>& f, SamAccount& account) {
  if (f.size() < kFRecordSize) return false;
  account.last_logon = le64(f, 0x08);
  account.password_last_set = le64(f, 0x18);
  account.account_expires = le64(f, 0x20);
  account.last_failed_logon = le64(f, 0x28);
  account.acb_flags = le32(f, 0x38);
  account.failed_logon_count = le16(f, 0x40);
  account.logon_count = le16(f, 0x42);
  account.has_f_record = true;
  return true;
}

// String `index` of a V record: descriptor (offset relative to 0xCC, length) bounds-checked.
std::string v_string(const std::vector<std::uint8_t>& v, std::size_t index) {
  const std::size_t descriptor = index * 12;
  if (v.size() < kVHeaderSize) return "";
  const std::uint64_t offset = std::uint64_t{le32(v, descriptor)} + kVHeaderSize;
  const std::uint64_t length = le32(v, descriptor + 4);
  if (length == 0 || offset > v.size() || length > v.size() - offset) return "";
  const auto begin = v.begin() + static_cast<std::ptrdiff_t>(offset);
  return utf16le_to_utf8({&*begin, static_cast<std::size_t>(length)}, false);
}

// S-1-5-21-a-b-c from the last 12 bytes of SAM\Domains\Account\V.
std::string domain_sid(const Hive& sam) {
  const auto account = sam.find("SAM\\Domains\\Account");
  const auto v = account ? account->value("V") : std::nullopt;
  if (!v || v->data.size() < 12) return "";
  const std::size_t at = v->data.size() - 12;
  return "S-1-5-21-" + std::to_string(le32(v->data, at)) + "-" + std::to_string(le32(v->data, at + 4)) + "-" +
         std::to_string(le32(v->data, at + 8));
}

struct NameEntry {
  std::string name;
  std::uint64_t created = 0;
};

// Users\Names\<name>: the default value's type field holds the RID.
std::map<std::uint32_t, NameEntry> names_by_rid(const Key& users) {
  std::map<std::uint32_t, NameEntry> names;
  const auto names_key = users.subkey("Names");
  if (!names_key) return names;
  for (const auto& name_key : names_key->subkeys()) {
    const auto rid = name_key.value("");
    if (rid) names.emplace(rid->type, NameEntry{name_key.name(), name_key.last_written()});
    if (names.size() >= kMaxAccounts) break;
  }
  return names;
}

std::optional<std::uint32_t> rid_of_key_name(const std::string& name) {
  if (name.size() != 8) return std::nullopt;
  std::uint32_t rid = 0;
  for (const char c : name) {
    const int digit = std::isdigit(static_cast<unsigned char>(c))    ? c - '0'
                      : std::isxdigit(static_cast<unsigned char>(c)) ? (std::tolower(c) - 'a' + 10)
                                                                     : -1;
    if (digit < 0) return std::nullopt;
    rid = (rid << 4) | static_cast<std::uint32_t>(digit);
  }
  return rid;
}

std::string hex32(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%04x", value);
  return buffer;
}

std::optional<SamAccount> read_account(const Hive& sam, const Key& key, std::uint32_t rid,
                                       const std::map<std::uint32_t, NameEntry>& names, const std::string& sid) {
  SamAccount account;
  account.rid = rid;
  account.key_path = std::string(kUsersPath) + "\\" + key.name();
  const auto f = key.value("F");
  const auto v = key.value("V");
  if (f && !decode_f_record(f->data, account))
    sam.diagnostics().warn(sam.label(), account.key_path + ": F record of " + std::to_string(f->data.size()) +
                                            " bytes is too short; its times are not read");
  if (v) {
    account.name = v_string(v->data, 1);
    account.full_name = v_string(v->data, 2);
    account.comment = v_string(v->data, 3);
  }
  if (!f && !v) return std::nullopt;
  if (const auto hint = key.value("UserPasswordHint"))
    account.password_hint =
        hint->type == static_cast<std::uint32_t>(ValueType::sz) ? hint->as_string() : utf16le_to_utf8(hint->data, true);
  const auto named = names.find(rid);
  if (named != names.end()) {
    if (account.name.empty()) account.name = named->second.name;
    account.created = named->second.created;
  }
  if (!sid.empty()) account.sid = sid + "-" + std::to_string(rid);
  return account;
}

Event shared_event(const HiveInfo& info, std::string_view data_type, std::string_view parser,
                   std::string_view source_long) {
  Event event;
  event.data_type = data_type;
  event.parser = parser;
  event.source_long = source_long;
  event.category = "Login activity";
  event.evidence = info.evidence.empty() ? info.path : info.evidence;
  event.hive_type = hive_type_name(info.type);
  event.hive_path = info.path;
  event.hive_sha256 = info.sha256;
  event.host = info.host;
  return event;
}

void add_timed(std::vector<Event>& events, const Event& shared, std::uint64_t filetime, std::string_view description) {
  if (!filetime_is_plausible(filetime) || filetime == kNeverExpires) return;
  events.push_back(shared);
  events.back().filetime = filetime;
  events.back().timestamp_desc = description;
}

std::string account_message(const SamAccount& account, const std::string& key_path) {
  std::string message = "[" + key_path + "] Username: " + account.name;
  if (!account.full_name.empty()) message += " Full name: " + account.full_name;
  if (!account.comment.empty()) message += " Comments: " + account.comment;
  message += " RID: " + std::to_string(account.rid);
  if (account.has_f_record)
    message += " Login count: " + std::to_string(account.logon_count) +
               " Failed login count: " + std::to_string(account.failed_logon_count);
  return truncate_utf8(sanitize_utf8(message), 2048);
}

std::map<std::string, std::string> account_details(const SamAccount& account) {
  std::map<std::string, std::string> details = {{"account_rid", std::to_string(account.rid)},
                                                {"username", account.name},
                                                {"fullname", account.full_name},
                                                {"comments", account.comment},
                                                {"password_hint", account.password_hint}};
  if (account.has_f_record) {
    details["login_count"] = std::to_string(account.logon_count);
    details["failed_login_count"] = std::to_string(account.failed_logon_count);
    details["account_flags"] = hex32(account.acb_flags);
    details["account_flags_text"] = acb_flags_text(account.acb_flags);
  }
  return details;
}

// Plaso's name of a key of a SAM or SOFTWARE hive.
std::string plaso_key_path(HiveType type, std::string_view path) {
  return (type == HiveType::sam ? "HKEY_LOCAL_MACHINE\\SAM\\" : "HKEY_LOCAL_MACHINE\\Software\\") + std::string(path);
}

// A FILETIME split into two REG_DWORD values, e.g. LocalProfileLoadTimeHigh/Low.
std::uint64_t split_filetime(const Key& key, const std::string& prefix) {
  const auto high = key.value(prefix + "High");
  const auto low = key.value(prefix + "Low");
  std::uint64_t high_value = 0;
  std::uint64_t low_value = 0;
  if (!high || !low || !high->as_number(high_value) || !low->as_number(low_value)) return 0;
  return ((high_value & 0xFFFFFFFF) << 32) | (low_value & 0xFFFFFFFF);
}

std::string profile_user(const Key& profile) {
  const auto path = profile.value("ProfileImagePath");
  if (!path) return "";
  const std::string text = path->as_string();
  const auto slash = text.find_last_of("\\/");
  return slash == std::string::npos ? text : text.substr(slash + 1);
}

}  // namespace

std::string acb_flags_text(std::uint32_t flags) {
  static const std::pair<std::uint32_t, std::string_view> kFlags[] = {{0x0001, "account disabled"},
                                                                      {0x0002, "home directory required"},
                                                                      {0x0004, "password not required"},
                                                                      {0x0008, "temporary duplicate account"},
                                                                      {0x0010, "normal user account"},
                                                                      {0x0020, "MNS logon user account"},
                                                                      {0x0040, "interdomain trust account"},
                                                                      {0x0080, "workstation trust account"},
                                                                      {0x0100, "server trust account"},
                                                                      {0x0200, "password does not expire"},
                                                                      {0x0400, "account auto-locked"},
                                                                      {0x0800, "encrypted text password allowed"},
                                                                      {0x1000, "smartcard required"},
                                                                      {0x2000, "trusted for delegation"},
                                                                      {0x4000, "not delegated"},
                                                                      {0x8000, "DES key only"},
                                                                      {0x10000, "preauth not required"}};
  std::vector<std::string> names;
  for (const auto& [bit, name] : kFlags)
    if (flags & bit) names.emplace_back(name);
  return join(names, ", ");
}

std::vector<SamAccount> read_sam_accounts(const Hive& sam) {
  std::vector<SamAccount> accounts;
  const auto users = sam.find(kUsersPath);
  if (!users) return accounts;
  const auto names = names_by_rid(*users);
  const std::string sid = domain_sid(sam);
  for (const auto& key : users->subkeys()) {
    const auto rid = rid_of_key_name(key.name());
    if (!rid) continue;
    if (auto account = read_account(sam, key, *rid, names, sid)) accounts.push_back(std::move(*account));
    if (accounts.size() >= kMaxAccounts) break;
  }
  return accounts;
}

std::vector<Event> sam_events(const Hive& sam, const HiveInfo& info) {
  std::vector<Event> events;
  const Event base =
      shared_event(info, "windows:registry:sam_users", "regpersist/sam", "User Account Information Registry Key");
  for (const auto& account : read_sam_accounts(sam)) {
    Event shared = base;
    shared.key_path = plaso_key_path(HiveType::sam, account.key_path);
    shared.message = account_message(account, shared.key_path);
    shared.user = account.name;
    shared.sid = account.sid;
    shared.details = account_details(account);
    shared.data = account.name + " (RID " + std::to_string(account.rid) + ")";
    if (account.has_f_record)
      shared.data += " logons: " + std::to_string(account.logon_count) +
                     ", failed logons: " + std::to_string(account.failed_logon_count);
    add_timed(events, shared, account.last_logon, kLastLoginTime);
    add_timed(events, shared, account.last_failed_logon, kLastFailedLoginTime);
    add_timed(events, shared, account.password_last_set, kLastPasswordSetTime);
    add_timed(events, shared, account.account_expires, kExpirationTime);
    add_timed(events, shared, account.created, kAccountCreated);
  }
  return events;
}

std::vector<Event> profile_list_events(const Hive& software, const HiveInfo& info) {
  std::vector<Event> events;
  const auto profiles = software.find(kProfileListPath);
  if (!profiles) return events;
  const Event base =
      shared_event(info, "windows:registry:profile_list", "regpersist/profile_list", "User Profile Registry Key");
  for (const auto& profile : profiles->subkeys()) {
    Event shared = base;
    shared.key_path = plaso_key_path(HiveType::software, std::string(kProfileListPath) + "\\" + profile.name());
    shared.sid = profile.name();
    shared.user = profile_user(profile);
    const auto image_path = profile.value("ProfileImagePath");
    shared.details = {{"profile_path", image_path ? image_path->as_string() : ""}};
    shared.data = shared.details["profile_path"];
    shared.message = truncate_utf8(
        sanitize_utf8("[" + shared.key_path + "] Profile: " + shared.details["profile_path"] + " SID: " + shared.sid),
        2048);
    add_timed(events, shared, split_filetime(profile, "LocalProfileLoadTime"), kProfileLoadTime);
    add_timed(events, shared, split_filetime(profile, "LocalProfileUnloadTime"), kProfileUnloadTime);
    if (events.size() >= 2 * kMaxAccounts) break;
  }
  return events;
}

std::vector<Event> login_events(const Hive* sam, const Hive* software, const std::string& evidence,
                                const std::string& host) {
  std::vector<Event> events;
  if (sam) events = sam_events(*sam, HiveInfo{sam->label(), sam->type(), sam->sha256(), evidence, host});
  if (software) {
    auto profiles = profile_list_events(
        *software, HiveInfo{software->label(), software->type(), software->sha256(), evidence, host});
    events.insert(events.end(), std::make_move_iterator(profiles.begin()), std::make_move_iterator(profiles.end()));
  }
  return events;
}

}  // namespace regpersist
