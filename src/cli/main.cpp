// Entry point: the subcommand table and the top-level error handling.
#include <CLI/CLI.hpp>

#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace regpersist::cli;
  std::ios::sync_with_stdio(false);
  CLI::App app{
      "regpersist: offline Windows registry persistence hunting.\n"
      "Reads hives (SYSTEM, SOFTWARE, SAM, NTUSER.DAT, UsrClass.dat, ...) and writes what it finds to stdout;\n"
      "diagnostics go to stderr.",
      "regpersist"};
  app.footer(
      "Examples:\n"
      "  regpersist info SYSTEM NTUSER.DAT          what each hive is: type, version, dirty state, hash\n"
      "  regpersist keys SYSTEM --format csv -o system-keys.csv\n"
      "                                             every key with its last-write time, sorted by time\n"
      "\n"
      "Exit codes: 0 success, 1 some inputs failed (the rest processed), 2 nothing processed, 64 usage error.");
  app.require_subcommand(1, 1);
  app.set_version_flag("--version", "regpersist 0.1.0");
  int exit_code = kSuccess;
  add_info_command(app, exit_code);
  add_keys_command(app, exit_code);
  add_hives_command(app, exit_code);
  add_scan_command(app, exit_code);
  add_rules_command(app, exit_code);
  add_report_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsage;
  }
  return exit_code;
}
