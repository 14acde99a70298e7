// discover_evidence: decides what each piece of evidence is (folder, loose hive, disk image) and
// hands it to the matching discovery.
#include "regpersist/discovery.h"

#include "image/disk_image.h"
#include "image/folder_tree.h"
#include "image/loose_hives.h"
#include "image/windows_discovery.h"

namespace regpersist {
namespace {
namespace fs = boost::filesystem;
using image::FileTree;

// Installation roots on an NTFS volume: its root, or a folder one level down (a copied system).
constexpr int kVolumeSearchDepth = 1;
// One sector: a smaller file holds neither a partition table nor a boot sector.
constexpr std::uintmax_t kSmallestImage = 512;

bool holds_any_hive(const Installation& i) {
  return i.system || i.software || i.sam || i.security || i.default_user || i.amcache || !i.regback.empty() ||
         !i.users.empty() || !i.other.empty();
}

// Adds the installations found in `tree`; returns how many installation roots were seen (a root
// without any hive is reported, not returned).
std::size_t discover_in_tree(FileTree& tree, int max_depth, std::vector<Installation>& found, Diagnostics& diagnostics,
                             const DiscoveryOptions& options) {
  const auto roots = image::find_installation_roots(tree, tree.root(), max_depth);
  for (const auto& root : roots) {
    auto installation = image::discover_installation(tree, root, diagnostics, options);
    if (holds_any_hive(installation)) {
      found.push_back(std::move(installation));
    } else {
      diagnostics.warn(tree.label(root), "Windows folders found but no registry hive in them");
    }
  }
  return roots.size();
}

void discover_folder(const std::string& path, std::vector<Installation>& found, Diagnostics& diagnostics,
                     const DiscoveryOptions& options) {
  image::FolderTree tree(path, path);
  if (discover_in_tree(tree, image::kMaxInstallationSearchDepth, found, diagnostics, options) > 0) return;
  std::vector<image::LooseFile> files;
  for (auto& file : image::find_hive_files(path, diagnostics)) files.push_back({path, std::move(file)});
  if (files.empty()) diagnostics.error(path, "no Windows installation, user profile or hive file found in this folder");
  for (auto& installation : image::group_loose_hives(files, diagnostics, options))
    found.push_back(std::move(installation));
}

void discover_image(const std::string& path, std::vector<Installation>& found, Diagnostics& diagnostics,
                    const DiscoveryOptions& options) {
  image::ImageHandle disk;
  try {
    disk = image::open_disk_image(path);
  } catch (const Error& error) {
    diagnostics.error(error.file(), error.message());
    return;
  }
  image::for_each_ntfs_volume(path, disk, diagnostics, options, [&](FileTree& tree) {
    if (discover_in_tree(tree, kVolumeSearchDepth, found, diagnostics, options) == 0)
      diagnostics.info(tree.description(), "NTFS volume without a Windows installation or user profiles");
  });
}

}  // namespace

std::vector<Installation> discover_evidence(const std::string& evidence_path, Diagnostics& diagnostics,
                                            const DiscoveryOptions& options) {
  return discover_evidence(std::vector<std::string>{evidence_path}, diagnostics, options);
}

std::vector<Installation> discover_evidence(const std::vector<std::string>& evidence_paths, Diagnostics& diagnostics,
                                            const DiscoveryOptions& options) {
  std::vector<Installation> found;
  std::vector<image::LooseFile> loose;
  for (const auto& path : evidence_paths) {
    boost::system::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      diagnostics.error(path, "no such file or folder");
    } else if (fs::is_directory(status)) {
      discover_folder(path, found, diagnostics, options);
    } else if (image::file_has_regf_signature(path)) {
      loose.push_back({path, path});
    } else if (const auto size = fs::file_size(path, ec); !ec && size < kSmallestImage) {
      diagnostics.error(path, size == 0 ? "empty file: neither a registry hive nor a disk image"
                                        : "not a registry hive (no regf signature), and " + std::to_string(size) +
                                              " bytes are too few for a disk image");
    } else {
      discover_image(path, found, diagnostics, options);
    }
  }
  for (auto& installation : image::group_loose_hives(loose, diagnostics, options))
    found.push_back(std::move(installation));
  return found;
}

std::vector<InstalledHive> installation_hives(const Installation& installation) {
  std::vector<InstalledHive> hives;
  const auto add = [&](const char* role, const std::optional<HiveSource>& hive, const UserHives* user) {
    if (hive) hives.push_back({role, user, &*hive});
  };
  add("SYSTEM", installation.system, nullptr);
  add("SOFTWARE", installation.software, nullptr);
  add("SAM", installation.sam, nullptr);
  add("SECURITY", installation.security, nullptr);
  add("DEFAULT", installation.default_user, nullptr);
  add("AMCACHE", installation.amcache, nullptr);
  for (const auto& hive : installation.regback) hives.push_back({"RegBack", nullptr, &hive});
  for (const auto& user : installation.users) {
    add("NTUSER", user.ntuser, &user);
    add("USRCLASS", user.usrclass, &user);
  }
  for (const auto& hive : installation.other) hives.push_back({"OTHER", nullptr, &hive});
  return hives;
}

}  // namespace regpersist
