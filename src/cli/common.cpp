// Shared CLI plumbing: input loop, diagnostics on stderr, exit codes, output stream.
#include "cli/common.h"

#include <cstring>

namespace regpersist::cli {

int RunSummary::exit_code() const {
  if (failed == 0) return kSuccess;
  return processed > 0 ? kPartial : kFailure;
}

void for_each_hive(const std::vector<std::string>& paths, Diagnostics& diagnostics, RunSummary& summary,
                   const std::function<void(const Hive&, const std::string& path)>& use) {
  for (const auto& path : paths) {
    try {
      const Hive hive = Hive::open_file(path, diagnostics);
      use(hive, path);
      ++summary.processed;
    } catch (const Error& error) {
      diagnostics.error(error.file().empty() ? path : error.file(), error.message());
      ++summary.failed;
    } catch (const std::exception& error) {
      diagnostics.error(path, error.what());
      ++summary.failed;
    }
  }
}

void print_diagnostics(const Diagnostics& diagnostics, bool quiet) {
  for (const auto& d : diagnostics.all()) {
    if (quiet && d.severity != Severity::error) continue;
    std::cerr << "regpersist: " << to_string(d.severity) << ": " << sanitize_utf8(d.file) << ": "
              << sanitize_utf8(d.message) << '\n';
  }
}

Output::Output(const std::string& path) {
  if (path.empty() || path == "-") return;
  file_ = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*file_) throw Error(path, std::string("cannot write output: ") + std::strerror(errno));
}

}  // namespace regpersist::cli
