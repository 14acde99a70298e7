// `regpersist info HIVE...`: what each hive is (type, version, dirty state, sequence numbers, root
// key, key and value counts, size, SHA-256), as text or JSON lines.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "regpersist/filetime.h"

namespace regpersist::cli {

namespace {

struct InfoOptions {
  std::vector<std::string> hives;
  std::string format = "text";
  std::string output;
  bool quiet = false;
};

nlohmann::ordered_json describe(const Hive& hive, const std::string& path) {
  const BaseBlock& base = hive.base_block();
  std::uint64_t keys = 0;
  std::uint64_t values = 0;
  walk_keys(hive, [&](const Key& key, const std::string&) {
    ++keys;
    values += static_cast<std::uint64_t>(key.value_count());
  });
  nlohmann::ordered_json info = {
      {"path", path},
      {"hive_type", hive_type_name(hive.type())},
      {"version", base.version()},
      {"dirty", base.dirty()},
      {"primary_sequence", base.primary_sequence},
      {"secondary_sequence", base.secondary_sequence},
      {"checksum_valid", base.checksum_valid()},
      {"header_repaired", hive.header_repaired()},
      {"last_written", filetime_to_iso(base.last_written)},
      {"embedded_name", base.file_name},
      {"root_key", hive.root().name()},
      {"keys", keys},
      {"values", values},
      {"size", hive.bytes().size()},
      {"sha256", hive.sha256()},
  };
  if (hive.type() == HiveType::system) {
    const ControlSets sets = control_sets(hive);
    info["control_sets"] = sets.names;
    info["current_control_set"] = sets.current ? nlohmann::json(*sets.current) : nlohmann::json(nullptr);
  }
  return info;
}

void print_text(std::ostream& out, const nlohmann::ordered_json& info) {
  out << info["path"].get<std::string>() << '\n';
  for (const auto& [name, field] : info.items()) {
    if (name == "path") continue;
    out << "  " << name << ": ";
    if (field.is_string())
      out << field.get<std::string>();
    else
      out << field.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out << '\n';
  }
}

int run(const InfoOptions& options) {
  Diagnostics diagnostics;
  RunSummary summary;
  Output output(options.output);
  for_each_hive(options.hives, diagnostics, summary, [&](const Hive& hive, const std::string& path) {
    const auto info = describe(hive, path);
    if (options.format == "json")
      output.stream() << info.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    else
      print_text(output.stream(), info);
  });
  print_diagnostics(diagnostics, options.quiet);
  return summary.exit_code();
}

}  // namespace

void add_info_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* command = app.add_subcommand("info", "Describe hives: type, version, dirty state, counts, SHA-256");
  command->add_option("hives", options->hives, "Hive files")->required();
  command->add_option("--format", options->format, "text (default) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  command->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  command->add_flag("-q,--quiet", options->quiet, "Print only errors on stderr");
  command->footer(
      "Examples:\n"
      "  regpersist info SYSTEM\n"
      "  regpersist info --format json C/Windows/System32/config/* > hives.jsonl");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
