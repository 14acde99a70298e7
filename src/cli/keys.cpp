// `regpersist keys EVIDENCE...`: the full-hive timeline of hive files, folders or disk images, one event per
// key with its last-write time and provenance (deleted keys and values included), sorted by time, in any
// timeline format, with the after-hours rule applied in each installation's own time zone.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/common.h"
#include "cli/progress.h"
#include "cli/reading_options.h"
#include "cli/timeline_options.h"
#include "regpersist/hive_load.h"
#include "regpersist/timeline.h"

namespace regpersist::cli {

namespace {

struct KeysOptions {
  std::vector<std::string> evidence;
  TimelineOptions timeline;
  ReadingOptions reading;
  bool quiet = false;
  ProgressMode progress = ProgressMode::automatic;
};

// The timeline of one installation, with the host name and time zone of its SYSTEM hive when it has one.
struct InstallationKeys {
  std::vector<Event> events;
  std::optional<TimeZoneInfo> zone;
  std::string host;
};

// Moves `more` to the end of `events`; the first batch is taken whole (an Event holds some twenty strings, so
// moving each one again is a visible cost on hives of a few hundred thousand keys).
void append_events(std::vector<Event>& events, std::vector<Event>&& more) {
  if (events.empty()) {
    events = std::move(more);
    return;
  }
  events.reserve(events.size() + more.size());
  events.insert(events.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

void report_untimed(const LoadedHive& loaded, std::size_t skipped, Diagnostics& diagnostics) {
  const auto& label = loaded.summary.label;
  if (skipped > 0)
    diagnostics.info(label, std::to_string(skipped) +
                                " keys without a plausible last-write time (zero or before 1700), not on the timeline");
  const auto orphans = std::count_if(loaded.deleted.values.begin(), loaded.deleted.values.end(),
                                     [](const RecoveredValue& value) { return value.key_path.empty(); });
  if (orphans > 0)
    diagnostics.info(label, std::to_string(orphans) + " deleted values without their key, not on the timeline");
}

InstallationKeys installation_keys(const Installation& installation, const ScanOptions& reading, Progress& progress,
                                   RunSummary& summary, Diagnostics& diagnostics) {
  InstallationKeys keys;
  for (const auto& row : installation_hives(installation)) {
    progress.step("keys", installation.evidence, row.hive->label);
    const auto loaded = load_hive(*row.hive, row.role, row.user, reading, diagnostics);
    if (!loaded) {
      ++summary.failed;
      continue;
    }
    ++summary.processed;
    if (row.role == "SYSTEM") {
      keys.zone = read_time_zone(loaded->hive);
      keys.host = read_computer_name(loaded->hive);
    }
    std::size_t skipped = 0;
    const HiveInfo info{row.hive->label, loaded->hive.type(), loaded->summary.sha256, installation.evidence, ""};
    auto found = loaded_key_events(*loaded, info, skipped);
    append_events(keys.events, std::move(found));
    report_untimed(*loaded, skipped, diagnostics);
  }
  return keys;
}

// Each installation's events get its host name and are judged in its own time zone (--tz overrides);
// an installation without a SYSTEM hive (loose user hives) takes the first one found.
std::vector<Event> merged_timeline(std::vector<InstallationKeys>& installations, TimelineSettings& settings) {
  const InstallationKeys* fallback = nullptr;
  for (const auto& keys : installations)
    if (!fallback && keys.zone) fallback = &keys;
  std::vector<Event> events;
  for (auto& keys : installations) {
    const InstallationKeys& machine = keys.zone || !fallback ? keys : *fallback;
    TimelineSettings local = settings;
    local.use_machine_zone(machine.zone);
    for (auto& event : keys.events) event.host = machine.host;
    mark_after_hours(keys.events, local.hours, local.zone);
    append_events(events, std::move(keys.events));
  }
  if (fallback) settings.use_machine_zone(fallback->zone);
  return events;
}

int exit_code_for(const RunSummary& summary, const Diagnostics& diagnostics) {
  if (summary.processed == 0) return kFailure;
  return diagnostics.has_errors() ? kPartial : kSuccess;
}

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
  std::vector<InstallationKeys> installations;
  {
    Progress progress(options.progress, options.quiet);
    const ScanOptions reading = options.reading.scan_options();
    for (const auto& installation :
         discover_with_logs(options.evidence, options.reading, diagnostics, progress.discovery_options()))
      installations.push_back(installation_keys(installation, reading, progress, summary, diagnostics));
  }
  auto events = merged_timeline(installations, settings);
  try {
    Output output(options.timeline.output);
    write_events(output.stream(), events, settings.output());
    if (!options.quiet) write_summary(std::cerr, events, settings.zone, settings.hours);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    print_diagnostics(diagnostics, options.quiet);
    return kFailure;
  }
  print_diagnostics(diagnostics, options.quiet);
  return exit_code_for(summary, diagnostics);
}

}  // namespace

void add_keys_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<KeysOptions>();
  CLI::App* command = app.add_subcommand("keys", "Timeline of every key's last-write time, sorted by time");
  command->add_option("evidence", options->evidence, "Hive files, folders of hives (triage collections) or disk images")
      ->required();
  add_reading_options(*command, options->reading);
  add_timeline_options(*command, options->timeline);
  command->add_flag("-q,--quiet", options->quiet, "Print only errors on stderr");
  add_progress_option(*command, options->progress);
  command->footer(
      "Examples:\n"
      "  regpersist keys NTUSER.DAT | head\n"
      "  regpersist keys SYSTEM SOFTWARE --format csv -o keys.csv\n"
      "  regpersist keys SYSTEM --format bodyfile | mactime -b - -y -d\n"
      "  regpersist keys disk.E01 --no-deleted -o keys.jsonl\n"
      "Each event: datetime (UTC, ISO 8601), timestamp (microseconds since 1970), key_path, hive_type,\n"
      "hive_path, hive_sha256, provenance (allocated; log: added or changed by the transaction-log replay;\n"
      "deleted: recovered from unallocated cells), after_hours and its reason (office hours judged in each\n"
      "installation's own time zone when it has a SYSTEM hive, else UTC or --tz).");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
