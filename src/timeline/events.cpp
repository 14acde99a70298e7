// Turns persistence findings into timeline events (one per plausible time), names the output
// formats, and gives events their reproducible time order.
#include <algorithm>
#include <numeric>
#include <tuple>

#include "regpersist/error.h"
#include "regpersist/event.h"
#include "regpersist/filetime.h"
#include "timeline/text.h"

namespace regpersist {

namespace {

constexpr std::string_view kFindingDataType = "windows:registry:persistence";
constexpr std::string_view kFindingParser = "regpersist/scan";
constexpr std::size_t kMaxMessageBytes = 2048;  // Timesketch indexes `message` as a keyword: keep it short

std::string finding_key_path(const Finding& finding) {
  return finding.plaso_key_path.empty() ? finding.key_path : finding.plaso_key_path;
}

std::string finding_values(const Finding& finding) {
  if (finding.value_name.empty() && finding.data.empty()) return "";
  return (finding.value_name.empty() ? std::string("(default)") : finding.value_name) + ": " + finding.data;
}

std::string finding_message(const Finding& finding) {
  std::string message = "[" + finding_key_path(finding) + "]";
  const std::string values = finding_values(finding);
  if (!values.empty()) message += " " + values;
  if (!finding.techniques.empty()) message += " (" + finding.techniques.front() + " " + finding.technique_name + ")";
  if (finding.suspicious()) message += " suspicious: " + join(finding.reasons, ", ");
  return truncate_utf8(sanitize_utf8(message), kMaxMessageBytes);
}

Event finding_event(const Finding& finding) {
  Event event;
  event.message = finding_message(finding);
  event.data_type = kFindingDataType;
  event.parser = kFindingParser;
  event.source_long = finding.category.empty() ? "Registry Key" : finding.category + " Registry Key";
  event.key_path = finding_key_path(finding);
  event.value_name = finding.value_name;
  event.data = finding.data;
  event.values = finding_values(finding);
  event.details = finding.details;
  if (!finding.control_set.empty()) event.details.emplace("control_set", finding.control_set);
  event.evidence = finding.evidence;
  event.hive_type = hive_type_name(finding.hive_type);
  event.hive_path = finding.hive_path;
  event.hive_sha256 = finding.hive_sha256;
  event.host = finding.host;
  event.user = finding.user;
  event.sid = finding.sid;
  event.rule_id = finding.rule_id;
  event.technique = finding.techniques.empty() ? "" : finding.techniques.front();
  event.technique_name = finding.technique_name;
  event.category = finding.category;
  event.suspicious = finding.suspicious();
  event.reasons = finding.reasons;
  event.provenance = provenance_name(finding.provenance);
  return event;
}

}  // namespace

std::vector<Event> events_from_finding(const Finding& finding) {
  std::vector<std::pair<std::uint64_t, std::string>> times;
  if (filetime_is_plausible(finding.last_written))
    times.emplace_back(finding.last_written, std::string(kContentModificationTime));
  for (const auto& other : finding.other_times)
    if (filetime_is_plausible(other.filetime)) times.emplace_back(other.filetime, other.description);
  std::vector<Event> events;
  if (times.empty()) return events;
  const Event shared = finding_event(finding);
  for (auto& [filetime, description] : times) {
    events.push_back(shared);
    events.back().filetime = filetime;
    events.back().timestamp_desc = std::move(description);
  }
  return events;
}

std::optional<EventFormat> parse_event_format(std::string_view name) {
  static const std::pair<std::string_view, EventFormat> kFormats[] = {
      {"jsonl", EventFormat::jsonl}, {"csv", EventFormat::csv},       {"bodyfile", EventFormat::bodyfile},
      {"tln", EventFormat::tln},     {"l2tcsv", EventFormat::l2tcsv}, {"table", EventFormat::table},
  };
  for (const auto& [known, format] : kFormats)
    if (known == name) return format;
  return std::nullopt;
}

std::vector<std::string> event_format_names() {
  std::vector<std::string> names;
  std::string_view rest = kEventFormatNames;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    names.emplace_back(rest.substr(0, bar));
    rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
  }
  return names;
}

// Sorts an index, then moves each event once: events are large, and a full-hive timeline has
// hundreds of thousands of them.
void sort_events(std::vector<Event>& events) {
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&events](std::size_t i, std::size_t j) {
    const Event& a = events[i];
    const Event& b = events[j];
    return std::tie(a.filetime, a.hive_path, a.key_path, a.value_name, a.timestamp_desc, a.message) <
           std::tie(b.filetime, b.hive_path, b.key_path, b.value_name, b.timestamp_desc, b.message);
  });
  std::vector<Event> sorted;
  sorted.reserve(events.size());
  for (const std::size_t i : order) sorted.push_back(std::move(events[i]));
  events = std::move(sorted);
}

}  // namespace regpersist
