// Windows installations inside one FileTree (an NTFS volume or a folder): where they are, and each
// one's machine hives (config\SYSTEM, SOFTWARE, SAM, SECURITY, DEFAULT, RegBack copies, Amcache.hve)
// and user hives (NTUSER.DAT, UsrClass.dat) with their transaction logs. All names are matched
// case-insensitively; users come from SOFTWARE's ProfileList (SID → profile folder) plus a sweep of
// Users\*.
#pragma once

#include <vector>

#include "image/file_tree.h"

namespace regpersist::image {

// Folders at most `max_depth` levels below `start` (start included) that hold Windows\System32\config
// or a Users\<name>\NTUSER.DAT; a root's own subfolders are not searched further.
std::vector<TreeEntry> find_installation_roots(FileTree& tree, const TreeEntry& start, int max_depth);

// Everything discovery knows about the installation at `root`.
Installation discover_installation(FileTree& tree, const TreeEntry& root, Diagnostics& diagnostics,
                                   const DiscoveryOptions& options);

// Profile folder components below the installation root for a ProfileImagePath
// ("C:\Users\bob", "%SystemDrive%\Users\bob", "%SystemRoot%\ServiceProfiles\LocalService"); nothing
// for paths elsewhere (UNC, other drives' variables) or with "." / ".." components.
std::optional<std::vector<std::string>> profile_components(const std::string& profile_image_path);

}  // namespace regpersist::image
