// Structure checks on nk records and subkey lists (SPEC §Key node, §Subkeys list): our own code on
// the hive bytes, because libregf reads such hives without a word.
#include "hive/structure.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "txlog/bytes.h"

namespace regpersist::hive_detail {

namespace {

constexpr std::size_t kHbinStart = kBaseBlockSize;
constexpr std::size_t kNkHeaderSize = 76;

std::string hex(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%x", value);
  return buffer;
}

bool is_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string upper_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

std::optional<std::uint32_t> recorded_parent(std::span<const std::uint8_t> hive, std::uint32_t cell) {
  const std::size_t record = kHbinStart + std::size_t{cell} + 4;
  if (record + kNkHeaderSize > hive.size()) return std::nullopt;
  return le32(hive, record + 16);
}

std::vector<std::string> check_key_record(std::span<const std::uint8_t> hive, std::uint32_t hive_bins_size,
                                          std::uint32_t cell, std::uint32_t parent_cell) {
  std::vector<std::string> problems;
  const std::size_t record = kHbinStart + std::size_t{cell} + 4;
  if (record + kNkHeaderSize > hive.size()) return {"key record at " + hex(cell) + " runs past the end of the file"};
  if (std::size_t{cell} >= hive_bins_size)
    problems.push_back("key record at " + hex(cell) + " lies beyond the hive bins size in the base block (truncated?)");
  const std::uint32_t parent = *recorded_parent(hive, cell);
  if (parent != parent_cell)
    problems.push_back("key record at " + hex(cell) + " names parent " + hex(parent) +
                       ", but is listed by the key at " + hex(parent_cell));
  const std::uint32_t value_count = le32(hive, record + 36);
  const std::uint32_t value_list = le32(hive, record + 40);
  if (value_count > 0 && std::uint64_t{value_list} + 4 + 4ULL * value_count > hive_bins_size)
    problems.push_back("key record at " + hex(cell) + " has its list of " + std::to_string(value_count) +
                       " values at " + hex(value_list) + ", outside the hive bins (truncated or corrupt)");
  return problems;
}

std::vector<std::string> check_subkey_list(const std::vector<Key>& subkeys) {
  std::vector<std::string> problems;
  std::unordered_set<std::uint32_t> seen;
  for (std::size_t i = 0; i < subkeys.size(); ++i) {
    const Key& key = subkeys[i];
    if (!seen.insert(key.offset()).second)
      problems.push_back("subkey \"" + key.name() + "\" (" + hex(key.offset()) + ") is listed more than once");
    if (i == 0) continue;
    const Key& previous = subkeys[i - 1];
    // Windows sorts by the uppercased UTF-16 name; only ASCII names are compared here, so that a
    // case-mapping difference never raises a false alarm.
    if (!is_ascii(previous.name()) || !is_ascii(key.name())) continue;
    const int order = upper_ascii(previous.name()).compare(upper_ascii(key.name()));
    if (order == 0)
      problems.push_back("two subkeys have the name \"" + key.name() + "\" (" + hex(previous.offset()) + ", " +
                         hex(key.offset()) + ")");
    else if (order > 0)
      problems.push_back("subkeys are out of order (\"" + key.name() + "\" after \"" + previous.name() + "\")");
  }
  return problems;
}

}  // namespace regpersist::hive_detail
