// A folder on disk as a FileTree (a mounted image, a KAPE-style triage collection, or the folder of
// loose hive files), browsed with Boost.Filesystem. Symbolic links are not followed into directories,
// so a link loop cannot trap discovery.
#pragma once

#include <boost/filesystem.hpp>

#include "image/file_tree.h"

namespace regpersist::image {

class FolderTree : public FileTree {
 public:
  // `evidence` is the path the user gave; `root` the folder browsed (the same, or a file's parent).
  FolderTree(std::string evidence, boost::filesystem::path root);

  TreeEntry root() const override;
  std::vector<TreeEntry> list(const TreeEntry& directory) override;
  std::vector<std::uint8_t> read(const TreeEntry& file, HiveOrigin& origin, const DiscoveryOptions& options) override;
  std::string label(const TreeEntry& entry) const override { return entry.path; }
  std::string description() const override { return root_.string(); }

  // The entry for a path on disk (its parent need not have been listed).
  static TreeEntry entry_for(const boost::filesystem::path& path);

 private:
  boost::filesystem::path root_;
};

}  // namespace regpersist::image
