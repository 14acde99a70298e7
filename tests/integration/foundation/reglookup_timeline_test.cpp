// `regpersist keys` against reglookup-timeline on every hive of the shared corpus that reglookup
// reads: the sets of (key path, last-write time to the second) must be equal. Differences are
// printed; the ones where reglookup is wrong are listed, with the reason, in kKnownDifferences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "testdata.h"

namespace regpersist {

namespace {

using testsupport::corpus_file;
using testsupport::run_command;

// Hives on which regpersist intentionally differs from reglookup-timeline: none so far. A hive
// listed here must come with the reason reglookup is wrong.
const std::map<std::string, std::string> kKnownDifferences = {};

std::string unescape_reglookup(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

using KeyTimes = std::set<std::pair<std::string, std::string>>;  // (path with '/', "YYYY-MM-DD HH:MM:SS")

KeyTimes reglookup_key_times(const std::string& file) {
  const auto result = run_command({"env", "LC_ALL=C.UTF-8", "reglookup-timeline", "-H", file});
  KeyTimes times;
  std::istringstream lines(result.out);
  const std::string marker = "," + file + ",";
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find(marker);
    if (at == std::string::npos) continue;
    times.emplace(unescape_reglookup(line.substr(at + marker.size())), line.substr(0, at));
  }
  return times;
}

KeyTimes regpersist_key_times(const std::string& file) {
  const auto result = run_command({testsupport::regpersist_binary().string(), "keys", "--quiet", file});
  KeyTimes times;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto record = nlohmann::json::parse(line);
    std::string path = record["key_path"].get<std::string>();
    std::replace(path.begin(), path.end(), '\\', '/');
    std::string when = record["datetime"].get<std::string>().substr(0, 19);
    when[10] = ' ';
    times.emplace(path, when);
  }
  return times;
}

std::string describe(const KeyTimes& only) {
  std::string text;
  int shown = 0;
  for (const auto& [path, when] : only) {
    if (++shown > 10) return text + "  ... (" + std::to_string(only.size()) + " in all)\n";
    text += "  " + when + " " + path + "\n";
  }
  return text;
}

}  // namespace

TEST(ReglookupTimeline, SameKeysAndTimesOnEveryHiveReglookupReads) {
  int compared = 0;
  for (const auto& row : testsupport::read_manifest()) {
    const bool reglookup_reads = !row.reglookup_keys.empty() && std::isdigit(row.reglookup_keys[0]);
    if (row.kind != "hive" || !reglookup_reads) continue;
    const std::string file = corpus_file(row.path).string();
    const KeyTimes theirs = reglookup_key_times(file);
    const KeyTimes ours = regpersist_key_times(file);
    KeyTimes only_theirs, only_ours;
    std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(),
                        std::inserter(only_theirs, only_theirs.end()));
    std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(),
                        std::inserter(only_ours, only_ours.end()));
    ++compared;
    if (kKnownDifferences.count(row.path)) continue;
    EXPECT_TRUE(only_theirs.empty() && only_ours.empty())
        << row.path << ": reglookup " << theirs.size() << " keys, regpersist " << ours.size() << "\n"
        << "only in reglookup-timeline:\n" << describe(only_theirs) << "only in regpersist:\n" << describe(only_ours);
  }
  EXPECT_GT(compared, 50);
}

}  // namespace regpersist
