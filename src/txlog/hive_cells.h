// A bounds-checked view of a hive's cells for deleted-data recovery and for the hive layer's own reading of
// keys: the cell map of every hive bin, the nk/vk record layouts, the flattening of subkey lists, and the
// walk of the live key tree that tells which cells are still referenced and which slack (unused cell tails)
// they carry. Pure code on bytes; nothing here throws on bad input.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/recover.h"

namespace regpersist {

// A byte range of the hive bins data (hbin-relative offsets) to scan for records.
struct ScanRegion {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  DeletedSource source = DeletedSource::free_cell;
};

struct Cell {
  std::uint32_t offset = 0;  // of the size field
  std::uint32_t size = 0;    // absolute, includes the size field
  bool allocated = false;
};

// The bytes after the base block, as hbin-relative offsets.
class HiveBins {
 public:
  HiveBins(std::span<const std::uint8_t> hive, const std::string& label, Diagnostics& diagnostics);

  std::span<const std::uint8_t> data() const { return data_; }
  std::uint32_t bins_end() const { return bins_end_; }  // end of the hive bins the base block declares
  std::uint32_t minor_version() const { return minor_; }
  std::uint32_t root_offset() const { return root_; }
  const std::vector<Cell>& cells() const { return cells_; }
  const std::vector<ScanRegion>& unparsable() const { return unparsable_; }  // bins whose cells do not chain
  // Absolute size of the cell at `offset` read without the cell map (yarp "naive"), if it fits the data and is
  // at most 10 MiB.
  std::optional<std::uint32_t> naive_cell_size(std::uint32_t offset) const;
  bool has(std::uint32_t offset, std::size_t length) const {
    return offset <= data_.size() && data_.size() - offset >= length;
  }

 private:
  void map_bin(std::uint32_t at, std::uint32_t size, const std::string& label, Diagnostics& diagnostics);

  std::span<const std::uint8_t> data_;
  std::uint32_t bins_end_ = 0;
  std::uint32_t minor_ = 0;
  std::uint32_t root_ = 0;
  std::vector<Cell> cells_;
  std::vector<ScanRegion> unparsable_;
};

// Fields of a key (nk) or value (vk) record whose signature is at `at`, read after checking they fit in
// [at, limit). `Check::plausible` also applies yarp's limits for records found in free space (anchors §4.3.10
// ValidateKey/ValidateValue); live records are read with `Check::layout` only.
struct KeyRecord {
  std::string name;
  std::uint16_t flags = 0;
  std::uint64_t last_written = 0;
  std::uint32_t parent = 0;
  std::uint32_t value_count = 0;
  std::uint32_t value_list = 0;
  std::uint32_t subkey_count = 0;
  std::uint32_t subkey_list = 0;
  std::uint32_t security = 0;
  std::uint32_t class_offset = 0;
  std::uint32_t length = 0;        // bytes of the record (fixed part + name)
  std::uint16_t class_length = 0;  // bytes of the class name
};
struct ValueRecord {
  std::string name;
  std::uint32_t type = 0;
  std::uint32_t data_size = 0;  // without the inline bit
  bool inline_data = false;
  std::uint32_t data_offset = 0;
  std::uint32_t length = 0;
};
inline constexpr std::uint32_t kKeyRecordFixed = 76;
inline constexpr std::uint32_t kValueRecordFixed = 20;
inline constexpr std::uint32_t kNoCell = 0xFFFFFFFFu;

enum class Check { layout, plausible };
std::optional<KeyRecord> read_key_record(std::span<const std::uint8_t> data, std::uint32_t at, std::uint32_t limit,
                                         Check check);
std::optional<ValueRecord> read_value_record(std::span<const std::uint8_t> data, std::uint32_t at, std::uint32_t limit,
                                             Check check);

// Absolute size of the cell whose size field is at `offset` of the hive-bins data, read without a cell map
// (yarp "naive"), if it is at least 8, at most 10 MiB and fits the data.
std::optional<std::uint32_t> naive_cell_size(std::span<const std::uint8_t> data, std::uint32_t offset);

// A subkey list cell read by read_subkey_list: an ri or an lf/lh/li leaf.
struct SubkeyListCell {
  std::uint32_t offset = 0;       // of the cell's size field
  std::uint32_t size = 0;         // absolute cell size
  std::uint32_t entries_end = 0;  // end of the entries it holds; the rest of the cell is slack
};
struct SubkeyList {
  std::vector<std::uint32_t> keys;    // nk cell offsets, in stored order
  std::vector<SubkeyListCell> cells;  // every list cell read, in reading order
  bool complete = true;               // false when a list cell is missing, too small or of an unknown kind
};
// The subkey list whose cell is at `list`, flattened: an lf, lh or li leaf, or an ri of such leaves (each leaf
// read once). `skip` may refuse a list cell before it is read (a cell already read for another key).
SubkeyList read_subkey_list(std::span<const std::uint8_t> data, std::uint32_t list,
                            const std::function<bool(std::uint32_t)>& skip = {});

// A set of hive-bins offsets: one bit per 8-byte-aligned offset below the data size (cells are 8-byte aligned),
// and a hash set for the rare other offsets (hostile or corrupt references), so that membership stays exact.
class OffsetSet {
 public:
  explicit OffsetSet(std::size_t data_size = 0) : aligned_((data_size + 7) / 8) {}
  void insert(std::uint32_t offset) {
    if (is_aligned_slot(offset))
      aligned_[offset / 8] = true;
    else
      unaligned_.insert(offset);
  }
  bool contains(std::uint32_t offset) const {
    return is_aligned_slot(offset) ? static_cast<bool>(aligned_[offset / 8]) : unaligned_.contains(offset);
  }

 private:
  bool is_aligned_slot(std::uint32_t offset) const { return offset % 8 == 0 && offset / 8 < aligned_.size(); }

  std::vector<bool> aligned_;
  std::unordered_set<std::uint32_t> unaligned_;
};

// What the live tree uses: every referenced cell, each live key's name and parent (paths are built only for
// what is reported, so that memory stays linear in the hive's size), value-list slack and other cell slack.
struct LiveTree {
  struct LiveKey {
    std::uint32_t parent = kNoCell;  // the key whose subkey list led here (kNoCell for the root)
    std::string name;
  };
  struct ValueListSlack {
    std::uint32_t key = 0;             // nk cell offset of the key owning the list
    std::uint32_t first = 0, end = 0;  // the slack's byte range
  };
  std::uint32_t root = kNoCell;
  OffsetSet referenced;
  std::unordered_map<std::uint32_t, LiveKey> keys;  // by nk cell offset
  std::vector<ValueListSlack> value_list_slack;
  std::vector<ScanRegion> slack;
};

LiveTree walk_live_tree(const HiveBins& bins, const std::string& label, Diagnostics& diagnostics);

}  // namespace regpersist
