// Keys and values read by our own code from their cells (src/txlog/hive_cells.h), the second backing of
// Key beside libregf: the full-tree walk uses it (libregf's per-key set-up costs a linear search of the
// hive-bin list, most of a walk's time), and so do the keys libregf refuses (an unpaired UTF-16 surrogate
// in a name). Bounds-checked; a record that does not fit reads as nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "regpersist/hive.h"
#include "regpersist/value.h"
#include "txlog/hive_cells.h"

namespace regpersist::hive_detail {

// The root key read from its cell (its subkeys too, and theirs); throws Error naming the hive if the root
// cell holds no key record.
Key cell_root(const Hive& hive);

// The hive-bins data of a hive's bytes (hbin-relative offsets index it).
std::span<const std::uint8_t> hive_bins_data(std::span<const std::uint8_t> hive);

// The nk record of the cell at `cell`, if the cell holds one that fits.
std::optional<KeyRecord> read_cell_key(std::span<const std::uint8_t> bins, std::uint32_t cell);

// The class name of `key`, "" when it has none or it does not fit its cell.
std::string cell_class_name(std::span<const std::uint8_t> bins, const KeyRecord& key);

// The vk cell offsets of `key`'s value list; `complete` is false when the list cell is missing or too small.
struct ValueList {
  std::vector<std::uint32_t> cells;
  bool complete = true;
};
ValueList read_value_list(std::span<const std::uint8_t> bins, const KeyRecord& key);

// The name, type and data of the vk record in the cell at `cell`; data stored in the record (at most 4
// bytes), in one cell, or in a big-data (db) record of segments (minor version > 3). Data that does not fit
// is cut and the value marked corrupted. Nothing when the cell holds no vk record.
std::optional<Value> read_cell_value(std::span<const std::uint8_t> bins, std::uint32_t minor_version,
                                     std::uint32_t cell);

}  // namespace regpersist::hive_detail
