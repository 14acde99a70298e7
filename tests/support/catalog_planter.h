// Test support for the catalog: builds the hives of one Windows installation with HiveBuilder and
// plants, for any rule of the catalog, either a positive (suspicious) entry at the rule's own key path
// or the rule's Windows default entries, derived from the rule data itself — so every rule of
// rules/persistence.yaml gets a positive and a default test without a hand-written case.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "regpersist/catalog.h"
#include "regpersist/evidence.h"
#include "regpersist/scan.h"
#include "support/hive_builder.h"

namespace regpersist::testsupport {

inline constexpr const char* kPlantedClsid = "{11111111-2222-3333-4444-555555555555}";
inline constexpr const char* kOtherClsid = "{99999999-8888-7777-6666-555555555555}";
inline constexpr const char* kUserWritableImage = "C:\\Users\\Public\\evil.exe";

// When Windows was set up: the last-write time of every default key (a Tuesday morning, in office hours;
// planted entries come later, at night).
inline const std::uint64_t kInstalledAt = filetime(2023, 3, 14, 10, 12);

// The five hives of one installation under construction (SYSTEM has Select\Current = 1).
struct PlantedHives {
  HiveBuilder system{"SYSTEM", kInstalledAt};
  HiveBuilder software{"SOFTWARE", kInstalledAt};
  HiveBuilder ntuser{"NTUSER", kInstalledAt};
  HiveBuilder usrclass{"UsrClass", kInstalledAt};
  HiveBuilder sam{"SAM", kInstalledAt};
  PlantedHives();
  HiveBuilder& hive(HiveType type);
  // An installation of these hives (user "alice", SID S-1-5-21-1-2-3-1001, profile C:\Users\alice).
  Installation installation() const;
};

// Where the planter put an entry.
struct PlantedEntry {
  std::string key_path;    // below the hive root
  std::string value_name;  // "" for key-level rules and the default value
  std::uint64_t time = 0;  // last-write time given to the key
};

// Plants an entry of `rule` that a scan must report as suspicious (or, for presence-only rules, report).
PlantedEntry plant_positive(const Rule& rule, PlantedHives& hives, std::uint64_t time);
// How a clean Windows installation holds a rule's location, as plant_defaults planted it.
enum class DefaultShape {
  unknown,  // the planter cannot express it
  absent,   // no entry the rule reads (catalog default "absent"): a scan reports nothing
  entries,  // the Windows-default entries: a scan flags none of them
};

// Plants the Windows default of `rule`: its YAML `default` entries (list values get every element at
// once), for `absent` the rule's key (or, for key-level rules, its parent) without entries, and for the
// rules whose YAML states no default the clean-installation form the research catalog describes
// (Microsoft tasks and services, system COM servers, built-in ports and firewall rules …).
DefaultShape plant_defaults(const Rule& rule, PlantedHives& hives);
// True when the rule reports any planted entry without a reason (no default, no heuristic applies).
bool presence_only(const Rule& rule);

// A catalog holding only `rule` (with the built-in technique and category names).
Catalog single_rule_catalog(const Rule& rule);
ScanResult scan_planted(const PlantedHives& hives, const Catalog& catalog);

// One rule planted by plant_realistic_installation.
struct PlantedRule {
  const Rule* rule;
  PlantedEntry entry;
};

// Every rule's Windows defaults, alice's ProfileList entry, and one planted positive entry per
// catalog category, each a minute after the previous from 2024-06-01 23:00 UTC (after hours).
std::vector<PlantedRule> plant_realistic_installation(PlantedHives& hives);

// Writes the hives as a triage folder: Windows/System32/config/{SYSTEM,SOFTWARE,SAM} and
// Users/alice/{NTUSER.DAT, AppData/Local/Microsoft/Windows/UsrClass.dat}.
void write_triage_folder(const PlantedHives& hives, const std::filesystem::path& root);

// Actions blob (version 3, context "Author") with one Exec action.
std::vector<std::uint8_t> exec_actions_blob(const std::string& command, const std::string& arguments);

}  // namespace regpersist::testsupport
