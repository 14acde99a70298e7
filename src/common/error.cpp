// Diagnostics sink shared by every layer.
#include "regpersist/error.h"

#include <algorithm>

namespace regpersist {

std::string to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

void Diagnostics::add(Severity severity, std::string file, std::string message) {
  // The same problem met again (a key read twice) is said once.
  if (!seen_.insert(file + '\n' + message).second) return;
  items_.push_back({severity, std::move(file), std::move(message)});
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace regpersist
