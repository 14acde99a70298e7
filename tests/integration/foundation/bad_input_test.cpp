// Bad input through the CLI: every corpus file that MANIFEST.md says a correct parser must reject
// or can only read partially, plus a non-hive, an empty file, a directory and a missing path. Each
// gets a one-line diagnostic naming the file, no crash, no hang, and the other inputs of the same
// run are still processed.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "testdata.h"

namespace regpersist {

namespace {

using testsupport::corpus_file;
using testsupport::run_command;

const std::string kGoodHive = "plaso/regf/SAM";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The run processed `good` (its records are on stdout) and did not crash (exit codes >= 128).
void expect_handled(const std::string& bad, const testsupport::CommandResult& result, const std::string& good) {
  EXPECT_LT(result.exit_code, 128) << bad << " crashed the run:\n" << result.err;
  EXPECT_NE(result.out.find(good), std::string::npos) << bad << " stopped the good input from being processed";
}

// The diagnostics on stderr that name `file`, each one line "regpersist: SEVERITY: FILE: message".
std::vector<std::string> diagnostics_naming(const std::string& file, const std::string& err) {
  std::vector<std::string> found;
  for (const auto& line : lines_of(err))
    if (line.find(file) != std::string::npos) found.push_back(line);
  for (const auto& line : found) EXPECT_EQ(line.rfind("regpersist: ", 0), 0u) << line;
  return found;
}

}  // namespace

TEST(BadInput, EveryCorpusFileThatMustFailIsHandled) {
  const std::string good = corpus_file(kGoodHive).string();
  int checked = 0;
  for (const auto& row : testsupport::read_manifest()) {
    if (row.parse != "fails" || row.kind == "image") continue;
    const std::string bad = corpus_file(row.path).string();
    const auto result = run_command({testsupport::regpersist_binary().string(), "keys", bad, good});
    expect_handled(bad, result, good);
    EXPECT_FALSE(diagnostics_naming(bad, result.err).empty()) << "no diagnostic names " << bad;
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

TEST(BadInput, NonHiveEmptyDirectoryAndMissingPath) {
  const auto dir = testsupport::scratch_dir("bad_input");
  const auto text = dir / "notes.txt";
  std::ofstream(text) << "this is not a registry hive\n";
  const auto empty = dir / "empty";
  std::ofstream{empty};
  const auto missing = dir / "missing";
  const std::string good = corpus_file(kGoodHive).string();
  const auto result = run_command({testsupport::regpersist_binary().string(), "keys", text.string(), empty.string(),
                                   dir.string(), missing.string(), good});  // `dir` holds no hive: an error too
  expect_handled("several", result, good);
  EXPECT_EQ(result.exit_code, 1);  // partial success
  const auto errors = diagnostics_naming(dir.string(), result.err);
  ASSERT_EQ(errors.size(), 4u) << result.err;
  EXPECT_NE(errors[0].find(text.string() + ": not a registry hive"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find(empty.string() + ": empty file"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find(dir.string() + ": no Windows installation, user profile or hive file found in this folder"),
            std::string::npos)
      << errors[2];
  EXPECT_NE(errors[3].find(missing.string() + ": no such file or folder"), std::string::npos) << errors[3];
}

TEST(BadInput, NothingReadableIsAFailure) {
  const auto result = run_command({testsupport::regpersist_binary().string(), "info", "/nonexistent/hive"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.out.empty());
}

TEST(BadInput, UsageErrorsHaveTheirOwnExitCode) {
  EXPECT_EQ(run_command({testsupport::regpersist_binary().string(), "keys"}).exit_code, 64);
  EXPECT_EQ(run_command({testsupport::regpersist_binary().string(), "frobnicate"}).exit_code, 64);
  EXPECT_EQ(run_command({testsupport::regpersist_binary().string(), "keys", "--format", "xml", "x"}).exit_code, 64);
}

}  // namespace regpersist
