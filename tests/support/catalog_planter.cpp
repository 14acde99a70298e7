// Plants positive and Windows-default entries for catalog rules into HiveBuilder hives (see
// catalog_planter.h). The entry shape follows the rule's decoder; the key path is the rule's own
// pattern with every `*` level given a concrete name.
#include "support/catalog_planter.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "catalog/pattern.h"

namespace regpersist::testsupport {

namespace {

constexpr const char* kUserWritableDll = "C:\\Users\\Public\\evil.dll";
const std::string kTaskCache = "Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\";

std::string replace_stars(std::string text, const std::string& with) {
  for (auto at = text.find('*'); at != std::string::npos; at = text.find('*', at + with.size()))
    text.replace(at, 1, with);
  return text;
}

// Defaults use their own CLSID, so a planted positive server never resolves for a default entry.
constexpr const char* kDefaultClsid = "{DEFA0000-0000-0000-0000-000000000001}";
constexpr const char* kUserOnlyClsid = "{DEFA0000-0000-0000-0000-000000000002}";
// The machine's own COM servers (ShellLink), a CLSID no user default overrides.
constexpr const char* kWindowsClsid = "{00021401-0000-0000-C000-000000000046}";

std::string wildcard_name(const Rule& rule, bool for_default = false) {
  static const std::map<std::string, std::string> kByDecoder = {
      {"key_clsid", kPlantedClsid},  {"task_orphan", kPlantedClsid}, {"task_index", kPlantedClsid},
      {"com_server", kPlantedClsid}, {"progid", "Planted.ProgId"},   {"remote_tool_service", "TeamViewer"},
      {"sam_rid", "000001F5"}};
  // Per-user COM servers by default register CLSIDs the machine does not have (no override).
  if (for_default && rule.decoder == "com_server") return kUserOnlyClsid;
  const auto found = kByDecoder.find(rule.decoder);
  if (found == kByDecoder.end()) return "Planted";
  return for_default && found->second == kPlantedClsid ? kDefaultClsid : found->second;
}

// The expanded pattern with `ControlSet*` → ControlSet001 and each other `*` level filled by `name_for`.
template <typename NameFor>
std::string concrete_path(const Rule& rule, const std::string& expanded, NameFor name_for) {
  const auto segments = split_pattern(expanded);
  std::string path;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string part = segments[i].text;
    if (segments[i].glob)
      part =
          part == "ControlSet*" && rule.hive == HiveType::system ? "ControlSet001" : name_for(i, segments.size(), part);
    path += (path.empty() ? "" : "\\") + part;
  }
  if (rule.recursive) path += "\\Planted";
  return path;
}

std::string positive_path(const Rule& rule, bool for_default = false) {
  const auto name = wildcard_name(rule, for_default);
  return concrete_path(rule, expand_braces(rule.key).front(), [&](std::size_t, std::size_t, const std::string& glob) {
    return glob == "*" ? name : replace_stars(glob, "1");
  });
}

std::string value_name_for(const Rule& rule) {
  switch (rule.selection) {
    case ValueSelection::all:
      if (rule.decoder == "port_name") return "C:\\Windows\\System32\\evil.dll";
      if (rule.decoder == "value_name_path") return "C:\\Users\\Public";
      if (rule.decoder == "port_proxy") return "0.0.0.0/4444";
      return "Planted";
    case ValueSelection::named:
      return replace_stars(rule.value_names.front(), "1");
    default:
      return "";
  }
}

std::vector<std::uint8_t> startup_approved_blob(std::uint32_t flags, std::uint64_t time) {
  std::vector<std::uint8_t> blob(12, 0);
  for (int i = 0; i < 4; ++i) blob[i] = static_cast<std::uint8_t>(flags >> (8 * i));
  for (int i = 0; i < 8; ++i) blob[4 + i] = static_cast<std::uint8_t>(time >> (8 * i));
  return blob;
}

std::vector<std::uint8_t> sam_f_record(std::uint32_t rid) {
  std::vector<std::uint8_t> f(0x50, 0);
  for (int i = 0; i < 4; ++i) f[0x30 + i] = static_cast<std::uint8_t>(rid >> (8 * i));
  f[0x38] = 0x10;
  return f;
}

// Winsock PackedCatalogItem: the provider path in the first 260 bytes, then WSAPROTOCOL_INFOW.
std::vector<std::uint8_t> packed_catalog_item(const std::string& path) {
  std::vector<std::uint8_t> item(path.begin(), path.end());
  item.resize(400, 0);
  return item;
}

void add_clsid_server(PlantedHives& hives, const std::string& clsid, const std::string& server) {
  hives.software.sz("Classes\\CLSID\\" + clsid + "\\InprocServer32", "", server);
}

// Tree\Planted → Tasks\{GUID} with an Exec action, no SD (a hidden task).
void plant_task(PlantedHives& hives, const std::string& tree_path, std::uint64_t time) {
  hives.software.key(tree_path, time).sz(tree_path, "Id", kPlantedClsid).dword(tree_path, "Index", 3);
  const auto task = kTaskCache + "Tasks\\" + kPlantedClsid;
  hives.software.sz(task, "Path", "\\Planted").binary(task, "Actions", exec_actions_blob(kUserWritableImage, "-run"));
}

void plant_service(HiveBuilder& system, const std::string& path, const std::string& image) {
  system.dword(path, "Start", 2).dword(path, "Type", 16).expand_sz(path, "ImagePath", image);
}

// Value-level payloads that the decoder reads as suspicious.
void plant_value(const Rule& rule, HiveBuilder& hive, const std::string& path, const std::string& name) {
  const auto& decoder = rule.decoder;
  if (decoder == "command_multi" || decoder == "path_multi")
    hive.multi_sz(path, name, {kUserWritableImage});
  else if (decoder == "names" || decoder == "lsa_packages")
    hive.multi_sz(path, name, {"evilpkg"});
  else if (decoder == "number" || decoder == "value_name_path")
    hive.dword(path, name, decoder == "number" ? 1234 : 0);
  else if (decoder == "global_flag")
    hive.dword(path, name, 0x200);
  else if (decoder == "startup_approved")
    hive.binary(path, name, startup_approved_blob(3, filetime(2024, 1, 2)));
  else if (decoder == "clsid")
    hive.sz(path, name, kPlantedClsid);
  else if (decoder == "com_server")
    hive.sz(path, name, kUserWritableDll);
  else if (decoder == "progid")
    hive.sz(path, name, kOtherClsid);
  else if (decoder == "port_name")
    hive.sz(path, name, "");
  else if (decoder == "port_proxy")
    hive.sz(path, name, "10.0.0.5/3389");
  else if (decoder == "firewall_rule")
    hive.sz(path, name, "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|Name=Planted|");
  else if (decoder == "sam_rid")
    hive.binary(path, name, sam_f_record(500));
  else if (decoder == "winsock_catalog")
    hive.binary(path, name, packed_catalog_item(kUserWritableDll));
  else {
    hive.sz(path, name, kUserWritableImage);
  }
}

// What a positive entry needs besides its own value: CLSID registrations, task definitions, services.
void plant_context(const Rule& rule, PlantedHives& hives, const std::string& path, std::uint64_t time) {
  const auto& decoder = rule.decoder;
  if (decoder == "clsid" || decoder == "key_clsid") add_clsid_server(hives, kPlantedClsid, kUserWritableDll);
  if (decoder == "com_server") hives.software.key("Classes\\CLSID\\" + std::string(kPlantedClsid));
  if (decoder == "progid") hives.software.sz("Classes\\Planted.ProgId\\CLSID", "", kPlantedClsid);
  if (decoder == "task" || decoder == "task_hidden") plant_task(hives, path, time);
  if (decoder == "task_orphan") hives.software.sz(path, "Path", "\\Orphan");
  if (decoder == "task_index") hives.software.sz(kTaskCache + "Tasks\\" + kPlantedClsid, "Path", "\\Evil");
  if (decoder == "service") plant_service(hives.system, path, kUserWritableImage);
  if (decoder == "remote_tool_service")
    plant_service(hives.system, path, "\"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe\"");
}

// The expansion of the rule's key and the names for its `*` levels that a default entry's key glob
// accepts (key globs are aligned with the pattern from its end), if any.
std::optional<std::string> default_key_path(const Rule& rule, const DefaultEntry& entry) {
  const auto name = wildcard_name(rule, true);
  for (const auto& expanded : expand_braces(rule.key)) {
    if (entry.key_globs.empty()) return positive_path(rule, true);
    for (const auto& glob : entry.key_globs) {
      const auto glob_segments = split_pattern(glob);
      const auto path = concrete_path(rule, expanded, [&](std::size_t index, std::size_t count, const std::string&) {
        const auto from_end = count - index;
        if (from_end > glob_segments.size()) return name;
        const auto& segment = glob_segments[glob_segments.size() - from_end];
        return segment.glob ? name : segment.text;
      });
      if (glob_match(glob, path)) return path;
    }
  }
  return std::nullopt;
}

void plant_default_data(const Rule& rule, PlantedHives& hives, const std::string& path, const std::string& name,
                        const std::string& data) {
  auto& hive = hives.hive(rule.hive);
  const auto& decoder = rule.decoder;
  if (decoder == "number")
    hive.dword(path, name, static_cast<std::uint32_t>(std::stoul(data)));
  else if (decoder == "startup_approved")
    hive.binary(path, name, startup_approved_blob(data == "enabled" ? 2 : 3, 0));
  else if (decoder == "winsock_catalog")
    hive.binary(path, name, packed_catalog_item(data));
  else if (decoder == "clsid") {
    hive.sz(path, name, kDefaultClsid);
    if (!data.starts_with("{")) add_clsid_server(hives, kDefaultClsid, data);
  } else if (decoder == "key_clsid") {
    hive.key(path);
    if (!data.starts_with("{")) add_clsid_server(hives, kDefaultClsid, data);
  } else if (decoder == "task_index") {
    hive.key(path);
    hives.software.sz(kTaskCache + "Tasks\\" + kDefaultClsid, "Path", data);
    const auto tree = kTaskCache + "Tree" + data;
    hives.software.sz(tree, "Id", kDefaultClsid).dword(tree, "Index", 1).binary(tree, "SD", {1, 0, 4, 0x80});
  } else if (rule.selection == ValueSelection::key) {
    hive.key(path);
  } else {
    hive.sz(path, name, data);
  }
}

bool is_list_decoder(const std::string& decoder) {
  return decoder == "command_multi" || decoder == "path_multi" || decoder == "lsa_packages" || decoder == "names";
}

void plant_default_list(const Rule& rule, PlantedHives& hives, const std::string& path, const std::string& name,
                        const std::vector<std::string>& items) {
  auto& hive = hives.hive(rule.hive);
  if (rule.decoder != "names") {
    hive.multi_sz(path, name, items);
    return;
  }
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  hive.sz(path, name, text);
}

// The rule's YAML default entries; the values of list decoders hold every default element at once.
DefaultShape plant_listed_defaults(const Rule& rule, PlantedHives& hives) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> lists;
  std::size_t planted = 0;
  for (const auto& entry : rule.defaults) {
    const auto path = default_key_path(rule, entry);
    if (!path) continue;
    auto name = entry.value_globs.empty() ? value_name_for(rule) : replace_stars(entry.value_globs.front(), "1");
    if (rule.selection == ValueSelection::default_value) name = "";
    const auto data = entry.data_globs.empty() ? std::string("planted") : replace_stars(entry.data_globs.front(), "x");
    if (is_list_decoder(rule.decoder))
      lists[{*path, name}].push_back(data);
    else
      plant_default_data(rule, hives, *path, name, data);
    ++planted;
  }
  for (const auto& [where, items] : lists) plant_default_list(rule, hives, where.first, where.second, items);
  return planted == 0 ? DefaultShape::unknown : DefaultShape::entries;
}

// ---- Clean-installation forms of the locations whose YAML states no default (catalog §2, §4, §5).

const std::string kServices = "ControlSet001\\Services\\";
const std::string kIfeo = "Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\";
constexpr const char* kDefaultTaskPath = "\\Microsoft\\Windows\\Defrag\\ScheduledDefrag";

// §5.2: a svchost service with its System32 ServiceDll, and a boot driver in System32\drivers.
void plant_windows_services(HiveBuilder& system) {
  const auto dhcp = kServices + "Dhcp";
  system.dword(dhcp, "Start", 2)
      .dword(dhcp, "Type", 0x20)
      .expand_sz(dhcp, "ImagePath", "%SystemRoot%\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p")
      .sz(dhcp, "ObjectName", "NT Authority\\LocalService")
      .expand_sz(dhcp + "\\Parameters", "ServiceDll", "%SystemRoot%\\system32\\dhcpcore.dll");
  const auto disk = kServices + "disk";
  system.dword(disk, "Start", 0).dword(disk, "Type", 1).expand_sz(disk, "ImagePath", "System32\\drivers\\disk.sys");
}

// §2 L085-L087: a Microsoft task with its security descriptor, Index and definition.
void plant_microsoft_task(HiveBuilder& software) {
  const auto tree = kTaskCache + "Tree" + kDefaultTaskPath;
  software.sz(tree, "Id", kDefaultClsid).dword(tree, "Index", 3).binary(tree, "SD", {1, 0, 4, 0x80});
  const auto task = kTaskCache + "Tasks\\" + kDefaultClsid;
  software.sz(task, "Path", kDefaultTaskPath)
      .sz(task, "Author", "$(@%SystemRoot%\\system32\\defragsvc.dll,-801)")
      .binary(task, "Actions", exec_actions_blob("%windir%\\system32\\defrag.exe", "-c -h -o -$"));
}

DefaultShape plant_ifeo_without_global_flag(PlantedHives& hives) {
  hives.software.sz(kIfeo + "Your Image File Name Here without a path", "Debugger", "ntsd -d");
  return DefaultShape::absent;
}

DefaultShape plant_system_com_servers(PlantedHives& hives) {
  const auto clsid = "Classes\\CLSID\\" + std::string(kWindowsClsid);
  hives.software.expand_sz(clsid + "\\InprocServer32", "", "%SystemRoot%\\system32\\shell32.dll")
      .expand_sz(clsid + "\\LocalServer32", "", "%systemroot%\\system32\\wbem\\unsecapp.exe");
  return DefaultShape::entries;
}

DefaultShape plant_machine_progid(PlantedHives& hives) {
  hives.software.sz("Classes\\Planted.ProgId\\CLSID", "", kDefaultClsid);
  hives.usrclass.sz("Planted.ProgId\\CLSID", "", kDefaultClsid);
  return DefaultShape::entries;
}

DefaultShape plant_task_default(PlantedHives& hives) {
  plant_microsoft_task(hives.software);
  return DefaultShape::entries;
}

DefaultShape plant_services_default(PlantedHives& hives) {
  plant_windows_services(hives.system);
  return DefaultShape::entries;
}

DefaultShape plant_services_without_it(PlantedHives& hives) {
  plant_windows_services(hives.system);
  return DefaultShape::absent;
}

// §4.3: WinRM is installed on every Windows, manual start on clients.
DefaultShape plant_winrm_service(PlantedHives& hives) {
  const auto winrm = kServices + "WinRM";
  hives.system.dword(winrm, "Start", 3)
      .dword(winrm, "Type", 0x20)
      .expand_sz(winrm, "ImagePath", "%SystemRoot%\\System32\\svchost.exe -k NetworkService -p")
      .expand_sz(winrm + "\\Parameters", "ServiceDll", "%SystemRoot%\\system32\\WsmSvc.dll");
  return DefaultShape::entries;
}

// §2 L106: the built-in print ports.
DefaultShape plant_builtin_ports(PlantedHives& hives) {
  const std::string ports = "Microsoft\\Windows NT\\CurrentVersion\\Ports";
  for (const char* port : {"COM1:", "COM2:", "FILE:", "LPT1:", "nul:", "PORTPROMPT:", "Ne00:"})
    hives.software.sz(ports, port, "");
  return DefaultShape::entries;
}

// §4.5: the built-in Administrator and the disabled Guest, each F record carrying its own RID.
DefaultShape plant_builtin_accounts(PlantedHives& hives) {
  const std::string users = "SAM\\Domains\\Account\\Users\\";
  hives.sam.binary(users + "000001F4", "F", sam_f_record(500));
  auto guest = sam_f_record(501);
  guest[0x38] |= 0x01;
  hives.sam.binary(users + "000001F5", "F", guest);
  return DefaultShape::entries;
}

// §4.2: the built-in RDP rule (inactive until RDP is enabled) and an active core-networking rule.
DefaultShape plant_builtin_firewall_rules(PlantedHives& hives) {
  const auto rules = kServices + "SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules";
  hives.system
      .sz(rules, "RemoteDesktop-UserMode-In-TCP",
          "v2.30|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=3389|App=%SystemRoot%\\system32\\svchost.exe|"
          "Svc=termservice|Name=@FirewallAPI.dll,-28775|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-"
          "28752|")
      .sz(rules, "CoreNet-DHCP-In",
          "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=17|LPort=68|RPort=67|App=%SystemRoot%\\system32\\svchost.exe|"
          "Svc=dhcp|Name=@FirewallAPI.dll,-25301|Desc=@FirewallAPI.dll,-25303|EmbedCtxt=@FirewallAPI.dll,-25000|");
  return DefaultShape::entries;
}

// Locations a workstation does not have until someone adds them: their parent key, nothing below.
DefaultShape plant_parent_only(PlantedHives& hives, HiveType type, const std::string& parent) {
  hives.hive(type).key(parent);
  return DefaultShape::absent;
}

DefaultShape plant_clean_location(const Rule& rule, PlantedHives& hives) {
  using Planter = std::function<DefaultShape(PlantedHives&)>;
  static const std::map<std::string, Planter> kClean = {
      {"ifeo-globalflag", plant_ifeo_without_global_flag},
      {"com-progid-hkcu", plant_machine_progid},
      {"com-inprocserver-hklm", plant_system_com_servers},
      {"com-localserver-hklm", plant_system_com_servers},
      {"scheduled-task", plant_task_default},
      {"scheduled-task-hidden", plant_task_default},
      {"scheduled-task-orphan", plant_task_default},
      {"service", plant_services_default},
      {"openssh-server", plant_services_without_it},
      {"remote-access-tool-service", plant_services_without_it},
      {"winrm-service", plant_winrm_service},
      {"print-ports", plant_builtin_ports},
      {"sam-rid-hijack", plant_builtin_accounts},
      {"firewall-rule-remote-access", plant_builtin_firewall_rules},
      {"firewall-rule-policy",
       [](PlantedHives& h) {
         return plant_parent_only(h, HiveType::software, "Policies\\Microsoft\\WindowsFirewall");
       }},
      {"winrm-listener",
       [](PlantedHives& h) {
         return plant_parent_only(h, HiveType::software, "Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener");
       }},
      {"remote-access-tool-software",
       [](PlantedHives& h) { return plant_parent_only(h, HiveType::software, "Microsoft\\Windows\\CurrentVersion"); }},
  };
  const auto found = kClean.find(rule.id);
  return found == kClean.end() ? DefaultShape::unknown : found->second(hives);
}

}  // namespace

PlantedHives::PlantedHives() { system.dword("Select", "Current", 1).key("ControlSet001\\Control"); }

HiveBuilder& PlantedHives::hive(HiveType type) {
  switch (type) {
    case HiveType::system:
      return system;
    case HiveType::software:
      return software;
    case HiveType::ntuser:
      return ntuser;
    case HiveType::usrclass:
      return usrclass;
    default:
      return sam;
  }
}

Installation PlantedHives::installation() const {
  const auto source = [](const HiveBuilder& builder, const std::string& name) {
    HiveSource hive;
    hive.label = "planted/" + name;
    hive.origin.path = hive.label;
    hive.bytes = builder.build();
    return hive;
  };
  Installation installation;
  installation.evidence = "planted";
  installation.system = source(system, "SYSTEM");
  installation.software = source(software, "SOFTWARE");
  installation.sam = source(sam, "SAM");
  UserHives user;
  user.user = "alice";
  user.sid = "S-1-5-21-1-2-3-1001";
  user.profile_path = "C:\\Users\\alice";
  user.ntuser = source(ntuser, "Users/alice/NTUSER.DAT");
  user.usrclass = source(usrclass, "Users/alice/UsrClass.dat");
  installation.users.push_back(std::move(user));
  return installation;
}

PlantedEntry plant_positive(const Rule& rule, PlantedHives& hives, std::uint64_t time) {
  PlantedEntry entry{positive_path(rule), value_name_for(rule), time};
  auto& hive = hives.hive(rule.hive);
  hive.key(entry.key_path, time);
  if (rule.selection != ValueSelection::key && !rule.decoder.starts_with("task")) {
    plant_value(rule, hive, entry.key_path, entry.value_name);
  }
  if (rule.decoder == "task" || rule.decoder == "task_hidden") entry.value_name = "Id";
  plant_context(rule, hives, entry.key_path, time);
  hive.key(entry.key_path, time);
  return entry;
}

DefaultShape plant_defaults(const Rule& rule, PlantedHives& hives) {
  if (rule.default_absent) {  // the key as Windows has it: no value (key-level rules: no subkey)
    auto path = positive_path(rule, true);
    if (rule.selection == ValueSelection::key) path.resize(path.rfind('\\'));
    hives.hive(rule.hive).key(path);
    return DefaultShape::absent;
  }
  const auto shape = plant_listed_defaults(rule, hives);
  return shape == DefaultShape::unknown ? plant_clean_location(rule, hives) : shape;
}

bool presence_only(const Rule& rule) { return !rule.default_known && rule.decoder == "text"; }

Catalog single_rule_catalog(const Rule& rule) {
  Catalog catalog;
  catalog.techniques = builtin_catalog().techniques;
  catalog.categories = builtin_catalog().categories;
  catalog.rules.push_back(rule);
  return catalog;
}

ScanResult scan_planted(const PlantedHives& hives, const Catalog& catalog) {
  Diagnostics diagnostics;
  ScanOptions options;
  options.catalog = &catalog;
  return scan_installation(hives.installation(), options, diagnostics);
}

std::vector<std::uint8_t> exec_actions_blob(const std::string& command, const std::string& arguments) {
  std::vector<std::uint8_t> blob;
  const auto u16 = [&](std::uint16_t v) {
    blob.push_back(static_cast<std::uint8_t>(v));
    blob.push_back(static_cast<std::uint8_t>(v >> 8));
  };
  const auto counted = [&](const std::string& text) {
    const auto bytes = utf16le(text, false);
    for (int i = 0; i < 4; ++i) blob.push_back(static_cast<std::uint8_t>(bytes.size() >> (8 * i)));
    blob.insert(blob.end(), bytes.begin(), bytes.end());
  };
  u16(3);
  counted("Author");
  u16(0x6666);
  counted("");
  counted(command);
  counted(arguments);
  counted("");
  u16(0);
  return blob;
}

std::vector<PlantedRule> plant_realistic_installation(PlantedHives& hives) {
  for (const auto& rule : builtin_catalog().rules) plant_defaults(rule, hives);
  hives.software.expand_sz("Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\S-1-5-21-1-2-3-1001",
                           "ProfileImagePath", "%SystemDrive%\\Users\\alice");
  std::vector<PlantedRule> planted;
  std::set<std::string> categories;
  auto time = filetime(2024, 6, 1, 23, 0);
  for (const auto& rule : builtin_catalog().rules) {
    if (presence_only(rule) || !categories.insert(rule.category).second) continue;
    planted.push_back({&rule, plant_positive(rule, hives, time)});
    time += 60ULL * 10000000ULL;
  }
  return planted;
}

void write_triage_folder(const PlantedHives& hives, const std::filesystem::path& root) {
  const auto installation = hives.installation();
  const auto write = [](const std::filesystem::path& file, const HiveSource& source) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(source.bytes.data()), static_cast<std::streamsize>(source.bytes.size()));
  };
  const auto config = root / "Windows" / "System32" / "config";
  write(config / "SYSTEM", *installation.system);
  write(config / "SOFTWARE", *installation.software);
  write(config / "SAM", *installation.sam);
  write(root / "Users" / "alice" / "NTUSER.DAT", *installation.users[0].ntuser);
  write(root / "Users" / "alice" / "AppData" / "Local" / "Microsoft" / "Windows" / "UsrClass.dat",
        *installation.users[0].usrclass);
}

}  // namespace regpersist::testsupport
