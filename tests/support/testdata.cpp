// Test-data locations, the manifest reader and a small command runner (POSIX fork/exec, output to
// temporary files so large outputs never block).
#include "testdata.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace regpersist::testsupport {

namespace {
std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}
}  // namespace

std::filesystem::path shared_testdata() { return REGPERSIST_SHARED_TESTDATA; }

std::filesystem::path corpus_file(const std::string& manifest_path) {
  if (manifest_path.ends_with(".xz") || manifest_path.ends_with(".gz"))
    return std::filesystem::path(REGPERSIST_DECOMPRESSED_TESTDATA) / manifest_path.substr(0, manifest_path.size() - 3);
  return shared_testdata() / manifest_path;
}

std::filesystem::path regpersist_binary() { return REGPERSIST_BINARY; }

std::vector<ManifestRow> read_manifest() {
  std::ifstream in(shared_testdata() / "manifest.tsv");
  if (!in) throw std::runtime_error("cannot read " + (shared_testdata() / "manifest.tsv").string());
  std::vector<ManifestRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto f = split_tabs(line);
    if (f.size() < 14) continue;
    rows.push_back({f[0], f[3], f[4], f[7], f[8], f[9], f[10], f[13], std::stoul(f[1])});
  }
  return rows;
}

CommandResult run_command(const std::vector<std::string>& argv) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto out_path = dir / ("regpersist-test-" + std::to_string(getpid()) + "-" + std::to_string(rand()) + ".out");
  const auto err_path = std::filesystem::path(out_path.string() + ".err");
  const pid_t child = fork();
  if (child == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    const int null_in = open("/dev/null", O_RDONLY);
    dup2(null_in, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return result;
}

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::path(REGPERSIST_DECOMPRESSED_TESTDATA).parent_path() / "scratch" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace regpersist::testsupport
