// Helpers of the txlog integration tests (see replay_support.h).
#include "integration/txlog/replay_support.h"

#include <fstream>
#include <iterator>

#include "testdata.h"

namespace regpersist::testsupport {

Replayed replay_corpus_hive(const std::string& manifest_path) {
  const auto file = corpus_file(manifest_path);
  Replayed replayed;
  std::ifstream in(file, std::ios::binary);
  replayed.primary.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  replayed.hive = replayed.primary;
  const auto logs = find_logs_beside(file, replayed.diagnostics);
  replayed.result = replay_transaction_logs(replayed.hive, logs, file.string(), replayed.diagnostics);
  return replayed;
}

bool has_diagnostic(const Diagnostics& diagnostics, const std::string& file_suffix, const std::string& text) {
  for (const Diagnostic& d : diagnostics.all())
    if (d.file.ends_with(file_suffix) && d.message.find(text) != std::string::npos) return true;
  return false;
}

HiveSnapshot snapshot(const Hive& hive) {
  HiveSnapshot keys;
  walk_keys(hive, [&](const Key& key, const std::string& path) {
    KeySnapshot& entry = keys[path];
    entry.last_written = key.last_written();
    for (Value& value : key.values()) entry.values[value.name] = {value.type, std::move(value.data)};
  });
  return keys;
}

}  // namespace regpersist::testsupport
