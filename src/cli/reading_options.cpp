// The hive-reading options shared by the subcommands that read evidence (reading_options.h).
#include "cli/reading_options.h"

#include <CLI/CLI.hpp>

namespace regpersist::cli {

ScanOptions ReadingOptions::scan_options(const Catalog* catalog) const {
  ScanOptions options;
  options.catalog = catalog;
  options.replay_logs = !no_logs;
  options.recover_deleted = !no_deleted;
  return options;
}

void add_reading_options(CLI::App& command, ReadingOptions& options) {
  command
      .add_option("--log", options.logs,
                  "Transaction log FILE to replay (repeatable); it joins the hive it is named after "
                  "(SYSTEM.LOG1 -> SYSTEM), else every dirty hive. Logs beside a hive are found without it")
      ->check(CLI::ExistingFile);
  command.add_flag("--no-logs", options.no_logs,
                   "Do not replay transaction logs: read each primary file as it is (a dirty one with a warning)");
  command.add_flag("--no-deleted", options.no_deleted, "Do not recover deleted keys and values from unallocated cells");
}

std::vector<Installation> discover_with_logs(const std::vector<std::string>& evidence, const ReadingOptions& options,
                                             Diagnostics& diagnostics, const DiscoveryOptions& discovery) {
  auto installations = discover_evidence(evidence, diagnostics, discovery);
  attach_logs(installations, options.logs, diagnostics);
  return installations;
}

}  // namespace regpersist::cli
