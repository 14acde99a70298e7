// `regpersist report EVIDENCE... -o report.html`: scans the evidence like `scan` (same inputs, rules
// and local-time options) and writes an analyst report: one self-contained offline HTML page
// (default) or an ATT&CK Navigator layer (--format navigator). Diagnostics go to stderr and into the report.
#include "regpersist/report.h"

#include <CLI/CLI.hpp>
#include <chrono>

#include "cli/common.h"
#include "cli/evidence_scan.h"
#include "cli/timeline_options.h"
#include "regpersist/filetime.h"

namespace regpersist::cli {

namespace {

struct ReportCommandOptions {
  EvidenceOptions inputs;
  TimelineOptions timeline;  // --tz, --office-hours, --workdays (format and output are the report's own)
  std::string format = "html";
  std::string output;
};

std::string now_iso() {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return filetime_to_iso(unix_seconds_to_filetime(seconds), false);
}

// The machine's zone judges office hours when --tz is not given (the first installation that records one).
void use_machine_zone(TimelineSettings& settings, const std::vector<InstallationScan>& scans) {
  for (const auto& scan : scans) {
    if (!scan.result.time_zone) continue;
    settings.use_machine_zone(scan.result.time_zone);
    return;
  }
}

std::size_t hives_scanned(const std::vector<InstallationScan>& scans) {
  std::size_t hives = 0;
  for (const auto& scan : scans) hives += scan.result.hives_scanned;
  return hives;
}

void write_report(const ReportCommandOptions& options, const ReportInput& input) {
  Output output(options.output);
  if (options.format == "navigator")
    output.stream() << navigator_layer(input).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  else
    write_html_report(output.stream(), input);
  output.stream().flush();
  if (!output.stream()) throw Error(options.output, "could not write the report");
}

int run(const ReportCommandOptions& options) {
  Diagnostics diagnostics;
  auto setup = prepare_run(options.inputs, options.timeline, diagnostics);
  if (!setup) {
    print_diagnostics(diagnostics, options.inputs.quiet);
    return kUsage;
  }
  TimelineSettings& settings = setup->settings;
  ReportInput input;
  input.evidence = options.inputs.evidence;
  input.catalog = &setup->catalog;
  input.installations = scan_evidence(options.inputs, setup->catalog, diagnostics);
  const std::size_t hives = hives_scanned(input.installations);
  if (hives == 0) diagnostics.error("", "no hive could be scanned");
  use_machine_zone(settings, input.installations);
  input.zone = settings.zone;
  input.hours = settings.hours;
  input.generated = now_iso();
  input.diagnostics = diagnostics.all();
  try {
    write_report(options, input);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    print_diagnostics(diagnostics, options.inputs.quiet);
    return kFailure;
  }
  print_diagnostics(diagnostics, options.inputs.quiet);
  if (hives == 0) return kFailure;
  return diagnostics.has_errors() ? kPartial : kSuccess;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportCommandOptions>();
  CLI::App* command =
      app.add_subcommand("report", "Write an analyst report: offline HTML page or ATT&CK Navigator layer");
  add_evidence_options(*command, options->inputs);
  command
      ->add_option("--format", options->format,
                   "html (default): one self-contained page; navigator: ATT&CK Navigator layer JSON")
      ->check(CLI::IsMember({"html", "navigator"}));
  command->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  add_local_time_options(*command, options->timeline);
  command->footer(
      "Examples:\n"
      "  regpersist report /cases/kape/C -o report.html\n"
      "  regpersist report disk.E01 --tz Europe/Berlin -o report.html\n"
      "  regpersist report triage/ --format navigator -o layer.json   (load in the ATT&CK Navigator)\n"
      "The page opens offline from any browser: no network request, no server. It holds the case header\n"
      "(hives, hashes, dirty state, replay, recovered deleted entries), the T1133 exposure, a timeline\n"
      "chart with the office-hours band, the ATT&CK grid, every finding and every diagnostic.");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
