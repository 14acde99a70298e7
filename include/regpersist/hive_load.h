// Opening one discovered hive the way `scan` and `keys` read it: its transaction logs replayed (unless
// turned off), what the replay added or changed (the "log" provenance), its deleted keys and values
// recovered (unless turned off), and the HiveLoadSummary of all that.
#pragma once

#include <optional>
#include <string>

#include "regpersist/evidence.h"
#include "regpersist/finding.h"
#include "regpersist/hive.h"
#include "regpersist/recover.h"
#include "regpersist/scan.h"

namespace regpersist {

struct LoadedHive {
  Hive hive;              // the primary file, replayed when its logs applied anything
  ReplayChanges changes;  // what the replay added or changed; empty without a replay
  RecoveredData deleted;  // empty when recovery is off
  HiveLoadSummary summary;

  // "log" for a key the replay added or re-timed, else "allocated" (paths as the replayed hive spells them).
  Provenance key_provenance(const std::string& key_path) const;
  // "log" for a value the replay added or changed, else "allocated".
  Provenance value_provenance(const std::string& key_path, const std::string& value_name) const;
};

// Loads `source` playing `role` ("SYSTEM", "NTUSER" … as installation_hives names them; `user` for per-user
// hives). A hive that cannot be opened is an error diagnostic naming it, and nothing is returned.
std::optional<LoadedHive> load_hive(const HiveSource& source, const std::string& role, const UserHives* user,
                                    const ScanOptions& options, Diagnostics& diagnostics);

}  // namespace regpersist
