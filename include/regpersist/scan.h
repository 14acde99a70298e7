// The persistence scan: runs the catalog's rules over one Windows installation's hives (SYSTEM,
// SOFTWARE, SAM and each user's NTUSER.DAT + UsrClass.dat) and returns every entry found, with its
// ATT&CK mapping, times, user and control-set context and suspicion reasons, plus the T1133
// external-remote-services exposure summary (RDP, firewall openings, SSH, WinRM, remote-access tools).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "regpersist/catalog.h"
#include "regpersist/error.h"
#include "regpersist/event.h"
#include "regpersist/evidence.h"
#include "regpersist/finding.h"
#include "regpersist/timeline.h"
#include "regpersist/timezone.h"
#include "regpersist/txlog.h"

namespace regpersist {

struct ScanOptions {
  const Catalog* catalog = nullptr;  // nullptr = builtin_catalog()
  bool replay_logs = true;           // apply each hive's transaction logs before reading it
  bool recover_deleted = true;       // scan each hive's unallocated cells for deleted keys and values
};

// What was done to one hive before its keys were read: for the report, `hives` and diagnostics.
struct HiveLoadSummary {
  std::string label;           // HiveSource::label
  std::string role;            // "SYSTEM", "SOFTWARE", "SAM", "NTUSER", "USRCLASS" …
  std::string user;            // per-user hives: the user's name (SID in `sid`)
  std::string sid;
  HiveType type = HiveType::other;
  std::string sha256;          // of the primary file as read (HiveOrigin::sha256)
  ReplayResult replay;         // was_dirty, and what the logs applied (empty when clean or replay off)
  std::size_t log_keys = 0;    // keys the replay added or re-timed (provenance "log")
  std::size_t log_values = 0;  // values the replay added or changed
  std::size_t deleted_keys = 0;    // recovered deleted keys (0 when recovery is off)
  std::size_t deleted_values = 0;  // recovered deleted values, in deleted keys or orphans
};

// T1133 exposure of the machine as its active control set and SOFTWARE policies describe it. Every
// item is backed by a finding of an `exposure` rule; absent optionals mean "not recorded".
struct ExposureSummary {
  std::optional<bool> rdp_enabled;             // fDenyTSConnections == 0 (policy value wins)
  std::optional<std::uint64_t> rdp_port;       // RDP-Tcp PortNumber
  std::optional<bool> rdp_nla_required;        // UserAuthentication == 1 (policy value wins)
  std::optional<std::uint64_t> rdp_shadow;     // policy Shadow (2/4 = without consent)
  std::vector<std::string> firewall_openings;  // "rule name: rdp 3389/TCP"
  std::vector<std::string> disabled_firewall_profiles;
  std::optional<std::string> ssh_server;  // start mode of the sshd service
  std::optional<std::string> winrm;       // start mode of the WinRM service
  std::vector<std::string> winrm_listeners;
  std::vector<std::string> remote_access_tools;  // "TeamViewer (service TeamViewer, Automatic)"
  std::vector<std::string> port_proxies;         // "0.0.0.0/4444 -> 10.0.0.5/3389"
  bool exposed() const;                          // anything above that lets someone in from outside
  std::vector<std::string> lines() const;        // one human line per item, for the table output
};

struct ScanResult {
  std::vector<Finding> findings;
  ExposureSummary exposure;
  std::size_t hives_scanned = 0;
  std::optional<TimeZoneInfo> time_zone;  // SYSTEM TimeZoneInformation, for the after-hours rule
  std::string host;                       // SYSTEM ComputerName
  std::vector<Event> login_events;        // SAM accounts and ProfileList times (regpersist/timeline.h)
  WindowsVersion windows;                 // SOFTWARE CurrentVersion (regpersist/timeline.h)
  std::vector<HiveLoadSummary> hive_loads;  // one per hive opened, in the order opened
};

// One scanned installation and where it was found (what `scan` and `report` collect per installation).
struct InstallationScan {
  std::string evidence;  // Installation::evidence
  std::string root;      // Installation::root
  ScanResult result;
};

// Scans one installation. Hives that cannot be opened become error diagnostics naming them; the other
// hives are still scanned.
ScanResult scan_installation(const Installation& installation, const ScanOptions& options, Diagnostics& diagnostics);

// The summary recomputed from findings (used by scan_installation; exposed for tests and merges).
ExposureSummary summarize_exposure(const std::vector<Finding>& findings);

}  // namespace regpersist
