// What the HTML report and the Navigator layer both count: each finding with its timeline events
// judged by the after-hours rule, and per ATT&CK technique the findings, suspicious and after-hours
// findings and the rules that produced them.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "regpersist/report.h"

namespace regpersist::report {

struct FindingView {
  const Finding* finding = nullptr;
  std::vector<Event> events;  // events_from_finding, marked by the after-hours rule
  bool after_hours = false;   // any of its times falls outside office hours
};

struct TechniqueCount {
  std::size_t findings = 0;
  std::size_t suspicious = 0;
  std::size_t after_hours = 0;
  std::map<std::string, std::size_t> rules;  // rule id → findings
};

std::vector<FindingView> finding_views(const ReportInput& input);
// Keyed by ATT&CK id; a finding counts under each technique it maps to.
std::map<std::string, TechniqueCount> technique_counts(const std::vector<FindingView>& views);
const Catalog& report_catalog(const ReportInput& input);

}  // namespace regpersist::report
