// Progress of evidence discovery on stderr: one line rewritten in place ("\r") while volumes are
// opened and hives read, shown only when stderr is a terminal and --quiet is not given.
#pragma once

#include <string>

#include "regpersist/discovery.h"

namespace regpersist::cli {

class TerminalProgress {
 public:
  explicit TerminalProgress(bool quiet);
  ~TerminalProgress();  // clears the line
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // Options whose progress callback draws on this line (no callback when progress is off).
  DiscoveryOptions discovery_options();

 private:
  void draw(const DiscoveryProgress& progress);
  bool enabled_;
  std::size_t last_width_ = 0;
  std::string last_step_;
  std::uint64_t last_bytes_ = 0;
};

}  // namespace regpersist::cli
