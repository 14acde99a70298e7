// attach_logs (regpersist/discovery.h): transaction logs named on the command line joined to the hives of
// the discovered installations.
#include <algorithm>
#include <filesystem>

#include "regpersist/base_block.h"
#include "regpersist/discovery.h"
#include "regpersist/txlog.h"

namespace regpersist {

namespace {

bool is_dirty(const HiveSource& hive) {
  try {
    return parse_base_block(hive.bytes, hive.label).dirty();
  } catch (const Error&) {
    return true;  // no usable base block: a log may hold one
  }
}

bool already_attached(const HiveSource& hive, const LogSource& log) {
  return std::any_of(hive.logs.begin(), hive.logs.end(),
                     [&](const LogSource& known) { return known.origin.path == log.origin.path; });
}

// Every hive of the installations, writable (installation_hives lists them read-only).
std::vector<HiveSource*> all_hives(std::vector<Installation>& installations) {
  std::vector<HiveSource*> hives;
  for (const auto& installation : installations)
    for (const auto& row : installation_hives(installation)) hives.push_back(const_cast<HiveSource*>(row.hive));
  return hives;
}

// The hives named like the log (SYSTEM.LOG1 → SYSTEM), else the dirty ones.
std::vector<HiveSource*> hives_for(const std::vector<HiveSource*>& hives, const LogSource& log) {
  std::vector<HiveSource*> named, dirty;
  for (HiveSource* hive : hives) {
    if (is_log_of(std::filesystem::path(hive->origin.path).filename().string(), log.name)) named.push_back(hive);
    if (is_dirty(*hive)) dirty.push_back(hive);
  }
  return named.empty() ? dirty : named;
}

}  // namespace

void attach_logs(std::vector<Installation>& installations, const std::vector<std::string>& log_files,
                 Diagnostics& diagnostics) {
  const auto hives = all_hives(installations);
  for (const auto& file : log_files) {
    LogSource log;
    try {
      log = read_log_file(file);
    } catch (const Error& error) {
      diagnostics.error(error.file(), error.message());
      continue;
    }
    const auto targets = hives_for(hives, log);
    if (targets.empty())
      diagnostics.warn(file, "transaction log matches no hive (none is dirty or named like it); not used");
    for (HiveSource* hive : targets)
      if (!already_attached(*hive, log)) hive->logs.push_back(log);
  }
}

}  // namespace regpersist
