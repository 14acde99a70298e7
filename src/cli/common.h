// What every subcommand shares: exit codes, opening each input hive with its error reported and
// the run going on, diagnostics printed to stderr, and the output stream (-o FILE or stdout).
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/hive.h"

namespace CLI {
class App;
}

namespace regpersist::cli {

// Documented in README.md ("Exit codes").
enum ExitCode : int {
  kSuccess = 0,        // every input processed (warnings allowed)
  kPartial = 1,        // some inputs could not be processed; the others were
  kFailure = 2,        // no input could be processed, or the output could not be written
  kUsage = 64,         // bad command line
};

struct RunSummary {
  std::size_t processed = 0;
  std::size_t failed = 0;
  int exit_code() const;
};

// Opens each path as a hive and hands it to `use`; an input that cannot be opened or read is an
// error diagnostic naming the file, and the next input is processed.
void for_each_hive(const std::vector<std::string>& paths, Diagnostics& diagnostics, RunSummary& summary,
                   const std::function<void(const Hive&, const std::string& path)>& use);

// One line per diagnostic on stderr: "regpersist: warning: FILE: message".
void print_diagnostics(const Diagnostics& diagnostics, bool quiet);

// stdout, or the file named by -o (created or truncated).
class Output {
 public:
  explicit Output(const std::string& path);
  std::ostream& stream() { return file_ ? *file_ : std::cout; }

 private:
  std::unique_ptr<std::ofstream> file_;
};

// Each subcommand registers itself; its callback stores the run's exit code in `exit_code`.
void add_info_command(CLI::App& app, int& exit_code);
void add_keys_command(CLI::App& app, int& exit_code);
void add_hives_command(CLI::App& app, int& exit_code);
void add_scan_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);

}  // namespace regpersist::cli
