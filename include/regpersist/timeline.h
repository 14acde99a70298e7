// Timelines read straight from hives, as Events (regpersist/event.h): every key's last-write time
// (`regpersist keys`) and the login activity the registry keeps — SAM accounts (last logon, last
// failed logon, password change, counts) and SOFTWARE ProfileList load/unload times.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "regpersist/event.h"
#include "regpersist/hive.h"

namespace regpersist {

// Where the events come from: copied into every event's provenance fields.
struct HiveInfo {
  std::string path;  // hive path as given, or evidence path inside an image
  HiveType type = HiveType::other;
  std::string sha256;
  std::string evidence;  // what the user gave ("" = the hive path itself)
  std::string host;      // SYSTEM ComputerName, when known
};

// One "Content Modification Time" event per key with a plausible last-write time (bounded walk).
// key_path is the path below the hive root with a leading backslash ("\\Software\\Microsoft"), as
// reglookup prints it; keys without a plausible time are counted in `skipped`.
std::vector<Event> key_events(const Hive& hive, const HiveInfo& info, std::size_t& skipped);

// The key timeline of a hive as `scan` and `keys` load it (regpersist/hive_load.h): key_events with each
// key's provenance ("log" for a key the replay added or re-timed), one "deleted" event per recovered deleted
// key (its values in `values`) and one per recovered deleted value of a live key (at that key's last-write
// time). Keys without a plausible time are counted in `skipped`; orphan values (no key) have no time and
// are left out.
struct LoadedHive;
std::vector<Event> loaded_key_events(const LoadedHive& loaded, const HiveInfo& info, std::size_t& skipped);

// SYSTEM ControlSetNNN\Control\ComputerName\ComputerName of the active control set; "" if absent.
std::string read_computer_name(const Hive& system);

// SOFTWARE Microsoft\Windows NT\CurrentVersion: which Windows the installation runs.
struct WindowsVersion {
  std::string product_name;      // ProductName ("Windows 10 Pro"; Windows 11 keeps "Windows 10" here)
  std::string display_version;   // DisplayVersion ("22H2"), else ReleaseId ("1909"), else CSDVersion
  std::string build;             // CurrentBuildNumber (else CurrentBuild), ".UBR" appended when recorded
  std::string describe() const;  // "Windows 10 Pro 22H2 (build 19045.3803)"; "" when nothing is recorded
};
WindowsVersion read_windows_version(const Hive& software);

// RFC 4180 field quoting, with cells a spreadsheet would run as a formula neutralised by a leading '.
std::string csv_field(std::string_view text);

// One local account of SAM\Domains\Account\Users\<RID> (F and V records, Names\<name>).
struct SamAccount {
  std::uint32_t rid = 0;
  std::string name;              // V record user name, else the Names\ key naming this RID
  std::string full_name;         // V record
  std::string comment;           // V record
  std::string password_hint;     // UserPasswordHint value of the account key
  std::string sid;               // domain SID (SAM\Domains\Account\V) + "-RID"; "" when the domain V is unreadable
  std::uint64_t last_logon = 0;  // F+0x08
  std::uint64_t password_last_set = 0;   // F+0x18
  std::uint64_t account_expires = 0;     // F+0x20 (0 and 0x7FFFFFFFFFFFFFFF = never)
  std::uint64_t last_failed_logon = 0;   // F+0x28
  std::uint32_t acb_flags = 0;           // F+0x38
  std::uint16_t failed_logon_count = 0;  // F+0x40
  std::uint16_t logon_count = 0;         // F+0x42
  std::uint64_t created = 0;             // last-write of Names\<name> ("Account Created", as RegRipper)
  std::string key_path;                  // "SAM\\Domains\\Account\\Users\\000003E9"
  bool has_f_record = false;
};

// Every account with an F or V record; malformed records are reported to the hive's diagnostics.
std::vector<SamAccount> read_sam_accounts(const Hive& sam);
// "disabled, normal account, password does not expire" from the ACB flags.
std::string acb_flags_text(std::uint32_t flags);

// Login activity as events: per SAM account its last logon, last failed logon, password change,
// expiry and creation; per SOFTWARE ProfileList profile its last load and unload times. `info`
// gives each event's provenance (hive label, hash, evidence, host).
std::vector<Event> sam_events(const Hive& sam, const HiveInfo& info);
std::vector<Event> profile_list_events(const Hive& software, const HiveInfo& info);
// Both, for the hives of one installation that are present (either may be nullptr); provenance
// from each hive's label, type and hash.
std::vector<Event> login_events(const Hive* sam, const Hive* software, const std::string& evidence,
                                const std::string& host);

}  // namespace regpersist
