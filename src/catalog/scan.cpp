// scan_installation: opens an installation's hives (transaction logs replayed first, deleted data recovered),
// builds what the rules need to know about the machine (control sets, host name, the machine environment)
// and about each user (name, SID, profile, environment), runs every rule over the matching hive and over its
// deleted data, and says where each finding came from (allocated, log, deleted).
#include "regpersist/scan.h"

#include <algorithm>

#include "catalog/deleted_findings.h"
#include "catalog/engine.h"
#include "catalog/pattern.h"
#include "regpersist/hive_load.h"
#include "regpersist/timeline.h"

namespace regpersist {

namespace {

constexpr std::string_view kProfileList = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";

std::optional<LoadedHive> open_source(const std::optional<HiveSource>& source, const char* role, const UserHives* user,
                                      const ScanOptions& options, Diagnostics& diagnostics) {
  if (!source) return std::nullopt;
  return load_hive(*source, role, user, options, diagnostics);
}

const Hive* hive_of(const std::optional<LoadedHive>& loaded) { return loaded ? &loaded->hive : nullptr; }

// A hive of a rule context with the type its rules have there (its role, whatever its content looks like).
struct ContextHive {
  HiveType type;
  const std::optional<LoadedHive>& loaded;
};

// "log" when the replay added or changed the finding's value (or, for a key-level finding, its key).
Provenance finding_provenance(const LoadedHive& loaded, const Finding& finding) {
  if (loaded.value_provenance(finding.key_path, finding.value_name) == Provenance::log) return Provenance::log;
  return finding.value_name.empty() ? loaded.key_provenance(finding.key_path) : Provenance::allocated;
}

// Provenance and the primary file's hash (not the replayed bytes') of a finding in a live hive.
void mark_source(Finding& finding, const std::vector<ContextHive>& hives) {
  for (const auto& hive : hives) {
    if (!hive.loaded || hive.type != finding.hive_type) continue;
    finding.provenance = finding_provenance(*hive.loaded, finding);
    finding.hive_sha256 = hive.loaded->summary.sha256;
  }
}

std::string active_control_set(const ControlSets& sets) {
  if (sets.current) return *sets.current;
  return sets.names.empty() ? std::string{} : sets.names.front();
}

// Variables of an `Environment` key (machine: Session Manager\Environment; user: NTUSER Environment).
void load_environment(const Hive& hive, const std::string& key_path, Environment& environment) {
  const auto key = hive.find(key_path);
  if (!key) return;
  for (const auto& value : key->values()) {
    const auto type = static_cast<ValueType>(value.type);
    if (type == ValueType::sz || type == ValueType::expand_sz) environment.set(value.name, value.as_string());
  }
}

ScanContext machine_context(const Installation& installation, const Hive* system, const Hive* software,
                            const Hive* sam) {
  ScanContext context;
  context.system = system;
  context.software = software;
  context.sam = sam;
  context.evidence = installation.evidence;
  context.environment = Environment::windows_defaults();
  if (system != nullptr) {
    context.control_sets = control_sets(*system);
    context.host = read_computer_name(*system);
    load_environment(*system, active_control_set(context.control_sets) + "\\Control\\Session Manager\\Environment",
                     context.environment);
  }
  return context;
}

std::string last_component(const std::string& path) {
  const auto slash = path.find_last_of("\\/");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// SID (and profile path) of a user from SOFTWARE ProfileList, matched by SID or by profile folder name.
void resolve_profile(const Hive* software, const Environment& environment, UserHives& user) {
  if (software == nullptr) return;
  const auto profiles = software->find(kProfileList);
  if (!profiles) return;
  for (const auto& profile : profiles->subkeys()) {
    auto image = profile.value("ProfileImagePath");
    if (!image) continue;
    const auto path = expand_environment(image->as_string(), environment);
    const bool same_sid = !user.sid.empty() && iequals(profile.name(), user.sid);
    const bool same_folder = user.sid.empty() && !user.user.empty() && iequals(last_component(path), user.user);
    if (!same_sid && !same_folder) continue;
    user.sid = profile.name();
    if (user.profile_path.empty()) user.profile_path = path;
    if (user.user.empty()) user.user = last_component(path);
    return;
  }
}

ScanContext user_context(const ScanContext& machine, UserHives user, const Hive* ntuser, const Hive* usrclass) {
  ScanContext context = machine;
  context.tree_task_ids.reset();
  context.ntuser = ntuser;
  context.usrclass = usrclass;
  resolve_profile(machine.software, machine.environment, user);
  if (user.user.empty() && !user.profile_path.empty()) user.user = last_component(user.profile_path);
  context.user = user.user;
  context.sid = user.sid;
  if (!user.profile_path.empty()) context.environment.set_user_profile(user.profile_path);
  if (ntuser != nullptr) load_environment(*ntuser, "Environment", context.environment);
  return context;
}

bool is_user_rule(const Rule& rule) { return rule.hive == HiveType::ntuser || rule.hive == HiveType::usrclass; }

void append(std::vector<Finding>&& found, std::vector<Finding>& out) {
  out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
}

// The machine's or a user's rules over the live hives of `context`, then over each hive's deleted data.
void run_rules(const Catalog& catalog, const ScanContext& context, bool user_rules,
               const std::vector<ContextHive>& hives, std::vector<Finding>& out) {
  const std::size_t first = out.size();
  for (const auto& rule : catalog.rules) {
    if (is_user_rule(rule) == user_rules) append(run_rule(rule, context), out);
  }
  for (std::size_t i = first; i < out.size(); ++i) mark_source(out[i], hives);
  for (const auto& hive : hives) {
    if (hive.loaded) append(deleted_findings(catalog, context, hive.type, *hive.loaded), out);
  }
}

void add_load_summary(const std::optional<LoadedHive>& loaded, const ScanContext& context, ScanResult& result) {
  if (!loaded) return;
  result.hive_loads.push_back(loaded->summary);
  if (loaded->summary.role != "NTUSER" && loaded->summary.role != "USRCLASS") return;
  result.hive_loads.back().user = context.user;
  result.hive_loads.back().sid = context.sid;
}

}  // namespace

ScanResult scan_installation(const Installation& installation, const ScanOptions& options, Diagnostics& diagnostics) {
  const Catalog& catalog = options.catalog != nullptr ? *options.catalog : builtin_catalog();
  ScanResult result;
  const auto system = open_source(installation.system, "SYSTEM", nullptr, options, diagnostics);
  const auto software = open_source(installation.software, "SOFTWARE", nullptr, options, diagnostics);
  const auto sam = open_source(installation.sam, "SAM", nullptr, options, diagnostics);
  result.hives_scanned += static_cast<std::size_t>(system.has_value()) + software.has_value() + sam.has_value();
  const auto machine = machine_context(installation, hive_of(system), hive_of(software), hive_of(sam));
  for (const auto* loaded : {&system, &software, &sam}) add_load_summary(*loaded, machine, result);
  run_rules(catalog, machine, false, {{HiveType::system, system}, {HiveType::software, software}, {HiveType::sam, sam}},
            result.findings);
  result.host = machine.host;
  if (system) result.time_zone = read_time_zone(system->hive);
  if (software) result.windows = read_windows_version(software->hive);
  result.login_events = login_events(hive_of(sam), hive_of(software), installation.evidence, machine.host);
  for (const auto& user : installation.users) {
    const auto ntuser = open_source(user.ntuser, "NTUSER", &user, options, diagnostics);
    const auto usrclass = open_source(user.usrclass, "USRCLASS", &user, options, diagnostics);
    if (!ntuser && !usrclass) continue;
    result.hives_scanned += static_cast<std::size_t>(ntuser.has_value()) + usrclass.has_value();
    const auto context = user_context(machine, user, hive_of(ntuser), hive_of(usrclass));
    add_load_summary(ntuser, context, result);
    add_load_summary(usrclass, context, result);
    run_rules(catalog, context, true, {{HiveType::ntuser, ntuser}, {HiveType::usrclass, usrclass}}, result.findings);
  }
  result.exposure = summarize_exposure(result.findings);
  return result;
}

}  // namespace regpersist
