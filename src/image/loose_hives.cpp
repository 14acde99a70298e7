// Grouping loose hive files into installations by folder and content type.
#include "image/loose_hives.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "image/folder_tree.h"
#include "regpersist/hive.h"

namespace regpersist::image {
namespace fs = boost::filesystem;
namespace {

constexpr int kMaxHiveSearchDepth = 8;
constexpr std::size_t kMaxHiveFiles = 10000;
constexpr std::size_t kFileTypeOffset = 0x1C;  // base block: 0 = primary file, 1/2/6 = transaction log

bool is_transaction_log(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < kFileTypeOffset + 4) return false;
  std::uint32_t type = 0;
  std::memcpy(&type, bytes.data() + kFileTypeOffset, sizeof type);
  return type != 0;
}

HiveType content_type(const HiveSource& source, Diagnostics& diagnostics) {
  try {
    Diagnostics ignored;  // the hive's own problems are reported when it is scanned
    return Hive::open_bytes(source.bytes, source.label, ignored).type();
  } catch (const Error& error) {
    diagnostics.warn(source.label, "hive type unknown (" + error.message() + ")");
    return HiveType::other;
  }
}

// The installations built from one folder's files; a second hive of a type already placed opens
// another installation of the same folder.
class FolderGroup {
 public:
  FolderGroup(std::string evidence, std::string folder) : evidence_(std::move(evidence)), folder_(std::move(folder)) {}

  void add(HiveSource hive, HiveType type) {
    switch (type) {
      case HiveType::system:
        return place(std::move(hive), &Installation::system);
      case HiveType::software:
        return place(std::move(hive), &Installation::software);
      case HiveType::sam:
        return place(std::move(hive), &Installation::sam);
      case HiveType::security:
        return place(std::move(hive), &Installation::security);
      case HiveType::default_user:
        return place(std::move(hive), &Installation::default_user);
      case HiveType::amcache:
        return place(std::move(hive), &Installation::amcache);
      case HiveType::ntuser:
        return ntusers_.push_back(std::move(hive));
      case HiveType::usrclass:
        return usrclasses_.push_back(std::move(hive));
      default:
        return installation(0).other.push_back(std::move(hive));
    }
  }

  // Users: one per NTUSER.DAT; the folder's UsrClass.dat joins it when there is one of each.
  std::vector<Installation> finish() {
    const bool pair = ntusers_.size() == 1 && usrclasses_.size() == 1;
    for (auto& ntuser : ntusers_) installation(0).users.push_back(user(std::move(ntuser), std::nullopt));
    for (auto& usrclass : usrclasses_) {
      if (pair) {
        installation(0).users.front().usrclass = std::move(usrclass);
      } else {
        installation(0).users.push_back(user(std::nullopt, std::move(usrclass)));
      }
    }
    return std::move(installations_);
  }

 private:
  void place(HiveSource hive, std::optional<HiveSource> Installation::*slot) {
    std::size_t i = 0;
    while (i < installations_.size() && (installations_[i].*slot).has_value()) ++i;
    installation(i).*slot = std::move(hive);
  }

  Installation& installation(std::size_t index) {
    while (installations_.size() <= index) {
      installations_.push_back(Installation{});
      installations_.back().evidence = evidence_;
      installations_.back().root = folder_;
    }
    return installations_[index];
  }

  UserHives user(std::optional<HiveSource> ntuser, std::optional<HiveSource> usrclass) const {
    UserHives user;
    user.profile_path = folder_;
    user.user = fs::path(folder_).filename().string();
    user.ntuser = std::move(ntuser);
    user.usrclass = std::move(usrclass);
    return user;
  }

  std::string evidence_;
  std::string folder_;
  std::vector<Installation> installations_;
  std::vector<HiveSource> ntusers_, usrclasses_;
};

std::string parent_folder(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

bool file_has_regf_signature(const std::string& path) {
  std::array<char, 4> signature{};
  std::ifstream in(path, std::ios::binary);
  return in.read(signature.data(), signature.size()) && std::memcmp(signature.data(), "regf", 4) == 0;
}

std::vector<std::string> find_hive_files(const std::string& folder, Diagnostics& diagnostics) {
  std::vector<std::string> files;
  boost::system::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) diagnostics.error(folder, "cannot list folder: " + ec.message());
  for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
    if (it.depth() >= kMaxHiveSearchDepth) it.disable_recursion_pending();
    if (fs::is_regular_file(it->symlink_status()) && file_has_regf_signature(it->path().string())) {
      files.push_back(it->path().string());
      if (files.size() >= kMaxHiveFiles) {
        diagnostics.warn(folder, "stopped after " + std::to_string(kMaxHiveFiles) + " hive files");
        break;
      }
    }
  }
  if (ec) diagnostics.error(folder, "cannot list folder: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Installation> group_loose_hives(const std::vector<LooseFile>& files, Diagnostics& diagnostics,
                                            const DiscoveryOptions& options) {
  std::vector<std::string> folder_order;
  std::map<std::string, FolderGroup> groups;
  std::map<std::string, std::vector<TreeEntry>> listings;
  std::set<std::string> attached_logs, given_logs, seen;
  for (const auto& file : files) {
    if (!seen.insert(file.path).second) continue;
    const std::string folder = parent_folder(file.path);
    FolderTree tree(file.evidence, folder);
    if (!listings.count(folder)) listings[folder] = list_or_report(tree, tree.root(), diagnostics);
    auto hive = read_hive(tree, FolderTree::entry_for(file.path), listings[folder], diagnostics, options);
    if (!hive) continue;
    if (is_transaction_log(hive->bytes)) {
      given_logs.insert(file.path);
      continue;
    }
    for (const auto& log : hive->logs) attached_logs.insert(log.origin.path);
    const HiveType type = content_type(*hive, diagnostics);
    if (!groups.count(folder)) {
      folder_order.push_back(folder);
      groups.emplace(folder, FolderGroup(file.evidence, folder));
    }
    groups.at(folder).add(std::move(*hive), type);
  }
  for (const auto& log : given_logs) {
    if (!attached_logs.count(log)) diagnostics.warn(log, "transaction log given without its primary hive (not used)");
  }
  std::vector<Installation> installations;
  for (const auto& folder : folder_order) {
    for (auto& installation : groups.at(folder).finish()) installations.push_back(std::move(installation));
  }
  return installations;
}

}  // namespace regpersist::image
