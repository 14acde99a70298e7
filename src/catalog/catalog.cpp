// Parsing and validation of catalog YAML (the embedded rules/persistence.yaml and --rules files) with
// yaml-cpp, every problem reported with the line of the offending node.
#include "regpersist/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/pattern.h"

namespace regpersist {

namespace detail {
extern const unsigned char kEmbeddedRules[];
extern const std::size_t kEmbeddedRulesSize;
}  // namespace detail

namespace {

// Collects problems of one source; each refers to the node it is about.
class ProblemSink {
 public:
  ProblemSink(std::string source, std::vector<RuleProblem>& problems)
      : source_(std::move(source)), problems_(problems) {}
  void add(const YAML::Node& node, const std::string& message) {
    problems_.push_back({source_, node.Mark().line + 1, message});
    ++count_;
  }
  void add(int line, const std::string& message) {
    problems_.push_back({source_, line, message});
    ++count_;
  }
  std::size_t count() const { return count_; }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::vector<RuleProblem>& problems_;
  std::size_t count_ = 0;
};

const std::set<std::string> kRuleFields = {"id",       "ref",     "title",  "attack",    "tactic",
                                           "category", "hive",    "key",    "recursive", "values",
                                           "decoder",  "default", "report", "legacy",    "exposure"};

// A scalar or a sequence of scalars as strings; anything else is a problem.
std::vector<std::string> string_list(const YAML::Node& node, const std::string& field, ProblemSink& sink) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) {
        out.push_back(item.as<std::string>());
      } else {
        sink.add(item, "'" + field + "' items must be text");
      }
    }
  } else if (!node.IsNull()) {
    sink.add(node, "'" + field + "' must be text or a list of text");
  }
  return out;
}

std::string required_text(const YAML::Node& rule, const std::string& field, ProblemSink& sink) {
  const YAML::Node node = rule[field];
  if (!node || !node.IsScalar() || node.as<std::string>().empty()) {
    sink.add(node ? node : rule, "rule needs a non-empty '" + field + "'");
    return {};
  }
  return node.as<std::string>();
}

bool flag(const YAML::Node& rule, const std::string& field, ProblemSink& sink) {
  const YAML::Node node = rule[field];
  if (!node) return false;
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
    sink.add(node, "'" + field + "' must be true or false");
  return value;
}

std::optional<HiveType> parse_hive(const std::string& text) {
  static const std::map<std::string, HiveType> kHives = {{"SOFTWARE", HiveType::software},
                                                         {"SYSTEM", HiveType::system},
                                                         {"NTUSER", HiveType::ntuser},
                                                         {"USRCLASS", HiveType::usrclass},
                                                         {"SAM", HiveType::sam}};
  const auto found = kHives.find(text);
  if (found == kHives.end()) return std::nullopt;
  return found->second;
}

void parse_values(const YAML::Node& node, Rule& rule, ProblemSink& sink) {
  if (!node) {
    sink.add(0, "rule '" + rule.id + "' needs 'values'");
    return;
  }
  if (node.IsScalar()) {
    const auto text = node.as<std::string>();
    if (text == "all")
      rule.selection = ValueSelection::all;
    else if (text == "default")
      rule.selection = ValueSelection::default_value;
    else if (text == "key")
      rule.selection = ValueSelection::key;
    else
      sink.add(node, "'values' must be all, default, key or a list of value names");
    return;
  }
  rule.selection = ValueSelection::named;
  for (auto name : string_list(node, "values", sink)) rule.value_names.push_back(name == "(default)" ? "" : name);
  if (rule.value_names.empty()) sink.add(node, "'values' list is empty");
}

void parse_defaults(const YAML::Node& node, Rule& rule, ProblemSink& sink) {
  if (!node) return;
  rule.default_known = true;
  if (node.IsScalar()) {
    if (node.as<std::string>() == "absent")
      rule.default_absent = true;
    else
      sink.add(node, "'default' must be 'absent' or a list of {key, value, data} entries");
    return;
  }
  if (!node.IsSequence()) {
    sink.add(node, "'default' must be 'absent' or a list of {key, value, data} entries");
    return;
  }
  for (const auto& item : node) {
    if (!item.IsMap()) {
      sink.add(item, "a default entry must be a map with key, value and/or data");
      continue;
    }
    DefaultEntry entry;
    for (const auto& field : item) {
      const auto name = field.first.as<std::string>();
      if (name == "key") {
        for (const auto& glob : string_list(field.second, "key", sink)) {
          const auto expanded = expand_braces(glob);
          entry.key_globs.insert(entry.key_globs.end(), expanded.begin(), expanded.end());
        }
      } else if (name == "value") {
        entry.value_globs = string_list(field.second, "value", sink);
      } else if (name == "data") {
        entry.data_globs = string_list(field.second, "data", sink);
      } else if (name == "required") {
        entry.required = flag(item, "required", sink);
      } else {
        sink.add(field.first, "unknown default field '" + name + "' (key, value, data, required)");
      }
    }
    rule.defaults.push_back(std::move(entry));
  }
}

std::optional<ReportMode> parse_report(const std::string& text) {
  if (text == "all") return ReportMode::all;
  if (text == "suspicious") return ReportMode::suspicious;
  if (text == "autostart") return ReportMode::autostart;
  return std::nullopt;
}

void check_unknown_fields(const YAML::Node& node, ProblemSink& sink) {
  for (const auto& field : node) {
    const auto name = field.first.as<std::string>();
    if (!kRuleFields.contains(name)) sink.add(field.first, "unknown rule field '" + name + "'");
  }
}

void parse_attack(const YAML::Node& node, Rule& rule, const Catalog& catalog, const Catalog* base, ProblemSink& sink) {
  static const std::regex kTechnique{R"(T\d{4}(\.\d{3})?)"};
  rule.techniques = string_list(node, "attack", sink);
  if (rule.techniques.empty())
    sink.add(node ? node : YAML::Node{}, "rule '" + rule.id + "' needs 'attack' technique ids");
  for (const auto& id : rule.techniques) {
    if (!std::regex_match(id, kTechnique))
      sink.add(node, "'" + id + "' is not an ATT&CK technique id (T1234 or T1234.001)");
  }
  if (rule.techniques.empty()) return;
  auto name = catalog.techniques.find(rule.techniques.front());
  if (name != catalog.techniques.end()) {
    rule.technique_name = name->second;
  } else if (base != nullptr && base->techniques.contains(rule.techniques.front())) {
    rule.technique_name = base->techniques.at(rule.techniques.front());
  } else {
    sink.add(node, "technique " + rule.techniques.front() + " has no name in 'techniques'");
  }
}

void parse_category(const YAML::Node& node, Rule& rule, const Catalog& catalog, const Catalog* base,
                    ProblemSink& sink) {
  rule.category = required_text(node, "category", sink);
  if (rule.category.empty()) return;
  if (catalog.categories.contains(rule.category)) {
    rule.category_name = catalog.categories.at(rule.category);
  } else if (base != nullptr && base->categories.contains(rule.category)) {
    rule.category_name = base->categories.at(rule.category);
  } else {
    sink.add(node["category"], "unknown category '" + rule.category + "'");
  }
}

void parse_location(const YAML::Node& node, Rule& rule, ProblemSink& sink) {
  const auto hive = required_text(node, "hive", sink);
  if (!hive.empty()) {
    if (auto type = parse_hive(hive))
      rule.hive = *type;
    else
      sink.add(node["hive"], "unknown hive '" + hive + "' (SOFTWARE, SYSTEM, NTUSER, USRCLASS, SAM)");
  }
  rule.key = required_text(node, "key", sink);
  if (!rule.key.empty()) {
    if (auto problem = pattern_problem(rule.key)) sink.add(node["key"], *problem);
  }
  rule.recursive = flag(node, "recursive", sink);
  parse_values(node["values"], rule, sink);
}

void parse_behaviour(const YAML::Node& node, Rule& rule, ProblemSink& sink) {
  rule.decoder = required_text(node, "decoder", sink);
  const auto& names = decoder_names();
  if (!rule.decoder.empty() && std::find(names.begin(), names.end(), rule.decoder) == names.end()) {
    sink.add(node["decoder"], "unknown decoder '" + rule.decoder + "'");
  }
  parse_defaults(node["default"], rule, sink);
  if (const auto report = node["report"]) {
    auto mode = report.IsScalar() ? parse_report(report.as<std::string>()) : std::nullopt;
    if (mode)
      rule.report = *mode;
    else
      sink.add(report, "'report' must be all, suspicious or autostart");
  }
  rule.legacy = flag(node, "legacy", sink);
  rule.exposure = flag(node, "exposure", sink);
  if (const auto tactic = node["tactic"]) {
    if (tactic.IsScalar())
      rule.tactic = tactic.as<std::string>();
    else
      sink.add(tactic, "'tactic' must be text");
  }
}

std::optional<Rule> parse_rule(const YAML::Node& node, const Catalog& catalog, const Catalog* base, ProblemSink& sink) {
  static const std::regex kId{R"([a-z0-9][a-z0-9-]*)"};
  if (!node.IsMap()) {
    sink.add(node, "a rule must be a map");
    return std::nullopt;
  }
  const auto before = sink.count();
  Rule rule;
  rule.source = sink.source();
  rule.line = node.Mark().line + 1;
  rule.id = required_text(node, "id", sink);
  if (!rule.id.empty() && !std::regex_match(rule.id, kId)) {
    sink.add(node["id"], "id '" + rule.id + "' must use lower-case letters, digits and '-'");
  }
  if (const auto ref = node["ref"]; ref && ref.IsScalar()) rule.ref = ref.as<std::string>();
  rule.title = required_text(node, "title", sink);
  check_unknown_fields(node, sink);
  parse_attack(node["attack"], rule, catalog, base, sink);
  parse_category(node, rule, catalog, base, sink);
  parse_location(node, rule, sink);
  parse_behaviour(node, rule, sink);
  if (sink.count() != before) return std::nullopt;
  return rule;
}

std::map<std::string, std::string> parse_name_table(const YAML::Node& node, const std::string& field,
                                                    ProblemSink& sink) {
  std::map<std::string, std::string> table;
  if (!node) return table;
  if (!node.IsMap()) {
    sink.add(node, "'" + field + "' must be a map of id: name");
    return table;
  }
  for (const auto& item : node) {
    if (item.second.IsScalar())
      table[item.first.as<std::string>()] = item.second.as<std::string>();
    else
      sink.add(item.second, "'" + field + "' entries must be text");
  }
  return table;
}

void parse_rules(const YAML::Node& rules, Catalog& catalog, const Catalog* base, ProblemSink& sink) {
  std::map<std::string, int> seen;
  for (const auto& node : rules) {
    auto rule = parse_rule(node, catalog, base, sink);
    if (!rule) continue;
    if (const auto earlier = seen.find(rule->id); earlier != seen.end()) {
      sink.add(node["id"], "duplicate id '" + rule->id + "' (first at line " + std::to_string(earlier->second) + ")");
      continue;
    }
    seen[rule->id] = rule->line;
    catalog.rules.push_back(std::move(*rule));
  }
}

}  // namespace

const Rule* Catalog::find(std::string_view id) const {
  const auto found = std::find_if(rules.begin(), rules.end(), [&](const Rule& rule) { return rule.id == id; });
  return found == rules.end() ? nullptr : &*found;
}

std::string RuleProblem::to_string() const { return source + ":" + std::to_string(line) + ": " + message; }

Catalog parse_catalog(std::string_view yaml_text, const std::string& source, const Catalog* base,
                      std::vector<RuleProblem>& problems) {
  ProblemSink sink(source, problems);
  Catalog catalog;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::ParserException& error) {
    sink.add(error.mark.line + 1, "not valid YAML: " + error.msg);
    return catalog;
  }
  if (!root.IsMap() || !root["rules"] || !root["rules"].IsSequence()) {
    sink.add(1, "a catalog is a map with a 'rules' list (and optional 'techniques' and 'categories' maps)");
    return catalog;
  }
  catalog.techniques = parse_name_table(root["techniques"], "techniques", sink);
  catalog.categories = parse_name_table(root["categories"], "categories", sink);
  parse_rules(root["rules"], catalog, base, sink);
  return catalog;
}

Catalog load_catalog_file(const std::string& path, const Catalog* base, std::vector<RuleProblem>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({path, 0, "cannot read the rule file"});
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_catalog(text.str(), path, base, problems);
}

Catalog merge_catalogs(const Catalog& base, const Catalog& extra) {
  Catalog merged = base;
  merged.techniques.insert(extra.techniques.begin(), extra.techniques.end());
  merged.categories.insert(extra.categories.begin(), extra.categories.end());
  for (const auto& rule : extra.rules) {
    auto existing =
        std::find_if(merged.rules.begin(), merged.rules.end(), [&](const Rule& r) { return r.id == rule.id; });
    if (existing != merged.rules.end())
      *existing = rule;
    else
      merged.rules.push_back(rule);
  }
  return merged;
}

std::string_view builtin_catalog_yaml() {
  return {reinterpret_cast<const char*>(detail::kEmbeddedRules), detail::kEmbeddedRulesSize};
}

const Catalog& builtin_catalog() {
  static const Catalog catalog = [] {
    std::vector<RuleProblem> problems;
    Catalog parsed = parse_catalog(builtin_catalog_yaml(), "built-in rules/persistence.yaml", nullptr, problems);
    if (!problems.empty()) throw Error("rules/persistence.yaml", problems.front().to_string());
    return parsed;
  }();
  return catalog;
}

}  // namespace regpersist
