// libFuzzer harness: the deleted-cell scanner (cell map, live-tree walk, nk/vk validation, value data and
// parent-path resolution) on arbitrary hive bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "regpersist/recover.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  regpersist::Diagnostics diagnostics;
  regpersist::recover_deleted(std::span<const std::uint8_t>(data, size), "fuzz", diagnostics);
  return 0;
}
