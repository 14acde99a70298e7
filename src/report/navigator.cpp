// ATT&CK Navigator layer (layer format 4.5, enterprise-attack): one technique entry per ATT&CK id
// with findings, scored by its number of findings, commented with the rule ids and their counts;
// parents of sub-techniques are listed with showSubtechniques so the Navigator expands them.
#include <algorithm>
#include <set>

#include "report/model.h"

namespace regpersist {

namespace {

using nlohmann::json;

constexpr const char* kLayerVersion = "4.5";
constexpr const char* kNavigatorVersion = "4.9.1";
constexpr const char* kAttackVersion = "14";

std::string rules_comment(const report::TechniqueCount& count) {
  std::string text;
  for (const auto& [rule, findings] : count.rules)
    text += (text.empty() ? "" : ", ") + rule + ": " + std::to_string(findings);
  return text + " (" + std::to_string(count.suspicious) + " suspicious, " + std::to_string(count.after_hours) +
         " after hours)";
}

json metadata_entry(const std::string& name, std::size_t value) {
  return {{"name", name}, {"value", std::to_string(value)}};
}

json technique_entry(const std::string& id, const report::TechniqueCount& count, bool has_subtechniques) {
  return {{"techniqueID", id},
          {"score", count.findings},
          {"comment", rules_comment(count)},
          {"enabled", true},
          {"showSubtechniques", has_subtechniques},
          {"metadata",
           {metadata_entry("findings", count.findings), metadata_entry("suspicious", count.suspicious),
            metadata_entry("after hours", count.after_hours)}}};
}

// T1547 for T1547.001: techniques whose sub-techniques have findings.
std::set<std::string> parent_techniques(const std::map<std::string, report::TechniqueCount>& counts) {
  std::set<std::string> parents;
  for (const auto& [id, count] : counts)
    if (const auto dot = id.find('.'); dot != std::string::npos) parents.insert(id.substr(0, dot));
  return parents;
}

std::string layer_name(const ReportInput& input) {
  std::set<std::string> hosts;
  for (const auto& installation : input.installations)
    if (!installation.result.host.empty()) hosts.insert(installation.result.host);
  std::string name = "regpersist";
  for (const auto& host : hosts) name += " " + host;
  return name;
}

std::string evidence_text(const ReportInput& input) {
  std::string text;
  for (const auto& evidence : input.evidence) text += (text.empty() ? "" : ", ") + evidence;
  return text;
}

}  // namespace

nlohmann::json navigator_layer(const ReportInput& input) {
  const auto counts = report::technique_counts(report::finding_views(input));
  const auto parents = parent_techniques(counts);
  json techniques = json::array();
  std::size_t max_score = 1;
  for (const auto& [id, count] : counts) {
    techniques.push_back(technique_entry(id, count, parents.contains(id)));
    max_score = std::max(max_score, count.findings);
  }
  for (const auto& parent : parents)
    if (!counts.contains(parent)) techniques.push_back({{"techniqueID", parent}, {"showSubtechniques", true}});
  return {
      {"name", layer_name(input)},
      {"versions", {{"attack", kAttackVersion}, {"navigator", kNavigatorVersion}, {"layer", kLayerVersion}}},
      {"domain", "enterprise-attack"},
      {"description",
       "Registry persistence found by regpersist in " + evidence_text(input) + "; score = number of findings."},
      {"sorting", 3},
      {"hideDisabled", false},
      {"techniques", techniques},
      {"gradient", {{"colors", {"#ffffff", "#ff6666"}}, {"minValue", 0}, {"maxValue", max_score}}},
      {"legendItems", json::array()},
      {"showTocPanel", true},
      {"metadata",
       {{{"name", "evidence"}, {"value", evidence_text(input)}}, {{"name", "generated"}, {"value", input.generated}}}}};
}

}  // namespace regpersist
