// `regpersist rules list` (the catalog: built-in rules, plus --rules files) and `regpersist rules
// check FILE` (validates a rule file; every problem printed as FILE:LINE: message).
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "regpersist/catalog.h"

namespace regpersist::cli {

namespace {

struct RulesOptions {
  std::vector<std::string> rule_files;
  std::string check_file;
  std::string output;
};

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

void write_rule(std::ostream& out, const Rule& rule) {
  out << rule.id << '\t' << rule.ref << '\t' << joined(rule.techniques, ",") << '\t' << rule.category << '\t'
      << hive_type_name(rule.hive) << '\t' << rule.key << '\t' << rule.decoder << '\t' << rule.title << '\n';
}

int run_list(const RulesOptions& options) {
  Catalog catalog = builtin_catalog();
  std::vector<RuleProblem> problems;
  for (const auto& file : options.rule_files)
    catalog = merge_catalogs(catalog, load_catalog_file(file, &catalog, problems));
  for (const auto& problem : problems) std::cerr << "regpersist: error: " << problem.to_string() << '\n';
  try {
    Output output(options.output);
    output.stream() << "id\tref\tattack\tcategory\thive\tkey\tdecoder\ttitle\n";
    for (const auto& rule : catalog.rules) write_rule(output.stream(), rule);
  } catch (const Error& error) {
    std::cerr << "regpersist: error: " << error.what() << '\n';
    return kFailure;
  }
  return problems.empty() ? kSuccess : kPartial;
}

int run_check(const RulesOptions& options) {
  std::vector<RuleProblem> problems;
  const Catalog catalog = load_catalog_file(options.check_file, &builtin_catalog(), problems);
  for (const auto& problem : problems) std::cerr << problem.to_string() << '\n';
  if (!problems.empty()) return kFailure;
  std::cout << options.check_file << ": " << catalog.rules.size() << " rules OK\n";
  return kSuccess;
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RulesOptions>();
  CLI::App* command = app.add_subcommand("rules", "List the persistence catalog or check a rule file");
  command->require_subcommand(1, 1);
  CLI::App* list = command->add_subcommand("list", "Every rule: id, catalog row, ATT&CK, category, hive, key, decoder");
  list->add_option("--rules", options->rule_files, "Also load rule FILE (its rules add to or replace built-in ones)")
      ->check(CLI::ExistingFile);
  list->add_option("-o,--output", options->output, "Write to FILE instead of stdout");
  list->callback([options, &exit_code] { exit_code = run_list(*options); });
  CLI::App* check = command->add_subcommand("check", "Validate a rule file; problems as FILE:LINE: message");
  check->add_option("file", options->check_file, "Rule file (YAML)")->required();
  check->callback([options, &exit_code] { exit_code = run_check(*options); });
  command->footer(
      "Examples:\n"
      "  regpersist rules list | grep T1546.015\n"
      "  regpersist rules check site-rules.yaml\n"
      "A rule file has the layout of rules/persistence.yaml (a `rules:` list; `techniques:` and\n"
      "`categories:` may be omitted when the built-in ones are used).");
}

}  // namespace regpersist::cli
