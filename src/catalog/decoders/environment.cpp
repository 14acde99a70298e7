// Environment-variable expansion and path normalisation for the command-line decoders
// (persistence-catalog.md §3.0 steps 2 and 4). Hand-written because the expansion must use the
// examined machine's own variables (from its hives), not the host's, and because Windows path forms
// (`\SystemRoot\`, `\??\`, `\\?\UNC\`, relative `system32\` driver paths) have no Linux library.
#include <cctype>

#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"

namespace regpersist {
namespace {

using decoders_detail::istarts_with;
using decoders_detail::trim;
using decoders_detail::unquote;

// Variables referencing variables (`TEMP` = `%USERPROFILE%\…`) are resolved this deep at most, so a
// self-referencing value cannot loop.
constexpr int kMaxExpansionDepth = 8;

std::string expand(std::string_view text, const Environment& env, int depth) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('%', pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('%', open + 1);
    if (close == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    const auto value = name.empty() ? std::nullopt : env.get(name);
    if (!value) {  // like ExpandEnvironmentStrings: keep "%name" and rescan from the closing '%'
      out.append(text.substr(open, close - open));
      pos = close;
      continue;
    }
    out.append(depth < kMaxExpansionDepth ? expand(*value, env, depth + 1) : *value);
    pos = close + 1;
  }
  return out;
}

bool has_drive_letter(std::string_view path) {
  return path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':';
}

std::string expanded_variable(const Environment& env, std::string_view name, std::string_view fallback) {
  const auto value = env.get(name);
  return value ? expand(*value, env, 1) : std::string(fallback);
}

// `file:///C:/x` → `C:/x`; `file://host/share` → `//host/share`.
std::string_view strip_file_url(std::string_view path, bool& unc) {
  unc = false;
  if (!istarts_with(path, "file:")) return path;
  path.remove_prefix(5);
  if (path.starts_with("///")) return path.substr(3);
  if (path.starts_with("//")) unc = true;
  return path;
}

std::string collapse_separators(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i] == '/' ? '\\' : path[i];
    const bool keep_leading_pair = i == 1 && out == "\\";
    if (c == '\\' && !out.empty() && out.back() == '\\' && !keep_leading_pair) continue;
    out.push_back(c);
  }
  return out;
}

// `\??\X`, `\\?\X`, `\\.\C:` → X; `\\?\UNC\h\s` → `\\h\s`.
std::string strip_namespace_prefix(std::string path) {
  if (istarts_with(path, "\\\\?\\unc\\")) return "\\\\" + path.substr(8);
  if (path.starts_with("\\??\\") || path.starts_with("\\\\?\\")) return path.substr(4);
  if (path.starts_with("\\\\.\\") && has_drive_letter(std::string_view(path).substr(4))) return path.substr(4);
  return path;
}

// `\SystemRoot\x`, `SystemRoot\x`, `system32\x`, `SysWOW64\x`, `\Windows\x`: completed with the
// machine's system root or drive (driver ImagePaths and old-style values use these forms).
std::string complete_windows_relative(std::string path, const Environment& env) {
  for (std::string_view prefix : {"\\systemroot\\", "systemroot\\"}) {
    if (istarts_with(path, prefix) && env.get("SystemRoot"))
      return expanded_variable(env, "SystemRoot", "") + "\\" + path.substr(prefix.size());
  }
  for (std::string_view folder : {"system32\\", "syswow64\\"}) {
    if (istarts_with(path, folder) && env.get("SystemRoot"))
      return expanded_variable(env, "SystemRoot", "") + "\\" + path;
  }
  const bool rooted_without_drive = path.size() > 1 && path[0] == '\\' && path[1] != '\\';
  if (rooted_without_drive && env.get("SystemDrive")) return expanded_variable(env, "SystemDrive", "") + path;
  return path;
}

bool looks_like_url(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  for (char c : text.substr(0, scheme_end)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return !istarts_with(text, "file:");
}

}  // namespace

Environment Environment::windows_defaults(std::string_view system_drive) {
  Environment env;
  const std::string drive(system_drive);
  env.set("SystemDrive", drive);
  env.set("SystemRoot", drive + "\\Windows");
  env.set("windir", drive + "\\Windows");
  env.set("ProgramFiles", drive + "\\Program Files");
  env.set("ProgramW6432", drive + "\\Program Files");
  env.set("ProgramFiles(x86)", drive + "\\Program Files (x86)");
  env.set("CommonProgramFiles", drive + "\\Program Files\\Common Files");
  env.set("CommonProgramW6432", drive + "\\Program Files\\Common Files");
  env.set("CommonProgramFiles(x86)", drive + "\\Program Files (x86)\\Common Files");
  env.set("ProgramData", drive + "\\ProgramData");
  env.set("ALLUSERSPROFILE", drive + "\\ProgramData");
  env.set("PUBLIC", drive + "\\Users\\Public");
  env.set("ComSpec", "%SystemRoot%\\system32\\cmd.exe");
  return env;
}

void Environment::set_user_profile(std::string_view profile_path) {
  const std::string profile(trim(profile_path));
  set("USERPROFILE", profile);
  if (has_drive_letter(profile)) {
    set("HOMEDRIVE", profile.substr(0, 2));
    set("HOMEPATH", profile.substr(2));
  }
  set("APPDATA", profile + "\\AppData\\Roaming");
  set("LOCALAPPDATA", profile + "\\AppData\\Local");
  set("TEMP", profile + "\\AppData\\Local\\Temp");
  set("TMP", profile + "\\AppData\\Local\\Temp");
}

void Environment::set(std::string_view name, std::string_view value) {
  values_[to_lower_ascii(name)] = std::string(value);
}

std::optional<std::string> Environment::get(std::string_view name) const {
  const auto it = values_.find(to_lower_ascii(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string expand_environment(std::string_view text, const Environment& env) { return expand(text, env, 0); }

std::string normalize_path(std::string_view path, const Environment& env) {
  const std::string expanded(unquote(expand(unquote(path), env, 0)));
  if (looks_like_url(expanded)) return expanded;
  bool unc = false;
  const std::string_view without_url = strip_file_url(expanded, unc);
  std::string out = collapse_separators(without_url);
  if (unc && !out.starts_with("\\\\")) out = "\\" + out;
  out = strip_namespace_prefix(std::move(out));
  out = complete_windows_relative(std::move(out), env);
  return collapse_separators(out);
}

}  // namespace regpersist
