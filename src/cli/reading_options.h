// How `scan`, `report` and `keys` read hives, as the command line says: --log FILE (repeatable) to add
// transaction logs, --no-logs to read primary files as they are, --no-deleted to skip deleted-data recovery;
// and evidence discovery with the --log files attached to their hives.
#pragma once

#include <string>
#include <vector>

#include "regpersist/discovery.h"
#include "regpersist/scan.h"

namespace CLI {
class App;
}

namespace regpersist::cli {

struct ReadingOptions {
  std::vector<std::string> logs;
  bool no_logs = false;
  bool no_deleted = false;

  ScanOptions scan_options(const Catalog* catalog = nullptr) const;
};

void add_reading_options(CLI::App& command, ReadingOptions& options);

// discover_evidence over `evidence`, then each --log attached to the hive it belongs to.
std::vector<Installation> discover_with_logs(const std::vector<std::string>& evidence, const ReadingOptions& options,
                                             Diagnostics& diagnostics, const DiscoveryOptions& discovery);

}  // namespace regpersist::cli
