// TerminalProgress: throttled single-line progress on a terminal's stderr.
#include "cli/progress.h"

#include <unistd.h>

#include <iostream>

#include "regpersist/value.h"

namespace regpersist::cli {
namespace {

constexpr std::uint64_t kRedrawBytes = std::uint64_t{8} << 20;
constexpr std::size_t kMaxStepWidth = 100;

std::string mebibytes(std::uint64_t bytes) {
  return std::to_string(bytes >> 20) + "." + std::to_string(((bytes & 0xFFFFF) * 10) >> 20) + " MiB";
}

}  // namespace

TerminalProgress::TerminalProgress(bool quiet) : enabled_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

TerminalProgress::~TerminalProgress() {
  if (enabled_ && last_width_ > 0) std::cerr << '\r' << std::string(last_width_, ' ') << '\r' << std::flush;
}

DiscoveryOptions TerminalProgress::discovery_options() {
  DiscoveryOptions options;
  if (enabled_) options.progress = [this](const DiscoveryProgress& progress) { draw(progress); };
  return options;
}

void TerminalProgress::draw(const DiscoveryProgress& progress) {
  const bool same_step = progress.step == last_step_;
  const bool finished = progress.bytes_done == progress.bytes_total;
  if (same_step && !finished && progress.bytes_done < last_bytes_ + kRedrawBytes) return;
  last_step_ = progress.step;
  last_bytes_ = progress.bytes_done;
  std::string step = sanitize_utf8(progress.step);
  if (step.size() > kMaxStepWidth) step = "..." + step.substr(step.size() - kMaxStepWidth);
  std::string line = "regpersist: " + step;
  if (progress.bytes_total > 0) line += "  " + mebibytes(progress.bytes_done) + " / " + mebibytes(progress.bytes_total);
  const std::size_t width = line.size();
  if (width < last_width_) line += std::string(last_width_ - width, ' ');
  last_width_ = width;
  std::cerr << '\r' << line << std::flush;
}

}  // namespace regpersist::cli
