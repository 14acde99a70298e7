// TskTree: directory listing by metadata address and whole-file reads through libtsk.
#include "image/tsk_tree.h"

#include <cstring>

namespace regpersist::image {
namespace {

constexpr std::size_t kReadChunk = std::size_t{1} << 20;

struct FileCloser {
  void operator()(TSK_FS_FILE* file) const { tsk_fs_file_close(file); }
};
struct DirCloser {
  void operator()(TSK_FS_DIR* dir) const { tsk_fs_dir_close(dir); }
};

bool is_dot_entry(const char* name) { return std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0; }

std::string child_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

void record_times(const TSK_FS_META& meta, HiveOrigin& origin) {
  origin.created = unix_time_to_filetime(meta.crtime, meta.crtime_nano);
  origin.modified = unix_time_to_filetime(meta.mtime, meta.mtime_nano);
  origin.accessed = unix_time_to_filetime(meta.atime, meta.atime_nano);
  origin.changed = unix_time_to_filetime(meta.ctime, meta.ctime_nano);
}

}  // namespace

std::string take_tsk_error() {
  const char* message = tsk_error_get();
  std::string text = message ? message : "unknown libtsk error";
  tsk_error_reset();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string volume_description(std::optional<int> volume, std::uint64_t offset) {
  if (volume) return "volume " + std::to_string(*volume) + " (offset " + std::to_string(offset) + ")";
  return "file system at offset " + std::to_string(offset);
}

TskTree::TskTree(std::string evidence, ImageHandle image, FsHandle fs, std::optional<int> volume, std::uint64_t offset)
    : FileTree(std::move(evidence)), image_(std::move(image)), fs_(std::move(fs)), volume_(volume), offset_(offset) {}

TreeEntry TskTree::root() const { return TreeEntry{"", "/", true, fs_->root_inum}; }

std::string TskTree::label(const TreeEntry& entry) const {
  return evidence() + ":" + (volume_ ? "vol" + std::to_string(*volume_) + ":" : std::string()) + entry.path;
}

std::string TskTree::description() const { return evidence() + " " + volume_description(volume_, offset_); }

std::vector<TreeEntry> TskTree::list(const TreeEntry& directory) {
  std::unique_ptr<TSK_FS_DIR, DirCloser> dir(tsk_fs_dir_open_meta(fs_.get(), directory.id));
  if (!dir) throw Error(label(directory), "cannot list directory: " + take_tsk_error());
  std::vector<TreeEntry> entries;
  const std::size_t count = std::min(tsk_fs_dir_getsize(dir.get()), kMaxDirectoryEntries);
  for (std::size_t i = 0; i < count; ++i) {
    const TSK_FS_NAME* name = tsk_fs_dir_get_name(dir.get(), i);
    if (!name || !name->name || is_dot_entry(name->name)) continue;
    if ((name->flags & TSK_FS_NAME_FLAG_ALLOC) == 0) continue;
    entries.push_back(TreeEntry{name->name, child_path(directory.path, name->name), name->type == TSK_FS_NAME_TYPE_DIR,
                                name->meta_addr});
  }
  return entries;
}

std::vector<std::uint8_t> TskTree::read(const TreeEntry& file, HiveOrigin& origin, const DiscoveryOptions& options) {
  std::unique_ptr<TSK_FS_FILE, FileCloser> handle(tsk_fs_file_open_meta(fs_.get(), nullptr, file.id));
  if (!handle || !handle->meta) throw Error(label(file), "cannot open file record: " + take_tsk_error());
  const TSK_FS_META& meta = *handle->meta;
  if (meta.size < 0 || static_cast<std::uint64_t>(meta.size) > options.max_file_bytes) {
    throw Error(label(file), "file too large to be a hive (" + std::to_string(meta.size) + " bytes)");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(meta.size));
  for (std::size_t done = 0; done < bytes.size();) {
    const auto chunk = std::min(kReadChunk, bytes.size() - done);
    const auto got = tsk_fs_file_read(handle.get(), static_cast<TSK_OFF_T>(done),
                                      reinterpret_cast<char*>(bytes.data() + done), chunk, TSK_FS_FILE_READ_FLAG_NONE);
    if (got <= 0) {
      throw Error(label(file), "read failed at offset " + std::to_string(done) + " of " + std::to_string(bytes.size()) +
                                   ": " + take_tsk_error());
    }
    done += static_cast<std::size_t>(got);
    if (options.progress) {
      options.progress({.evidence = evidence(),
                        .step = label(file),
                        .volume = volume_description(volume_, offset_),
                        .hive = file.path,
                        .bytes_done = done,
                        .bytes_total = bytes.size()});
    }
  }
  origin.path = file.path;
  origin.volume = volume_;
  origin.volume_offset = offset_;
  origin.mft_entry = meta.addr;
  origin.size = bytes.size();
  record_times(meta, origin);
  return bytes;
}

}  // namespace regpersist::image
