// Hive type from content: the names of the root key's subkeys (and, for DEFAULT, the embedded file
// name), never the file name on disk.
#include <algorithm>
#include <set>

#include "regpersist/hive.h"

namespace regpersist {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool ends_with_default(const std::string& embedded_name) { return upper(embedded_name).ends_with("DEFAULT"); }

bool has_subkey_prefixed(const std::set<std::string>& names, std::string_view prefix) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n.starts_with(prefix); });
}

bool looks_like_amcache(const Key& root) {
  const auto inner = root.subkey("Root");
  if (!inner) return false;
  for (const auto& key : inner->subkeys()) {
    const std::string name = upper(key.name());
    if (name == "FILE" || name == "PROGRAMS" || name.starts_with("INVENTORY")) return true;
  }
  return false;
}

bool looks_like_usrclass(const std::set<std::string>& names) {
  return names.count("LOCAL SETTINGS") || names.count("CLSID") || names.count("*") || has_subkey_prefixed(names, ".");
}

}  // namespace

HiveType detect_hive_type(const Hive& hive) {
  const Key root = hive.root();
  std::set<std::string> names;
  for (const auto& key : root.subkeys()) names.insert(upper(key.name()));
  auto has = [&](const char* name) { return names.count(name) != 0; };
  if (has("SELECT") && has_subkey_prefixed(names, "CONTROLSET")) return HiveType::system;
  if (has("POLICY")) return HiveType::security;
  if (has("SAM") && root.subkey("SAM")->subkey("Domains")) return HiveType::sam;
  if (has("OBJECTS") && has("DESCRIPTION")) return HiveType::bcd;
  if (has("ROOT") && looks_like_amcache(root)) return HiveType::amcache;
  if (has("MICROSOFT") && (has("CLASSES") || has("POLICIES") || has("CLIENTS"))) return HiveType::software;
  if (has("SOFTWARE") && (has("CONTROL PANEL") || has("ENVIRONMENT") || has("APPEVENTS") || has("CONSOLE")))
    return ends_with_default(hive.base_block().file_name) ? HiveType::default_user : HiveType::ntuser;
  if (looks_like_usrclass(names)) return HiveType::usrclass;
  return HiveType::other;
}

std::string hive_type_name(HiveType type) {
  switch (type) {
    case HiveType::system:
      return "SYSTEM";
    case HiveType::software:
      return "SOFTWARE";
    case HiveType::ntuser:
      return "NTUSER";
    case HiveType::usrclass:
      return "USRCLASS";
    case HiveType::sam:
      return "SAM";
    case HiveType::security:
      return "SECURITY";
    case HiveType::amcache:
      return "AMCACHE";
    case HiveType::default_user:
      return "DEFAULT";
    case HiveType::bcd:
      return "BCD";
    case HiveType::other:
      return "OTHER";
  }
  return "OTHER";
}

}  // namespace regpersist
