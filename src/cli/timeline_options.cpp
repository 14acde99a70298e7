// Timeline options shared by the subcommands that write events (see timeline_options.h).
#include "cli/timeline_options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>

namespace regpersist::cli {

void add_timeline_options(CLI::App& command, TimelineOptions& options) {
  command
      .add_option("--format", options.format,
                  "jsonl, csv (Timesketch), bodyfile (mactime), tln, l2tcsv, table; default: table on a terminal, "
                  "else jsonl")
      ->check(CLI::IsMember(event_format_names()));
  command.add_option("-o,--output", options.output, "Write to FILE instead of stdout");
  add_local_time_options(command, options);
}

void add_local_time_options(CLI::App& command, TimelineOptions& options) {
  command.add_option("--tz", options.tz,
                     "Judge office hours and show the table in this IANA zone (Europe/Berlin); default: the "
                     "machine's zone from SYSTEM TimeZoneInformation, else UTC");
  command.add_option("--office-hours", options.office_hours, "Office hours, local time (default 08:00-18:00)");
  command.add_option("--workdays", options.workdays, "Workdays (default Mon-Fri; e.g. Sun-Thu, Mon,Wed)");
}

TimelineSettings resolve_timeline_options(const TimelineOptions& options) {
  TimelineSettings settings;
  const bool terminal = (options.output.empty() || options.output == "-") && isatty(STDOUT_FILENO);
  settings.format = options.format.empty() ? (terminal ? EventFormat::table : EventFormat::jsonl)
                                           : parse_event_format(options.format).value_or(EventFormat::jsonl);
  settings.hours = parse_office_hours(options.office_hours, options.workdays);
  if (!options.tz.empty()) {
    settings.zone = TimeZone::from_iana(options.tz);
    settings.zone_given = true;
  }
  return settings;
}

void TimelineSettings::use_machine_zone(const std::optional<TimeZoneInfo>& machine) {
  if (!zone_given && machine) zone = TimeZone::from_windows(*machine);
}

}  // namespace regpersist::cli
