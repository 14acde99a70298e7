// libFuzzer harness: transaction-log parsing and replay. The input is one transaction log, replayed into a
// small dirty hive (sequence 3/2); the replayed hive is then parsed and scanned for deleted data, so any
// inconsistency the replay leaves behind is exercised too.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hive_builder.h"
#include "regpersist/base_block.h"
#include "regpersist/recover.h"
#include "regpersist/txlog.h"

namespace {
const std::vector<std::uint8_t>& dirty_hive() {
  static const std::vector<std::uint8_t> hive = [] {
    regpersist::testsupport::HiveBuilder builder;
    builder.sz("Software\\Run", "Updater", "C:\\a.exe").sequences(3, 2);
    return builder.build();
  }();
  return hive;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> hive = dirty_hive();
  regpersist::LogSource log;
  log.name = "fuzz.LOG1";
  log.label = "fuzz.LOG1";
  log.bytes.assign(data, data + size);
  regpersist::Diagnostics diagnostics;
  const auto result = regpersist::replay_transaction_logs(hive, {log, log}, "fuzz", diagnostics);
  if (result.replayed() && regpersist::parse_base_block(hive, "fuzz").dirty()) __builtin_trap();
  regpersist::recover_deleted(hive, "fuzz", diagnostics);
  return 0;
}
