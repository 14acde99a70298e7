// Names of the provenance of a finding or key: where its bytes came from.
#include "regpersist/finding.h"

namespace regpersist {

std::string provenance_name(Provenance provenance) {
  switch (provenance) {
    case Provenance::allocated:
      return "allocated";
    case Provenance::log:
      return "log";
    case Provenance::deleted:
      return "deleted";
  }
  return "allocated";
}

}  // namespace regpersist
