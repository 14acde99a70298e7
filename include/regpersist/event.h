// Timeline events: the one record type every regpersist timeline is written from (persistence
// findings, login activity, key listings), the output formats (Timesketch JSONL/CSV, TSK bodyfile,
// TLN, Plaso l2tcsv, terminal table) and the after-hours rule.
//
// Field names follow Timesketch's import contract (message, datetime, timestamp, timestamp_desc)
// and Plaso's registry events (data_type, parser, key_path, values) so a merged sketch searches
// alike. Every JSON field keeps one JSON type on every line: absent text is "", absent lists [].
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "regpersist/finding.h"

namespace regpersist {

class TimeZone;  // regpersist/timezone.h

// Plaso's timestamp descriptions (plaso/lib/definitions.py) used by regpersist.
inline constexpr std::string_view kContentModificationTime = "Content Modification Time";
inline constexpr std::string_view kLastLoginTime = "Last Login Time";
inline constexpr std::string_view kLastLoginAttemptTime = "Last Login Attempt Time";
inline constexpr std::string_view kLastPasswordSetTime = "Last Password Set Time";
inline constexpr std::string_view kExpirationTime = "Expiration Time";
inline constexpr std::string_view kAccountCreated = "Account Created";
// regpersist's own, where Plaso has none: SAM badPasswordTime, ProfileList load/unload.
inline constexpr std::string_view kLastFailedLoginTime = "Last Failed Login Time";
inline constexpr std::string_view kProfileLoadTime = "Last Profile Load Time";
inline constexpr std::string_view kProfileUnloadTime = "Last Profile Unload Time";

struct Event {
  std::uint64_t filetime = 0;                  // UTC; written as datetime/timestamp
  std::string timestamp_desc;                  // Plaso wording ("Content Modification Time" …)
  std::string message;                         // one line, short
  std::string data_type;                       // "windows:registry:persistence", "windows:registry:sam_users" …
  std::string parser;                          // "regpersist/scan", "regpersist/sam" …
  std::string source_short = "REG";            // l2tcsv / TLN source
  std::string source_long = "Registry Key";    // l2tcsv sourcetype
  std::string key_path;                        // Plaso form "HKEY_LOCAL_MACHINE\\Software\\…" when known
  std::string value_name;                      // "" = key-level event or default value
  std::string data;                            // decoded value data (command line, DLL path …)
  std::string values;                          // Plaso-style "name: [TYPE] data" text
  std::map<std::string, std::string> details;  // decoder / account fields, always strings
  // Provenance
  std::string evidence;
  std::string hive_type;  // "SYSTEM", "NTUSER" …
  std::string hive_path;
  std::string hive_sha256;
  std::string host;
  std::string user;
  std::string sid;
  std::string rule_id;
  std::string technique;  // primary ATT&CK id
  std::string technique_name;
  std::string category;
  bool suspicious = false;
  std::vector<std::string> reasons;
  std::string provenance = "allocated";  // "allocated", "log", "deleted"
  // After-hours rule (mark_after_hours)
  bool after_hours = false;
  std::string after_hours_reason;
};

// One event per plausible time of the finding: the key's last-write ("Content Modification Time")
// and each FindingTime with its own description. A finding without any plausible time (zero,
// before 1700) yields nothing: the caller lists it in its table and a diagnostic instead.
std::vector<Event> events_from_finding(const Finding& finding);

enum class EventFormat { jsonl, csv, bodyfile, tln, l2tcsv, table };
inline constexpr std::string_view kEventFormatNames = "jsonl|csv|bodyfile|tln|l2tcsv|table";
std::optional<EventFormat> parse_event_format(std::string_view name);
std::vector<std::string> event_format_names();

struct OutputOptions {
  EventFormat format = EventFormat::jsonl;
  // Local time for the table and l2tcsv date/time columns; nullptr = UTC. Machine formats
  // (jsonl, csv, bodyfile, tln) are always UTC.
  const TimeZone* display_zone = nullptr;
};

// Sorts `events` by time (then hive, key, description, message: reproducible) and writes them.
void write_events(std::ostream& out, std::vector<Event>& events, const OutputOptions& options);
void sort_events(std::vector<Event>& events);

// Office hours: [start, end) local time on the workdays. Defaults 08:00-18:00 Mon-Fri.
struct OfficeHours {
  int start_minute = 8 * 60;
  int end_minute = 18 * 60;
  std::uint8_t workdays = 0b0111110;  // bit 0 = Sunday … bit 6 = Saturday
  std::string describe() const;       // "08:00-18:00 Mon-Fri"
};
// Parses "08:00-18:00" and "Mon-Fri" / "Mon,Tue,Sat" / "Sun-Thu"; throws Error on bad text.
OfficeHours parse_office_hours(std::string_view hours, std::string_view workdays);

// Sets after_hours and after_hours_reason on every event, judged in `zone`'s local time (DST
// included): "22:14 local (UTC+01:00 W. Europe Standard Time), outside 08:00-18:00 Mon-Fri".
void mark_after_hours(std::vector<Event>& events, const OfficeHours& hours, const TimeZone& zone);

// Human summary for stderr or the end of a table: time zone, counts, after-hours per technique.
void write_summary(std::ostream& out, const std::vector<Event>& events, const TimeZone& zone, const OfficeHours& hours);

}  // namespace regpersist
