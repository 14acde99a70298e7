// Installation roots, machine hives, RegBack copies, Amcache and user profiles of one FileTree.
#include "image/windows_discovery.h"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <utility>

#include "regpersist/hive.h"

namespace regpersist::image {
namespace {

// A hostile tree cannot make the root search list more folders than this.
constexpr std::size_t kMaxFoldersSearched = 5000;

const std::vector<std::string> kConfigPath = {"Windows", "System32", "config"};
const std::vector<std::string> kAmcachePath = {"Windows", "AppCompat", "Programs"};
// UsrClass.dat since Vista, and under Windows XP.
const std::vector<std::vector<std::string>> kUsrClassPaths = {
    {"AppData", "Local", "Microsoft", "Windows"}, {"Local Settings", "Application Data", "Microsoft", "Windows"}};
constexpr std::string_view kProfileListKey = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return text;
}

bool ends_with_log_suffix(const std::string& name) {
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  const std::string_view suffix = std::string_view(name).substr(dot);
  return iequals(suffix, ".LOG") || iequals(suffix, ".LOG1") || iequals(suffix, ".LOG2");
}

std::optional<TreeEntry> find_directory(const std::vector<TreeEntry>& entries, std::string_view name) {
  auto entry = find_entry(entries, name);
  if (entry && !entry->directory) return std::nullopt;
  return entry;
}

std::optional<TreeEntry> find_file(const std::vector<TreeEntry>& entries, std::string_view name) {
  auto entry = find_entry(entries, name);
  if (entry && entry->directory) return std::nullopt;
  return entry;
}

bool holds_user_profile(FileTree& tree, const TreeEntry& users) {
  std::vector<TreeEntry> profiles;
  try {
    profiles = tree.list(users);
  } catch (const Error&) {
    return false;
  }
  return std::any_of(profiles.begin(), profiles.end(), [&](const TreeEntry& profile) {
    return profile.directory && find_path(tree, profile, {"NTUSER.DAT"}).has_value();
  });
}

bool is_installation_root(FileTree& tree, const std::vector<TreeEntry>& entries) {
  if (const auto windows = find_directory(entries, "Windows")) {
    if (const auto config = find_path(tree, *windows, {"System32", "config"}); config && config->directory) return true;
  }
  const auto users = find_directory(entries, "Users");
  return users && holds_user_profile(tree, *users);
}

// The hive named `name` in a listed folder, with its logs from the same listing.
std::optional<HiveSource> read_named_hive(FileTree& tree, const std::vector<TreeEntry>& entries, std::string_view name,
                                          Diagnostics& diagnostics, const DiscoveryOptions& options) {
  const auto file = find_file(entries, name);
  if (!file) return std::nullopt;
  return read_hive(tree, *file, entries, diagnostics, options);
}

void read_regback(FileTree& tree, const TreeEntry& regback, Installation& installation, Diagnostics& diagnostics,
                  const DiscoveryOptions& options) {
  const auto entries = list_or_report(tree, regback, diagnostics);
  for (const auto& entry : entries) {
    if (entry.directory || ends_with_log_suffix(entry.name)) continue;
    if (auto hive = read_hive(tree, entry, entries, diagnostics, options))
      installation.regback.push_back(std::move(*hive));
  }
}

void read_machine_hives(FileTree& tree, const TreeEntry& root, Installation& installation, Diagnostics& diagnostics,
                        const DiscoveryOptions& options) {
  if (const auto config = find_path(tree, root, kConfigPath); config && config->directory) {
    const auto entries = list_or_report(tree, *config, diagnostics);
    const std::array<std::pair<std::string_view, std::optional<HiveSource>*>, 5> slots = {{
        {"SYSTEM", &installation.system},
        {"SOFTWARE", &installation.software},
        {"SAM", &installation.sam},
        {"SECURITY", &installation.security},
        {"DEFAULT", &installation.default_user},
    }};
    for (const auto& [name, slot] : slots) *slot = read_named_hive(tree, entries, name, diagnostics, options);
    if (const auto regback = find_directory(entries, "RegBack"))
      read_regback(tree, *regback, installation, diagnostics, options);
  }
  if (const auto programs = find_path(tree, root, kAmcachePath); programs && programs->directory) {
    installation.amcache =
        read_named_hive(tree, list_or_report(tree, *programs, diagnostics), "Amcache.hve", diagnostics, options);
  }
}

struct ProfileListEntry {
  std::string sid;
  std::string profile_image_path;
};

std::vector<ProfileListEntry> read_profile_list(const HiveSource& software, Diagnostics& diagnostics) {
  std::vector<ProfileListEntry> profiles;
  try {
    Diagnostics ignored;  // the hive's own problems are reported when it is scanned
    const Hive hive = Hive::open_bytes(software.bytes, software.label, ignored);
    const auto list = hive.find(kProfileListKey);
    if (!list) return profiles;
    for (const auto& key : list->subkeys()) {
      const auto path = key.value("ProfileImagePath");
      if (path) profiles.push_back({key.name(), path->as_string()});
    }
  } catch (const Error& error) {
    diagnostics.warn(software.label, "cannot read ProfileList, users found by folder only: " + error.message());
  }
  return profiles;
}

struct ProfileFolder {
  TreeEntry folder;
  std::string profile_path;
  std::string sid;
};

std::optional<HiveSource> read_usrclass(FileTree& tree, const TreeEntry& profile, Diagnostics& diagnostics,
                                        const DiscoveryOptions& options) {
  for (const auto& components : kUsrClassPaths) {
    const auto folder = find_path(tree, profile, components);
    if (!folder || !folder->directory) continue;
    if (auto hive =
            read_named_hive(tree, list_or_report(tree, *folder, diagnostics), "UsrClass.dat", diagnostics, options)) {
      return hive;
    }
  }
  return std::nullopt;
}

std::optional<UserHives> read_user(FileTree& tree, const ProfileFolder& profile, Diagnostics& diagnostics,
                                   const DiscoveryOptions& options) {
  UserHives user;
  user.profile_path = profile.profile_path;
  user.user = profile.folder.name;
  user.sid = profile.sid;
  user.ntuser =
      read_named_hive(tree, list_or_report(tree, profile.folder, diagnostics), "NTUSER.DAT", diagnostics, options);
  user.usrclass = read_usrclass(tree, profile.folder, diagnostics, options);
  if (!user.ntuser && !user.usrclass) return std::nullopt;
  return user;
}

// ProfileList folders first (they carry the SID), then Users\* folders not named there.
std::vector<ProfileFolder> find_profile_folders(FileTree& tree, const TreeEntry& root, const Installation& installation,
                                                Diagnostics& diagnostics) {
  std::vector<ProfileFolder> folders;
  std::map<std::string, bool> seen;  // lowercase tree path
  if (installation.software) {
    for (const auto& entry : read_profile_list(*installation.software, diagnostics)) {
      const auto components = profile_components(entry.profile_image_path);
      const auto folder = components ? find_path(tree, root, *components) : std::nullopt;
      if (!folder || !folder->directory) {
        diagnostics.info(tree.label(root),
                         "profile of " + entry.sid + " (" + entry.profile_image_path + ") is not in the evidence");
        continue;
      }
      if (seen.emplace(lowercase(folder->path), true).second)
        folders.push_back({*folder, entry.profile_image_path, entry.sid});
    }
  }
  if (const auto users = find_path(tree, root, {"Users"}); users && users->directory) {
    for (const auto& folder : list_or_report(tree, *users, diagnostics)) {
      if (folder.directory && seen.emplace(lowercase(folder.path), true).second) {
        folders.push_back({folder, folder.path, ""});
      }
    }
  }
  return folders;
}

}  // namespace

std::optional<std::vector<std::string>> profile_components(const std::string& profile_image_path) {
  std::vector<std::string> components;
  std::string current;
  for (const char c : profile_image_path + "\\") {
    if (c != '\\' && c != '/') {
      current += c;
    } else if (!current.empty()) {
      components.push_back(std::move(current));
      current.clear();
    }
  }
  if (components.empty()) return std::nullopt;
  const std::string& first = components.front();
  const bool drive = first.size() == 2 && first[1] == ':';
  if (drive || iequals(first, "%SystemDrive%")) {
    components.erase(components.begin());
  } else if (iequals(first, "%SystemRoot%") || iequals(first, "%windir%")) {
    components.front() = "Windows";
  } else {
    return std::nullopt;
  }
  const bool traversal =
      std::any_of(components.begin(), components.end(), [](const std::string& c) { return c == "." || c == ".."; });
  if (traversal || components.empty()) return std::nullopt;
  return components;
}

std::vector<TreeEntry> find_installation_roots(FileTree& tree, const TreeEntry& start, int max_depth) {
  std::vector<TreeEntry> roots;
  std::deque<std::pair<TreeEntry, int>> pending = {{start, 0}};
  std::size_t searched = 0;
  while (!pending.empty() && searched < kMaxFoldersSearched) {
    auto [folder, depth] = std::move(pending.front());
    pending.pop_front();
    ++searched;
    std::vector<TreeEntry> entries;
    try {
      entries = tree.list(folder);
    } catch (const Error&) {
      continue;
    }
    if (is_installation_root(tree, entries)) {
      roots.push_back(folder);
      continue;
    }
    if (depth >= max_depth) continue;
    for (auto& entry : entries) {
      if (entry.directory) pending.emplace_back(std::move(entry), depth + 1);
    }
  }
  return roots;
}

Installation discover_installation(FileTree& tree, const TreeEntry& root, Diagnostics& diagnostics,
                                   const DiscoveryOptions& options) {
  Installation installation;
  installation.evidence = tree.evidence();
  installation.root = tree.label(root);
  read_machine_hives(tree, root, installation, diagnostics, options);
  for (const auto& folder : find_profile_folders(tree, root, installation, diagnostics)) {
    if (auto user = read_user(tree, folder, diagnostics, options)) installation.users.push_back(std::move(*user));
  }
  return installation;
}

}  // namespace regpersist::image
