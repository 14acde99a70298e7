// `regpersist keys HIVE...`: the full-hive timeline, one event per key with its last-write time,
// sorted by time, in any timeline format, with the after-hours rule applied.
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/timeline_options.h"
#include "regpersist/timeline.h"

namespace regpersist::cli {

namespace {

struct KeysOptions {
  std::vector<std::string> hives;
  TimelineOptions timeline;
  bool quiet = false;
};

// A SYSTEM hive among the inputs gives the machine's time zone and host name.
struct Machine {
  std::optional<TimeZoneInfo> zone;
  std::string host;
};

int run(const KeysOptions& options) {
  Diagnostics diagnostics;
  TimelineSettings settings;
  try {
    settings = resolve_timeline_options(options.timeline);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    print_diagnostics(diagnostics, options.quiet);
    return kUsage;
  }
  RunSummary summary;
  Machine machine;
  std::vector<Event> events;
  for_each_hive(options.hives, diagnostics, summary, [&](const Hive& hive, const std::string& path) {
    if (hive.type() == HiveType::system && !machine.zone) {
      machine.zone = read_time_zone(hive);
      machine.host = read_computer_name(hive);
    }
    std::size_t skipped = 0;
    auto found = key_events(hive, HiveInfo{path, hive.type(), hive.sha256(), path, ""}, skipped);
    events.insert(events.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    if (skipped > 0)
      diagnostics.info(path,
                       std::to_string(skipped) +
                           " keys without a plausible last-write time (zero or before 1700), not on the timeline");
  });
  for (auto& event : events)
    if (event.host.empty()) event.host = machine.host;
  try {
    settings.use_machine_zone(machine.zone);
    mark_after_hours(events, settings.hours, settings.zone);
    Output output(options.timeline.output);
    write_events(output.stream(), events, settings.output());
    if (!options.quiet) write_summary(std::cerr, events, settings.zone, settings.hours);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    print_diagnostics(diagnostics, options.quiet);
    return kFailure;
  }
  print_diagnostics(diagnostics, options.quiet);
  return summary.exit_code();
}

}  // namespace

void add_keys_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<KeysOptions>();
  CLI::App* command = app.add_subcommand("keys", "Timeline of every key's last-write time, sorted by time");
  command->add_option("hives", options->hives, "Hive files")->required();
  add_timeline_options(*command, options->timeline);
  command->add_flag("-q,--quiet", options->quiet, "Print only errors on stderr");
  command->footer(
      "Examples:\n"
      "  regpersist keys NTUSER.DAT | head\n"
      "  regpersist keys SYSTEM SOFTWARE --format csv -o keys.csv\n"
      "  regpersist keys SYSTEM --format bodyfile | mactime -b - -y -d\n"
      "Each event: datetime (UTC, ISO 8601), timestamp (microseconds since 1970), key_path, hive_type,\n"
      "hive_path, hive_sha256, after_hours and its reason (office hours judged in the machine's own time\n"
      "zone when a SYSTEM hive is given, else UTC or --tz).");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
