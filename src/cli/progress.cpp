// Progress: the --progress option, throttling, the terminal line and the JSON lines for wrappers.
#include "cli/progress.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "regpersist/value.h"

namespace regpersist::cli {
namespace {

constexpr std::uint64_t kReportBytes = std::uint64_t{8} << 20;
constexpr std::size_t kMaxStepWidth = 100;

std::string mebibytes(std::uint64_t bytes) {
  return std::to_string(bytes >> 20) + "." + std::to_string(((bytes & 0xFFFFF) * 10) >> 20) + " MiB";
}

ProgressMode effective_mode(ProgressMode mode, bool quiet) {
  if (mode != ProgressMode::automatic) return mode;
  return !quiet && ::isatty(STDERR_FILENO) == 1 ? ProgressMode::automatic : ProgressMode::none;
}

ProgressEvent discovery_event(const DiscoveryProgress& progress) {
  return {progress.hive.empty() ? "volume" : "read",
          progress.evidence,
          progress.volume,
          progress.hive,
          progress.bytes_done,
          progress.bytes_total};
}

nlohmann::ordered_json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

}  // namespace

void add_progress_option(CLI::App& command, ProgressMode& mode) {
  static const std::map<std::string, ProgressMode> modes{
      {"auto", ProgressMode::automatic}, {"json", ProgressMode::json}, {"none", ProgressMode::none}};
  command
      .add_option_function<std::string>(
          "--progress", [&mode](const std::string& name) { mode = modes.at(name); },
          "auto: a progress line on a terminal (default); json: one JSON object per line on stderr "
          "(phase, evidence, volume, hive, bytes_done, bytes_total) for wrappers; none")
      ->check(CLI::IsMember({"auto", "json", "none"}))
      ->option_text("auto|json|none");
}

std::string progress_json(const ProgressEvent& event) {
  const nlohmann::ordered_json json = {{"phase", event.phase},
                                       {"evidence", event.evidence},
                                       {"volume", text_or_null(event.volume)},
                                       {"hive", text_or_null(event.hive)},
                                       {"bytes_done", event.bytes_done},
                                       {"bytes_total", event.bytes_total}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Progress::Progress(ProgressMode mode, bool quiet) : mode_(effective_mode(mode, quiet)) {}

void Progress::finish() {
  if (mode_ == ProgressMode::automatic && last_width_ > 0)
    std::cerr << '\r' << std::string(last_width_, ' ') << '\r' << std::flush;
  last_width_ = 0;
}

DiscoveryOptions Progress::discovery_options() {
  DiscoveryOptions options;
  if (mode_ != ProgressMode::none)
    options.progress = [this](const DiscoveryProgress& progress) { report(discovery_event(progress), progress.step); };
  return options;
}

void Progress::step(const std::string& phase, const std::string& evidence, const std::string& hive) {
  report({phase, evidence, "", hive, 0, 0}, phase + " " + (hive.empty() ? evidence : hive));
}

void Progress::report(const ProgressEvent& event, const std::string& terminal_text) {
  if (mode_ == ProgressMode::none || !worth_reporting(event)) return;
  if (mode_ == ProgressMode::json) {
    std::cerr << progress_json(event) << '\n' << std::flush;
  } else {
    draw_line(event, terminal_text);
  }
}

bool Progress::worth_reporting(const ProgressEvent& event) {
  const std::string step = event.phase + '\0' + event.evidence + '\0' + event.volume + '\0' + event.hive;
  const bool same_step = step == last_step_;
  const bool finished = event.bytes_done == event.bytes_total;
  if (same_step && !finished && event.bytes_done < last_bytes_ + kReportBytes) return false;
  last_step_ = step;
  last_bytes_ = event.bytes_done;
  return true;
}

void Progress::draw_line(const ProgressEvent& event, const std::string& text) {
  std::string step = sanitize_utf8(text);
  if (step.size() > kMaxStepWidth) step = "..." + step.substr(step.size() - kMaxStepWidth);
  std::string line = "regpersist: " + step;
  if (event.bytes_total > 0) line += "  " + mebibytes(event.bytes_done) + " / " + mebibytes(event.bytes_total);
  const std::size_t width = line.size();
  if (width < last_width_) line += std::string(last_width_ - width, ' ');
  last_width_ = width;
  std::cerr << '\r' << line << std::flush;
}

}  // namespace regpersist::cli
