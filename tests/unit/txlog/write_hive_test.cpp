// write_hive: recovered keys and values written as a hive of their own read back through the Hive API
// unchanged — paths, times, every value type, data of any size, names outside Latin-1, parents created.
#include <gtest/gtest.h>

#include "hive_builder.h"
#include "regpersist/hive.h"
#include "regpersist/recover.h"

namespace regpersist {
namespace {

using testsupport::filetime;

Value value(std::string name, std::uint32_t type, std::vector<std::uint8_t> data) {
  return Value{std::move(name), type, std::move(data), false};
}

TEST(WriteHive, KeysAndValuesReadBackThroughTheHiveApi) {
  const std::vector<std::uint8_t> big(40000, 0x42);
  const std::vector<WrittenKey> keys = {
      {"Microsoft\\Windows\\CurrentVersion\\Run",
       filetime(2024, 2, 3),
       {value("Updater", testsupport::kRegSz, testsupport::utf16le("C:\\evil.exe")),
        value("", testsupport::kRegDword, {1, 0, 0, 0}), value("Big", testsupport::kRegBinary, big)}},
      {"Новый раздел\\Ключ", filetime(2017, 3, 4), {value("Значение", testsupport::kRegSz, {})}},
  };
  Diagnostics diagnostics;
  const Hive hive = Hive::open_bytes(write_hive(keys), "written", diagnostics);
  const auto run = hive.find("microsoft\\windows\\currentversion\\run");
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->last_written(), filetime(2024, 2, 3));
  EXPECT_EQ(run->value("Updater")->as_string(), "C:\\evil.exe");
  std::uint64_t number = 0;
  ASSERT_TRUE(run->value("")->as_number(number));
  EXPECT_EQ(number, 1u);
  EXPECT_EQ(run->value("Big")->data, big);
  EXPECT_EQ(hive.find("Microsoft")->last_written(), 0u);  // a parent created for the path
  const auto cyrillic = hive.find("Новый раздел\\Ключ");
  ASSERT_TRUE(cyrillic.has_value());
  EXPECT_EQ(cyrillic->name(), "Ключ");
  EXPECT_EQ(cyrillic->values().at(0).name, "Значение");
  EXPECT_TRUE(diagnostics.all().empty());
}

}  // namespace
}  // namespace regpersist
