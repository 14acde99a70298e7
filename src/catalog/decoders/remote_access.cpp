// T1133 / T1219 remote access: Windows Firewall rule strings and the ports they open, and the
// remote-access tools recognised by service or image name (lists in heuristic_lists.h).
// Firewall rules are the REG_SZ values of SYSTEM
// `ControlSet*\Services\SharedAccess\Parameters\FirewallPolicy\FirewallRules` (and the RestrictedServices / policy
// variants). Grammar: MS-GPFAS 2.2.2.19 `"v" VERSION "|" 1*(TYPE "=" VALUE "|")`, field names case-insensitive,
// repeatable, in any order (anchors.md §4.6, persistence-catalog.md §4.2). No library parses this format, hence this
// file.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "catalog/decoders/heuristic_lists.h"
#include "catalog/decoders/text.h"
#include "regpersist/decoders.h"
#include "regpersist/value.h"

namespace regpersist {
namespace {

using namespace decoders_detail;

// Real rules have about 20 fields; the cap bounds the work on a hostile value.
constexpr std::size_t kMaxFields = 256;
constexpr std::uint32_t kTcp = 6;
constexpr std::uint32_t kUdp = 17;

std::optional<std::uint32_t> parse_number(std::string_view text) {
  text = trim(text);
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_version_token(std::string_view token) {
  return token.size() >= 2 && (token[0] == 'v' || token[0] == 'V') &&
         std::isdigit(static_cast<unsigned char>(token[1]));
}

// Stores a known field in its member; every field is also kept verbatim in `fields`.
void apply_field(FirewallRule& rule, std::string_view name, const std::string& value) {
  if (iequals(name, "action")) {
    rule.action = value;
  } else if (iequals(name, "active")) {
    rule.active = iequals(value, "true");
  } else if (iequals(name, "dir")) {
    rule.direction = value;
  } else if (iequals(name, "protocol")) {
    rule.protocol = parse_number(value);
  } else if (iequals(name, "profile")) {
    rule.profiles.push_back(value);
  } else if (istarts_with(name, "lport")) {
    rule.local_ports.push_back(value);
  } else if (istarts_with(name, "rport")) {
    rule.remote_ports.push_back(value);
  } else if (istarts_with(name, "ra4") || istarts_with(name, "ra6")) {
    rule.remote_addresses.push_back(value);
  } else if (iequals(name, "app")) {
    rule.app = value;
  } else if (iequals(name, "svc")) {
    rule.service = value;
  } else if (iequals(name, "name")) {
    rule.name = value;
  } else if (iequals(name, "desc")) {
    rule.description = value;
  } else if (iequals(name, "embedctxt")) {
    rule.group = value;
  }
}

struct PortRange {
  std::uint32_t first;
  std::uint32_t last;
};

// "3389", "5900-5903"; keywords (RPC, IPHTTPS, Teredo …) open no fixed port and yield nothing.
std::optional<PortRange> parse_port_range(std::string_view text) {
  const std::size_t dash = text.find('-');
  const auto first = parse_number(text.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : parse_number(text.substr(dash + 1));
  if (!first || !last || *first > *last) return std::nullopt;
  return PortRange{*first, *last};
}

void add_unique(std::vector<std::string>& out, std::string_view value) {
  if (std::find(out.begin(), out.end(), value) == out.end()) out.emplace_back(value);
}

bool is_inbound_allow(const FirewallRule& rule) {
  const bool transport = !rule.protocol || *rule.protocol == kTcp || *rule.protocol == kUdp;
  return rule.active && iequals(rule.action, "allow") && iequals(rule.direction, "in") && transport;
}

// Service-name prefixes: short ones must not run on into a longer word ("Level" vs "LevelUpdater"),
// long ones may carry a suffix ("AnyDeskMSI", "TeamViewer14", "LMIRescue_1234").
bool service_matches(std::string_view service, std::string_view prefix) {
  if (prefix.empty() || !istarts_with(service, prefix)) return false;
  if (service.size() == prefix.size() || prefix.size() >= 7) return true;
  return !std::isalpha(static_cast<unsigned char>(service[prefix.size()]));
}

}  // namespace

FirewallRule parse_firewall_rule(std::string_view text) {
  FirewallRule rule;
  const std::string clean = sanitize_utf8(trim(text));
  std::string_view rest = clean;
  const std::string_view version = rest.substr(0, rest.find('|'));
  if (!is_version_token(version)) {
    rule.error = "not a firewall rule string (no v<major>.<minor> version)";
    return rule;
  }
  rule.version = std::string(version);
  rest.remove_prefix(std::min(version.size() + 1, rest.size()));
  while (!rest.empty()) {
    if (rule.fields.size() == kMaxFields) {
      rule.error = "more than " + std::to_string(kMaxFields) + " fields";
      break;
    }
    const std::size_t bar = rest.find('|');
    const std::string_view piece = rest.substr(0, bar);
    rest.remove_prefix(bar == std::string_view::npos ? rest.size() : bar + 1);
    if (piece.empty()) continue;
    const std::size_t equals = piece.find('=');
    const std::string name(piece.substr(0, equals));
    const std::string value(equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1));
    apply_field(rule, name, value);
    rule.fields.emplace_back(name, value);
  }
  return rule;
}

std::vector<std::string> remote_access_ports_opened(const FirewallRule& rule) {
  std::vector<std::string> services;
  if (!rule.error.empty() || !is_inbound_allow(rule)) return services;
  if (rule.local_ports.empty()) {
    if (rule.app.empty() && rule.service.empty()) services.emplace_back("any_port");
    return services;
  }
  std::vector<PortRange> ranges;
  for (const std::string& spec : rule.local_ports) {
    if (const auto range = parse_port_range(spec)) ranges.push_back(*range);
  }
  for (const RemoteAccessPortRange& known : kRemoteAccessPorts) {
    const bool opened = std::any_of(ranges.begin(), ranges.end(), [&](const PortRange& range) {
      return range.first <= known.last && known.first <= range.last;
    });
    if (opened) add_unique(services, known.service);
  }
  return services;
}

bool opens_remote_access_port(const FirewallRule& rule) { return !remote_access_ports_opened(rule).empty(); }

std::optional<std::string> remote_access_tool(std::string_view service_name, std::string_view image_path) {
  const std::string image = to_lower_ascii(file_name_of(unquote(image_path)));
  for (const RemoteAccessTool& tool : kRemoteAccessTools) {
    const bool by_service = std::any_of(std::begin(tool.service_prefixes), std::end(tool.service_prefixes),
                                        [&](std::string_view prefix) { return service_matches(service_name, prefix); });
    const bool by_image = !image.empty() && std::any_of(std::begin(tool.image_names), std::end(tool.image_names),
                                                        [&](std::string_view name) { return name == image; });
    if (by_service || by_image) return std::string(tool.product);
  }
  return std::nullopt;
}

}  // namespace regpersist
