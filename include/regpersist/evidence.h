// Evidence as the rest of the program sees it: Windows installations, each with its machine hives
// and its users' hives, whatever they came from (loose hive files, a folder such as a KAPE triage
// collection or a mounted image, or a disk image read through The Sleuth Kit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/hive.h"

namespace regpersist {

// Where a hive's bytes were found: enough for an analyst to find the same bytes again.
struct HiveOrigin {
  std::string evidence;       // the path the user gave (image, folder or file)
  std::string path;           // path inside the evidence ("/Windows/System32/config/SYSTEM") or on disk
  std::optional<int> volume;  // image volume: libtsk partition slot (as mmls numbers it); none without a table
  std::optional<std::uint64_t> volume_offset;                         // bytes
  std::optional<std::uint64_t> mft_entry;                             // NTFS file record number
  std::optional<std::uint64_t> created, modified, accessed, changed;  // the file's own times (FILETIME)
  std::uint64_t size = 0;  // file size recorded by the file system (bytes may be shorter if a read failed)
  std::string sha256;      // of the bytes as read (lowercase hex)
};

// A transaction log that travels with its hive (.LOG, .LOG1, .LOG2).
struct LogSource {
  std::string name;   // file name as found ("SYSTEM.LOG1")
  std::string label;  // full evidence path for messages
  std::vector<std::uint8_t> bytes;
  HiveOrigin origin;  // where the log was found (same fields as a hive's)
};

struct HiveSource {
  std::string label;  // evidence path + path inside it, used in every message about this hive
  HiveOrigin origin;
  std::vector<std::uint8_t> bytes;  // the primary file as read
  std::vector<LogSource> logs;
};

struct UserHives {
  std::string profile_path;  // "C:\\Users\\alice" (from ProfileList) or the profile folder found
  std::string user;          // folder/account name
  std::string sid;           // from ProfileList when known
  std::optional<HiveSource> ntuser;
  std::optional<HiveSource> usrclass;
};

struct Installation {
  std::string evidence;  // the path the user gave
  std::string root;      // "disk.E01:vol6:/" (vol = mmls slot), "disk.E01:/" (no table), or a folder path
  std::optional<HiveSource> system, software, sam, security, default_user, amcache;
  std::vector<HiveSource> regback;  // RegBack copies
  std::vector<HiveSource> other;    // loose hives of no installation role (BCD, unknown or synthetic hives)
  std::vector<UserHives> users;
};

}  // namespace regpersist
