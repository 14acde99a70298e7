// `regpersist scan EVIDENCE...`: finds every persistence entry of the catalog in the hives of the
// evidence (hive files, a folder of hives such as a triage collection, or a disk image), with its
// ATT&CK technique, key last-write time and reasons, as a table (default) or any timeline format, plus
// the T1133 exposure summary. What could not be read is reported on stderr and at the end of the table.
#include "regpersist/scan.h"

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/evidence_scan.h"
#include "cli/timeline_options.h"
#include "regpersist/event.h"

namespace regpersist::cli {

namespace {

struct ScanCommandOptions {
  EvidenceOptions inputs;
  TimelineOptions timeline;
  bool suspicious_only = false;
};

struct ScanTotals {
  std::vector<Event> events;
  std::vector<ExposureSummary> exposures;  // one per installation with anything to say
  std::optional<TimeZoneInfo> time_zone;
  std::size_t hives = 0;
};

void add_findings(const ScanResult& result, bool suspicious_only, ScanTotals& totals, Diagnostics& diagnostics) {
  for (const auto& finding : result.findings) {
    if (suspicious_only && !finding.suspicious()) continue;
    auto events = events_from_finding(finding);
    if (events.empty()) {
      diagnostics.warn(finding.hive_path, "finding without a usable time: " + finding.rule_id + " " + finding.key_path);
    }
    totals.events.insert(totals.events.end(), std::make_move_iterator(events.begin()),
                         std::make_move_iterator(events.end()));
  }
}

ScanTotals scan_totals(const ScanCommandOptions& options, const Catalog& catalog, Diagnostics& diagnostics) {
  ScanTotals totals;
  for (const auto& scanned : scan_evidence(options.inputs, catalog, diagnostics)) {
    const ScanResult& result = scanned.result;
    totals.hives += result.hives_scanned;
    if (!totals.time_zone) totals.time_zone = result.time_zone;
    add_findings(result, options.suspicious_only, totals, diagnostics);
    if (!options.suspicious_only)
      totals.events.insert(totals.events.end(), result.login_events.begin(), result.login_events.end());
    if (!result.exposure.lines().empty()) totals.exposures.push_back(result.exposure);
  }
  return totals;
}

// The end of the table: exposure summary, then every diagnostic (they are part of the result).
void write_table_trailer(std::ostream& out, const ScanTotals& totals, const Diagnostics& diagnostics) {
  for (const auto& exposure : totals.exposures) {
    out << "\nT1133 external remote services" << (exposure.exposed() ? " (exposed)" : "") << ":\n";
    for (const auto& line : exposure.lines()) out << "  " << line << "\n";
  }
  if (diagnostics.all().empty()) return;
  out << "\nDiagnostics:\n";
  for (const auto& item : diagnostics.all())
    out << "  " << to_string(item.severity) << ": " << item.file << ": " << item.message << "\n";
}

int exit_code_for(const ScanTotals& totals, const Diagnostics& diagnostics) {
  if (totals.hives == 0) return kFailure;
  return diagnostics.has_errors() ? kPartial : kSuccess;
}

int run(ScanCommandOptions options) {
  Diagnostics diagnostics;
  if (options.timeline.format.empty()) options.timeline.format = "table";
  auto setup = prepare_run(options.inputs, options.timeline, diagnostics);
  if (!setup) {
    print_diagnostics(diagnostics, options.inputs.quiet);
    return kUsage;
  }
  TimelineSettings& settings = setup->settings;
  auto totals = scan_totals(options, setup->catalog, diagnostics);
  if (totals.hives == 0) diagnostics.error("", "no hive could be scanned");
  settings.use_machine_zone(totals.time_zone);
  mark_after_hours(totals.events, settings.hours, settings.zone);
  try {
    Output output(options.timeline.output);
    write_events(output.stream(), totals.events, settings.output());
    if (!options.inputs.quiet) write_summary(std::cerr, totals.events, settings.zone, settings.hours);
    if (settings.format == EventFormat::table) write_table_trailer(output.stream(), totals, diagnostics);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    print_diagnostics(diagnostics, options.inputs.quiet);
    return kFailure;
  }
  print_diagnostics(diagnostics, options.inputs.quiet);
  return exit_code_for(totals, diagnostics);
}

}  // namespace

void add_scan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScanCommandOptions>();
  CLI::App* command = app.add_subcommand("scan", "Find registry persistence (ATT&CK TA0003) and T1133 exposure");
  add_evidence_options(*command, options->inputs);
  command->add_flag("--suspicious", options->suspicious_only, "Only entries with at least one reason");
  add_timeline_options(*command, options->timeline);
  command->footer(
      "Examples:\n"
      "  regpersist scan SYSTEM SOFTWARE NTUSER.DAT UsrClass.dat\n"
      "  regpersist scan /cases/kape/C --format jsonl -o persistence.jsonl   (Timesketch import)\n"
      "  regpersist scan disk.E01 --suspicious --tz Europe/Berlin\n"
      "  regpersist scan triage/ --rules site-allowlist.yaml\n"
      "Hive names are matched case-insensitively (SOFTWARE, SYSTEM, SAM, NTUSER.DAT, UsrClass.dat); each\n"
      "user's NTUSER.DAT and UsrClass.dat are kept together. The default output is a table; --format jsonl\n"
      "writes one Timesketch event per time of each finding. Diagnostics go to stderr and end the table.");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
