// Suspicion reasons for decoded command lines and registry names (persistence-catalog.md §3.1/§3.2).
// The lists the rules consult are data in heuristic_lists.h; this file only applies them.
//
// Reason code               Raised when (for the command or any command it wraps)
// ------------------------  ------------------------------------------------------------------------
// user_writable_path        image, payload or a path-like argument lies where a standard user can
//                           write (profiles, ProgramData, Temp, Public, Recycle Bin, \Windows\Temp,
//                           \Windows\Tasks, root-level custom folders …) or is an unexpanded
//                           %TEMP%/%APPDATA%-style token; Microsoft's per-user binaries at their
//                           default places (OneDrive, Teams, WindowsApps) are exempt
// lolbin:<name>             the image is a LOLBin of §3.2 and its condition holds (rundll32 with a
//                           non-Windows DLL/export, regsvr32 /i:URL or scrobj.dll, cmd /c X, …);
//                           "%1" file-association placeholders are not flagged
// encoded_powershell        PowerShell with -EncodedCommand + base64, download/IEX markers, hidden
//                           window + -nop/-noni, [char] concatenation, a -Command holding ';' and
//                           '$'; or any base64 token of 200+ characters
// unc_path                  image, payload or an argument is a UNC path (\\host\share, WebDAV
//                           \\host@SSL\…), not \\?\ or \\.\ device paths
// url_in_command            http://, https://, ftp://, file://, www. or an IPv4 literal followed by
//                           '/' or ':port' anywhere in the command line
// unquoted_path_with_spaces the image is not quoted and holds a space CreateProcess splits on
// nul_in_name               the image or payload path holds a NUL, control, zero-width or bidi
//                           override character
// double_extension          file name like invoice.pdf.exe, or 3+ spaces padding before the extension
// script_file               image or payload is a script (.vbs .js .ps1 .bat .hta .sct .lnk …)
// relative_path             image or payload has a folder but no drive or UNC root (`Temp\x.exe`);
//                           bare names resolve through the system search path and are not flagged
// system_binary_mismatch    the image has a Windows system binary's name (svchost.exe, lsass.exe …)
//                           outside \Windows, \Windows\System32 and \Windows\SysWOW64
#include <algorithm>
#include <cctype>
#include <set>

#include "catalog/decoders/heuristic_lists.h"
#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"

namespace regpersist {
namespace {

using namespace decoders_detail;

using Reasons = std::set<std::string>;

// Lower case, `/` → `\`, drive letter ("c:") removed, `.` and `..` components resolved (so a path
// cannot climb out of an exempt folder); empty when the path is not drive-rooted.
std::string rooted_path_key(std::string_view path) {
  path = unquote(path);
  if (path.size() < 3 || !std::isalpha(static_cast<unsigned char>(path[0])) || path[1] != ':') return {};
  std::string lowered = to_lower_ascii(path.substr(2));
  std::replace(lowered.begin(), lowered.end(), '/', '\\');
  std::vector<std::string_view> components;
  std::string_view rest = lowered;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('\\');
    const std::string_view component = rest.substr(0, slash);
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    if (component == "..") {
      if (!components.empty()) components.pop_back();
    } else if (!component.empty() && component != ".") {
      components.push_back(component);
    }
  }
  std::string key;
  for (std::string_view component : components) key.append("\\").append(component);
  if (lowered.ends_with('\\')) key.push_back('\\');
  return key;
}

// `pattern` may hold `*` for exactly one path component.
bool matches_at(std::string_view key, std::size_t pos, std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '*') {
      const std::size_t component_end = key.find('\\', pos);
      if (component_end == std::string_view::npos || component_end == pos) return false;
      pos = component_end;
    } else {
      if (pos >= key.size() || key[pos] != pattern[i]) return false;
      ++pos;
    }
  }
  return true;
}

bool is_custom_root_folder(std::string_view key) {
  const std::size_t end = key.find('\\', 1);
  if (end == std::string_view::npos) return false;  // a file directly in the root
  const std::string_view first = key.substr(1, end - 1);
  return std::none_of(std::begin(kStandardRootFolders), std::end(kStandardRootFolders),
                      [&](std::string_view standard) { return first == standard; });
}

bool has_user_profile_variable(std::string_view text) {
  return std::any_of(std::begin(kUserProfileVariables), std::end(kUserProfileVariables),
                     [&](std::string_view variable) { return icontains(text, variable); });
}

bool is_placeholder(std::string_view text) {
  text = unquote(text);
  return text == "%1" || iequals(text, "%l") || text == "%*" || iequals(text, "%v");
}

bool has_extension_in(std::string_view path, std::span<const std::string_view> extensions) {
  return std::any_of(extensions.begin(), extensions.end(),
                     [&](std::string_view ext) { return iends_with(file_name_of(path), ext); });
}

bool is_absolute(std::string_view path) {
  return (path.size() >= 3 && path[1] == ':' && (path[2] == '\\' || path[2] == '/')) || path.starts_with("\\\\");
}

bool is_unc(std::string_view path) {
  path = unquote(path);
  return path.starts_with("\\\\") && !path.starts_with("\\\\?\\") && !path.starts_with("\\\\.\\");
}

bool is_under_system_folder(std::string_view path) {
  const std::string key = rooted_path_key(path);
  return key.starts_with("\\windows\\system32\\") || key.starts_with("\\windows\\syswow64\\");
}

bool is_under_program_files(std::string_view path) {
  const std::string key = rooted_path_key(path);
  return key.starts_with("\\program files\\") || key.starts_with("\\program files (x86)\\");
}

// Bare names (`shell32.dll`) resolve to System32 through the DLL search order.
bool resolves_to_system_folder(std::string_view path) {
  return is_under_system_folder(path) || (!path.empty() && path.find_first_of("\\/:") == std::string_view::npos);
}

// Path-like pieces of an argument: each `X:\…` or leading `\\…` up to the end of the token.
std::vector<std::string_view> paths_in_argument(std::string_view arg) {
  std::vector<std::string_view> out;
  if (arg.starts_with("\\\\")) out.push_back(arg);
  for (std::size_t pos = arg.find(":\\"); pos != std::string_view::npos; pos = arg.find(":\\", pos + 2)) {
    const bool drive_letter = pos > 0 && std::isalpha(static_cast<unsigned char>(arg[pos - 1]));
    const bool token_start = pos < 2 || !std::isalnum(static_cast<unsigned char>(arg[pos - 2]));
    if (drive_letter && token_start) out.push_back(arg.substr(pos - 1));
  }
  return out;
}

// Every path a command line names: the image, the launcher's payload, and path-like arguments.
std::vector<std::string_view> named_paths(const CommandLine& command) {
  std::vector<std::string_view> out{command.image_path};
  if (!command.payload_path.empty()) out.push_back(command.payload_path);
  if (!command.payload_argument.empty()) out.push_back(command.payload_argument);
  for (const std::string& arg : command.argv) {
    for (std::string_view path : paths_in_argument(arg)) out.push_back(path);
    if (arg.starts_with("/") && arg.find(':') != std::string::npos) {
      const std::string_view value = std::string_view(arg).substr(arg.find(':') + 1);
      if (value.starts_with("\\\\")) out.push_back(value);
    }
  }
  return out;
}

// --- LOLBins ---------------------------------------------------------------------------------------

bool is_windows_rundll_export(std::string_view dll, std::string_view exported) {
  const std::string dll_name = to_lower_ascii(file_name_of(dll));
  const std::string export_name = to_lower_ascii(exported);
  return std::any_of(std::begin(kWindowsRundllExports), std::end(kWindowsRundllExports),
                     [&](const RundllExport& known) { return known.dll == dll_name && known.exported == export_name; });
}

bool rundll32_is_suspicious(const CommandLine& command) {
  const std::string_view dll = command.payload_path;
  if (dll.empty() || istarts_with(dll, "javascript:") || istarts_with(dll, "vbscript:")) return true;
  if (file_name_of(dll).find('.') == std::string_view::npos) return true;  // DLL name without extension
  if (command.payload_export.starts_with('#')) return true;                // export by ordinal
  return !(resolves_to_system_folder(dll) && is_windows_rundll_export(dll, command.payload_export));
}

bool has_switch(const CommandLine& command, std::string_view name) {
  return std::any_of(command.argv.begin(), command.argv.end(), [&](const std::string& arg) {
    return (arg.starts_with('/') || arg.starts_with('-')) && iequals(std::string_view(arg).substr(1), name);
  });
}

bool holds_url(std::string_view text);

bool regsvr32_is_suspicious(const CommandLine& command) {
  const std::string_view dll = command.payload_path;
  if (dll.empty() || holds_url(command.payload_argument) || holds_url(dll)) return true;
  if (iequals(file_name_of(dll), "scrobj.dll")) return true;
  if (has_switch(command, "u") && has_switch(command, "n")) return true;
  return !(resolves_to_system_folder(dll) || is_under_program_files(dll));
}

bool msiexec_is_suspicious(const CommandLine& command) {
  return holds_url(command.arguments) || has_switch(command, "y") || has_switch(command, "z") ||
         is_user_writable_path(command.payload_path);
}

// `markers` is a '|'-separated list.
bool has_argument_starting_with(const CommandLine& command, std::string_view markers) {
  while (!markers.empty()) {
    const std::size_t bar = markers.find('|');
    const std::string_view marker = markers.substr(0, bar);
    markers.remove_prefix(bar == std::string_view::npos ? markers.size() : bar + 1);
    const bool found = std::any_of(command.argv.begin(), command.argv.end(),
                                   [&](const std::string& arg) { return istarts_with(arg, marker); });
    if (found) return true;
  }
  return false;
}

bool control_opens_foreign_cpl(const CommandLine& command) {
  return std::any_of(command.argv.begin(), command.argv.end(), [](const std::string& arg) {
    return iends_with(unquote(arg), ".cpl") && !resolves_to_system_folder(unquote(arg));
  });
}

bool only_opens_placeholder(const CommandLine& command) {
  if (!command.payload_path.empty()) return is_placeholder(command.payload_path);
  return !command.argv.empty() && std::all_of(command.argv.begin(), command.argv.end(), [](const std::string& arg) {
    return is_placeholder(arg) || arg.starts_with("//") || arg.starts_with('{');
  });
}

bool lolbin_condition_holds(const LolbinRule& rule, const CommandLine& command) {
  switch (rule.condition) {
    case LolbinCondition::always:
      return !only_opens_placeholder(command);
    case LolbinCondition::rundll32:
      return rundll32_is_suspicious(command);
    case LolbinCondition::regsvr32:
      return regsvr32_is_suspicious(command);
    case LolbinCondition::msiexec:
      return msiexec_is_suspicious(command);
    case LolbinCondition::with_wrapped_command:
      return !command.wrapped.empty() && !is_placeholder(command.wrapped.front().image_path);
    case LolbinCondition::with_marker:
      return has_argument_starting_with(command, rule.markers);
    case LolbinCondition::with_url:
      return holds_url(command.arguments);
    case LolbinCondition::control_panel_item:
      return control_opens_foreign_cpl(command);
  }
  return false;
}

// LOLBins are programs: a driver or DLL that shares a name (csc.sys, Offline Files) is not one.
bool is_program_image(std::string_view image_path) {
  const std::string_view name = file_name_of(image_path);
  return name.find('.') == std::string_view::npos || iends_with(name, ".exe") || iends_with(name, ".com");
}

void add_lolbin_reason(const CommandLine& command, Reasons& reasons) {
  if (!is_program_image(command.image_path)) return;
  for (const LolbinRule& rule : kLolbins) {
    if (rule.name == command.image_name && lolbin_condition_holds(rule, command)) {
      reasons.insert("lolbin:" + std::string(rule.name));
    }
  }
}

// --- PowerShell ------------------------------------------------------------------------------------

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

bool contains_word(std::string_view text, std::string_view word) {
  for (std::size_t pos = ifind(text, word); pos != std::string_view::npos; pos = ifind(text, word, pos + 1)) {
    const bool left_ok = pos == 0 || !is_word_char(text[pos - 1]);
    const std::size_t after = pos + word.size();
    const bool right_ok = after >= text.size() || !is_word_char(text[after]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

bool is_base64_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='; }

bool is_base64_token(std::string_view token, std::size_t minimum) {
  return token.size() >= minimum && std::all_of(token.begin(), token.end(), is_base64_char);
}

std::size_t count_occurrences(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t pos = ifind(text, needle); pos != std::string_view::npos; pos = ifind(text, needle, pos + 1))
    ++count;
  return count;
}

bool has_hidden_noninteractive_switches(const CommandLine& command) {
  bool hidden = false;
  bool no_profile = false;
  for (std::size_t i = 0; i < command.argv.size(); ++i) {
    const std::string name = to_lower_ascii(std::string_view(command.argv[i]).substr(command.argv[i].empty() ? 0 : 1));
    const bool window_style = !command.argv[i].empty() && command.argv[i][0] == '-' && !name.empty() &&
                              std::string_view("windowstyle").starts_with(name);
    if (window_style && i + 1 < command.argv.size() && istarts_with(command.argv[i + 1], "h")) hidden = true;
    if (name == "nop" || name == "noni" || name == "noprofile" || name == "noninteractive") no_profile = true;
  }
  return hidden && no_profile;
}

bool encoded_command_is_base64(const CommandLine& command) {
  if (!command.encoded_command) return false;
  return std::any_of(command.argv.begin(), command.argv.end(),
                     [](const std::string& arg) { return is_base64_token(arg, 16); });
}

bool powershell_text_is_suspicious(std::string_view text) {
  return std::any_of(std::begin(kPowershellMarkers), std::end(kPowershellMarkers),
                     [&](std::string_view marker) { return contains_word(text, marker); }) ||
         count_occurrences(text, "[char]") >= 10;
}

bool is_powershell(const CommandLine& command) {
  return command.image_name == "powershell" || command.image_name == "pwsh" || command.image_name == "powershell_ise" ||
         icontains(command.expanded, "powershell");
}

bool has_long_base64_token(const CommandLine& command) {
  return std::any_of(command.argv.begin(), command.argv.end(),
                     [](const std::string& arg) { return is_base64_token(arg, 200); });
}

bool is_encoded_powershell(const CommandLine& command) {
  if (has_long_base64_token(command)) return true;
  if (!is_powershell(command)) return false;
  const std::string_view script = command.powershell_command;
  return encoded_command_is_base64(command) || powershell_text_is_suspicious(command.expanded) ||
         powershell_text_is_suspicious(command.decoded_powershell) || has_hidden_noninteractive_switches(command) ||
         (script.find(';') != std::string_view::npos && script.find('$') != std::string_view::npos);
}

// --- URLs, names, extensions ------------------------------------------------------------------------

bool has_ipv4_endpoint(std::string_view text) {
  for (std::size_t start = 0; start < text.size(); ++start) {
    if (start > 0 && (std::isdigit(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '.')) continue;
    std::size_t pos = start;
    int groups = 0;
    while (groups < 4) {
      const std::size_t digits_start = pos;
      while (pos < text.size() && pos - digits_start < 4 && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      const std::size_t digits = pos - digits_start;
      if (digits == 0 || digits > 3) break;
      ++groups;
      if (groups < 4) {
        if (pos >= text.size() || text[pos] != '.') break;
        ++pos;
      }
    }
    if (groups != 4 || pos >= text.size()) continue;
    const bool port =
        text[pos] == ':' && pos + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[pos + 1]));
    if (text[pos] == '/' || port) return true;
  }
  return false;
}

bool has_www_host(std::string_view text) {
  for (std::size_t pos = ifind(text, "www."); pos != std::string_view::npos; pos = ifind(text, "www.", pos + 1)) {
    if (pos == 0 || !is_word_char(text[pos - 1])) return true;
  }
  return false;
}

bool holds_url(std::string_view text) {
  const bool scheme = std::any_of(std::begin(kUrlSchemes), std::end(kUrlSchemes),
                                  [&](std::string_view known) { return icontains(text, known); });
  return scheme || has_www_host(text) || has_ipv4_endpoint(text);
}

// NUL and C0/C1 controls, zero-width characters, bidi embeddings/overrides, word joiners, BOM.
bool has_hidden_characters(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) return true;
    if (byte == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if ((third >= 0x8B && third <= 0x8F) || (third >= 0xAA && third <= 0xAE)) return true;
    }
    if (byte == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x81) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third >= 0xA0 && third <= 0xA4) return true;
    }
    if (byte == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBB &&
        static_cast<unsigned char>(text[i + 2]) == 0xBF)
      return true;
  }
  return false;
}

bool has_double_extension(std::string_view path) {
  const std::string name = to_lower_ascii(file_name_of(unquote(path)));
  const std::size_t last_dot = name.rfind('.');
  if (last_dot == std::string::npos || last_dot == 0) return false;
  const std::string_view last = std::string_view(name).substr(last_dot + 1);
  const bool disguised = std::any_of(std::begin(kDisguisedExtensions), std::end(kDisguisedExtensions),
                                     [&](std::string_view ext) { return ext == last; });
  if (!disguised) return false;
  if (name.size() > 3 && std::string_view(name).substr(0, last_dot).ends_with("   ")) return true;
  const std::size_t previous_dot = name.rfind('.', last_dot - 1);
  if (previous_dot == std::string::npos) return false;
  const std::string_view previous = trim(std::string_view(name).substr(previous_dot + 1, last_dot - previous_dot - 1));
  return std::any_of(std::begin(kDocumentExtensions), std::end(kDocumentExtensions),
                     [&](std::string_view ext) { return ext == previous; });
}

// A folder but no root: `Temp\x.exe`, `..\x.exe`. Not: absolute and drive-relative paths, URLs and
// monikers (`javascript:…`, a colon before the first separator), unexpanded `%VAR%\…` paths.
bool is_relative_with_folder(std::string_view path) {
  path = unquote(path);
  const std::size_t separator = path.find_first_of("\\/");
  if (separator == std::string_view::npos || is_absolute(path) || path.starts_with('%') || path.starts_with('\\'))
    return false;
  return path.find(':') > separator;
}

bool is_system_binary_elsewhere(std::string_view image_path) {
  const std::string name = to_lower_ascii(file_name_of(image_path));
  const bool system_name = std::any_of(std::begin(kSystemBinaries), std::end(kSystemBinaries),
                                       [&](std::string_view binary) { return binary == name; });
  if (!system_name) return false;
  const std::string key = rooted_path_key(image_path);
  if (key.empty()) return is_unc(image_path);
  const std::string_view folder = std::string_view(key).substr(0, key.size() - name.size() - 1);
  return std::none_of(std::begin(kSystemBinaryFolders), std::end(kSystemBinaryFolders),
                      [&](std::string_view allowed) { return folder == allowed; });
}

// --- per command ------------------------------------------------------------------------------------

void add_path_reasons(const CommandLine& command, Reasons& reasons) {
  const bool placeholder_only = is_placeholder(command.payload_path);
  for (std::string_view path : named_paths(command)) {
    if (is_user_writable_path(path) || has_user_profile_variable(path)) reasons.insert("user_writable_path");
    if (is_unc(path)) reasons.insert("unc_path");
  }
  std::vector<std::string_view> targets{command.image_path};
  if (!command.payload_path.empty() && !placeholder_only) targets.push_back(command.payload_path);
  if (!command.payload_argument.empty() && command.payload_argument.find('.') != std::string::npos)
    targets.push_back(command.payload_argument);
  for (std::string_view target : targets) {
    if (has_hidden_characters(target)) reasons.insert("nul_in_name");
    if (has_double_extension(target)) reasons.insert("double_extension");
    if (has_extension_in(target, kScriptExtensions)) reasons.insert("script_file");
    if (is_relative_with_folder(target)) reasons.insert("relative_path");
  }
}

void collect_reasons(const CommandLine& command, Reasons& reasons) {
  add_path_reasons(command, reasons);
  add_lolbin_reason(command, reasons);
  if (is_encoded_powershell(command)) reasons.insert("encoded_powershell");
  if (holds_url(command.expanded)) reasons.insert("url_in_command");
  if (command.unquoted_path_with_spaces) reasons.insert("unquoted_path_with_spaces");
  if (is_system_binary_elsewhere(command.image_path)) reasons.insert("system_binary_mismatch");
  for (const CommandLine& inner : command.wrapped) collect_reasons(inner, reasons);
}

}  // namespace

bool is_user_writable_path(std::string_view normalized_path) {
  const std::string key = rooted_path_key(normalized_path);
  if (key.empty()) return false;
  const bool exempt = std::any_of(std::begin(kUserWritableExceptions), std::end(kUserWritableExceptions),
                                  [&](std::string_view pattern) { return matches_at(key, 0, pattern); });
  if (exempt) return false;
  const bool listed = std::any_of(std::begin(kUserWritablePrefixes), std::end(kUserWritablePrefixes),
                                  [&](std::string_view prefix) { return key.starts_with(prefix); });
  return listed || is_custom_root_folder(key);
}

std::vector<std::string> command_line_reasons(const CommandLine& command) {
  Reasons reasons;
  collect_reasons(command, reasons);
  return {reasons.begin(), reasons.end()};
}

std::vector<std::string> name_reasons(std::string_view name) {
  if (name.empty()) return {};
  const bool whitespace_only = std::all_of(name.begin(), name.end(), is_space);
  const auto characters = std::count_if(name.begin(), name.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // UTF-8 lead bytes
  });
  const bool too_long = characters > 255;
  if (has_hidden_characters(name) || whitespace_only || too_long) return {"nul_in_name"};
  return {};
}

}  // namespace regpersist
