// `regpersist hives EVIDENCE...`: lists what discovery found in images, folders and hive files —
// installations, users, hives and their logs with location, size, SHA-256, dirty state and the
// files' own times — and with --export-hives copies them out under safe, never-overwriting names.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "cli/progress.h"
#include "regpersist/base_block.h"
#include "regpersist/discovery.h"
#include "regpersist/filetime.h"
#include "regpersist/value.h"

namespace regpersist::cli {
namespace {

struct HivesOptions {
  std::vector<std::string> evidence;
  std::string format = "text";
  std::string output;
  std::string export_dir;
  bool quiet = false;
  ProgressMode progress = ProgressMode::automatic;
};

std::string dirty_state(const std::vector<std::uint8_t>& bytes, const std::string& label) {
  try {
    return parse_base_block(bytes, label).dirty() ? "dirty" : "clean";
  } catch (const Error&) {
    return "not-regf";
  }
}

nlohmann::ordered_json optional_json(const std::optional<std::uint64_t>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json time_json(const std::optional<std::uint64_t>& ticks) {
  return ticks ? nlohmann::ordered_json(filetime_to_iso(*ticks)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json origin_json(const HiveOrigin& origin, std::size_t bytes_read) {
  return {{"path", origin.path},
          {"volume", origin.volume ? nlohmann::ordered_json(*origin.volume) : nlohmann::ordered_json(nullptr)},
          {"volume_offset", optional_json(origin.volume_offset)},
          {"mft_entry", optional_json(origin.mft_entry)},
          {"size", origin.size},
          {"bytes_read", bytes_read},
          {"sha256", origin.sha256},
          {"created", time_json(origin.created)},
          {"modified", time_json(origin.modified)},
          {"accessed", time_json(origin.accessed)},
          {"changed", time_json(origin.changed)}};
}

nlohmann::ordered_json row_json(const InstalledHive& row) {
  nlohmann::ordered_json entry = {{"role", row.role}, {"label", row.hive->label}};
  if (row.user) {
    entry["user"] = row.user->user;
    entry["sid"] = row.user->sid;
    entry["profile_path"] = row.user->profile_path;
  }
  entry["dirty"] = dirty_state(row.hive->bytes, row.hive->label);
  entry.update(origin_json(row.hive->origin, row.hive->bytes.size()));
  entry["logs"] = nlohmann::ordered_json::array();
  for (const auto& log : row.hive->logs) {
    nlohmann::ordered_json log_entry = {{"name", log.name}, {"label", log.label}};
    log_entry.update(origin_json(log.origin, log.bytes.size()));
    entry["logs"].push_back(std::move(log_entry));
  }
  return entry;
}

nlohmann::ordered_json installation_json(const Installation& installation) {
  nlohmann::ordered_json json = {{"evidence", installation.evidence}, {"root", installation.root}};
  json["hives"] = nlohmann::ordered_json::array();
  for (const auto& row : installation_hives(installation)) json["hives"].push_back(row_json(row));
  return json;
}

// A string field of the listing as valid UTF-8 (names inside images may hold anything).
std::string text(const nlohmann::ordered_json& field) { return sanitize_utf8(field.get<std::string>()); }

void print_text(std::ostream& out, const nlohmann::ordered_json& installation) {
  out << text(installation["root"]) << "  (evidence " << text(installation["evidence"]) << ")\n";
  for (const auto& hive : installation["hives"]) {
    out << "  " << text(hive["role"]);
    if (hive.contains("user")) out << " " << text(hive["user"]) << " " << text(hive["sid"]);
    out << "  " << text(hive["label"]) << "  " << hive["size"].get<std::uint64_t>() << " bytes  " << text(hive["dirty"])
        << "  sha256 " << text(hive["sha256"]) << '\n';
    for (const auto& log : hive["logs"]) {
      out << "    log " << text(log["name"]) << "  " << log["size"].get<std::uint64_t>() << " bytes  sha256 "
          << text(log["sha256"]) << '\n';
    }
  }
}

// A file name that cannot leave the export folder: only [A-Za-z0-9._-], no leading dot, bounded.
std::string safe_name(const std::string& text) {
  constexpr std::size_t kMaxName = 200;
  std::string name;
  for (const char c : text.substr(0, kMaxName)) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    name += keep ? c : '_';
  }
  if (name.empty() || name.front() == '.') name.insert(name.begin(), '_');
  return name;
}

// Writes `bytes` to a new file; an existing file is never replaced.
void write_new_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes,
                    Diagnostics& diagnostics) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    diagnostics.error(path.string(), std::string("not exported: ") + std::strerror(errno));
    return;
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || done != bytes.size()) diagnostics.error(path.string(), "export incomplete: write failed");
}

void export_installation(const Installation& installation, std::size_t number, const std::string& dir,
                         Diagnostics& diagnostics) {
  for (const auto& row : installation_hives(installation)) {
    std::string prefix = std::to_string(number) + "-" + row.role + "-";
    if (row.user) prefix += row.user->user + "-";
    const auto file_name = [&](const std::string& path) {
      return safe_name(prefix + std::filesystem::path(path).filename().string());
    };
    const std::filesystem::path folder(dir);
    write_new_file(folder / file_name(row.hive->origin.path), row.hive->bytes, diagnostics);
    for (const auto& log : row.hive->logs) write_new_file(folder / file_name(log.origin.path), log.bytes, diagnostics);
  }
}

bool prepare_export_dir(const std::string& dir, Diagnostics& diagnostics) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) diagnostics.error(dir, "cannot create export folder: " + ec.message());
  return !ec;
}

int run(const HivesOptions& options) {
  Diagnostics diagnostics;
  std::vector<Installation> installations;
  {
    Progress progress(options.progress, options.quiet);
    installations = discover_evidence(options.evidence, diagnostics, progress.discovery_options());
  }
  Output output(options.output);
  for (const auto& installation : installations) {
    const auto json = installation_json(installation);
    if (options.format == "json") {
      output.stream() << json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
      print_text(output.stream(), json);
    }
  }
  if (!options.export_dir.empty() && prepare_export_dir(options.export_dir, diagnostics)) {
    for (std::size_t i = 0; i < installations.size(); ++i) {
      export_installation(installations[i], i + 1, options.export_dir, diagnostics);
    }
  }
  if (installations.empty()) diagnostics.error("regpersist hives", "no registry hives found in the evidence given");
  print_diagnostics(diagnostics, options.quiet);
  if (installations.empty()) return kFailure;
  return diagnostics.has_errors() ? kPartial : kSuccess;
}

}  // namespace

void add_hives_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<HivesOptions>();
  CLI::App* command = app.add_subcommand(
      "hives", "List the Windows installations, users, hives and logs found in disk images, folders or hive files");
  command
      ->add_option("evidence", options->evidence,
                   "Disk images (raw, split raw, E01, VHD, VHDX, VMDK, qcow2), "
                   "folders (mounted image, KAPE output) or hive files")
      ->required();
  command->add_option("--format", options->format, "text (default) or json (one installation per line)")
      ->check(CLI::IsMember({"text", "json"}));
  command->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  command->add_option("--export-hives", options->export_dir,
                      "Copy every hive and log found into DIR (flat, safe names; existing files are never replaced)");
  command->add_flag("-q,--quiet", options->quiet, "Print only errors on stderr, no progress");
  add_progress_option(*command, options->progress);
  command->footer(
      "Examples:\n"
      "  regpersist hives disk.E01                        installations, users and hives in an image\n"
      "  regpersist hives --format json kape_output/      the same for a triage collection, as JSON lines\n"
      "  regpersist hives disk.vmdk --export-hives out/   copy the hives and logs out of the image");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
