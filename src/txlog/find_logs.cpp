// Discovery of the transaction logs stored beside a hive file (<name>.LOG, .LOG1, .LOG2 in any case, as
// Windows' file systems are case-insensitive while the forensic copy may not be).
#include <algorithm>
#include <fstream>
#include <iterator>

#include "regpersist/txlog.h"
#include "regpersist/value.h"

namespace regpersist {

namespace {

// 0, 1, 2 for the .LOG, .LOG1, .LOG2 of `hive_name` (compared lower-cased); nothing for other names.
std::optional<int> log_rank(const std::string& hive_name, const std::string& candidate) {
  const std::string base = to_lower_ascii(hive_name) + ".log";
  const std::string name = to_lower_ascii(candidate);
  if (name.size() < base.size() || name.compare(0, base.size(), base) != 0) return std::nullopt;
  const std::string suffix = name.substr(base.size());
  if (suffix.empty()) return 0;
  if (suffix == "1") return 1;
  if (suffix == "2") return 2;
  return std::nullopt;
}

}  // namespace

std::vector<LogSource> find_logs_beside(const std::filesystem::path& hive_file, Diagnostics& diagnostics) {
  struct Found {
    int rank;
    std::filesystem::path path;
  };
  std::vector<Found> found;
  const std::filesystem::path folder = hive_file.has_parent_path() ? hive_file.parent_path() : ".";
  const std::string hive_name = hive_file.filename().string();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (!entry.is_regular_file(error)) continue;
    if (auto rank = log_rank(hive_name, entry.path().filename().string())) found.push_back({*rank, entry.path()});
  }
  if (error) diagnostics.warn(folder.string(), "cannot list the folder for transaction logs: " + error.message());
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return std::tie(a.rank, a.path) < std::tie(b.rank, b.path); });
  std::vector<LogSource> logs;
  for (const Found& log : found) {
    try {
      logs.push_back(read_log_file(log.path));
    } catch (const Error& e) {
      diagnostics.warn(e.file(), e.message() + "; ignored");
    }
  }
  return logs;
}

bool is_log_of(const std::string& hive_name, const std::string& log_name) {
  return log_rank(hive_name, log_name).has_value();
}

LogSource read_log_file(const std::filesystem::path& file) {
  LogSource source;
  source.name = file.filename().string();
  source.label = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(source.label, "cannot open transaction log");
  source.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(source.label, "cannot read transaction log");
  source.origin.path = source.label;
  source.origin.size = source.bytes.size();
  return source;
}

}  // namespace regpersist
