// The decoder table of the catalog and the decoders that need only the value itself: command lines,
// paths, lists, names, numbers, StartupApproved, firewall rules, PortProxy, Winsock catalog entries.
// The parsing and the suspicion heuristics are the pure functions of regpersist/decoders.h.
#include "catalog/decoder_table.h"

#include <algorithm>

#include "regpersist/catalog.h"
#include "regpersist/decoders.h"

namespace regpersist {

namespace {

constexpr std::size_t kWinsockPathBytes = 260;

void add_reasons(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

std::string value_text(const Value& value) {
  const auto type = static_cast<ValueType>(value.type);
  if (type == ValueType::sz || type == ValueType::expand_sz || type == ValueType::link) return value.as_string();
  return value.to_text();
}

bool looks_like_path(std::string_view text) { return text.find('\\') != std::string_view::npos; }

// A package/provider/filter name: a path gets the path heuristics, a bare name only the name ones.
Element name_element(std::string_view name, const Environment& environment) {
  if (looks_like_path(name)) return path_element(name, environment);
  return {std::string(name), ElementKind::text, name_reasons(name)};
}

void decode_command(const DecodeInput& input, Decoded& out) {
  out.data = value_text(*input.value);
  out.elements.push_back(command_element(out.data, input.context.environment, out));
}

void decode_command_list(const DecodeInput& input, Decoded& out) {
  out.data = value_text(*input.value);
  for (const auto& item : split_comma_list(out.data)) {
    out.elements.push_back(command_element(item, input.context.environment, out));
  }
}

void decode_command_multi(const DecodeInput& input, Decoded& out) {
  out.data = input.value->to_text();
  for (const auto& item : value_strings(*input.value)) {
    out.elements.push_back(command_element(item, input.context.environment, out));
  }
}

void decode_path(const DecodeInput& input, Decoded& out) {
  out.data = value_text(*input.value);
  out.elements.push_back(path_element(out.data, input.context.environment));
  if (out.elements.back().text != out.data) out.details["path"] = out.elements.back().text;
}

void decode_path_list(const DecodeInput& input, Decoded& out) {
  out.data = value_text(*input.value);
  for (const auto& item : split_dll_list(out.data))
    out.elements.push_back(path_element(item, input.context.environment));
}

void decode_path_multi(const DecodeInput& input, Decoded& out) {
  out.data = input.value->to_text();
  for (const auto& item : value_strings(*input.value))
    out.elements.push_back(path_element(item, input.context.environment));
}

void decode_names(const DecodeInput& input, Decoded& out) {
  out.data = input.value->to_text();
  for (const auto& item : value_strings(*input.value)) {
    for (const auto& name : split_comma_list(item))
      out.elements.push_back(name_element(name, input.context.environment));
  }
}

void decode_lsa_packages(const DecodeInput& input, Decoded& out) {
  out.data = input.value->to_text();
  const auto packages = normalize_lsa_packages(value_strings(*input.value));
  for (const auto& package : packages) out.elements.push_back(name_element(package, input.context.environment));
  if (packages.empty()) out.elements.push_back({"", ElementKind::text, {}});
}

void decode_text(const DecodeInput& input, Decoded& out) {
  out.data = input.value != nullptr ? value_text(*input.value) : input.key.name();
}

void decode_number(const DecodeInput& input, Decoded& out) {
  std::uint64_t number = 0;
  out.data = input.value->as_number(number) ? std::to_string(number) : value_text(*input.value);
}

void decode_startup_item(const DecodeInput& input, Decoded& out) {
  const auto state = decode_startup_approved(input.value->data);
  out.data = startup_state_name(state.state);
  out.details["flags"] = std::to_string(state.flags);
  if (!state.error.empty()) out.details["error"] = state.error;
  if (state.disabled_at != 0) out.times.push_back({state.disabled_at, "Startup Item Disabled Time"});
}

// Defender exclusions: the value name is the excluded path, process or extension.
void decode_value_name_path(const DecodeInput& input, Decoded& out) {
  out.data = input.value->name;
  Element element{out.data, ElementKind::text, name_reasons(out.data)};
  if (looks_like_path(out.data) && is_user_writable_path(normalize_path(out.data, input.context.environment))) {
    element.reasons.push_back("user_writable_path");
  }
  out.elements.push_back(std::move(element));
}

// Printer port names that are file paths (PrintDemon writes a DLL through such a port).
void decode_port_name(const DecodeInput& input, Decoded& out) {
  out.data = input.value->name;
  Element element{out.data, ElementKind::text, {}};
  if (looks_like_path(out.data) && !out.data.starts_with("\\\\")) {
    element.reasons.push_back("port_is_file_path");
    add_reasons(element.reasons, command_line_reasons(parse_path_value(out.data, input.context.environment)));
  }
  out.elements.push_back(std::move(element));
}

// PortProxy: value name "<listen address>/<port>", data "<connect address>/<port>".
void decode_port_proxy(const DecodeInput& input, Decoded& out) {
  const auto target = value_text(*input.value);
  out.data = input.value->name + " -> " + target;
  out.details["listen"] = input.value->name;
  out.details["connect"] = target;
  static const std::vector<std::string> kRemoteAccessPorts = {"/3389", "/22", "/5985", "/5986", "/445", "/5900"};
  for (const auto& port : kRemoteAccessPorts) {
    if (target.ends_with(port)) out.reasons.push_back("forwards_remote_access_port");
  }
}

void decode_firewall_rule(const DecodeInput& input, Decoded& out) {
  out.data = value_text(*input.value);
  const auto rule = parse_firewall_rule(out.data);
  if (!rule.error.empty()) {
    out.details["error"] = rule.error;
    return;
  }
  out.details["action"] = rule.action;
  out.details["direction"] = rule.direction;
  out.details["active"] = rule.active ? "true" : "false";
  if (!rule.name.empty()) out.details["name"] = rule.name;
  if (!rule.app.empty()) out.details["app"] = rule.app;
  std::string ports;
  for (const auto& port : rule.local_ports) ports += (ports.empty() ? "" : ",") + port;
  if (!ports.empty()) out.details["local_ports"] = ports;
  for (const auto& service : remote_access_ports_opened(rule))
    out.reasons.push_back("opens_remote_access_port:" + service);
  if (!out.reasons.empty() && !rule.app.empty()) {
    add_reasons(out.reasons, command_line_reasons(parse_path_value(rule.app, input.context.environment)));
  }
}

// PackedCatalogItem: the provider DLL path in the first 260 bytes (ANSI, NUL-terminated).
void decode_winsock_catalog(const DecodeInput& input, Decoded& out) {
  const auto& data = input.value->data;
  const auto length = std::min(data.size(), kWinsockPathBytes);
  const auto end = std::find(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(length), std::uint8_t{0});
  const std::string path(data.begin(), end);
  out.data = sanitize_utf8(path);
  out.elements.push_back(path_element(out.data, input.context.environment));
}

void decode_office_addin(const DecodeInput& input, Decoded& out) {
  std::uint64_t number = 0;
  if (input.value->as_number(number)) {
    out.data = std::to_string(number);
    return;
  }
  out.data = value_text(*input.value);
  const auto manifest = out.data.substr(0, out.data.find('|'));
  out.elements.push_back(path_element(manifest, input.context.environment));
}

const std::map<std::string, DecoderFunction, std::less<>>& value_decoders() {
  static const std::map<std::string, DecoderFunction, std::less<>> table = {
      {"command", decode_command},
      {"command_list", decode_command_list},
      {"command_multi", decode_command_multi},
      {"path", decode_path},
      {"path_list", decode_path_list},
      {"path_multi", decode_path_multi},
      {"names", decode_names},
      {"lsa_packages", decode_lsa_packages},
      {"text", decode_text},
      {"number", decode_number},
      {"startup_approved", decode_startup_item},
      {"value_name_path", decode_value_name_path},
      {"port_name", decode_port_name},
      {"port_proxy", decode_port_proxy},
      {"firewall_rule", decode_firewall_rule},
      {"winsock_catalog", decode_winsock_catalog},
      {"office_addin", decode_office_addin},
  };
  return table;
}

}  // namespace

std::string join_list(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

std::vector<std::string> split_dll_list(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == ';') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::vector<std::string> value_strings(const Value& value) {
  if (static_cast<ValueType>(value.type) == ValueType::multi_sz) return value.strings();
  return {value_text(value)};
}

Element command_element(std::string_view text, const Environment& environment, Decoded& decoded) {
  const auto command = parse_command_line(text, environment);
  if (!command.image_path.empty() && decoded.details.find("image_path") == decoded.details.end()) {
    decoded.details["image_path"] = command.image_path;
    if (!command.arguments.empty()) decoded.details["arguments"] = command.arguments;
    if (!command.decoded_powershell.empty()) decoded.details["decoded_powershell"] = command.decoded_powershell;
  }
  return {command.expanded, ElementKind::command, command_line_reasons(command)};
}

std::string canonical_path(std::string_view text, const Environment& environment) {
  auto path = normalize_path(text, environment);
  if (!path.empty() && path.find_first_of("\\:") == std::string::npos) {
    path = normalize_path("%SystemRoot%\\System32\\" + path, environment);
  }
  return path;
}

Element path_element(std::string_view text, const Environment& environment) {
  const auto path = parse_path_value(text, environment);
  return {canonical_path(text, environment), ElementKind::path, command_line_reasons(path)};
}

DecoderFunction find_decoder(std::string_view name) {
  for (const auto* table : {&value_decoders(), &context_decoders()}) {
    if (const auto found = table->find(name); found != table->end()) return found->second;
  }
  return nullptr;
}

const std::vector<std::string>& decoder_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto* table : {&value_decoders(), &context_decoders()}) {
      for (const auto& entry : *table) out.push_back(entry.first);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

}  // namespace regpersist
