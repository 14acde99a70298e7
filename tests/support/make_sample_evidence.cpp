// Writes the quick start's sample evidence: a triage folder (Windows\System32\config + Users\alice)
// holding every catalog rule's Windows defaults and one planted persistence entry per category, at
// night (after hours). Usage: make_sample_evidence FOLDER
#include <iostream>

#include "support/catalog_planter.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_sample_evidence FOLDER\n";
    return 64;
  }
  regpersist::testsupport::PlantedHives hives;
  const auto planted = regpersist::testsupport::plant_realistic_installation(hives);
  regpersist::testsupport::write_triage_folder(hives, argv[1]);
  std::cerr << "sample evidence: " << planted.size() << " planted persistence entries in " << argv[1] << '\n';
  return 0;
}
