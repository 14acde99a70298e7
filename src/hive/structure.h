// Consistency checks that libregf does not make: a key's nk record must name its parent, its value
// list must lie inside the hive bins, a subkey list must be sorted and list each subkey once. A
// failed check is a diagnostic (the hive may be corrupt, truncated or tampered with); reading goes on.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regpersist/hive.h"

namespace regpersist::hive_detail {

// The parent offset the nk record at `cell` names, if the record fits in the hive.
std::optional<std::uint32_t> recorded_parent(std::span<const std::uint8_t> hive, std::uint32_t cell);

// Problems with the nk record at `cell` whose parent in the walk was `parent_cell`.
std::vector<std::string> check_key_record(std::span<const std::uint8_t> hive, std::uint32_t hive_bins_size,
                                          std::uint32_t cell, std::uint32_t parent_cell);

// Problems with the order and uniqueness of `subkeys` as listed by their parent.
std::vector<std::string> check_subkey_list(const std::vector<Key>& subkeys);

}  // namespace regpersist::hive_detail
