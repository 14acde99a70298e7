// Test support: an Installation flattened to comparable rows (role, user, SID, path below the
// installation root, SHA-256, log paths), so tests can check that an image, a folder and loose files
// give the same hives. Header-only: it needs the library's SHA-256, which test executables link.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "regpersist/discovery.h"
#include "regpersist/sha256.h"
#include "windows_tree.h"

namespace regpersist::testsupport {

struct FoundHive {
  std::string role, user, sid, path, sha256;
  std::vector<std::string> logs;  // paths below the root, sorted
  auto tie() const { return std::tie(role, user, sid, path, sha256, logs); }
  bool operator==(const FoundHive& o) const { return tie() == o.tie(); }
  bool operator<(const FoundHive& o) const { return tie() < o.tie(); }
};

inline std::string file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return sha256_hex(bytes);
}

// `path` without `root` and without a leading separator.
inline std::string below(const std::string& path, const std::string& root) {
  std::string rest = path.rfind(root, 0) == 0 ? path.substr(root.size()) : path;
  while (!rest.empty() && rest.front() == '/') rest.erase(rest.begin());
  return rest;
}

inline FoundHive found_hive(const std::string& role, const UserHives* user, const HiveSource& hive,
                            const std::string& root) {
  FoundHive row{role, user ? user->user : "", user ? user->sid : "", below(hive.origin.path, root), hive.origin.sha256,
                {}};
  for (const auto& log : hive.logs) row.logs.push_back(below(log.origin.path, root));
  std::sort(row.logs.begin(), row.logs.end());
  return row;
}

// Every hive of the installation; `root` is stripped from paths ("" for images, the folder otherwise).
inline std::vector<FoundHive> summarize(const Installation& installation, const std::string& root) {
  std::vector<FoundHive> rows;
  for (const auto& hive : installation_hives(installation))
    rows.push_back(found_hive(hive.role, hive.user, *hive.hive, root));
  std::sort(rows.begin(), rows.end());
  return rows;
}

// What discovery must find in write_windows_tree()'s tree below `root`, with the files' hashes.
inline std::vector<FoundHive> expected_hives(const std::filesystem::path& root) {
  const auto sha = [&](const std::string& path) { return file_sha256(root / path); };
  const std::string config = "Windows/System32/config/";
  const std::string alice_class = "Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat";
  const std::string bob_class = "Users/Bob/AppData/Local/Microsoft/Windows/UsrClass.dat";
  const std::string hostile = std::string("Users/") + kHostileProfile + "/NTUSER.DAT";
  std::vector<FoundHive> rows = {
      {"SYSTEM", "", "", config + "SYSTEM", sha(config + "SYSTEM"), {config + "SYSTEM.LOG1", config + "system.log2"}},
      {"SOFTWARE", "", "", config + "SOFTWARE", sha(config + "SOFTWARE"), {}},
      {"SAM", "", "", config + "sam", sha(config + "sam"), {}},
      {"SECURITY", "", "", config + "SECURITY", sha(config + "SECURITY"), {}},
      {"DEFAULT", "", "", config + "DEFAULT", sha(config + "DEFAULT"), {}},
      {"AMCACHE", "", "", "Windows/AppCompat/Programs/Amcache.hve", sha("Windows/AppCompat/Programs/Amcache.hve"), {}},
      {"RegBack", "", "", config + "RegBack/SYSTEM", sha(config + "RegBack/SYSTEM"), {}},
      {"NTUSER",
       "alice",
       kAliceSid,
       "Users/alice/NTUSER.DAT",
       sha("Users/alice/NTUSER.DAT"),
       {"Users/alice/NTUSER.DAT.LOG1"}},
      {"USRCLASS", "alice", kAliceSid, alice_class, sha(alice_class), {}},
      {"NTUSER", "Bob", kBobSid, "Users/Bob/ntuser.dat", sha("Users/Bob/ntuser.dat"), {}},
      {"USRCLASS", "Bob", kBobSid, bob_class, sha(bob_class), {}},
      {"NTUSER", kHostileProfile, "", hostile, sha(hostile), {}},
  };
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace regpersist::testsupport
