// Finding views and per-technique counts shared by the HTML report and the Navigator layer (model.h).
#include "report/model.h"

#include <algorithm>

namespace regpersist::report {

std::vector<FindingView> finding_views(const ReportInput& input) {
  std::vector<FindingView> views;
  for (const auto& installation : input.installations) {
    for (const auto& finding : installation.result.findings) {
      FindingView view{&finding, events_from_finding(finding), false};
      mark_after_hours(view.events, input.hours, input.zone);
      view.after_hours =
          std::any_of(view.events.begin(), view.events.end(), [](const Event& e) { return e.after_hours; });
      views.push_back(std::move(view));
    }
  }
  return views;
}

std::map<std::string, TechniqueCount> technique_counts(const std::vector<FindingView>& views) {
  std::map<std::string, TechniqueCount> counts;
  for (const auto& view : views) {
    for (const auto& technique : view.finding->techniques) {
      auto& count = counts[technique];
      ++count.findings;
      count.suspicious += view.finding->suspicious() ? 1 : 0;
      count.after_hours += view.after_hours ? 1 : 0;
      ++count.rules[view.finding->rule_id];
    }
  }
  return counts;
}

const Catalog& report_catalog(const ReportInput& input) {
  return input.catalog != nullptr ? *input.catalog : builtin_catalog();
}

}  // namespace regpersist::report
