// The rule engine's internals: what one scan knows about the machine and the user whose hives it reads
// (ScanContext), and running one rule over one hive (walking only the rule's key paths).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "regpersist/catalog.h"
#include "regpersist/decoders.h"
#include "regpersist/finding.h"
#include "regpersist/hive.h"

namespace regpersist {

struct ScanContext {
  const Hive* system = nullptr;
  const Hive* software = nullptr;
  const Hive* sam = nullptr;
  const Hive* ntuser = nullptr;
  const Hive* usrclass = nullptr;
  std::string evidence;
  std::string host;
  std::string user;  // per-user hives only
  std::string sid;
  ControlSets control_sets;
  Environment environment;
  // Upper-cased task GUIDs referenced by TaskCache\Tree `Id` values (filled on first use).
  mutable std::optional<std::set<std::string>> tree_task_ids;

  const Hive* hive_of(HiveType type) const;
};

// Every finding of `rule` in the context's hive of the rule's type (none when that hive is missing).
std::vector<Finding> run_rule(const Rule& rule, const ScanContext& context);

// HKEY_LOCAL_MACHINE\System\… / HKEY_LOCAL_MACHINE\Software\… / HKEY_CURRENT_USER\… (Plaso's form).
std::string plaso_key_path(HiveType type, const std::string& key_path);

}  // namespace regpersist
