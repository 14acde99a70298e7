// The report's data model as JSON (report_data in regpersist/report.h): case header, installations
// with their hives and exposure, techniques with counts, every finding with its times in UTC and in
// the judging zone, login events, diagnostics and the header counts. The page renders only this.
#include <set>
#include <utility>

#include "regpersist/filetime.h"
#include "report/model.h"

namespace regpersist {

namespace {

using nlohmann::json;

json time_entry(const Event& event, const TimeZone& zone) {
  return {{"t", filetime_to_iso(event.filetime, false)},
          {"ms", filetime_to_unix_micros(event.filetime) / 1000},
          {"off", zone.at(event.filetime).offset_minutes},
          {"desc", event.timestamp_desc},
          {"ah", event.after_hours},
          {"why", event.after_hours_reason}};
}

json finding_entry(const report::FindingView& view, const TimeZone& zone) {
  const Finding& finding = *view.finding;
  json times = json::array();
  for (const auto& event : view.events) times.push_back(time_entry(event, zone));
  return {{"rule", finding.rule_id},
          {"title", finding.title},
          {"tech", finding.techniques},
          {"techName", finding.technique_name},
          {"category", finding.category},
          {"evidence", finding.evidence},
          {"hive", finding.hive_path},
          {"hiveType", hive_type_name(finding.hive_type)},
          {"sha256", finding.hive_sha256},
          {"host", finding.host},
          {"user", finding.user},
          {"sid", finding.sid},
          {"key", finding.key_path},
          {"plasoKey", finding.plaso_key_path},
          {"value", finding.value_name},
          {"controlSet", finding.control_set},
          {"prov", provenance_name(finding.provenance)},
          {"data", finding.data},
          {"details", finding.details},
          {"reasons", finding.reasons},
          {"sus", finding.suspicious()},
          {"ah", view.after_hours},
          {"times", times}};
}

std::string replay_text(const ReplayResult& replay) {
  if (!replay.was_dirty) return "clean";
  if (!replay.replayed()) return replay.clean ? "dirty, consistent" : "dirty, no log applied";
  std::string text = "dirty, replayed";
  for (const auto& log : replay.applied)
    text += " " + log.name + " (" + std::to_string(log.entries) + " entries, " + std::to_string(log.pages) + " pages)";
  return text;
}

json hive_entry(const HiveLoadSummary& load) {
  return {{"label", load.label},
          {"role", load.role},
          {"user", load.user},
          {"sid", load.sid},
          {"sha256", load.sha256},
          {"dirty", load.replay.was_dirty},
          {"replay", replay_text(load.replay)},
          {"logKeys", load.log_keys},
          {"logValues", load.log_values},
          {"deletedKeys", load.deleted_keys},
          {"deletedValues", load.deleted_values}};
}

// Profiles whose hives were read (name, SID), from the hive loads and the findings.
json users_entry(const ScanResult& result) {
  std::set<std::pair<std::string, std::string>> users;
  for (const auto& load : result.hive_loads)
    if (!load.user.empty() || !load.sid.empty()) users.emplace(load.user, load.sid);
  for (const auto& finding : result.findings)
    if (!finding.user.empty() || !finding.sid.empty()) users.emplace(finding.user, finding.sid);
  json list = json::array();
  for (const auto& [name, sid] : users) list.push_back({{"name", name}, {"sid", sid}});
  return list;
}

json installation_entry(const InstallationScan& scan) {
  const ScanResult& result = scan.result;
  json hives = json::array();
  for (const auto& load : result.hive_loads) hives.push_back(hive_entry(load));
  return {{"evidence", scan.evidence},
          {"root", scan.root},
          {"host", result.host},
          {"os", result.windows.describe()},
          {"build", result.windows.build},
          {"timeZone", result.time_zone ? result.time_zone->display_name() : ""},
          {"users", users_entry(result)},
          {"hives", hives},
          {"exposure", {{"exposed", result.exposure.exposed()}, {"lines", result.exposure.lines()}}}};
}

json login_entry(const Event& event, const TimeZone& zone) {
  json entry = time_entry(event, zone);
  entry["user"] = event.user;
  entry["msg"] = event.message;
  return entry;
}

json techniques_entry(const Catalog& catalog, const std::vector<report::FindingView>& views) {
  const auto counts = report::technique_counts(views);
  std::set<std::string> ids;
  for (const auto& rule : catalog.rules) ids.insert(rule.techniques.begin(), rule.techniques.end());
  for (const auto& [id, count] : counts) ids.insert(id);
  json list = json::array();
  for (const auto& id : ids) {
    const auto name = catalog.techniques.find(id);
    const auto count = counts.find(id);
    const bool found = count != counts.end();
    list.push_back({{"id", id},
                    {"name", name == catalog.techniques.end() ? "" : name->second},
                    {"n", found ? count->second.findings : 0},
                    {"s", found ? count->second.suspicious : 0},
                    {"ah", found ? count->second.after_hours : 0}});
  }
  return list;
}

json header_counts(const ReportInput& input, const std::vector<report::FindingView>& views) {
  std::size_t suspicious = 0, after_hours = 0, deleted_findings = 0, log_findings = 0;
  for (const auto& view : views) {
    suspicious += view.finding->suspicious() ? 1 : 0;
    after_hours += view.after_hours ? 1 : 0;
    deleted_findings += view.finding->provenance == Provenance::deleted ? 1 : 0;
    log_findings += view.finding->provenance == Provenance::log ? 1 : 0;
  }
  std::size_t hives = 0, dirty = 0, deleted = 0;
  for (const auto& installation : input.installations) {
    hives += installation.result.hives_scanned;
    for (const auto& load : installation.result.hive_loads) {
      dirty += load.replay.was_dirty ? 1 : 0;
      deleted += load.deleted_keys + load.deleted_values;
    }
  }
  return {{"findings", views.size()},
          {"suspicious", suspicious},
          {"afterHours", after_hours},
          {"hives", hives},
          {"dirtyHives", dirty},
          {"deletedRecovered", deleted},
          {"deletedFindings", deleted_findings},
          {"logFindings", log_findings},
          {"diagnostics", input.diagnostics.size()}};
}

json diagnostics_entry(const std::vector<Diagnostic>& diagnostics) {
  json list = json::array();
  for (const auto& item : diagnostics)
    list.push_back({{"sev", to_string(item.severity)}, {"file", item.file}, {"msg", item.message}});
  return list;
}

}  // namespace

nlohmann::json report_data(const ReportInput& input) {
  const auto views = report::finding_views(input);
  json installations = json::array();
  json findings = json::array();
  json logins = json::array();
  for (const auto& installation : input.installations) {
    installations.push_back(installation_entry(installation));
    auto events = installation.result.login_events;
    mark_after_hours(events, input.hours, input.zone);
    for (const auto& event : events) logins.push_back(login_entry(event, input.zone));
  }
  for (const auto& view : views) findings.push_back(finding_entry(view, input.zone));
  return {{"generated", input.generated},
          {"evidence", input.evidence},
          {"zone", input.zone.describe()},
          {"hours", input.hours.describe()},
          {"officeStart", input.hours.start_minute},
          {"officeEnd", input.hours.end_minute},
          {"workdays", input.hours.workdays},
          {"counts", header_counts(input, views)},
          {"installations", installations},
          {"techniques", techniques_entry(report::report_catalog(input), views)},
          {"findings", findings},
          {"logins", logins},
          {"diagnostics", diagnostics_entry(input.diagnostics)}};
}

}  // namespace regpersist
