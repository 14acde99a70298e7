// Paths to the shared real-evidence corpus (../shared/testdata, read in place), its decompressed
// copies in the build tree, the regpersist binary, and running commands for peer comparisons.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace regpersist::testsupport {

std::filesystem::path shared_testdata();
// A file of the corpus by its manifest path; ".xz"/".gz" names resolve to the decompressed copy.
std::filesystem::path corpus_file(const std::string& manifest_path);
std::filesystem::path regpersist_binary();

struct ManifestRow {
  std::string path, kind, hive_type, dirty, reglookup_keys, regfinfo_ok, parse, note;
  std::size_t size = 0;
};
std::vector<ManifestRow> read_manifest();

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs argv (no shell) and captures stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv);

// A fresh, empty folder under the build tree for one test.
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace regpersist::testsupport
