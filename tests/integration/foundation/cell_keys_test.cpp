// The two backings of Key read alike on every hive of the shared corpus: walk_keys (keys read from their
// cells) gives, for every key, the same name, last-write time, class name, subkey and value counts and
// values as libregf's keys reached from Hive::root(). Printed differences name the hive and the key.
#include <gtest/gtest.h>

#include <map>
#include <unordered_set>

#include "regpersist/hive.h"
#include "testdata.h"

namespace regpersist {

namespace {

struct KeyFacts {
  std::uint64_t last_written = 0;
  std::string class_name;
  int subkeys = 0;
  std::vector<std::tuple<std::string, std::uint32_t, std::string>> values;  // name, type, text
  bool operator==(const KeyFacts&) const = default;
};
using Tree = std::map<std::pair<std::string, std::uint32_t>, KeyFacts>;  // by path and cell (names can collide)

KeyFacts facts(const Key& key) {
  KeyFacts facts{key.last_written(), key.class_name(), key.subkey_count(), {}};
  for (const Value& value : key.values()) facts.values.emplace_back(value.name, value.type, value.to_text());
  return facts;
}

Tree cell_tree(const Hive& hive) {
  Tree tree;
  walk_keys(hive,
            [&](const Key& key, const std::string& path) { tree.emplace(std::pair(path, key.offset()), facts(key)); });
  return tree;
}

// Depth-first through libregf's keys; each cell once (walk_keys places a misparented key under its own
// parent, so such hives are compared on the keys both reach under the same path).
Tree libregf_tree(const Hive& hive) {
  Tree tree;
  std::unordered_set<std::uint32_t> seen;
  std::vector<std::pair<Key, std::string>> stack;
  stack.emplace_back(hive.root(), "");
  while (!stack.empty()) {
    auto [key, path] = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(key.offset()).second) continue;
    tree.emplace(std::pair(path, key.offset()), facts(key));
    for (auto& child : key.subkeys())
      stack.emplace_back(child, path.empty() ? child.name() : path + "\\" + child.name());
  }
  return tree;
}

// The first value read differently, if any.
std::string value_difference(const KeyFacts& ours, const KeyFacts& theirs) {
  for (std::size_t i = 0; i < std::min(ours.values.size(), theirs.values.size()); ++i) {
    const auto& [name, type, text] = ours.values[i];
    const auto& [their_name, their_type, their_text] = theirs.values[i];
    if (ours.values[i] != theirs.values[i])
      return "; value \"" + name + "\" type " + std::to_string(type) + " \"" + text.substr(0, 80) + "\" vs \"" +
             their_name + "\" type " + std::to_string(their_type) + " \"" + their_text.substr(0, 80) + "\"";
  }
  return {};
}

std::string differences(const Tree& cells, const Tree& libregf) {
  std::string text;
  int shown = 0;
  for (const auto& [where, ours] : cells) {
    const auto theirs = libregf.find(where);
    const std::string& path = where.first;
    if (theirs == libregf.end() || theirs->second == ours) continue;
    if (++shown > 5) return text + "  ...\n";
    text += "  key \"" + path + "\": time " + std::to_string(ours.last_written) + " vs " +
            std::to_string(theirs->second.last_written) + ", subkeys " + std::to_string(ours.subkeys) + " vs " +
            std::to_string(theirs->second.subkeys) + ", values " + std::to_string(ours.values.size()) + " vs " +
            std::to_string(theirs->second.values.size()) + ", class \"" + ours.class_name + "\" vs \"" +
            theirs->second.class_name + "\"" + value_difference(ours, theirs->second) + "\n";
  }
  return text;
}

}  // namespace

TEST(CellKeys, ReadLikeLibregfOnEveryCorpusHive) {
  int compared = 0;
  for (const auto& row : testsupport::read_manifest()) {
    if (row.kind != "hive") continue;
    Diagnostics diagnostics;
    std::optional<Hive> hive;
    try {
      hive.emplace(Hive::open_file(testsupport::corpus_file(row.path), diagnostics));
    } catch (const Error&) {
      continue;  // bad input, covered by the bad-input tests
    }
    const Tree cells = cell_tree(*hive);
    const Tree libregf = libregf_tree(*hive);
    std::size_t common = 0;
    for (const auto& [where, facts] : cells) common += libregf.count(where);
    EXPECT_EQ(common, libregf.size()) << row.path << ": the walk misses keys libregf reads";
    EXPECT_EQ(differences(cells, libregf), "") << row.path;
    ++compared;
  }
  EXPECT_GT(compared, 50);
}

}  // namespace regpersist
