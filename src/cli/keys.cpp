// `regpersist keys HIVE...`: the full-hive timeline, one record per key with its last-write time,
// sorted by time, as JSON lines or CSV.
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "regpersist/timeline.h"

namespace regpersist::cli {

namespace {

struct KeysOptions {
  std::vector<std::string> hives;
  std::string format = "jsonl";
  std::string output;
  bool quiet = false;
};

int run(const KeysOptions& options) {
  Diagnostics diagnostics;
  RunSummary summary;
  std::vector<std::unique_ptr<HiveInfo>> infos;
  std::vector<KeyRecord> records;
  for_each_hive(options.hives, diagnostics, summary, [&](const Hive& hive, const std::string& path) {
    infos.push_back(std::make_unique<HiveInfo>(HiveInfo{path, hive.type(), hive.sha256()}));
    auto found = collect_key_records(hive, *infos.back());
    records.insert(records.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  });
  sort_by_time(records);
  try {
    Output output(options.output);
    write_key_records(output.stream(), records, options.format == "csv" ? KeyFormat::csv : KeyFormat::jsonl);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    print_diagnostics(diagnostics, options.quiet);
    return kFailure;
  }
  print_diagnostics(diagnostics, options.quiet);
  return summary.exit_code();
}

}  // namespace

void add_keys_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<KeysOptions>();
  CLI::App* command = app.add_subcommand("keys", "Timeline of every key's last-write time, sorted by time");
  command->add_option("hives", options->hives, "Hive files")->required();
  command->add_option("--format", options->format, "jsonl (default) or csv")->check(CLI::IsMember({"jsonl", "csv"}));
  command->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  command->add_flag("-q,--quiet", options->quiet, "Print only errors on stderr");
  command->footer(
      "Examples:\n"
      "  regpersist keys NTUSER.DAT | head\n"
      "  regpersist keys SYSTEM SOFTWARE --format csv -o keys.csv\n"
      "Each record: datetime (UTC, ISO 8601), timestamp (microseconds since 1970), key_path, hive_type,\n"
      "hive_path, hive_sha256, subkeys and values counts.");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace regpersist::cli
