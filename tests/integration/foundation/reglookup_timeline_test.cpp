// `regpersist keys` against reglookup-timeline on every hive of the shared corpus that reglookup
// reads: the sets of (key path, last-write time to the second) must be equal. Differences are
// printed; the ones where reglookup is wrong are listed, with the reason, in kKnownDifferences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
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

// Where reglookup is wrong, by design of its output, on every hive:
// - it writes names byte by byte, escaping bytes outside printable ASCII as %XX: compressed (Latin-1)
//   names come out right once unescaped as Latin-1, but UTF-16 names holding characters above U+00FF
//   are mangled to their low bytes ("Привет" -> "\x1f@825B") or the key and its subtree are dropped
//   with "WARN: Error occurred while converting key name to encoding US-ASCII";
// - it cuts a name at an embedded NUL ("testnu\0l" -> "testnu"), which hides such keys;
// - it prints a zero last-write time as 1970-01-01; regpersist puts no event on the timeline for a
//   time that is zero or before 1700 and reports those keys in a diagnostic instead.
// So keys whose names hold characters above U+00FF are compared by time only (each key reglookup
// shows in their place must have the time of one of them), names are cut at NUL before comparing,
// and reglookup's zero-time keys are left out.
//
// Hives on which regpersist and reglookup-timeline differ for another reason, with the reason.
const std::map<std::string, std::string> kKnownDifferences = {
    {"yarp/hives_for_tests/BadListHive",
     "the subkey list of key 2 holds the cell of 3\\subkey, whose record names key 3 as its parent: reglookup lists "
     "the cell under both keys; regpersist lists it once, under its own parent, and reports the bad list"},
    {"yarp/hives_for_tests/BadSubkeyHive", "same damage as BadListHive (the subkey record is shared by two lists)"},
    {"yarp/hives_for_tests/DeletedDataHiveTruncated",
     "key 123's value list lies outside the hive bins: reglookup drops the key; regpersist keeps the key, whose "
     "record and time are intact, and reports the unreachable value list"},
    {"ericzimmerman-registry/Hives/SAMBadHBinHeader",
     "the second hive bin's header is damaged: reglookup (like libregf) stops there and shows the root key only; "
     "regpersist reads the key records at their cell offsets and lists all 68 keys, with a diagnostic for each key "
     "beyond the well-formed hive bins"},
    {"plaso/regf/corrupt_sub_key_list.hiv",
     "one entry of the subkey list points to a cell without an nk signature: reglookup stops reading the list there "
     "(9 keys); regpersist reports that entry and reads the 91 valid entries after it"},
};

// reglookup's %XX escapes undone, each byte taken as Latin-1.
std::string unescape_reglookup(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte == '%' && i + 2 < text.size()) {
      byte = static_cast<unsigned char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte));
    } else {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

// True when the UTF-8 text holds a code point above U+00FF (lead byte 0xC4 or more).
bool beyond_latin1(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xC4; });
}

// Each path component cut at its first NUL, as reglookup prints it.
std::string cut_at_nul(const std::string& path) {
  std::string out;
  bool cut = false;
  for (const char c : path) {
    if (c == '/') cut = false;
    if (c == '\0') cut = true;
    if (!cut) out.push_back(c);
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
    if (at == std::string::npos || line.rfind("1970-01-01 00:00:00", 0) == 0) continue;
    times.emplace(unescape_reglookup(line.substr(at + marker.size())), line.substr(0, at));
  }
  return times;
}

struct OurKeyTimes {
  KeyTimes comparable;
  std::multiset<std::string> unicode_name_times;  // keys reglookup cannot name
};

OurKeyTimes regpersist_key_times(const std::string& file) {
  // reglookup reads the primary file as it is, allocated keys only: no log replay, no deleted keys.
  const auto result =
      run_command({testsupport::regpersist_binary().string(), "keys", "--quiet", "--no-logs", "--no-deleted", file});
  OurKeyTimes times;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto record = nlohmann::json::parse(line);
    std::string path = record["key_path"].get<std::string>();
    std::replace(path.begin(), path.end(), '\\', '/');
    std::string when = record["datetime"].get<std::string>().substr(0, 19);
    when[10] = ' ';
    if (beyond_latin1(path))
      times.unicode_name_times.insert(when);
    else
      times.comparable.emplace(cut_at_nul(path), when);
  }
  return times;
}

// Printable form for failure messages (control characters as \xNN).
std::string describe(const KeyTimes& only) {
  std::string text;
  int shown = 0;
  for (const auto& [path, when] : only) {
    if (++shown > 10) return text + "  ... (" + std::to_string(only.size()) + " in all)\n";
    text += "  " + when + " ";
    for (const char c : path) {
      if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
        text += escaped;
      } else {
        text.push_back(c);
      }
    }
    text += "\n";
  }
  return text;
}

// reglookup's entries for keys with names above U+00FF: mangled names, each with the time of one of them.
KeyTimes unexplained(const KeyTimes& only_theirs, std::multiset<std::string> unicode_name_times) {
  KeyTimes left;
  for (const auto& entry : only_theirs) {
    const auto match = unicode_name_times.find(entry.second);
    if (match == unicode_name_times.end())
      left.insert(entry);
    else
      unicode_name_times.erase(match);
  }
  return left;
}

}  // namespace

TEST(ReglookupTimeline, SameKeysAndTimesOnEveryHiveReglookupReads) {
  int compared = 0;
  for (const auto& row : testsupport::read_manifest()) {
    const bool reglookup_reads = !row.reglookup_keys.empty() && std::isdigit(row.reglookup_keys[0]);
    if (row.kind != "hive" || !reglookup_reads) continue;
    const std::string file = corpus_file(row.path).string();
    const KeyTimes theirs = reglookup_key_times(file);
    const OurKeyTimes our_times = regpersist_key_times(file);
    const KeyTimes& ours = our_times.comparable;
    KeyTimes only_theirs, only_ours;
    std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(),
                        std::inserter(only_theirs, only_theirs.end()));
    std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(),
                        std::inserter(only_ours, only_ours.end()));
    only_theirs = unexplained(only_theirs, our_times.unicode_name_times);
    ++compared;
    if (kKnownDifferences.count(row.path)) {
      EXPECT_FALSE(only_theirs.empty() && only_ours.empty()) << row.path << " no longer differs: drop it from the list";
      continue;
    }
    EXPECT_TRUE(only_theirs.empty() && only_ours.empty())
        << row.path << ": reglookup " << theirs.size() << " keys, regpersist " << ours.size() << "\n"
        << "only in reglookup-timeline:\n"
        << describe(only_theirs) << "only in regpersist:\n"
        << describe(only_ours);
  }
  EXPECT_GT(compared, 50);
}

}  // namespace regpersist
