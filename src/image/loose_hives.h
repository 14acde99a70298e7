// Loose hive files (given one by one, or found in a folder that holds no Windows tree) grouped into
// installations: by folder, each hive placed by the type its content shows, never by its name.
#pragma once

#include <string>
#include <vector>

#include "image/file_tree.h"

namespace regpersist::image {

struct LooseFile {
  std::string evidence;  // the path the user gave (the file itself, or the folder it was found in)
  std::string path;      // the file on disk
};

// See discover_evidence(paths) in discovery.h for the grouping rules. Transaction logs among the
// files join their primary; a log without one is a warning.
std::vector<Installation> group_loose_hives(const std::vector<LooseFile>& files, Diagnostics& diagnostics,
                                            const DiscoveryOptions& options);

// Regular files starting with "regf" below `folder` (depth and count capped), in path order.
std::vector<std::string> find_hive_files(const std::string& folder, Diagnostics& diagnostics);

// True when the file at `path` starts with the regf signature.
bool file_has_regf_signature(const std::string& path);

}  // namespace regpersist::image
