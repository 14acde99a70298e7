// deleted_findings: recovered keys and values → a hive of their own → the catalog's rules → findings that
// name only recovered entries (see deleted_findings.h).
#include "catalog/deleted_findings.h"

#include <set>

#include "catalog/pattern.h"

namespace regpersist {

namespace {

struct DeletedEntries {
  std::vector<WrittenKey> keys;
  std::set<std::string> key_paths;                       // lower-cased
  std::set<std::pair<std::string, std::string>> values;  // lower-cased (key path, value name)

  bool holds(const Finding& finding) const {
    const auto key = to_lower_ascii(finding.key_path);
    return key_paths.contains(key) || values.contains({key, to_lower_ascii(finding.value_name)});
  }
};

std::uint64_t live_key_time(const Hive& hive, const std::string& path) {
  const auto key = hive.find(path);
  return key ? key->last_written() : 0;
}

DeletedEntries deleted_entries(const LoadedHive& loaded) {
  DeletedEntries entries;
  for (const RecoveredKey& key : loaded.deleted.keys) {
    if (!key.path_complete) continue;
    WrittenKey written{key.path, key.last_written, {}};
    entries.key_paths.insert(to_lower_ascii(key.path));
    for (const RecoveredValue& value : key.values) {
      written.values.push_back(value.value);
      entries.values.emplace(to_lower_ascii(key.path), to_lower_ascii(value.value.name));
    }
    entries.keys.push_back(std::move(written));
  }
  for (const RecoveredValue& value : loaded.deleted.values) {
    if (value.key_path.empty()) continue;  // an orphan: no key, no rule
    entries.keys.push_back({value.key_path, live_key_time(loaded.hive, value.key_path), {value.value}});
    entries.values.emplace(to_lower_ascii(value.key_path), to_lower_ascii(value.value.name));
  }
  return entries;
}

std::vector<Finding> matching_findings(const Catalog& catalog, const ScanContext& context, HiveType type,
                                       const LoadedHive& loaded, const DeletedEntries& entries) {
  Diagnostics ignored;  // problems of the recovered records were reported by recover_deleted
  const Hive deleted = Hive::open_bytes(write_hive(entries.keys), loaded.hive.label(), ignored);
  ScanContext deleted_context = context;
  deleted_context.subkeys = SubkeyCache{};  // the cache is keyed by hive address: keep it to this hive
  deleted_context.tree_task_ids.reset();
  std::vector<Finding> findings;
  for (const Rule& rule : catalog.rules) {
    if (rule.hive != type) continue;
    for (Finding& finding : run_rule(rule, deleted_context, deleted)) {
      if (!entries.holds(finding)) continue;
      finding.provenance = Provenance::deleted;
      finding.hive_sha256 = loaded.summary.sha256;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace

std::vector<Finding> deleted_findings(const Catalog& catalog, const ScanContext& context, HiveType type,
                                      const LoadedHive& loaded) {
  const DeletedEntries entries = deleted_entries(loaded);
  if (entries.keys.empty()) return {};
  try {
    return matching_findings(catalog, context, type, loaded, entries);
  } catch (const Error& error) {
    loaded.hive.diagnostics().warn(loaded.hive.label(),
                                   "recovered deleted data could not be checked against the rules: " + error.message());
    return {};
  }
}

}  // namespace regpersist