// Test support: a small but complete Windows installation written as a folder tree of HiveBuilder
// hives — the source from which discovery tests build their folders and disk images
// (make_test_images.sh) and against which they compare what discovery finds.
//
// Layout (mixed case on purpose; discovery must match names case-insensitively):
//   Windows/System32/config/{SYSTEM, SYSTEM.LOG1, system.log2, SOFTWARE, sam, SECURITY, DEFAULT}
//   Windows/System32/config/RegBack/{SYSTEM, SOFTWARE (0 bytes, as Windows 10 leaves it)}
//   Windows/AppCompat/Programs/Amcache.hve
//   Users/alice/{NTUSER.DAT, NTUSER.DAT.LOG1, AppData/Local/Microsoft/Windows/UsrClass.dat}
//   Users/Bob/{ntuser.dat, AppData/Local/Microsoft/Windows/UsrClass.dat}
//   Users/Public/ (no hives)
//   Users/..\..\x/NTUSER.DAT (a hostile profile folder name, one component with backslashes)
// SOFTWARE's ProfileList names alice (C:\Users\alice, SID ...-1001), Bob (%SystemDrive%\Users\Bob,
// ...-1002) and the SYSTEM account (%systemroot%\system32\config\systemprofile, absent here).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace regpersist::testsupport {

inline constexpr const char* kAliceSid = "S-1-5-21-1111-2222-3333-1001";
inline constexpr const char* kBobSid = "S-1-5-21-1111-2222-3333-1002";
inline constexpr const char* kHostileProfile = "..\\..\\x";

struct WindowsTree {
  std::filesystem::path root;      // the folder holding Windows/ and Users/
  std::vector<std::string> hives;  // relative paths ("Windows/System32/config/SYSTEM") of every hive
  std::vector<std::string> logs;   // relative paths of every transaction log
};

// Writes the tree under `root` (created if missing).
WindowsTree write_windows_tree(const std::filesystem::path& root);

}  // namespace regpersist::testsupport
