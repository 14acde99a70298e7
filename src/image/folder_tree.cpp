// FolderTree: directory listing and whole-file reads through Boost.Filesystem, with the file's
// POSIX times (modified, accessed, changed) recorded as FILETIME.
#include "image/folder_tree.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace regpersist::image {
namespace fs = boost::filesystem;

namespace {

constexpr std::size_t kReadChunk = std::size_t{1} << 20;

void record_times(const fs::path& path, HiveOrigin& origin) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return;
  origin.modified = unix_time_to_filetime(info.st_mtim.tv_sec, static_cast<std::uint64_t>(info.st_mtim.tv_nsec));
  origin.accessed = unix_time_to_filetime(info.st_atim.tv_sec, static_cast<std::uint64_t>(info.st_atim.tv_nsec));
  origin.changed = unix_time_to_filetime(info.st_ctim.tv_sec, static_cast<std::uint64_t>(info.st_ctim.tv_nsec));
}

}  // namespace

FolderTree::FolderTree(std::string evidence, fs::path root) : FileTree(std::move(evidence)), root_(std::move(root)) {}

TreeEntry FolderTree::entry_for(const fs::path& path) {
  boost::system::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  return TreeEntry{path.filename().string(), path.string(), !ec && fs::is_directory(status), 0};
}

TreeEntry FolderTree::root() const { return entry_for(root_); }

std::vector<TreeEntry> FolderTree::list(const TreeEntry& directory) {
  boost::system::error_code ec;
  fs::directory_iterator it(fs::path(directory.path), ec);
  if (ec) throw Error(directory.path, "cannot list folder: " + ec.message());
  std::vector<TreeEntry> entries;
  for (const fs::directory_iterator end; it != end && entries.size() < kMaxDirectoryEntries; it.increment(ec)) {
    if (ec) throw Error(directory.path, "cannot list folder: " + ec.message());
    entries.push_back(entry_for(it->path()));
  }
  return entries;
}

std::vector<std::uint8_t> FolderTree::read(const TreeEntry& file, HiveOrigin& origin, const DiscoveryOptions& options) {
  const fs::path path(file.path);
  boost::system::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw Error(file.path, "cannot read: " + ec.message());
  if (size > options.max_file_bytes)
    throw Error(file.path, "file too large to be a hive (" + std::to_string(size) + " bytes)");
  std::ifstream in(path.string(), std::ios::binary);
  if (!in) throw Error(file.path, std::string("cannot open: ") + std::strerror(errno));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  for (std::size_t done = 0; done < bytes.size();) {
    const auto chunk = std::min(kReadChunk, bytes.size() - done);
    in.read(reinterpret_cast<char*>(bytes.data() + done), static_cast<std::streamsize>(chunk));
    if (in.gcount() <= 0) throw Error(file.path, "read failed at offset " + std::to_string(done));
    done += static_cast<std::size_t>(in.gcount());
    if (options.progress) {
      options.progress({.evidence = evidence(),
                        .step = file.path,
                        .volume = {},
                        .hive = file.path,
                        .bytes_done = done,
                        .bytes_total = bytes.size()});
    }
  }
  origin.path = file.path;
  origin.size = size;
  record_times(path, origin);
  return bytes;
}

}  // namespace regpersist::image
