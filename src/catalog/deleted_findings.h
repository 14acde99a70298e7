// Persistence in deleted data: the catalog's rules run, through the ordinary engine, over the keys and
// values recover_deleted found in one hive (written as a small hive of their own, see write_hive).
#pragma once

#include <vector>

#include "catalog/engine.h"
#include "regpersist/hive_load.h"

namespace regpersist {

// Findings of the rules for `type` (the hive's role in the installation) over `loaded`'s recovered deleted
// keys and values, with provenance "deleted" and the real hive's label and hash. A recovered value of a live
// key takes that key's last-write time; orphan values and keys whose path is incomplete match no rule.
std::vector<Finding> deleted_findings(const Catalog& catalog, const ScanContext& context, HiveType type,
                                      const LoadedHive& loaded);

}  // namespace regpersist
