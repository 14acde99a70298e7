// What `scan` and `report` share before they write anything: the evidence inputs and rule files on
// the command line, the catalog they make, and the loop that discovers the installations in the
// evidence and scans each one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/progress.h"
#include "cli/reading_options.h"
#include "cli/timeline_options.h"
#include "regpersist/catalog.h"
#include "regpersist/error.h"
#include "regpersist/scan.h"

namespace CLI {
class App;
}

namespace regpersist::cli {

struct EvidenceOptions {
  std::vector<std::string> evidence;
  std::vector<std::string> rule_files;
  bool quiet = false;
  ProgressMode progress = ProgressMode::automatic;
  ReadingOptions reading;  // --log, --no-logs, --no-deleted
};

// EVIDENCE... (required), --rules FILE, -q/--quiet, --progress, --log FILE, --no-logs, --no-deleted.
void add_evidence_options(CLI::App& command, EvidenceOptions& options);

// What a run needs before it reads any input: the catalog (built-in, with each --rules file merged in)
// and the local-time settings. A problem in either is an error diagnostic and nothing is returned (the command then
// exits with kUsage).
struct RunSetup {
  Catalog catalog;
  TimelineSettings settings;
};
std::optional<RunSetup> prepare_run(const EvidenceOptions& inputs, const TimelineOptions& timeline,
                                    Diagnostics& diagnostics);

// Discovers the installations of every evidence input (progress on stderr unless quiet) and scans each.
std::vector<InstallationScan> scan_evidence(const EvidenceOptions& options, const Catalog& catalog,
                                            Diagnostics& diagnostics);

}  // namespace regpersist::cli
