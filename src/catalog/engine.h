// The rule engine's internals: what one scan knows about the machine and the user whose hives it reads
// (ScanContext, with the subkey lists the rules share), and running one rule over one hive (walking only
// the rule's key paths).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "regpersist/catalog.h"
#include "regpersist/decoders.h"
#include "regpersist/finding.h"
#include "regpersist/hive.h"

namespace regpersist {

// The subkeys of every key a `*` level of a rule enumerated, by hive and key path: the rules that share
// a level (the ten-odd rules below `ControlSet*\Services\*`, the CLSID rules) read it once per scan.
class SubkeyCache {
 public:
  // `key` is the key of `hive` at `path`.
  const std::vector<Key>& subkeys(const Hive& hive, const Key& key, const std::string& path);

 private:
  std::map<std::pair<const Hive*, std::string>, std::vector<Key>> lists_;
};

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
  mutable SubkeyCache subkeys;

  const Hive* hive_of(HiveType type) const;
};

// Every finding of `rule` in the context's hive of the rule's type (none when that hive is missing).
std::vector<Finding> run_rule(const Rule& rule, const ScanContext& context);
// The same over `hive` instead (recovered deleted data read as a hive); the context's hives still answer
// the decoders' lookups (CLSIDs, TaskCache).
std::vector<Finding> run_rule(const Rule& rule, const ScanContext& context, const Hive& hive);

// HKEY_LOCAL_MACHINE\System\… / HKEY_LOCAL_MACHINE\Software\… / HKEY_CURRENT_USER\… (Plaso's form).
std::string plaso_key_path(HiveType type, const std::string& key_path);

}  // namespace regpersist
