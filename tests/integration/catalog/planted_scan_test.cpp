// A realistic installation laid out as a triage folder (Windows\System32\config + Users\alice): every
// rule's Windows defaults, plus one planted persistence entry per catalog category at its own time.
// `regpersist scan FOLDER --format jsonl` must report every planted entry with its technique, key
// last-write time and user, and flag nothing else.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "regpersist/value.h"
#include "support/catalog_planter.h"
#include "support/testdata.h"

namespace regpersist {
namespace {

using nlohmann::json;
using testsupport::PlantedHives;

std::vector<json> scan_folder(const std::filesystem::path& root) {
  const auto result = testsupport::run_command(
      {testsupport::regpersist_binary().string(), "scan", root.string(), "--format", "jsonl", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> events;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) events.push_back(json::parse(line));
  return events;
}

class PlantedInstallation : public ::testing::Test {
 protected:
  void SetUp() override {
    planted_ = testsupport::plant_realistic_installation(hives_);
    // One folder per test: ctest runs the tests of this fixture in parallel processes.
    const auto root = testsupport::scratch_dir(std::string("catalog_planted_installation_") +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    testsupport::write_triage_folder(hives_, root);
    events_ = scan_folder(root);
  }
  PlantedHives hives_;
  std::vector<testsupport::PlantedRule> planted_;
  std::vector<json> events_;
};

TEST_F(PlantedInstallation, FindsEveryPlantedEntryWithItsTechniqueAndTime) {
  EXPECT_GE(planted_.size(), 21u);
  for (const auto& [rule, entry] : planted_) {
    const auto found = std::find_if(events_.begin(), events_.end(), [&](const json& event) {
      return event["rule_id"] == rule->id &&
             to_lower_ascii(event["key_path"].get<std::string>()).ends_with(to_lower_ascii(entry.key_path)) &&
             event["value_name"] == entry.value_name && event["timestamp_desc"] == "Content Modification Time";
    });
    ASSERT_NE(found, events_.end()) << rule->id << " " << entry.key_path;
    EXPECT_EQ((*found)["technique"], rule->techniques.front()) << rule->id;
    EXPECT_EQ((*found)["timestamp"].get<std::int64_t>(),
              static_cast<std::int64_t>((entry.time - 116444736000000000ULL) / 10))
        << rule->id;
    EXPECT_TRUE((*found)["suspicious"].get<bool>()) << rule->id;
    EXPECT_TRUE((*found)["after_hours"].get<bool>()) << rule->id;
    if (rule->hive == HiveType::ntuser || rule->hive == HiveType::usrclass) {
      EXPECT_EQ((*found)["user"], "alice") << rule->id;
    }
  }
}

TEST_F(PlantedInstallation, FlagsNoWindowsDefault) {
  std::set<std::string> planted_keys;
  for (const auto& [rule, entry] : planted_) planted_keys.insert(to_lower_ascii(entry.key_path));
  std::size_t defaults_reported = 0;
  for (const auto& event : events_) {
    const auto key = to_lower_ascii(event["key_path"].get<std::string>());
    const bool planted = std::any_of(planted_keys.begin(), planted_keys.end(), [&](const std::string& path) {
      return key.ends_with(path) || key.find(path + "\\") != std::string::npos;
    });
    if (planted) continue;
    ++defaults_reported;
    EXPECT_FALSE(event["suspicious"].get<bool>())
        << event["rule_id"] << " " << event["key_path"] << " " << event["value_name"] << " = " << event["data"] << " "
        << event["reasons"];
  }
  EXPECT_GT(defaults_reported, 50u);
}

}  // namespace
}  // namespace regpersist
