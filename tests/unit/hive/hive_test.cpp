// The hive layer on hives the tests build: every value type, names as valid UTF-8, hive type from
// content, control sets, bounded walks and the repaired-header path for a bad checksum.
#include "regpersist/hive.h"

#include <gtest/gtest.h>

#include <map>

#include "hive_builder.h"
#include "regpersist/sha256.h"

namespace regpersist {

using testsupport::filetime;
using testsupport::HiveBuilder;

namespace {

Hive open(const HiveBuilder& builder, Diagnostics& diagnostics, const std::string& label = "built") {
  return Hive::open_bytes(builder.build(), label, diagnostics);
}

std::map<std::string, Value> values_by_name(const Key& key) {
  std::map<std::string, Value> byname;
  for (auto& v : key.values()) byname[v.name] = v;
  return byname;
}

}  // namespace

TEST(Hive, ReadsEveryValueType) {
  HiveBuilder b;
  const std::string k = "Types";
  b.sz(k, "sz", "C:\\Windows\\x.exe")
      .expand_sz(k, "expand", "%SystemRoot%\\y.dll")
      .multi_sz(k, "multi", {"one", "two"})
      .dword(k, "dword", 0xDEADBEEF)
      .dword_be(k, "dword_be", 0x01020304)
      .qword(k, "qword", 0x1122334455667788ULL)
      .binary(k, "binary", {1, 2, 3, 4, 5})
      .value(k, "none", testsupport::kRegNone, {})
      .value(k, "link", testsupport::kRegLink, testsupport::utf16le("\\Registry\\Machine\\X", false))
      .value(k, "resources", testsupport::kRegResourceList, {1, 0, 0, 0, 9})
      .value(k, "unknown", 0x12345, {0xAA, 0xBB})
      .value(k, "", testsupport::kRegSz, testsupport::utf16le("default"))
      .binary(k, "big", std::vector<std::uint8_t>(20000, 0x5A));
  Diagnostics diagnostics;
  const Hive hive = open(b, diagnostics);
  const auto values = values_by_name(*hive.find(k));
  ASSERT_EQ(values.size(), 13u);
  EXPECT_EQ(values.at("sz").to_text(), "C:\\Windows\\x.exe");
  EXPECT_EQ(values.at("expand").type, 2u);
  EXPECT_EQ(values.at("expand").to_text(), "%SystemRoot%\\y.dll");
  EXPECT_EQ(values.at("multi").strings(), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(values.at("dword").to_text(), std::to_string(0xDEADBEEFu));
  EXPECT_EQ(values.at("dword_be").to_text(), std::to_string(0x01020304u));
  EXPECT_EQ(values.at("qword").to_text(), std::to_string(0x1122334455667788ULL));
  EXPECT_EQ(values.at("binary").to_text(), "0102030405");
  EXPECT_TRUE(values.at("none").data.empty());
  EXPECT_EQ(values.at("link").to_text(), "\\Registry\\Machine\\X");
  EXPECT_EQ(values.at("resources").type, 8u);
  EXPECT_EQ(values.at("unknown").type, 0x12345u);
  EXPECT_EQ(values.at("unknown").to_text(), "aabb");
  EXPECT_EQ(values.at("").to_text(), "default");
  EXPECT_EQ(values.at("big").data, std::vector<std::uint8_t>(20000, 0x5A));  // big-data (db) storage
  EXPECT_TRUE(diagnostics.all().empty());
}

TEST(Hive, KeyTimesNamesAndClassNames) {
  HiveBuilder b("CMI-CreateHive{TEST}");
  b.key("Software\\Ünïcode", filetime(2023, 3, 4, 5, 6, 7)).key("Software\\漢字", filetime(2022, 1, 1));
  b.class_name("Software", u"MyClass");
  Diagnostics diagnostics;
  const Hive hive = open(b, diagnostics);
  EXPECT_EQ(hive.root().name(), "CMI-CreateHive{TEST}");
  const Key software = *hive.find("SOFTWARE");  // case-insensitive lookup
  EXPECT_EQ(software.class_name(), "MyClass");
  std::map<std::string, std::uint64_t> times;
  for (const auto& key : software.subkeys()) times[key.name()] = key.last_written();
  EXPECT_EQ(times.at("Ünïcode"), filetime(2023, 3, 4, 5, 6, 7));
  EXPECT_EQ(times.at("漢字"), filetime(2022, 1, 1));
}

// libregf 20201007 refuses a key whose name holds an unpaired surrogate; such a key is read from its cell,
// named with U+FFFD for the surrogate, with its time, values and subkeys, and the walk reaches it too.
TEST(Hive, KeyLibregfRefusesIsReadFromItsCell) {
  const std::string refused = "Software\\\xED\xA0\x80x";  // the builder's WTF-8 path of the raw name
  HiveBuilder b;
  b.key("Software\\Good", filetime(2023, 1, 1));
  b.key_raw_name("Software", {0x00, 0xD8, 'x', 0}, filetime(2021, 1, 1));  // unpaired high surrogate + "x"
  b.sz(refused, "Run", "evil.exe").dword(refused, "Start", 2).key(refused + "\\Child", filetime(2022, 2, 2));
  b.class_name(refused, u"Cls");
  Diagnostics diagnostics;
  const Hive hive = open(b, diagnostics);
  const auto subkeys = hive.find("Software")->subkeys();
  ASSERT_EQ(subkeys.size(), 2u);
  EXPECT_EQ(subkeys[0].name(), "Good");
  const Key& key = subkeys[1];
  EXPECT_EQ(key.name(), "\xEF\xBF\xBDx");
  EXPECT_EQ(key.last_written(), filetime(2021, 1, 1));
  EXPECT_EQ(key.class_name(), "Cls");
  const auto values = values_by_name(key);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values.at("Run").to_text(), "evil.exe");
  EXPECT_EQ(values.at("Start").to_text(), "2");
  ASSERT_EQ(key.subkeys().size(), 1u);
  EXPECT_EQ(key.subkeys()[0].last_written(), filetime(2022, 2, 2));
  std::vector<std::string> paths;
  walk_keys(hive, [&](const Key&, const std::string& path) { paths.push_back(path); });
  EXPECT_EQ(paths, (std::vector<std::string>{"", "Software", "Software\\Good", "Software\\\xEF\xBF\xBDx",
                                             "Software\\\xEF\xBF\xBDx\\Child"}));
  EXPECT_TRUE(diagnostics.all().empty());
}

// The full-tree walk reads keys from their cells, Hive::find through libregf: both read every value type,
// class name and count alike.
TEST(Hive, WalkReadsKeysLikeFind) {
  HiveBuilder b;
  const std::string k = "Types";
  b.sz(k, "sz", "x").multi_sz(k, "multi", {"one", "two"}).dword(k, "dword", 7).qword(k, "qword", 1ULL << 40);
  b.binary(k, "big", std::vector<std::uint8_t>(20000, 0x5A)).binary(k, "short", {1, 2}).value(k, "none", 0, {});
  b.key(k + "\\Sub").class_name(k, u"TypesClass");
  Diagnostics diagnostics;
  const Hive hive = open(b, diagnostics);
  const Key found = *hive.find(k);
  bool walked = false;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    if (path != k) return;
    walked = true;
    EXPECT_EQ(key.class_name(), "TypesClass");
    EXPECT_EQ(key.subkey_count(), found.subkey_count());
    EXPECT_EQ(key.value_count(), found.value_count());
    const auto ours = values_by_name(key);
    for (const auto& [name, value] : values_by_name(found)) {
      EXPECT_EQ(ours.at(name).type, value.type) << name;
      EXPECT_EQ(ours.at(name).data, value.data) << name;
    }
  });
  EXPECT_TRUE(walked);
  EXPECT_TRUE(diagnostics.all().empty());
}

TEST(Hive, TypeComesFromContentNotName) {
  Diagnostics d;
  EXPECT_EQ(open(HiveBuilder().key("Select").key("ControlSet001"), d, "NTUSER.DAT").type(), HiveType::system);
  EXPECT_EQ(open(HiveBuilder().key("Microsoft").key("Classes"), d).type(), HiveType::software);
  EXPECT_EQ(open(HiveBuilder().key("Software").key("Control Panel"), d).type(), HiveType::ntuser);
  EXPECT_EQ(open(HiveBuilder().key("SAM\\Domains\\Account"), d).type(), HiveType::sam);
  EXPECT_EQ(open(HiveBuilder().key("Policy"), d).type(), HiveType::security);
  EXPECT_EQ(open(HiveBuilder().key("Local Settings").key("CLSID"), d).type(), HiveType::usrclass);
  EXPECT_EQ(open(HiveBuilder().key("Root\\InventoryApplicationFile"), d).type(), HiveType::amcache);
  EXPECT_EQ(open(HiveBuilder().key("Objects").key("Description"), d).type(), HiveType::bcd);
  EXPECT_EQ(open(HiveBuilder().key("Something"), d).type(), HiveType::other);
}

TEST(Hive, ControlSetsAndTheActiveOneAboveNine) {
  HiveBuilder b;
  b.key("ControlSet001").key("ControlSet002").key("ControlSet010").dword("Select", "Current", 10);
  Diagnostics d;
  const ControlSets sets = control_sets(open(b, d));
  EXPECT_EQ(sets.names, (std::vector<std::string>{"ControlSet001", "ControlSet002", "ControlSet010"}));
  ASSERT_TRUE(sets.current.has_value());
  EXPECT_EQ(*sets.current, "ControlSet010");
}

TEST(Hive, ControlSetThatDoesNotExistIsADiagnostic) {
  HiveBuilder b;
  b.key("ControlSet001").dword("Select", "Current", 3);
  Diagnostics d;
  const ControlSets sets = control_sets(open(b, d));
  EXPECT_FALSE(sets.current.has_value());
  ASSERT_EQ(d.all().size(), 1u);
  EXPECT_NE(d.all()[0].message.find("ControlSet003"), std::string::npos);
}

TEST(Hive, WalkVisitsEveryKeyOnceInOrder) {
  HiveBuilder b;
  for (int i = 0; i < 1500; ++i) b.key("Many\\k" + std::to_string(i));  // index root (ri) with lh leaves
  b.key("A\\B\\C");
  Diagnostics d;
  const Hive hive = open(b, d);
  std::vector<std::string> paths;
  walk_keys(hive, [&](const Key&, const std::string& path) { paths.push_back(path); });
  EXPECT_EQ(paths.size(), 1 + 1500 + 1 + 3u);
  EXPECT_EQ(paths[0], "");
  EXPECT_EQ(paths[1], "A");
  EXPECT_EQ(paths[2], "A\\B");
  EXPECT_EQ(paths[3], "A\\B\\C");
  EXPECT_TRUE(d.all().empty());
}

TEST(Hive, BadChecksumIsOpenedFromARepairedCopyWithADiagnostic) {
  HiveBuilder b;
  b.sz("Run", "x", "y").corrupt_checksum();
  const auto original = b.build();
  Diagnostics d;
  const Hive hive = Hive::open_bytes(original, "bad-checksum", d);
  EXPECT_TRUE(hive.header_repaired());
  EXPECT_TRUE(hive.find("Run").has_value());
  ASSERT_FALSE(d.all().empty());
  EXPECT_NE(d.all()[0].message.find("checksum"), std::string::npos);
  EXPECT_EQ(hive.sha256(), sha256_hex(original));  // the file as given, not the repaired copy
}

TEST(Hive, DirtyHiveIsReadAsItIsWithAWarning) {
  Diagnostics d;
  const Hive hive = open(HiveBuilder().sequences(5, 4).key("K"), d, "dirty");
  EXPECT_TRUE(hive.base_block().dirty());
  EXPECT_TRUE(hive.find("K").has_value());
  ASSERT_EQ(d.all().size(), 1u);
  EXPECT_EQ(d.all()[0].severity, Severity::warning);
  EXPECT_NE(d.all()[0].message.find("dirty"), std::string::npos);
}

}  // namespace regpersist
