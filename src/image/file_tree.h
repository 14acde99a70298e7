// The seam between where files live and how Windows installations are found in them: a FileTree is
// one browsable file system — a folder on disk (folder_tree) or an NTFS volume inside a disk image read
// through The Sleuth Kit (tsk_tree). Discovery (windows_discovery, loose_hives) only sees this
// interface, so images and folders are searched by the same code. Also owns the helpers every tree
// user shares: case-insensitive child lookup and reading a hive together with its transaction logs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "regpersist/discovery.h"
#include "regpersist/error.h"
#include "regpersist/evidence.h"
#include "regpersist/value.h"

namespace regpersist::image {

struct TreeEntry {
  std::string name;  // file name as stored (UTF-8)
  std::string path;  // path inside the tree ("/Windows/System32/config/SYSTEM"); for folders the real path
  bool directory = false;
  std::uint64_t id = 0;  // file-system metadata address (TSK inode / MFT entry); 0 for folders
};

// Caps that keep a hostile or damaged file system from making discovery run away.
inline constexpr std::size_t kMaxDirectoryEntries = 200000;
inline constexpr int kMaxInstallationSearchDepth = 5;

class FileTree {
 public:
  explicit FileTree(std::string evidence) : evidence_(std::move(evidence)) {}
  virtual ~FileTree() = default;
  FileTree(const FileTree&) = delete;
  FileTree& operator=(const FileTree&) = delete;

  const std::string& evidence() const { return evidence_; }
  virtual TreeEntry root() const = 0;
  // The entries of a directory ("." and ".." and unallocated names left out). Throws Error.
  virtual std::vector<TreeEntry> list(const TreeEntry& directory) = 0;
  // The whole file in memory, with `origin` filled (path, volume, MFT entry, times, size; not the hash).
  // Throws Error naming the file when it cannot be read completely.
  virtual std::vector<std::uint8_t> read(const TreeEntry& file, HiveOrigin& origin,
                                         const DiscoveryOptions& options) = 0;
  // How messages name a file of this tree ("disk.E01:vol2:/Windows/System32/config/SYSTEM").
  virtual std::string label(const TreeEntry& entry) const = 0;
  // How messages name the tree itself ("disk.E01 volume 2 (offset 1048576)", or the folder).
  virtual std::string description() const = 0;

 private:
  std::string evidence_;
};

using regpersist::iequals;  // ASCII case-insensitive (regpersist/value.h)

// The entry of `entries` named `name` (case-insensitive), if any.
std::optional<TreeEntry> find_entry(const std::vector<TreeEntry>& entries, std::string_view name);

// Follows `components` from `start` case-insensitively; nothing when a step is missing or unreadable.
std::optional<TreeEntry> find_path(FileTree& tree, const TreeEntry& start, const std::vector<std::string>& components);

// Lists a directory, turning a listing failure into a diagnostic and an empty result.
std::vector<TreeEntry> list_or_report(FileTree& tree, const TreeEntry& directory, Diagnostics& diagnostics);

// Reads `file` as a hive and attaches its .LOG/.LOG1/.LOG2 siblings (any case) found in `siblings`.
// Unreadable files become error diagnostics, files without the regf signature (empty RegBack copies,
// placeholders) warnings, and nothing is returned for them.
std::optional<HiveSource> read_hive(FileTree& tree, const TreeEntry& file, const std::vector<TreeEntry>& siblings,
                                    Diagnostics& diagnostics, const DiscoveryOptions& options);

// A file-system time (seconds and nanoseconds since 1970) as FILETIME ticks; nothing for 0 (unset).
std::optional<std::uint64_t> unix_time_to_filetime(std::int64_t seconds, std::uint64_t nanoseconds);

// True when the bytes start like a regf file (primary hive or transaction log).
bool has_regf_signature(const std::vector<std::uint8_t>& bytes);

}  // namespace regpersist::image
