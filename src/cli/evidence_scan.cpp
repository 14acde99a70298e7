// The evidence inputs and the discover-then-scan loop shared by `scan` and `report` (evidence_scan.h).
#include "cli/evidence_scan.h"

#include <CLI/CLI.hpp>

#include "cli/progress.h"
#include "regpersist/discovery.h"

namespace regpersist::cli {

namespace {

// The built-in catalog with each --rules file merged in; problems in a file are errors (nothing returned).
std::optional<Catalog> load_rules(const std::vector<std::string>& files, Diagnostics& diagnostics) {
  Catalog catalog = builtin_catalog();
  bool ok = true;
  for (const auto& file : files) {
    std::vector<RuleProblem> problems;
    const Catalog extra = load_catalog_file(file, &catalog, problems);
    for (const auto& problem : problems) diagnostics.error(file, problem.to_string());
    ok = ok && problems.empty();
    catalog = merge_catalogs(catalog, extra);
  }
  if (!ok) return std::nullopt;
  return catalog;
}

}  // namespace

void add_evidence_options(CLI::App& command, EvidenceOptions& options) {
  command.add_option("evidence", options.evidence, "Hive files, folders of hives (triage collections) or disk images")
      ->required();
  command.add_option("--rules", options.rule_files, "Extra rule FILE (YAML); a rule with a built-in id replaces it")
      ->check(CLI::ExistingFile);
  command.add_flag("-q,--quiet", options.quiet, "Print only errors on stderr, no progress");
  add_progress_option(command, options.progress);
  add_reading_options(command, options.reading);
}

std::optional<RunSetup> prepare_run(const EvidenceOptions& inputs, const TimelineOptions& timeline,
                                    Diagnostics& diagnostics) {
  auto catalog = load_rules(inputs.rule_files, diagnostics);
  TimelineSettings settings;
  try {
    settings = resolve_timeline_options(timeline);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
  }
  if (!catalog || diagnostics.has_errors()) return std::nullopt;
  return RunSetup{std::move(*catalog), std::move(settings)};
}

std::vector<InstallationScan> scan_evidence(const EvidenceOptions& options, const Catalog& catalog,
                                            Diagnostics& diagnostics) {
  Progress progress(options.progress, options.quiet);
  const auto installations =
      discover_with_logs(options.evidence, options.reading, diagnostics, progress.discovery_options());
  const ScanOptions scan_options = options.reading.scan_options(&catalog);
  std::vector<InstallationScan> scans;
  for (const auto& installation : installations) {
    progress.step("scan", installation.evidence);
    scans.push_back(
        {installation.evidence, installation.root, scan_installation(installation, scan_options, diagnostics)});
  }
  return scans;
}

}  // namespace regpersist::cli
