// Decoders that need more of the hive than the matched value: COM resolution (a CLSID to its server,
// per-user overrides of machine CLSIDs and ProgIDs), the TaskCache join (Tree ↔ Tasks, hidden and
// orphan tasks, Actions and DynamicInfo), services (Start/Type/ServiceDll/FailureActions/TriggerInfo),
// remote-access tools, AppInit with LoadAppInit_DLLs, IFEO GlobalFlag with SilentProcessExit, the
// environment-variable hijacks and the SAM RID check.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "catalog/decoder_table.h"
#include "catalog/pattern.h"
#include "regpersist/decoders.h"

namespace regpersist {

namespace {

constexpr std::string_view kTaskCache = "Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\";
constexpr std::uint64_t kGlobalFlagSilentExit = 0x200;
constexpr std::uint64_t kGlobalFlagVerifier = 0x100;
constexpr std::size_t kSamRidOffset = 0x30;
constexpr std::size_t kSamAcbOffset = 0x38;

std::optional<std::string> string_value(const Key& key, std::string_view name) {
  auto value = key.value(name);
  if (!value) return std::nullopt;
  return value_strings(*value).front();
}

std::optional<std::uint64_t> number_value(const Key& key, std::string_view name) {
  auto value = key.value(name);
  std::uint64_t number = 0;
  if (!value || !value->as_number(number)) return std::nullopt;
  return number;
}

std::string upper_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool looks_like_guid(std::string_view text) { return text.size() == 38 && text.front() == '{' && text.back() == '}'; }

// The parent key's name of a path ("CLSID\{g}\InprocServer32" → "{g}").
std::string parent_name(const std::string& key_path) {
  const auto last = key_path.rfind('\\');
  if (last == std::string::npos) return {};
  const auto before = key_path.rfind('\\', last - 1);
  return key_path.substr(before == std::string::npos ? 0 : before + 1,
                         last - (before == std::string::npos ? 0 : before + 1));
}

// ------------------------------------------------------------------------------------------ COM

struct ComServer {
  std::string server;
  std::string where;  // "user" or "machine"
};

std::optional<std::string> class_server(const Hive* hive, const std::string& classes_prefix, const std::string& clsid) {
  if (hive == nullptr) return std::nullopt;
  for (const char* kind : {"InprocServer32", "LocalServer32"}) {
    for (const char* branch : {"CLSID\\", "Wow6432Node\\CLSID\\"}) {
      if (auto key = hive->find(classes_prefix + branch + clsid + "\\" + kind)) {
        if (auto server = string_value(*key, "")) return server;
      }
    }
  }
  return std::nullopt;
}

std::optional<ComServer> resolve_clsid(const ScanContext& context, const std::string& clsid) {
  if (auto server = class_server(context.usrclass, "", clsid)) return ComServer{*server, "user"};
  if (auto server = class_server(context.software, "Classes\\", clsid)) return ComServer{*server, "machine"};
  return std::nullopt;
}

bool machine_has_clsid(const ScanContext& context, const std::string& clsid) {
  if (context.software == nullptr) return false;
  return context.software->find("Classes\\CLSID\\" + clsid) ||
         context.software->find("Classes\\Wow6432Node\\CLSID\\" + clsid);
}

void add_resolved_clsid(const ScanContext& context, const std::string& clsid, Decoded& out) {
  out.details["clsid"] = clsid;
  const auto server = resolve_clsid(context, clsid);
  if (!server) {
    out.elements.push_back({clsid, ElementKind::text, {}});
    return;
  }
  out.details["server"] = server->server;
  out.details["server_registered_for"] = server->where;
  out.elements.push_back(path_element(server->server, context.environment));
}

// A CLSID in the value data (ShellServiceObjectDelayLoad, overlay identifiers) or in its name
// (SharedTaskScheduler, ShellExecuteHooks, URLSearchHooks).
void decode_clsid(const DecodeInput& input, Decoded& out) {
  const auto data = value_strings(*input.value).front();
  const auto clsid = looks_like_guid(data) || !looks_like_guid(input.value->name) ? data : input.value->name;
  out.data = clsid;
  add_resolved_clsid(input.context, clsid, out);
}

void decode_key_clsid(const DecodeInput& input, Decoded& out) {
  out.data = input.key.name();
  add_resolved_clsid(input.context, input.key.name(), out);
}

// UsrClass CLSID\{g}\InprocServer32|LocalServer32|TreatAs: the per-user server, flagged when it
// overrides a CLSID the machine registers.
void decode_com_server(const DecodeInput& input, Decoded& out) {
  out.data = value_strings(*input.value).front();
  const auto clsid = parent_name(input.key_path);
  out.details["clsid"] = clsid;
  const auto& name = input.key.name();
  if (iequals(name, "LocalServer32"))
    out.elements.push_back(command_element(out.data, input.context.environment, out));
  else if (iequals(name, "TreatAs"))
    out.elements.push_back({out.data, ElementKind::text, {}});
  else
    out.elements.push_back(path_element(out.data, input.context.environment));
  if (machine_has_clsid(input.context, clsid)) {
    out.reasons.push_back("com_user_override");
    if (auto machine = class_server(input.context.software, "Classes\\", clsid))
      out.details["machine_server"] = *machine;
  }
}

// UsrClass <ProgID>\CLSID mapping a machine ProgID to another CLSID.
void decode_progid(const DecodeInput& input, Decoded& out) {
  const auto progid = input.key_path.substr(0, input.key_path.find('\\'));
  out.data = value_strings(*input.value).front();
  out.details["progid"] = progid;
  if (iequals(progid, "CLSID") || iequals(progid, "Wow6432Node") || input.context.software == nullptr) return;
  const auto machine_key = input.context.software->find("Classes\\" + progid + "\\CLSID");
  const auto machine = machine_key ? string_value(*machine_key, "") : std::nullopt;
  if (!machine || iequals(*machine, out.data)) return;
  out.details["machine_clsid"] = *machine;
  out.reasons.push_back("com_user_override");
  add_resolved_clsid(input.context, out.data, out);
}

// ------------------------------------------------------------------------------------------ TaskCache

std::string task_path_of(const std::string& tree_key_path) {
  const auto tree = to_lower_ascii(tree_key_path).find("\\tree\\");
  return tree == std::string::npos ? tree_key_path : tree_key_path.substr(tree + 5);
}

std::optional<Key> task_definition(const ScanContext& context, const std::string& id) {
  if (context.software == nullptr || id.empty()) return std::nullopt;
  return context.software->find(std::string(kTaskCache) + "Tasks\\" + id);
}

// hidden_task when the Tree leaf has no SD, an Index of 0, or no Tasks\{Id} definition.
std::vector<std::string> hidden_task_reasons(const Key& tree_leaf, const std::optional<Key>& definition,
                                             std::map<std::string, std::string>& details) {
  std::vector<std::string> why;
  if (!tree_leaf.value("SD")) why.push_back("no SD value");
  if (number_value(tree_leaf, "Index") == std::uint64_t{0}) why.push_back("Index 0");
  if (!definition) why.push_back("no Tasks definition");
  if (why.empty()) return {};
  details["hidden_because"] = join_list(why);
  return {"hidden_task"};
}

void add_task_times(const Key& definition, Decoded& out) {
  auto value = definition.value("DynamicInfo");
  if (!value) return;
  const auto info = decode_dynamic_info(value->data);
  if (info.registered != 0) out.times.push_back({info.registered, "Task Registered Time"});
  if (info.last_run != 0) out.times.push_back({info.last_run, "Task Last Run Time"});
  if (info.last_completed.value_or(0) != 0) out.times.push_back({*info.last_completed, "Task Completed Time"});
  if (!info.error.empty()) out.details["dynamic_info_error"] = info.error;
}

void add_task_actions(const ScanContext& context, const Key& definition, Decoded& out) {
  auto value = definition.value("Actions");
  if (!value) return;
  const auto actions = decode_task_actions(value->data);
  if (!actions.context.empty()) out.details["run_as"] = actions.context;
  if (!actions.error.empty()) out.details["actions_error"] = actions.error;
  std::string summary;
  for (const auto& action : actions.actions) {
    std::string text;
    if (action.type == TaskActionType::exec) {
      text = action.arguments.empty() ? action.command : action.command + " " + action.arguments;
      out.elements.push_back(command_element(text, context.environment, out));
    } else if (action.type == TaskActionType::com_handler) {
      text = action.clsid + (action.data.empty() ? "" : " " + action.data);
      add_resolved_clsid(context, action.clsid, out);
    } else {
      text = task_action_type_name(action.type);
    }
    summary += (summary.empty() ? "" : "; ") + text;
  }
  out.data = summary;
}

void decode_task(const DecodeInput& input, Decoded& out) {
  const auto id = value_strings(*input.value).front();
  const auto definition = task_definition(input.context, id);
  out.details["task"] = task_path_of(input.key_path);
  out.details["task_id"] = id;
  out.reasons = hidden_task_reasons(input.key, definition, out.details);
  out.data = out.details["task"];
  if (!definition) return;
  for (const char* field : {"Author", "Description", "Date", "URI"}) {
    if (auto text = string_value(*definition, field)) out.details[to_lower_ascii(field)] = *text;
  }
  add_task_actions(input.context, *definition, out);
  add_task_times(*definition, out);
}

void decode_task_hidden(const DecodeInput& input, Decoded& out) {
  const auto id = value_strings(*input.value).front();
  out.data = task_path_of(input.key_path);
  out.details["task_id"] = id;
  out.reasons = hidden_task_reasons(input.key, task_definition(input.context, id), out.details);
}

const std::set<std::string>& tree_task_ids(const ScanContext& context) {
  if (context.tree_task_ids) return *context.tree_task_ids;
  context.tree_task_ids.emplace();
  const auto tree = context.software ? context.software->find(std::string(kTaskCache) + "Tree") : std::nullopt;
  std::vector<Key> stack;
  if (tree) stack.push_back(*tree);
  for (std::size_t visited = 0; !stack.empty() && visited < 200000; ++visited) {
    const Key key = stack.back();
    stack.pop_back();
    if (auto id = string_value(key, "Id")) context.tree_task_ids->insert(upper_ascii(*id));
    for (auto& child : key.subkeys()) stack.push_back(std::move(child));
  }
  return *context.tree_task_ids;
}

// Tasks\{GUID} that no Tree entry names: the task runs but no tool lists it.
void decode_task_orphan(const DecodeInput& input, Decoded& out) {
  out.data = string_value(input.key, "Path").value_or(input.key.name());
  if (tree_task_ids(input.context).contains(upper_ascii(input.key.name()))) return;
  out.details["hidden_because"] = "no Tree entry";
  out.reasons.push_back("hidden_task");
}

void decode_task_index(const DecodeInput& input, Decoded& out) {
  const auto definition = task_definition(input.context, input.key.name());
  out.data = definition ? string_value(*definition, "Path").value_or(input.key.name()) : input.key.name();
  out.details["task_id"] = input.key.name();
  out.elements.push_back({out.data, ElementKind::text, {}});
}

// ------------------------------------------------------------------------------------------ Services

std::string service_image(const Key& service, std::uint64_t type) {
  if (auto image = string_value(service, "ImagePath")) return *image;
  if (service_type_is_driver(static_cast<std::uint32_t>(type)))
    return "%SystemRoot%\\System32\\drivers\\" + service.name() + ".sys";
  return {};
}

void add_service_details(const Key& service, std::uint64_t start, std::uint64_t type, Decoded& out) {
  const auto delayed = number_value(service, "DelayedAutoStart").value_or(0);
  out.details["start"] = service_start_mode(static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(delayed));
  out.details["type"] = service_type_name(static_cast<std::uint32_t>(type));
  if (auto error_control = number_value(service, "ErrorControl")) {
    out.details["error_control"] = service_error_control_name(static_cast<std::uint32_t>(*error_control));
  }
  for (const char* field : {"ObjectName", "DisplayName", "Group"}) {
    if (auto text = string_value(service, field)) out.details[to_lower_ascii(field)] = *text;
  }
  if (service.subkey("TriggerInfo")) out.details["trigger_start"] = "true";
}

void add_service_dll(const Key& service, const Environment& environment, Decoded& out) {
  auto parameters = service.subkey("Parameters");
  auto dll = parameters ? string_value(*parameters, "ServiceDll") : std::nullopt;
  if (!dll) dll = string_value(service, "ServiceDll");
  if (!dll) return;
  out.details["service_dll"] = *dll;
  out.elements.push_back(path_element(*dll, environment));
}

void add_failure_actions(const Key& service, Decoded& out) {
  auto value = service.value("FailureActions");
  if (!value) return;
  const auto actions = decode_failure_actions(value->data);
  if (actions.runs_command) out.details["failure_runs_command"] = "true";
}

void decode_service(const DecodeInput& input, Decoded& out) {
  const auto start = number_value(input.key, "Start");
  const auto type = number_value(input.key, "Type");
  if (!start && !type) {
    out.skip = true;  // not a service: an event-log or performance registration
    return;
  }
  out.data = service_image(input.key, type.value_or(0));
  add_service_details(input.key, start.value_or(3), type.value_or(0), out);
  if (!out.data.empty()) {
    const bool driver = service_type_is_driver(static_cast<std::uint32_t>(type.value_or(0)));
    out.elements.push_back(driver ? path_element(out.data, input.context.environment)
                                  : command_element(out.data, input.context.environment, out));
  }
  add_service_dll(input.key, input.context.environment, out);
  add_failure_actions(input.key, out);
  out.autostart = start.value_or(3) <= 2 || out.details.contains("trigger_start");
}

void decode_remote_tool_service(const DecodeInput& input, Decoded& out) {
  const auto image = string_value(input.key, "ImagePath").value_or("");
  const auto tool = remote_access_tool(input.key.name(), image);
  if (!tool) return;
  out.data = image;
  out.details["tool"] = *tool;
  out.details["service"] = input.key.name();
  const auto start = number_value(input.key, "Start").value_or(3);
  out.details["start"] =
      service_start_mode(static_cast<std::uint32_t>(start),
                         static_cast<std::uint32_t>(number_value(input.key, "DelayedAutoStart").value_or(0)));
  out.reasons.push_back("remote_access_tool:" + to_lower_ascii(*tool));
}

void decode_failure_command(const DecodeInput& input, Decoded& out) {
  out.data = value_strings(*input.value).front();
  out.elements.push_back(command_element(out.data, input.context.environment, out));
  add_failure_actions(input.key, out);
}

// ------------------------------------------------------------------------------------------ Others

void decode_appinit(const DecodeInput& input, Decoded& out) {
  out.data = value_strings(*input.value).front();
  for (const auto& dll : split_dll_list(out.data)) out.elements.push_back(path_element(dll, input.context.environment));
  const auto load = number_value(input.key, "LoadAppInit_DLLs");
  const auto require_signed = number_value(input.key, "RequireSignedAppInit_DLLs");
  if (load) out.details["load_appinit_dlls"] = std::to_string(*load);
  if (require_signed) out.details["require_signed_appinit_dlls"] = std::to_string(*require_signed);
  if (!out.elements.empty() && load.value_or(0) == 1) out.reasons.push_back("appinit_enabled");
}

std::optional<std::uint64_t> flag_number(const Value& value) {
  std::uint64_t number = 0;
  if (value.as_number(number)) return number;
  const auto text = value_strings(value).front();
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const char* begin = text.data() + (hex ? 2 : 0);
  if (std::from_chars(begin, text.data() + text.size(), number, hex ? 16 : 10).ec != std::errc{}) return std::nullopt;
  return number;
}

void decode_global_flag(const DecodeInput& input, Decoded& out) {
  const auto flags = flag_number(*input.value);
  out.data = flags ? std::to_string(*flags) : value_strings(*input.value).front();
  if (!flags) return;
  if ((*flags & kGlobalFlagVerifier) != 0) out.reasons.push_back("global_flag:application_verifier");
  if ((*flags & kGlobalFlagSilentExit) == 0) return;
  out.reasons.push_back("global_flag:silent_process_exit");
  const auto ifeo = to_lower_ascii(input.key_path).find("image file execution options");
  const auto exit_key = input.key_path.substr(0, ifeo) + "SilentProcessExit\\" + input.key.name();
  const auto monitor = input.context.software ? input.context.software->find(exit_key) : std::nullopt;
  if (auto process = monitor ? string_value(*monitor, "MonitorProcess") : std::nullopt) {
    out.details["monitor_process"] = *process;
  }
}

std::vector<std::string> split_semicolon_list(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(';', start), text.size());
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Environment hijacks: profiler/startup-hook paths get the path heuristics, PATH entries that a user
// can write are flagged.
void decode_environment(const DecodeInput& input, Decoded& out) {
  out.data = value_strings(*input.value).front();
  const auto& environment = input.context.environment;
  Element element{parse_command_line(out.data, environment).expanded, ElementKind::command, {}};
  if (iequals(input.value->name, "Path")) {
    for (const auto& directory : split_semicolon_list(out.data)) {
      if (is_user_writable_path(normalize_path(directory, environment)))
        element.reasons.push_back("user_writable_path");
    }
  } else if (out.data.find('\\') != std::string::npos) {
    element.reasons = command_line_reasons(parse_path_value(out.data, environment));
  }
  out.elements.push_back(std::move(element));
}

// SAM Users\<RID hex>: the RID in the F record must be the key's own (RID hijacking otherwise).
void decode_sam_rid(const DecodeInput& input, Decoded& out) {
  const auto& f = input.value->data;
  std::uint32_t key_rid = 0;
  const auto& name = input.key.name();
  if (f.size() < kSamAcbOffset + 2 ||
      std::from_chars(name.data(), name.data() + name.size(), key_rid, 16).ec != std::errc{}) {
    out.skip = true;
    return;
  }
  const std::uint32_t rid = f[kSamRidOffset] | f[kSamRidOffset + 1] << 8 | f[kSamRidOffset + 2] << 16 |
                            static_cast<std::uint32_t>(f[kSamRidOffset + 3]) << 24;
  const std::uint32_t acb = f[kSamAcbOffset] | f[kSamAcbOffset + 1] << 8;
  out.data = "RID " + std::to_string(rid);
  out.details["key_rid"] = std::to_string(key_rid);
  out.details["disabled"] = (acb & 1) != 0 ? "true" : "false";
  if (rid != key_rid) out.reasons.push_back("rid_hijack");
}

}  // namespace

const std::map<std::string, DecoderFunction, std::less<>>& context_decoders() {
  static const std::map<std::string, DecoderFunction, std::less<>> table = {
      {"clsid", decode_clsid},
      {"key_clsid", decode_key_clsid},
      {"com_server", decode_com_server},
      {"progid", decode_progid},
      {"task", decode_task},
      {"task_hidden", decode_task_hidden},
      {"task_orphan", decode_task_orphan},
      {"task_index", decode_task_index},
      {"service", decode_service},
      {"remote_tool_service", decode_remote_tool_service},
      {"failure_command", decode_failure_command},
      {"appinit", decode_appinit},
      {"global_flag", decode_global_flag},
      {"environment", decode_environment},
      {"sam_rid", decode_sam_rid},
  };
  return table;
}

}  // namespace regpersist
