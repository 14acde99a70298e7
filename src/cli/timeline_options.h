// The timeline options `keys` and `scan` share: --format, -o, --tz, --office-hours, --workdays, and
// turning them into an output format, a time zone and office hours for a run.
#pragma once

#include <optional>
#include <string>

#include "regpersist/event.h"
#include "regpersist/timezone.h"

namespace CLI {
class App;
}

namespace regpersist::cli {

struct TimelineOptions {
  std::string format;  // "" = table on a terminal, jsonl otherwise
  std::string output;
  std::string tz;  // IANA name; "" = the machine's own (SYSTEM TimeZoneInformation), else UTC
  std::string office_hours = "08:00-18:00";
  std::string workdays = "Mon-Fri";
};

// --format, -o and the local-time options below.
void add_timeline_options(CLI::App& command, TimelineOptions& options);
// --tz, --office-hours, --workdays only (for subcommands with their own output formats).
void add_local_time_options(CLI::App& command, TimelineOptions& options);

// What a run writes with: format, time zone for the after-hours rule and the table, office hours.
struct TimelineSettings {
  EventFormat format = EventFormat::jsonl;
  TimeZone zone = TimeZone::utc();
  bool zone_given = false;  // --tz: also used for the table's and l2tcsv's local columns
  OfficeHours hours;
  OutputOptions output() const { return {format, zone_given ? &zone : nullptr}; }
  // Without --tz, the machine's own zone (SYSTEM TimeZoneInformation) judges office hours.
  void use_machine_zone(const std::optional<TimeZoneInfo>& machine);
};
// Checked before any input is read: throws Error for a bad --tz / --office-hours / --workdays.
TimelineSettings resolve_timeline_options(const TimelineOptions& options);

}  // namespace regpersist::cli
