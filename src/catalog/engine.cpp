// Running one catalog rule over one hive: expand the key pattern, walk only the keys it names (a `*`
// level enumerates that key's subkeys, a literal level is one lookup), select the values, decode them,
// compare each element with the rule's Windows default, report what a required default says is gone
// (non_default_value:removed) and build the findings. `*` levels are enumerated once per scan (SubkeyCache).
#include "catalog/engine.h"

#include <algorithm>
#include <functional>

#include "catalog/decoder_table.h"
#include "catalog/pattern.h"

namespace regpersist {

namespace {

constexpr int kMaxRecursiveDepth = 64;
constexpr std::size_t kMaxRecursiveKeys = 200000;

struct MatchedKey {
  Key key;
  std::string path;
};

std::string join_path(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "\\" + name;
}

using KeyVisitor = std::function<void(const Key&, const std::string&)>;

// What one walk of a rule's pattern reads from: the hive and the scan's shared subkey lists.
struct PatternWalk {
  const Hive& hive;
  SubkeyCache& subkeys;
  const std::vector<PathSegment>& segments;
  const KeyVisitor& visit;
};

void match_segments(const PatternWalk& walk, const Key& key, std::size_t index, const std::string& path) {
  if (index == walk.segments.size()) {
    walk.visit(key, path);
    return;
  }
  const auto& segment = walk.segments[index];
  if (!segment.glob) {
    if (auto child = key.subkey(segment.text)) match_segments(walk, *child, index + 1, join_path(path, child->name()));
    return;
  }
  for (const auto& child : walk.subkeys.subkeys(walk.hive, key, path)) {
    if (glob_match(segment.text, child.name())) match_segments(walk, child, index + 1, join_path(path, child.name()));
  }
}

// The key and every key below it (depth and count capped), for `recursive` rules.
void visit_subtree(const Key& top, const std::string& top_path, const KeyVisitor& visit) {
  struct Pending {
    Key key;
    std::string path;
    int depth;
  };
  std::vector<Pending> stack{{top, top_path, 0}};
  std::size_t visited = 0;
  while (!stack.empty() && visited++ < kMaxRecursiveKeys) {
    auto current = std::move(stack.back());
    stack.pop_back();
    visit(current.key, current.path);
    if (current.depth >= kMaxRecursiveDepth) continue;
    for (const auto& child : current.key.subkeys()) {
      stack.push_back({child, join_path(current.path, child.name()), current.depth + 1});
    }
  }
}

std::vector<MatchedKey> matched_keys(const Rule& rule, const Hive& hive, SubkeyCache& subkeys) {
  std::vector<MatchedKey> matches;
  std::set<std::string> seen;
  const KeyVisitor keep = [&](const Key& key, const std::string& path) {
    if (seen.insert(to_lower_ascii(path)).second) matches.push_back({key, path});
  };
  const KeyVisitor keep_subtree = [&](const Key& key, const std::string& path) { visit_subtree(key, path, keep); };
  const Key root = hive.root();
  for (const auto& expanded : expand_braces(rule.key)) {
    const auto segments = split_pattern(expanded);
    match_segments(PatternWalk{hive, subkeys, segments, rule.recursive ? keep_subtree : keep}, root, 0, "");
  }
  return matches;
}

std::vector<Value> selected_values(const Rule& rule, const Key& key) {
  std::vector<Value> out;
  switch (rule.selection) {
    case ValueSelection::all:
      return key.values();
    case ValueSelection::default_value:
      if (auto value = key.value("")) out.push_back(std::move(*value));
      return out;
    case ValueSelection::key:
      return out;
    case ValueSelection::named:
      break;
  }
  const bool any_glob = std::any_of(rule.value_names.begin(), rule.value_names.end(),
                                    [](const std::string& name) { return name.find('*') != std::string::npos; });
  if (any_glob) {
    for (auto& value : key.values()) {
      const bool wanted = std::any_of(rule.value_names.begin(), rule.value_names.end(),
                                      [&](const std::string& name) { return glob_match(name, value.name); });
      if (wanted) out.push_back(std::move(value));
    }
    return out;
  }
  for (const auto& name : rule.value_names) {
    if (auto value = key.value(name)) out.push_back(std::move(*value));
  }
  return out;
}

std::string canonical_glob(const std::string& glob, ElementKind kind, const Environment& environment) {
  switch (kind) {
    case ElementKind::path:
      return canonical_path(glob, environment);
    case ElementKind::command:
      return parse_command_line(glob, environment).expanded;
    case ElementKind::text:
      break;
  }
  return glob;
}

bool any_glob_matches(const std::vector<std::string>& globs, std::string_view text) {
  return globs.empty() ||
         std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) { return glob_match(glob, text); });
}

bool entry_applies(const DefaultEntry& entry, const std::string& key_path, const std::string& value_name) {
  return any_glob_matches(entry.key_globs, key_path) && any_glob_matches(entry.value_globs, value_name);
}

bool data_matches(const DefaultEntry& entry, const Element& element, const Environment& environment) {
  if (entry.data_globs.empty()) return true;
  return std::any_of(entry.data_globs.begin(), entry.data_globs.end(), [&](const std::string& glob) {
    return glob_match(canonical_glob(glob, element.kind, environment), element.text);
  });
}

bool is_default(const Rule& rule, const std::string& key_path, const std::string& value_name, const Element& element,
                const Environment& environment) {
  return std::any_of(rule.defaults.begin(), rule.defaults.end(), [&](const DefaultEntry& entry) {
    return entry_applies(entry, key_path, value_name) && data_matches(entry, element, environment);
  });
}

// The required defaults of the value that none of its elements holds (catalog §3.1, `:removed`).
std::vector<std::string> removed_defaults(const Rule& rule, const std::string& key_path, const std::string& value_name,
                                          const std::vector<Element>& elements, const Environment& environment) {
  std::vector<std::string> removed;
  for (const auto& entry : rule.defaults) {
    if (!entry.required || entry.data_globs.empty() || !entry_applies(entry, key_path, value_name)) continue;
    const bool kept = std::any_of(elements.begin(), elements.end(),
                                  [&](const Element& element) { return data_matches(entry, element, environment); });
    if (!kept) removed.push_back(entry.data_globs.front());
  }
  return removed;
}

// Reasons of the entry: decoder reasons, name reasons, and the reasons of every element that is not a
// Windows default (plus non_default_value when there is one).
std::vector<std::string> final_reasons(const Rule& rule, Decoded& decoded, const std::string& key_path,
                                       const std::string& key_name, const std::string& value_name,
                                       const Environment& environment) {
  std::set<std::string> reasons(decoded.reasons.begin(), decoded.reasons.end());
  for (const auto& name : {key_name, value_name}) {
    for (auto& reason : name_reasons(name)) reasons.insert(std::move(reason));
  }
  if (decoded.elements.empty()) decoded.elements.push_back({decoded.data, ElementKind::text, {}});
  bool non_default = false;
  for (const auto& element : decoded.elements) {
    const bool flagged =
        rule.default_absent || (rule.default_known && !is_default(rule, key_path, value_name, element, environment));
    if (rule.default_known && !flagged) continue;
    non_default = non_default || flagged;
    reasons.insert(element.reasons.begin(), element.reasons.end());
  }
  const auto removed = removed_defaults(rule, key_path, value_name, decoded.elements, environment);
  if (!removed.empty()) {
    decoded.details["removed"] = join_list(removed);
    reasons.insert("non_default_value:removed");
  }
  if (non_default || !removed.empty()) reasons.insert("non_default_value");
  if (rule.legacy && !reasons.empty()) reasons.insert("legacy_location");
  return {reasons.begin(), reasons.end()};
}

bool should_report(const Rule& rule, const Decoded& decoded, const std::vector<std::string>& reasons) {
  switch (rule.report) {
    case ReportMode::all:
      return true;
    case ReportMode::suspicious:
      return !reasons.empty();
    case ReportMode::autostart:
      return decoded.autostart || !reasons.empty();
  }
  return true;
}

void set_control_set(Finding& finding, const ScanContext& context) {
  if (finding.hive_type != HiveType::system || !finding.key_path.starts_with("ControlSet")) return;
  finding.control_set = finding.key_path.substr(0, finding.key_path.find('\\'));
  finding.active_control_set =
      context.control_sets.current && iequals(*context.control_sets.current, finding.control_set);
  finding.details["active_control_set"] = finding.active_control_set ? "true" : "false";
}

Finding make_finding(const Rule& rule, const Hive& hive, const MatchedKey& match, const std::string& value_name,
                     Decoded&& decoded, std::vector<std::string>&& reasons, const ScanContext& context) {
  Finding finding;
  finding.rule_id = rule.id;
  finding.title = rule.title;
  finding.techniques = rule.techniques;
  finding.technique_name = rule.technique_name;
  finding.tactic = rule.tactic;
  finding.category = rule.category_name;
  finding.evidence = context.evidence;
  finding.hive_type = rule.hive;
  finding.hive_path = hive.label();
  finding.hive_sha256 = hive.sha256();
  finding.host = context.host;
  if (rule.hive == HiveType::ntuser || rule.hive == HiveType::usrclass) {
    finding.user = context.user;
    finding.sid = context.sid;
  }
  finding.key_path = match.path;
  finding.plaso_key_path = plaso_key_path(rule.hive, match.path);
  finding.value_name = value_name;
  finding.data = std::move(decoded.data);
  finding.details = std::move(decoded.details);
  set_control_set(finding, context);
  finding.last_written = match.key.last_written();
  finding.other_times = std::move(decoded.times);
  finding.reasons = std::move(reasons);
  return finding;
}

void decode_entry(const Rule& rule, DecoderFunction decoder, const Hive& hive, const MatchedKey& match,
                  const Value* value, const ScanContext& context, std::vector<Finding>& out) {
  Decoded decoded;
  decoder(DecodeInput{rule, context, match.key, match.path, value}, decoded);
  if (decoded.skip) return;
  const std::string value_name = value != nullptr ? value->name : "";
  auto reasons = final_reasons(rule, decoded, match.path, match.key.name(), value_name, context.environment);
  if (!should_report(rule, decoded, reasons)) return;
  out.push_back(make_finding(rule, hive, match, value_name, std::move(decoded), std::move(reasons), context));
}

bool rule_reads_value(const Rule& rule, const std::string& name) {
  if (rule.selection == ValueSelection::all) return true;
  return rule.selection == ValueSelection::named &&
         std::any_of(rule.value_names.begin(), rule.value_names.end(),
                     [&](const std::string& wanted) { return glob_match(wanted, name); });
}

// A value Windows always has (a required default naming it literally) missing from its key: reported as
// removed, with no data and the key's last-write time.
void report_removed_values(const Rule& rule, const Hive& hive, const MatchedKey& match, const ScanContext& context,
                           std::vector<Finding>& out) {
  for (const auto& entry : rule.defaults) {
    if (!entry.required || entry.value_globs.size() != 1 || !any_glob_matches(entry.key_globs, match.path)) continue;
    const auto& name = entry.value_globs.front();
    if (name.find('*') != std::string::npos || !rule_reads_value(rule, name) || match.key.value(name)) continue;
    Decoded decoded;
    decoded.details["removed"] = entry.data_globs.empty() ? name : entry.data_globs.front();
    out.push_back(make_finding(rule, hive, match, name, std::move(decoded),
                               {"non_default_value", "non_default_value:removed"}, context));
  }
}

}  // namespace

const std::vector<Key>& SubkeyCache::subkeys(const Hive& hive, const Key& key, const std::string& path) {
  auto [entry, added] = lists_.try_emplace({&hive, to_lower_ascii(path)});
  if (added) entry->second = key.subkeys();
  return entry->second;
}

const Hive* ScanContext::hive_of(HiveType type) const {
  switch (type) {
    case HiveType::system:
      return system;
    case HiveType::software:
      return software;
    case HiveType::sam:
      return sam;
    case HiveType::ntuser:
      return ntuser;
    case HiveType::usrclass:
      return usrclass;
    default:
      return nullptr;
  }
}

std::string plaso_key_path(HiveType type, const std::string& key_path) {
  const auto prefixed = [&](const char* root) {
    return key_path.empty() ? std::string(root) : root + ("\\" + key_path);
  };
  switch (type) {
    case HiveType::system:
      return prefixed("HKEY_LOCAL_MACHINE\\System");
    case HiveType::software:
      return prefixed("HKEY_LOCAL_MACHINE\\Software");
    case HiveType::sam:
      return prefixed("HKEY_LOCAL_MACHINE\\SAM");
    case HiveType::security:
      return prefixed("HKEY_LOCAL_MACHINE\\Security");
    case HiveType::ntuser:
      return prefixed("HKEY_CURRENT_USER");
    case HiveType::usrclass:
      return prefixed("HKEY_CURRENT_USER\\Software\\Classes");
    default:
      return key_path;
  }
}

std::vector<Finding> run_rule(const Rule& rule, const ScanContext& context) {
  const Hive* hive = context.hive_of(rule.hive);
  return hive != nullptr ? run_rule(rule, context, *hive) : std::vector<Finding>{};
}

std::vector<Finding> run_rule(const Rule& rule, const ScanContext& context, const Hive& rule_hive) {
  std::vector<Finding> findings;
  const Hive* hive = &rule_hive;
  const DecoderFunction decoder = find_decoder(rule.decoder);
  if (decoder == nullptr) return findings;
  for (const auto& match : matched_keys(rule, *hive, context.subkeys)) {
    if (rule.selection == ValueSelection::key) {
      decode_entry(rule, decoder, *hive, match, nullptr, context, findings);
      continue;
    }
    for (const auto& value : selected_values(rule, match.key)) {
      decode_entry(rule, decoder, *hive, match, &value, context, findings);
    }
    // Recovered deleted keys keep only some of their values: a missing one there says nothing.
    if (hive == context.hive_of(rule.hive)) report_removed_values(rule, *hive, match, context, findings);
  }
  return findings;
}

}  // namespace regpersist
