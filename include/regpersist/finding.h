// A persistence finding: one registry entry that matched a catalog rule, with its ATT&CK mapping,
// times, provenance and the machine-readable reasons it looks suspicious. Produced by the catalog
// (src/catalog/), turned into timeline events by src/timeline/.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "regpersist/hive.h"

namespace regpersist {

// A time the decoder found besides the key's last-write time (task registered / last run ...).
struct FindingTime {
  std::uint64_t filetime = 0;
  std::string description;  // timestamp_desc, e.g. "Task Last Run Time"
};

enum class Provenance { allocated, log, deleted };
std::string provenance_name(Provenance provenance);  // "allocated", "log", "deleted"

struct Finding {
  // The rule
  std::string rule_id;         // stable id from rules/persistence.yaml ("run-hklm")
  std::string title;           // rule title
  std::vector<std::string> techniques;  // ATT&CK ids, first is primary ("T1547.001")
  std::string technique_name;  // name of the primary technique
  std::string tactic;          // "persistence" …
  std::string category;        // catalog category ("Run family" …)
  // Where
  std::string evidence;        // what the user gave
  HiveType hive_type = HiveType::other;
  std::string hive_path;       // label of the hive
  std::string hive_sha256;
  std::string host;            // SYSTEM ComputerName
  std::string user;            // per-user hives
  std::string sid;
  std::string key_path;        // below the hive root: "Microsoft\\Windows\\CurrentVersion\\Run"
  std::string plaso_key_path;  // "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\..." / "HKEY_CURRENT_USER\\..."
  std::string value_name;      // "" = default value or a key-level finding
  std::string control_set;     // SYSTEM rules: "ControlSet001"
  bool active_control_set = false;
  Provenance provenance = Provenance::allocated;
  // What
  std::string data;            // decoded data as text (command line, DLL path …)
  std::map<std::string, std::string> details;  // decoder fields: image_path, arguments, start, type …
  std::uint64_t last_written = 0;  // key last-write time (FILETIME)
  std::vector<FindingTime> other_times;
  std::vector<std::string> reasons;  // "user_writable_path", "lolbin:rundll32" …
  bool suspicious() const { return !reasons.empty(); }
};

}  // namespace regpersist
