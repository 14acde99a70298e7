// `scan` and `keys` read disk images like the files they hold: on every generated image format the findings
// equal those of the same Windows tree as a folder, with the SHA-256s of the source hive files, and the key
// timeline of an image equals that of its hive files given one by one.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "generated_images.h"
#include "installation_summary.h"

namespace regpersist {
namespace {

using testsupport::generated_images;

// A path inside the Windows tree, whatever holds it ("disk.E01:vol2:/Windows/…" or "/tmp/…/tree/Windows/…").
std::string tree_path(const std::string& label) {
  for (const char* top : {"/Windows/", "/Users/"}) {
    const auto at = label.find(top);
    if (at != std::string::npos) return label.substr(at + 1);
  }
  return label;
}

// What must be equal between two runs: every JSONL event without the fields naming the evidence (and without
// the host name when `host` is false).
std::multiset<std::string> comparable_events(const std::vector<std::string>& args, bool host = true) {
  std::vector<std::string> argv{testsupport::regpersist_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--format", "jsonl", "-q"});
  const auto result = testsupport::run_command(argv);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::multiset<std::string> events;
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    auto event = nlohmann::json::parse(line);
    event["hive_path"] = tree_path(event["hive_path"]);
    event.erase("evidence");
    event.erase("message");  // quotes the hive path of login events
    if (!host) event.erase("host");
    events.insert(event.dump());
  }
  return events;
}

// The events of `a` missing from `b`, one per line (for a readable failure).
std::string missing_from(const std::multiset<std::string>& a, const std::multiset<std::string>& b) {
  std::vector<std::string> missing;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(missing));
  std::string text;
  for (const auto& event : missing) text += event + "\n";
  return text;
}

std::set<std::string> hashes_of(const std::multiset<std::string>& events) {
  std::set<std::string> hashes;
  for (const auto& event : events) hashes.insert(nlohmann::json::parse(event)["hive_sha256"].get<std::string>());
  return hashes;
}

std::set<std::string> source_hashes() {
  std::set<std::string> hashes;
  for (const auto& hive : generated_images().tree.hives)
    hashes.insert(testsupport::file_sha256(generated_images().tree.root / hive));
  return hashes;
}

const std::multiset<std::string>& folder_findings() {
  static const auto findings = comparable_events({"scan", generated_images().tree.root.string()});
  return findings;
}

class ScanEveryImageFormat : public ::testing::TestWithParam<const char*> {};

TEST_P(ScanEveryImageFormat, GivesTheFindingsOfTheFolderWithTheSourceHashes) {
  const auto findings = comparable_events({"scan", (generated_images().images / GetParam()).string()});
  EXPECT_FALSE(findings.empty());
  EXPECT_EQ(missing_from(findings, folder_findings()), "");
  EXPECT_EQ(missing_from(folder_findings(), findings), "");
  const auto hashes = hashes_of(findings);
  const auto sources = source_hashes();
  for (const auto& hash : hashes) EXPECT_TRUE(sources.contains(hash)) << hash;
}

INSTANTIATE_TEST_SUITE_P(Generated, ScanEveryImageFormat, ::testing::ValuesIn(testsupport::kGeneratedImageNames));

TEST(KeysImage, EqualsKeysOfTheFolderAndOfTheLooseHiveFiles) {
  const auto& g = generated_images();
  const auto from_image = comparable_events({"keys", (g.images / "disk-gpt.E01").string()});
  EXPECT_GT(from_image.size(), 10u);
  const auto from_folder = comparable_events({"keys", g.tree.root.string()});
  EXPECT_EQ(missing_from(from_image, from_folder), "");
  EXPECT_EQ(missing_from(from_folder, from_image), "");
  EXPECT_EQ(hashes_of(from_image), source_hashes());
  // Given one by one, RegBack\SYSTEM is a machine of its own (host OLDNAME): compare without host names.
  std::vector<std::string> loose{"keys"};
  for (const auto& hive : g.tree.hives) loose.push_back((g.tree.root / hive).string());
  const auto from_files = comparable_events(loose, false);
  const auto image_without_hosts = comparable_events({"keys", (g.images / "disk-gpt.E01").string()}, false);
  EXPECT_EQ(missing_from(image_without_hosts, from_files), "");
  EXPECT_EQ(missing_from(from_files, image_without_hosts), "");
}

}  // namespace
}  // namespace regpersist
