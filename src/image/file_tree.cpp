// Helpers shared by every FileTree user: case-insensitive lookup and reading a hive with its logs.
#include "image/file_tree.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "regpersist/filetime.h"
#include "regpersist/sha256.h"

namespace regpersist::image {
namespace {

// Windows writes the logs of hive NAME as NAME.LOG (before Windows 8.1) and NAME.LOG1/NAME.LOG2.
constexpr std::array<std::string_view, 3> kLogSuffixes = {".LOG", ".LOG1", ".LOG2"};

// Reads `entry` into `bytes` with `origin` completed (evidence, hash); a failure is an error diagnostic.
bool read_file(FileTree& tree, const TreeEntry& entry, std::vector<std::uint8_t>& bytes, HiveOrigin& origin,
               Diagnostics& diagnostics, const DiscoveryOptions& options) {
  try {
    bytes = tree.read(entry, origin, options);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    return false;
  }
  origin.evidence = tree.evidence();
  origin.sha256 = sha256_hex(bytes);
  return true;
}

std::optional<LogSource> read_log(FileTree& tree, const TreeEntry& entry, Diagnostics& diagnostics,
                                  const DiscoveryOptions& options) {
  LogSource log;
  log.name = entry.name;
  log.label = tree.label(entry);
  if (!read_file(tree, entry, log.bytes, log.origin, diagnostics, options)) return std::nullopt;
  return log;
}

}  // namespace

std::optional<TreeEntry> find_entry(const std::vector<TreeEntry>& entries, std::string_view name) {
  const auto it =
      std::find_if(entries.begin(), entries.end(), [&](const TreeEntry& e) { return iequals(e.name, name); });
  if (it == entries.end()) return std::nullopt;
  return *it;
}

std::optional<TreeEntry> find_path(FileTree& tree, const TreeEntry& start, const std::vector<std::string>& components) {
  TreeEntry current = start;
  for (const auto& component : components) {
    if (!current.directory) return std::nullopt;
    std::vector<TreeEntry> entries;
    try {
      entries = tree.list(current);
    } catch (const Error&) {
      return std::nullopt;
    }
    auto next = find_entry(entries, component);
    if (!next) return std::nullopt;
    current = std::move(*next);
  }
  return current;
}

std::vector<TreeEntry> list_or_report(FileTree& tree, const TreeEntry& directory, Diagnostics& diagnostics) {
  try {
    return tree.list(directory);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    return {};
  }
}

std::optional<HiveSource> read_hive(FileTree& tree, const TreeEntry& file, const std::vector<TreeEntry>& siblings,
                                    Diagnostics& diagnostics, const DiscoveryOptions& options) {
  HiveSource source;
  source.label = tree.label(file);
  if (!read_file(tree, file, source.bytes, source.origin, diagnostics, options)) return std::nullopt;
  if (source.bytes.empty()) {
    diagnostics.info(source.label, "empty file where a hive was expected (skipped)");
    return std::nullopt;
  }
  if (!has_regf_signature(source.bytes)) {
    diagnostics.warn(source.label, "not a registry hive: no regf signature (" + std::to_string(source.bytes.size()) +
                                       " bytes, skipped)");
    return std::nullopt;
  }
  for (const auto suffix : kLogSuffixes) {
    const auto log_entry = find_entry(siblings, file.name + std::string(suffix));
    if (!log_entry || log_entry->directory) continue;
    if (auto log = read_log(tree, *log_entry, diagnostics, options)) source.logs.push_back(std::move(*log));
  }
  return source;
}

std::optional<std::uint64_t> unix_time_to_filetime(std::int64_t seconds, std::uint64_t nanoseconds) {
  if (seconds == 0 && nanoseconds == 0) return std::nullopt;
  if (seconds < -kEpochDeltaSeconds) return std::nullopt;
  return unix_seconds_to_filetime(seconds) + nanoseconds / 100;
}

bool has_regf_signature(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 4 && std::memcmp(bytes.data(), "regf", 4) == 0;
}

}  // namespace regpersist::image
