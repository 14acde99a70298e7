// An NTFS volume inside a disk image as a FileTree, read through The Sleuth Kit: directories are
// listed from the file system's own index and files are read into memory straight from the image, so
// nothing is mounted or extracted. Records each file's MFT entry and $STANDARD_INFORMATION times.
#pragma once

#include <tsk/libtsk.h>

#include <memory>
#include <optional>

#include "image/file_tree.h"

namespace regpersist::image {

struct ImageCloser {
  void operator()(TSK_IMG_INFO* image) const { tsk_img_close(image); }
};
using ImageHandle = std::shared_ptr<TSK_IMG_INFO>;

struct FsCloser {
  void operator()(TSK_FS_INFO* fs) const { tsk_fs_close(fs); }
};
using FsHandle = std::unique_ptr<TSK_FS_INFO, FsCloser>;

// The current libtsk error message, then cleared.
std::string take_tsk_error();

class TskTree : public FileTree {
 public:
  // `volume` is the partition index (none when the file system starts the image without a table).
  TskTree(std::string evidence, ImageHandle image, FsHandle fs, std::optional<int> volume, std::uint64_t offset);

  TreeEntry root() const override;
  std::vector<TreeEntry> list(const TreeEntry& directory) override;
  std::vector<std::uint8_t> read(const TreeEntry& file, HiveOrigin& origin, const DiscoveryOptions& options) override;
  std::string label(const TreeEntry& entry) const override;
  std::string description() const override;

 private:
  ImageHandle image_;  // outlives fs_
  FsHandle fs_;
  std::optional<int> volume_;
  std::uint64_t offset_;
};

// How messages name a volume: "volume 2 (offset 1048576)" or "file system at offset 0".
std::string volume_description(std::optional<int> volume, std::uint64_t offset);

}  // namespace regpersist::image
