// Error values and diagnostics shared by every layer: an Error names the file (or evidence) it is
// about and carries a chain of "where it failed" messages, libyal style; a Diagnostics sink collects
// non-fatal problems so a run goes on with its other inputs.
#pragma once

#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace regpersist {

class Error : public std::runtime_error {
 public:
  Error(std::string file, std::string message)
      : std::runtime_error(file.empty() ? message : file + ": " + message),
        file_(std::move(file)),
        message_(std::move(message)) {}
  const std::string& file() const { return file_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::string message_;
};

enum class Severity { info, warning, error };

struct Diagnostic {
  Severity severity = Severity::warning;
  std::string file;
  std::string message;
};

std::string to_string(Severity severity);

// Collects diagnostics in the order they happen; the CLI prints them to stderr and decides the exit
// code from the worst one.
class Diagnostics {
 public:
  void add(Severity severity, std::string file, std::string message);
  void info(std::string file, std::string message) { add(Severity::info, std::move(file), std::move(message)); }
  void warn(std::string file, std::string message) { add(Severity::warning, std::move(file), std::move(message)); }
  void error(std::string file, std::string message) { add(Severity::error, std::move(file), std::move(message)); }
  const std::vector<Diagnostic>& all() const { return items_; }
  bool has_errors() const;

 private:
  std::vector<Diagnostic> items_;
  std::unordered_set<std::string> seen_;
};

}  // namespace regpersist
