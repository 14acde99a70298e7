// The persistence catalog as data: the rules of rules/persistence.yaml (embedded in the binary at build
// time) and of user rule files, parsed and validated with yaml-cpp. Each rule names a registry location
// (hive type + key path pattern), the values to read, the decoder to apply, its ATT&CK mapping and the
// Windows default, so the engine (scan.h) can report entries and never flag a default.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "regpersist/hive.h"

namespace regpersist {

// One Windows-default entry of a rule. Every list holds globs (`*` = any text, case-insensitive); an
// empty list matches anything. `key_globs` are matched against the key path below the hive root (control
// set part included), `value_globs` against the value name, `data_globs` against the decoded and
// normalised data (or each element of a list value). A `required` entry is one Windows always has: a
// matching value none of whose elements matches `data_globs` (Userinit emptied, BootExecute without
// autocheck), or a key without the value its literal `value_globs` name, is reported with
// non_default_value:removed (catalog §3.1).
struct DefaultEntry {
  std::vector<std::string> key_globs;
  std::vector<std::string> value_globs;
  std::vector<std::string> data_globs;
  bool required = false;
};

enum class ValueSelection { all, default_value, key, named };
enum class ReportMode { all, suspicious, autostart };

struct Rule {
  std::string id;   // stable id ("run-hklm")
  std::string ref;  // catalog row ("L001") or exposure row ("X001")
  std::string title;
  std::vector<std::string> techniques;  // primary first
  std::string technique_name;           // name of the primary technique
  std::string tactic = "persistence";
  std::string category;       // code ("RUN")
  std::string category_name;  // "Run family"
  HiveType hive = HiveType::other;
  std::string key;  // pattern, see rules/persistence.yaml
  bool recursive = false;
  ValueSelection selection = ValueSelection::all;
  std::vector<std::string> value_names;  // ValueSelection::named: names or globs; "" = the default value
  std::string decoder;
  bool default_known = false;   // the rule states the Windows default
  bool default_absent = false;  // ... and it is "absent": every entry is non-default
  std::vector<DefaultEntry> defaults;
  ReportMode report = ReportMode::all;
  bool legacy = false;
  bool exposure = false;
  std::string source;  // "built-in" or the rule file
  int line = 0;        // line of the rule in its source
};

struct Catalog {
  std::vector<Rule> rules;
  std::map<std::string, std::string> techniques;  // ATT&CK id → name
  std::map<std::string, std::string> categories;  // code → name
  const Rule* find(std::string_view id) const;
};

// A problem in a rule file, with the line it is on (1-based; 0 when unknown).
struct RuleProblem {
  std::string source;
  int line = 0;
  std::string message;
  std::string to_string() const;  // "FILE:LINE: message"
};

// The catalog compiled into the binary (parsed once; a broken embedded catalog throws Error).
const Catalog& builtin_catalog();
// The embedded YAML text itself.
std::string_view builtin_catalog_yaml();

// Parses catalog YAML. Invalid rules are left out and described in `problems`; techniques and
// categories not defined in the text are looked up in `base` (so a user file may use the built-in ones).
Catalog parse_catalog(std::string_view yaml_text, const std::string& source, const Catalog* base,
                      std::vector<RuleProblem>& problems);
// Reads and parses a rule file (problems as above; an unreadable file is one problem at line 0).
Catalog load_catalog_file(const std::string& path, const Catalog* base, std::vector<RuleProblem>& problems);
// `base` with the rules of `extra` added, a rule of the same id replaced in place.
Catalog merge_catalogs(const Catalog& base, const Catalog& extra);

// Names a rule's `decoder` may take.
const std::vector<std::string>& decoder_names();

}  // namespace regpersist
