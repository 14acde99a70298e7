// Analyst reports of a scan, for the people who will not read JSONL: one self-contained, offline HTML
// file (case header, T1133 exposure, timeline chart with the office-hours band, ATT&CK grid, findings
// table, diagnostics) and an ATT&CK Navigator layer (layer format 4.5) scoring each technique by its
// findings. Built from the scan results of every installation of the evidence.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "regpersist/catalog.h"
#include "regpersist/error.h"
#include "regpersist/event.h"
#include "regpersist/scan.h"
#include "regpersist/timezone.h"

namespace regpersist {

struct ReportInput {
  std::vector<std::string> evidence;  // the inputs as given
  std::vector<InstallationScan> installations;
  const Catalog* catalog = nullptr;  // technique names for the ATT&CK grid; nullptr = builtin_catalog()
  TimeZone zone = TimeZone::utc();   // judges office hours; local times are shown in it
  OfficeHours hours;
  std::vector<Diagnostic> diagnostics;  // everything that could not be read, shown in the report
  std::string generated;                // when the report was made (ISO 8601 UTC); "" = not shown
};

// The HTML report. Evidence strings reach the page only as JSON data rendered as text nodes, and a
// Content-Security-Policy lets only the report's own script and style run and nothing be fetched.
void write_html_report(std::ostream& out, const ReportInput& input);

// The report's data model, as embedded in the HTML (exposed for tests).
nlohmann::json report_data(const ReportInput& input);

// ATT&CK Navigator layer: one technique entry per ATT&CK id with findings (score = number of
// findings, comment = rule ids with counts, metadata = finding / suspicious / after-hours counts).
nlohmann::json navigator_layer(const ReportInput& input);

}  // namespace regpersist
