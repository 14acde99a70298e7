// write_windows_tree: the hives of one small Windows installation and two users, as files.
#include "windows_tree.h"

#include <fstream>

#include "hive_builder.h"

namespace regpersist::testsupport {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kBaseBlock = 4096;
constexpr std::size_t kFileTypeOffset = 0x1C;

HiveBuilder system_hive(const char* host) {
  HiveBuilder b("SYSTEM", filetime(2024, 3, 1, 12));
  b.dword("Select", "Current", 1).dword("Select", "Default", 1);
  b.sz("ControlSet001\\Control\\ComputerName\\ComputerName", "ComputerName", host);
  b.expand_sz("ControlSet001\\Services\\Updater", "ImagePath", "C:\\ProgramData\\upd.exe");
  return b;
}

HiveBuilder software_hive() {
  HiveBuilder b("SOFTWARE", filetime(2024, 3, 1, 12));
  b.key("Classes\\CLSID");
  const std::string profiles = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\";
  b.expand_sz(profiles + "S-1-5-18", "ProfileImagePath", "%systemroot%\\system32\\config\\systemprofile");
  b.expand_sz(profiles + kAliceSid, "ProfileImagePath", "C:\\Users\\alice");
  b.expand_sz(profiles + kBobSid, "ProfileImagePath", "%SystemDrive%\\Users\\Bob");
  b.sz("Microsoft\\Windows\\CurrentVersion\\Run", "Updater", "C:\\ProgramData\\upd.exe");
  return b;
}

HiveBuilder ntuser_hive(const std::string& root_name, const std::string& run_value) {
  HiveBuilder b(root_name, filetime(2024, 3, 2, 22));
  b.key("Control Panel\\Desktop").key("Environment");
  b.sz("Software\\Microsoft\\Windows\\CurrentVersion\\Run", "Helper", run_value);
  return b;
}

HiveBuilder usrclass_hive(const std::string& clsid) {
  HiveBuilder b("UsrClass", filetime(2024, 3, 2, 22));
  b.key("Local Settings");
  b.sz("CLSID\\" + clsid + "\\InprocServer32", "", "C:\\Users\\Public\\evil.dll");
  return b;
}

void write_bytes(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A transaction log as far as discovery cares: a base block saying "log" (file type 6) plus a page.
std::vector<std::uint8_t> log_bytes(const std::vector<std::uint8_t>& hive) {
  std::vector<std::uint8_t> log(hive.begin(), hive.begin() + static_cast<std::ptrdiff_t>(2 * kBaseBlock));
  log[kFileTypeOffset] = 6;
  return log;
}

class TreeWriter {
 public:
  explicit TreeWriter(fs::path root) { tree_.root = std::move(root); }

  std::vector<std::uint8_t> hive(const std::string& path, const HiveBuilder& builder) {
    auto bytes = builder.build();
    write_bytes(tree_.root / path, bytes);
    tree_.hives.push_back(path);
    return bytes;
  }
  void log(const std::string& path, const std::vector<std::uint8_t>& hive_bytes) {
    write_bytes(tree_.root / path, log_bytes(hive_bytes));
    tree_.logs.push_back(path);
  }
  void empty_file(const std::string& path) { write_bytes(tree_.root / path, {}); }
  void folder(const std::string& path) { fs::create_directories(tree_.root / path); }
  WindowsTree result() { return std::move(tree_); }

 private:
  WindowsTree tree_;
};

}  // namespace

WindowsTree write_windows_tree(const fs::path& root) {
  TreeWriter w(root);
  const std::string config = "Windows/System32/config/";
  const auto system = w.hive(config + "SYSTEM", system_hive("TESTHOST"));
  w.log(config + "SYSTEM.LOG1", system);
  w.log(config + "system.log2", system);
  w.hive(config + "SOFTWARE", software_hive());
  HiveBuilder sam("SAM");
  w.hive(config + "sam", sam.key("SAM\\Domains\\Account\\Users"));
  HiveBuilder security("SECURITY");
  w.hive(config + "SECURITY", security.key("Policy\\Secrets"));
  w.hive(config + "DEFAULT", ntuser_hive("DEFAULT", "C:\\default.exe"));
  w.hive(config + "RegBack/SYSTEM", system_hive("OLDNAME"));
  w.empty_file(config + "RegBack/SOFTWARE");
  HiveBuilder amcache("Amcache");
  w.hive("Windows/AppCompat/Programs/Amcache.hve", amcache.key("Root\\File"));
  const auto alice = w.hive("Users/alice/NTUSER.DAT", ntuser_hive("alice", "C:\\Users\\alice\\a.exe"));
  w.log("Users/alice/NTUSER.DAT.LOG1", alice);
  w.hive("Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat",
         usrclass_hive("{AAAA0000-0000-0000-0000-000000000001}"));
  w.hive("Users/Bob/ntuser.dat", ntuser_hive("Bob", "C:\\Users\\Bob\\b.exe"));
  w.hive("Users/Bob/AppData/Local/Microsoft/Windows/UsrClass.dat",
         usrclass_hive("{BBBB0000-0000-0000-0000-000000000002}"));
  w.folder("Users/Public");
  w.hive(std::string("Users/") + kHostileProfile + "/NTUSER.DAT", ntuser_hive("x", "C:\\x.exe"));
  return w.result();
}

}  // namespace regpersist::testsupport
