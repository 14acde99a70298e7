// Command-line decoding: the image/argument split CreateProcess would make, CommandLineToArgvW
// argument splitting, and the launchers whose payload is in their arguments (rundll32, regsvr32,
// mshta, script hosts, PowerShell incl. -EncodedCommand, msiexec) or that wrap another command
// (cmd /c, start, forfiles /c, conhost, explorer). persistence-catalog.md §3.0 and §3.2.
// Hand-written: no Linux library parses Windows command lines with these semantics.
#include <array>
#include <cctype>

#include "catalog/decoders/heuristic_lists.h"
#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"
#include "regpersist/value.h"

namespace regpersist {
namespace {

using namespace decoders_detail;

// Wrappers inside wrappers (`cmd /c start cmd /c …`) are followed this deep.
constexpr int kMaxWrapDepth = 4;

bool has_executable_extension(std::string_view path) {
  for (std::string_view ext : kExecutableExtensions) {
    if (iends_with(path, ext)) return true;
  }
  return false;
}

std::string image_name_of(std::string_view image_path) {
  std::string_view name = file_name_of(image_path);
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return to_lower_ascii(name);
}

struct ImageSplit {
  std::string image;
  std::string rest;
  bool quoted = false;
  bool ambiguous = false;  // unquoted with a space inside the path CreateProcess resolves
  std::vector<std::string> candidates;
};

std::vector<std::size_t> space_positions(std::string_view text) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_space(text[i])) out.push_back(i);
  }
  return out;
}

// What CreateProcess tries for an unquoted path: each space-separated prefix, with ".exe" appended
// when the file name has no extension.
std::string candidate_image(std::string_view prefix) {
  std::string out(prefix);
  if (file_name_of(prefix).find('.') == std::string_view::npos) out += ".exe";
  return out;
}

ImageSplit split_quoted(std::string_view text) {
  ImageSplit split;
  split.quoted = true;
  const std::size_t close = text.find('"', 1);
  split.image = std::string(text.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  if (close != std::string_view::npos) split.rest = std::string(trim(text.substr(close + 1)));
  return split;
}

// Where an unquoted image path can end at the latest: before the first token that cannot be part of a
// path (a quoted string or a switch such as "-k" or "/s"), and after the first token when that token
// is a bare name (`rundll32 shell32.dll,…` runs rundll32.exe found on the search path).
std::size_t path_limit(std::string_view text, const std::vector<std::size_t>& spaces) {
  if (spaces.empty()) return text.size();
  if (text.substr(0, spaces.front()).find_first_of("\\/") == std::string_view::npos) return spaces.front();
  for (std::size_t space : spaces) {
    const char next = space + 1 < text.size() ? text[space + 1] : ' ';
    if (next == '"' || next == '-' || next == '/') return space;
  }
  return text.size();
}

// The end of the image inside [0, limit): the first space-separated prefix with an executable
// extension; else, for an extensionless path, the end of the last token that still holds a `\`
// (`C:\Program Files\Foo\bar -x`: CreateProcess would still try `C:\Program.exe` first).
std::size_t image_end_within(std::string_view text, const std::vector<std::size_t>& spaces, std::size_t limit) {
  for (std::size_t space : spaces) {
    if (space >= limit) break;
    if (has_executable_extension(text.substr(0, space))) return space;
  }
  if (has_executable_extension(text.substr(0, limit))) return limit;
  std::size_t end = spaces.empty() ? limit : std::min(spaces.front(), limit);
  if (text.substr(0, end).find('\\') == std::string_view::npos) return end;
  for (std::size_t i = 0; i < spaces.size() && spaces[i] < limit; ++i) {
    const std::size_t token_end = std::min(i + 1 < spaces.size() ? spaces[i + 1] : text.size(), limit);
    if (text.substr(spaces[i] + 1, token_end - spaces[i] - 1).find('\\') == std::string_view::npos) break;
    end = token_end;
  }
  return end;
}

ImageSplit split_unquoted(std::string_view text) {
  ImageSplit split;
  const std::vector<std::size_t> spaces = space_positions(text);
  const std::size_t image_end = image_end_within(text, spaces, path_limit(text, spaces));
  split.image = std::string(text.substr(0, image_end));
  split.rest = std::string(trim(text.substr(image_end)));
  for (std::size_t space : spaces) {
    if (space >= image_end) break;
    split.candidates.push_back(candidate_image(text.substr(0, space)));
  }
  if (!split.candidates.empty()) split.candidates.push_back(candidate_image(split.image));
  split.ambiguous = !split.candidates.empty();
  return split;
}

ImageSplit split_image(std::string_view text) {
  if (text.starts_with('"')) return split_quoted(text);
  return split_unquoted(text);
}

// CommandLineToArgvW: whitespace separates, quotes group, 2n backslashes + quote → n backslashes and
// a quote toggle, 2n+1 backslashes + quote → n backslashes and a literal quote.
std::vector<std::string> split_arguments(std::string_view text) {
  std::vector<std::string> argv;
  std::string current;
  bool in_token = false;
  bool in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      std::size_t count = 0;
      while (i < text.size() && text[i] == '\\') ++count, ++i;
      if (i < text.size() && text[i] == '"') {
        current.append(count / 2, '\\');
        if (count % 2 == 1) {
          current.push_back('"');
        } else {
          in_quotes = !in_quotes;
        }
      } else {
        current.append(count, '\\');
        --i;
      }
      in_token = true;
    } else if (c == '"') {
      in_quotes = !in_quotes;
      in_token = true;
    } else if (is_space(c) && !in_quotes) {
      if (in_token) argv.push_back(std::move(current));
      current.clear();
      in_token = false;
    } else {
      current.push_back(c);
      in_token = true;
    }
  }
  if (in_token) argv.push_back(std::move(current));
  return argv;
}

bool is_switch(std::string_view arg) { return arg.starts_with('/') || arg.starts_with('-'); }

std::string switch_name(std::string_view arg) {
  while (!arg.empty() && (arg.front() == '/' || arg.front() == '-')) arg.remove_prefix(1);
  return to_lower_ascii(arg);
}

bool is_script_url(std::string_view text) {
  return istarts_with(text, "javascript:") || istarts_with(text, "vbscript:") || istarts_with(text, "about:");
}

bool is_url(std::string_view text) {
  for (std::string_view scheme : kUrlSchemes) {
    if (istarts_with(text, scheme)) return true;
  }
  return false;
}

// A launcher's payload: URLs and script text stay as written, paths are normalised.
std::string payload_text(std::string_view argument, const Environment& env) {
  if (is_url(argument) || is_script_url(argument)) return std::string(argument);
  return normalize_path(argument, env);
}

// Removes and returns the first whitespace-delimited token of `rest`.
std::string_view pop_token(std::string_view& rest) {
  rest = trim(rest);
  const std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
  const std::string_view token = rest.substr(0, end);
  rest = rest.substr(end);
  return token;
}

CommandLine parse(std::string_view raw, const Environment& env, int depth);

// rundll32 [/d] "C:\x.dll",Export args | C:\x.dll,Export | x.dll Export | javascript:… |
// -sta {CLSID} / -localserver {CLSID} (COM activation: the CLSID goes to payload_argument).
void decode_rundll32(CommandLine& command, const Environment& env) {
  std::string_view args = command.arguments;
  if (istarts_with(args, "/d ")) args = trim(args.substr(3));
  if (istarts_with(args, "-sta ") || istarts_with(args, "-localserver ")) {
    pop_token(args);
    command.payload_argument = std::string(unquote(pop_token(args)));
    return;
  }
  if (is_script_url(args)) {
    command.payload_path = std::string(args);
    return;
  }
  std::string_view dll;
  std::string_view after;
  if (args.starts_with('"')) {
    const std::size_t close = args.find('"', 1);
    dll = args.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    after = close == std::string_view::npos ? std::string_view() : args.substr(close + 1);
  } else {
    const std::size_t end = args.find_first_of(", \t");
    dll = args.substr(0, end);
    after = end == std::string_view::npos ? std::string_view() : args.substr(end);
  }
  after = trim(after);
  if (after.starts_with(',')) after = trim(after.substr(1));
  command.payload_path = normalize_path(dll, env);
  command.payload_export = std::string(unquote(after.substr(0, after.find_first_of(" \t,"))));
}

void decode_regsvr32(CommandLine& command, const Environment& env) {
  for (const std::string& arg : command.argv) {
    if (istarts_with(arg, "/i:") || istarts_with(arg, "-i:")) {
      command.payload_argument = std::string(unquote(std::string_view(arg).substr(3)));
    } else if (!is_switch(arg) && command.payload_path.empty()) {
      command.payload_path = payload_text(arg, env);
    }
  }
}

// The first argument that is not a switch (mshta's target, a script host's script).
void decode_first_operand(CommandLine& command, const Environment& env) {
  for (const std::string& arg : command.argv) {
    if (!is_switch(arg)) {
      command.payload_path = payload_text(arg, env);
      return;
    }
  }
}

void decode_msiexec(CommandLine& command, const Environment& env) {
  static constexpr std::array<std::string_view, 6> kPackageSwitches = {"i", "package", "y", "z", "x", "a"};
  for (std::size_t i = 0; i + 1 < command.argv.size(); ++i) {
    if (!is_switch(command.argv[i])) continue;
    const std::string name = switch_name(command.argv[i]);
    for (std::string_view known : kPackageSwitches) {
      if (name == known) {
        command.payload_path = payload_text(command.argv[i + 1], env);
        command.payload_argument = "/" + name;
        return;
      }
    }
  }
}

// PowerShell parameter names may be abbreviated to any unambiguous prefix.
bool is_abbreviation(std::string_view name, std::string_view full, std::size_t minimum) {
  return name.size() >= minimum && std::string_view(full).starts_with(name);
}

bool is_encoded_command_switch(std::string_view name) {
  return name == "e" || name == "ec" || is_abbreviation(name, "encodedcommand", 3);
}

bool powershell_switch_takes_value(std::string_view name) {
  return is_abbreviation(name, "executionpolicy", 2) || name == "ep" || is_abbreviation(name, "windowstyle", 1) ||
         is_abbreviation(name, "version", 1) || is_abbreviation(name, "psconsolefile", 2) ||
         is_abbreviation(name, "inputformat", 2) || is_abbreviation(name, "outputformat", 1) ||
         is_abbreviation(name, "configurationname", 4) || is_abbreviation(name, "workingdirectory", 2) ||
         name == "wd" || is_abbreviation(name, "settingsfile", 2) || is_abbreviation(name, "encodedarguments", 8) ||
         name == "ea";
}

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::vector<std::uint8_t> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = sextet(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFF));
    }
  }
  if (text.size() % 4 == 1) return std::nullopt;
  return out;
}

std::string join_from(const std::vector<std::string>& argv, std::size_t first) {
  std::string out;
  for (std::size_t i = first; i < argv.size(); ++i) {
    if (!out.empty()) out.push_back(' ');
    out += argv[i];
  }
  return out;
}

void decode_powershell(CommandLine& command, const Environment& env) {
  const auto& argv = command.argv;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (!is_switch(argv[i])) {  // a bare operand: a script file, else the command text
      if (iends_with(argv[i], ".ps1")) {
        command.payload_path = normalize_path(argv[i], env);
      } else {
        command.powershell_command = join_from(argv, i);
      }
      return;
    }
    const std::string name = switch_name(argv[i]);
    const bool has_value = i + 1 < argv.size();
    if (is_encoded_command_switch(name) && has_value) {
      command.encoded_command = true;
      const auto bytes = decode_base64(argv[i + 1]);
      if (bytes) command.decoded_powershell = sanitize_utf8(utf16le_to_utf8(*bytes, false));
      ++i;
    } else if ((name == "c" || is_abbreviation(name, "command", 3)) && has_value) {
      command.powershell_command = join_from(argv, i + 1);
      return;
    } else if (is_abbreviation(name, "file", 1) && has_value) {
      command.payload_path = normalize_path(argv[i + 1], env);
      return;
    } else if (powershell_switch_takes_value(name)) {
      ++i;
    }
  }
}

// cmd's own rule for the text after /c: outer quotes are removed when more than one pair is present
// (`""C:\Program Files\x.exe" arg"`).
std::string_view strip_cmd_quotes(std::string_view text) {
  text = trim(text);
  const auto quotes = std::count(text.begin(), text.end(), '"');
  if (quotes > 2 && text.starts_with('"') && text.ends_with('"')) return text.substr(1, text.size() - 2);
  return text;
}

struct TokenSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The first whitespace-delimited token of `arguments` that satisfies `matches`.
template <typename Predicate>
std::optional<TokenSpan> find_token(std::string_view arguments, Predicate matches) {
  std::size_t pos = 0;
  while (pos < arguments.size()) {
    while (pos < arguments.size() && is_space(arguments[pos])) ++pos;
    const std::size_t end = std::min(arguments.find_first_of(" \t", pos), arguments.size());
    if (end > pos && matches(arguments.substr(pos, end - pos))) return TokenSpan{pos, end};
    pos = end;
  }
  return std::nullopt;
}

void wrap(CommandLine& command, std::string_view inner, const Environment& env, int depth) {
  inner = trim(inner);
  if (inner.empty() || depth >= kMaxWrapDepth) return;
  command.wrapped.push_back(parse(inner, env, depth + 1));
}

void decode_cmd(CommandLine& command, const Environment& env, int depth) {
  // "/c" may be glued to its command ("/ccalc.exe", "/c\"x\"").
  const auto token = find_token(command.arguments, [](std::string_view candidate) {
    return istarts_with(candidate, "/c") || istarts_with(candidate, "/k");
  });
  if (!token) return;
  wrap(command, strip_cmd_quotes(std::string_view(command.arguments).substr(token->begin + 2)), env, depth);
}

// start ["title"] [/switches] command: the first quoted argument is the window title.
void decode_start(CommandLine& command, const Environment& env, int depth) {
  std::string_view rest = trim(command.arguments);
  if (rest.starts_with('"')) {
    const std::size_t close = rest.find('"', 1);
    if (close == std::string_view::npos) return;
    rest = trim(rest.substr(close + 1));
  }
  while (rest.starts_with('/')) {
    const std::string name = switch_name(pop_token(rest));
    if (name == "d" || name == "node" || name == "affinity") pop_token(rest);
    rest = trim(rest);
  }
  wrap(command, rest, env, depth);
}

void decode_forfiles(CommandLine& command, const Environment& env, int depth) {
  for (std::size_t i = 0; i + 1 < command.argv.size(); ++i) {
    if (switch_name(command.argv[i]) == "c") wrap(command, command.argv[i + 1], env, depth);
  }
}

// conhost [--headless] [--width n] … command; explorer.exe command (but not explorer's own /switches).
void decode_conhost(CommandLine& command, const Environment& env, int depth) {
  std::size_t first = 0;
  while (first < command.argv.size() && command.argv[first].starts_with("-")) {
    const std::string name = switch_name(command.argv[first]);
    first += (name == "width" || name == "height" || name == "signal" || name == "server") ? 2 : 1;
  }
  if (first < command.argv.size()) wrap(command, join_from(command.argv, first), env, depth);
}

void decode_explorer(CommandLine& command, const Environment& env, int depth) {
  if (command.argv.empty() || is_switch(command.argv.front()) || istarts_with(command.argv.front(), "shell:")) return;
  wrap(command, command.arguments, env, depth);
}

void decode_launcher(CommandLine& command, const Environment& env, int depth) {
  const std::string& name = command.image_name;
  if (name == "rundll32") {
    decode_rundll32(command, env);
  } else if (name == "regsvr32") {
    decode_regsvr32(command, env);
  } else if (name == "mshta" || name == "wscript" || name == "cscript") {
    decode_first_operand(command, env);
  } else if (name == "powershell" || name == "pwsh" || name == "powershell_ise") {
    decode_powershell(command, env);
  } else if (name == "msiexec") {
    decode_msiexec(command, env);
  } else if (name == "cmd") {
    decode_cmd(command, env, depth);
  } else if (name == "start") {
    decode_start(command, env, depth);
  } else if (name == "forfiles") {
    decode_forfiles(command, env, depth);
  } else if (name == "conhost") {
    decode_conhost(command, env, depth);
  } else if (name == "explorer") {
    decode_explorer(command, env, depth);
  }
}

CommandLine parse(std::string_view raw, const Environment& env, int depth) {
  CommandLine command;
  command.raw = sanitize_utf8(raw);
  command.expanded = std::string(trim(expand_environment(command.raw, env)));
  ImageSplit split = split_image(command.expanded);
  command.quoted = split.quoted;
  command.unquoted_path_with_spaces = split.ambiguous;
  for (const std::string& candidate : split.candidates)
    command.candidate_images.push_back(normalize_path(candidate, env));
  command.image_path = normalize_path(split.image, env);
  command.image_name = image_name_of(command.image_path);
  command.arguments = std::move(split.rest);
  command.argv = split_arguments(command.arguments);
  decode_launcher(command, env, depth);
  return command;
}

}  // namespace

CommandLine parse_command_line(std::string_view raw, const Environment& env) { return parse(raw, env, 0); }

CommandLine parse_path_value(std::string_view raw, const Environment& env) {
  CommandLine command;
  command.raw = sanitize_utf8(raw);
  command.expanded = std::string(trim(expand_environment(command.raw, env)));
  command.quoted = trim(command.expanded).starts_with('"');
  command.image_path = normalize_path(command.expanded, env);
  command.image_name = image_name_of(command.image_path);
  return command;
}

}  // namespace regpersist
