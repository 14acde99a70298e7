// scan_installation: opens an installation's hives (transaction logs replayed first), builds what the
// rules need to know about the machine (control sets, host name, the machine environment) and about
// each user (name, SID, profile, environment), and runs every rule over the matching hive.
#include "regpersist/scan.h"

#include <algorithm>

#include "catalog/engine.h"
#include "catalog/pattern.h"
#include "regpersist/timeline.h"
#include "regpersist/txlog.h"

namespace regpersist {

namespace {

constexpr std::string_view kProfileList = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";

std::optional<Hive> open_source(const std::optional<HiveSource>& source, const ScanOptions& options,
                                Diagnostics& diagnostics) {
  if (!source) return std::nullopt;
  try {
    auto bytes = source->bytes;
    if (options.replay_logs && !source->logs.empty())
      replay_transaction_logs(bytes, source->logs, source->label, diagnostics);
    return Hive::open_bytes(std::move(bytes), source->label, diagnostics);
  } catch (const Error& error) {
    diagnostics.error(error.file().empty() ? source->label : error.file(), error.message());
    return std::nullopt;
  }
}

std::optional<std::string> text_value(const Hive& hive, const std::string& key_path, std::string_view name) {
  auto key = hive.find(key_path);
  auto value = key ? key->value(name) : std::nullopt;
  if (!value) return std::nullopt;
  return value->as_string();
}

std::string active_control_set(const ControlSets& sets) {
  if (sets.current) return *sets.current;
  return sets.names.empty() ? std::string{} : sets.names.front();
}

std::string host_name(const Hive& system, const ControlSets& sets) {
  return text_value(system, active_control_set(sets) + "\\Control\\ComputerName\\ComputerName", "ComputerName")
      .value_or("");
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
    context.host = host_name(*system, context.control_sets);
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

void run_rules(const Catalog& catalog, const ScanContext& context, bool user_rules, std::vector<Finding>& out) {
  for (const auto& rule : catalog.rules) {
    if (is_user_rule(rule) != user_rules) continue;
    auto found = run_rule(rule, context);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
}

}  // namespace

ScanResult scan_installation(const Installation& installation, const ScanOptions& options, Diagnostics& diagnostics) {
  const Catalog& catalog = options.catalog != nullptr ? *options.catalog : builtin_catalog();
  ScanResult result;
  const auto system = open_source(installation.system, options, diagnostics);
  const auto software = open_source(installation.software, options, diagnostics);
  const auto sam = open_source(installation.sam, options, diagnostics);
  result.hives_scanned += static_cast<std::size_t>(system.has_value()) + software.has_value() + sam.has_value();
  const auto machine = machine_context(installation, system ? &*system : nullptr, software ? &*software : nullptr,
                                       sam ? &*sam : nullptr);
  run_rules(catalog, machine, false, result.findings);
  result.host = machine.host;
  if (system) result.time_zone = read_time_zone(*system);
  result.login_events = login_events(sam ? &*sam : nullptr, software ? &*software : nullptr, installation.evidence,
                                     machine.host);
  for (const auto& user : installation.users) {
    const auto ntuser = open_source(user.ntuser, options, diagnostics);
    const auto usrclass = open_source(user.usrclass, options, diagnostics);
    if (!ntuser && !usrclass) continue;
    result.hives_scanned += static_cast<std::size_t>(ntuser.has_value()) + usrclass.has_value();
    const auto context = user_context(machine, user, ntuser ? &*ntuser : nullptr, usrclass ? &*usrclass : nullptr);
    run_rules(catalog, context, true, result.findings);
  }
  result.exposure = summarize_exposure(result.findings);
  return result;
}

}  // namespace regpersist
