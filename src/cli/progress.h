// Progress on stderr while evidence is discovered, read and scanned, in the mode --progress chose:
//  auto  one line rewritten in place ("\r"), only when stderr is a terminal and --quiet is not given;
//  json  one JSON object per line for wrappers (OpenRelik worker, scripts), even with --quiet:
//        {"phase":…,"evidence":…,"volume":…,"hive":…,"bytes_done":…,"bytes_total":…}; every other
//        stderr line is a diagnostic or the summary (README "CLI contract for wrappers");
//  none  nothing.
#pragma once

#include <cstdint>
#include <string>

#include "regpersist/discovery.h"

namespace CLI {
class App;
}

namespace regpersist::cli {

enum class ProgressMode { automatic, json, none };

// --progress=auto|json|none on a subcommand (one call per subcommand that reports progress).
void add_progress_option(CLI::App& command, ProgressMode& mode);

// One step of a run as a wrapper sees it. Phases: "volume" (an NTFS volume of an image is opened),
// "read" (a hive or log is read: bytes of that file), "scan" (an installation's hives are scanned),
// "keys" (a hive's key timeline is built). Empty volume/hive are written as null.
struct ProgressEvent {
  std::string phase;
  std::string evidence;
  std::string volume;
  std::string hive;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;
};

// The JSON line of an event (no newline); names that are not valid UTF-8 are repaired.
std::string progress_json(const ProgressEvent& event);

class Progress {
 public:
  Progress(ProgressMode mode, bool quiet);
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Options whose callback reports discovery ("volume" and "read"); no callback when progress is off.
  DiscoveryOptions discovery_options();
  // Reports a step without a byte count ("scan", "keys").
  void step(const std::string& phase, const std::string& evidence, const std::string& hive = {});
  // Clears the terminal line (before results go to a terminal's stdout).
  void finish();

 private:
  // Reads of the same file are reported every few MiB and when finished; other steps always.
  void report(const ProgressEvent& event, const std::string& terminal_text);
  bool worth_reporting(const ProgressEvent& event);
  void draw_line(const ProgressEvent& event, const std::string& text);

  ProgressMode mode_;  // none when the terminal line is not wanted
  std::size_t last_width_ = 0;
  std::string last_step_;
  std::uint64_t last_bytes_ = 0;
};

}  // namespace regpersist::cli
