// The T1133 exposure summary: what the findings of the `exposure` rules say about how the machine can be
// reached from outside (RDP, firewall openings, SSH, WinRM, remote-access tools, port forwarding). Only
// the active control set counts; SOFTWARE policy values win over the SYSTEM settings they override.
#include <algorithm>

#include "regpersist/scan.h"

namespace regpersist {

namespace {

bool counts(const Finding& finding) { return finding.control_set.empty() || finding.active_control_set; }

std::optional<std::uint64_t> number(const Finding& finding) {
  try {
    return std::stoull(finding.data);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string detail(const Finding& finding, const std::string& name) {
  const auto found = finding.details.find(name);
  return found == finding.details.end() ? std::string{} : found->second;
}

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

void apply_rdp(const Finding& finding, bool policy, ExposureSummary& summary) {
  const auto value = number(finding);
  if (!value) return;
  const auto& name = finding.value_name;
  if (name == "fDenyTSConnections" && (policy || !summary.rdp_enabled.has_value())) summary.rdp_enabled = *value == 0;
  if (name == "UserAuthentication" && (policy || !summary.rdp_nla_required.has_value())) {
    summary.rdp_nla_required = *value == 1;
  }
  if (name == "PortNumber") summary.rdp_port = *value;
  if (name == "Shadow") summary.rdp_shadow = *value;
}

void apply_firewall(const Finding& finding, ExposureSummary& summary) {
  for (const auto& reason : finding.reasons) {
    if (!reason.starts_with("opens_remote_access_port:")) continue;
    auto name = detail(finding, "name");
    if (name.empty()) name = finding.value_name;
    const auto ports = detail(finding, "local_ports");
    add_unique(summary.firewall_openings,
               name + ": " + reason.substr(reason.find(':') + 1) + (ports.empty() ? "" : " (port " + ports + ")"));
  }
}

void apply(const Finding& finding, ExposureSummary& summary) {
  const auto& id = finding.rule_id;
  if (id == "rdp-enabled" || id == "rdp-listener")
    apply_rdp(finding, false, summary);
  else if (id == "rdp-policy")
    apply_rdp(finding, true, summary);
  else if (id == "firewall-rule-remote-access" || id == "firewall-rule-policy")
    apply_firewall(finding, summary);
  else if (id == "firewall-profile-disabled" && finding.data == "0") {
    add_unique(summary.disabled_firewall_profiles, finding.key_path.substr(finding.key_path.rfind('\\') + 1));
  } else if (id == "openssh-server")
    summary.ssh_server = detail(finding, "start");
  else if (id == "winrm-service")
    summary.winrm = detail(finding, "start");
  else if (id == "winrm-listener")
    add_unique(summary.winrm_listeners, finding.data);
  else if (id == "remote-access-tool-service") {
    add_unique(summary.remote_access_tools, detail(finding, "tool") + " (service " + detail(finding, "service") + ", " +
                                                detail(finding, "start") + ")");
  } else if (id == "remote-access-tool-software") {
    add_unique(summary.remote_access_tools, finding.key_path + " (SOFTWARE key)");
  } else if (id == "port-proxy")
    add_unique(summary.port_proxies, finding.data);
}

bool starts_automatically(const std::optional<std::string>& start) { return start && start->starts_with("Automatic"); }

}  // namespace

ExposureSummary summarize_exposure(const std::vector<Finding>& findings) {
  ExposureSummary summary;
  // SYSTEM settings first, so the SOFTWARE policy values applied afterwards win.
  for (const bool policy_pass : {false, true}) {
    for (const auto& finding : findings) {
      if (counts(finding) && (finding.rule_id == "rdp-policy") == policy_pass) apply(finding, summary);
    }
  }
  return summary;
}

bool ExposureSummary::exposed() const {
  return rdp_enabled.value_or(false) || !firewall_openings.empty() || !disabled_firewall_profiles.empty() ||
         starts_automatically(ssh_server) || starts_automatically(winrm) || !winrm_listeners.empty() ||
         !remote_access_tools.empty() || !port_proxies.empty();
}

std::vector<std::string> ExposureSummary::lines() const {
  std::vector<std::string> out;
  if (rdp_enabled) {
    std::string line = std::string("RDP: ") + (*rdp_enabled ? "enabled" : "disabled");
    if (rdp_port) line += ", port " + std::to_string(*rdp_port);
    if (rdp_nla_required) line += *rdp_nla_required ? ", NLA required" : ", NLA off (logon screen exposed)";
    out.push_back(line);
  }
  if (rdp_shadow) out.push_back("RDP shadowing policy: " + std::to_string(*rdp_shadow));
  for (const auto& item : firewall_openings) out.push_back("Firewall opens " + item);
  for (const auto& item : disabled_firewall_profiles) out.push_back("Firewall profile off: " + item);
  if (ssh_server) out.push_back("OpenSSH server: " + *ssh_server);
  if (winrm) out.push_back("WinRM service: " + *winrm);
  for (const auto& item : winrm_listeners) out.push_back("WinRM listener: " + item);
  for (const auto& item : remote_access_tools) out.push_back("Remote-access tool: " + item);
  for (const auto& item : port_proxies) out.push_back("Port forwarding: " + item);
  return out;
}

}  // namespace regpersist
