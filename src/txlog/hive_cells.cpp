// Cell map, record layouts and live-tree walk for deleted-data recovery (see hive_cells.h). Hand-written:
// libregf exposes neither free cells nor the cells a key references, which recovery needs.
#include "txlog/hive_cells.h"

#include <algorithm>
#include <limits>

#include "regpersist/base_block.h"
#include "regpersist/value.h"
#include "txlog/bytes.h"

namespace regpersist {

namespace {

constexpr std::uint32_t kBinHeaderSize = 32;
constexpr std::uint32_t kBinAlignment = 4096;
constexpr std::uint32_t kMaxNaiveCell = 10u << 20;  // yarp get_cell_naive
constexpr std::uint32_t kMaxNameLength = 1024;
constexpr std::size_t kMaxNulsInName = 5;
constexpr std::uint32_t kMaxSubkeys = 10000;
constexpr std::uint32_t kMaxValues = 1000;
constexpr std::uint64_t kFiletime1970 = 116444736000000000ull;
constexpr std::uint64_t kFiletime2100 = 157469184000000000ull;
constexpr std::uint16_t kKeyCompressedName = 0x0020;
constexpr std::uint16_t kValueCompressedName = 0x0001;
constexpr std::uint32_t kInlineDataBit = 0x80000000u;
constexpr std::uint32_t kMaxCellData = 16344;  // larger data is stored in a "db" record (minor version > 3)
constexpr int kMaxListDepth = 2;               // an ri holds leaves, never another ri

bool signature_at(std::span<const std::uint8_t> data, std::uint32_t at, char a, char b) {
  return data[at] == static_cast<std::uint8_t>(a) && data[at + 1] == static_cast<std::uint8_t>(b);
}

std::string decode_name(std::span<const std::uint8_t> bytes, bool compressed) {
  return compressed ? latin1_to_utf8(bytes) : utf16le_to_utf8(bytes, false);
}

bool plausible_name(const std::string& name) {
  return static_cast<std::size_t>(std::count(name.begin(), name.end(), '\0')) <= kMaxNulsInName &&
         name.find("\xEF\xBF\xBD") == std::string::npos;
}

std::uint32_t absolute_size(std::uint32_t raw) {
  const auto size = static_cast<std::int32_t>(raw);
  return size < 0 ? 0u - raw : raw;
}

struct RecordLayout {
  char signature[2];
  std::uint32_t fixed_size;          // bytes before the name
  std::uint32_t name_length_offset;  // of the uint16 name length
};

// The record's name length when the record has its signature at `at` and it and its name fit in [at, limit).
std::optional<std::uint16_t> fitting_name_length(std::span<const std::uint8_t> data, std::uint32_t at,
                                                 std::uint32_t limit, const RecordLayout& layout) {
  limit = static_cast<std::uint32_t>(std::min<std::size_t>(limit, data.size()));
  if (at > limit || limit - at < layout.fixed_size || !signature_at(data, at, layout.signature[0], layout.signature[1]))
    return std::nullopt;
  const std::uint16_t name_length = le16(data, at + layout.name_length_offset);
  if (name_length > limit - at - layout.fixed_size) return std::nullopt;
  return name_length;
}

}  // namespace

HiveBins::HiveBins(std::span<const std::uint8_t> hive, const std::string& label, Diagnostics& diagnostics) {
  if (hive.size() <= kBaseBlockSize) return;
  data_ = hive.subspan(kBaseBlockSize, std::min<std::size_t>(hive.size() - kBaseBlockSize, 0xFFFFF000u));
  const std::uint32_t declared = le32(hive, 40);
  bins_end_ = declared % kBinAlignment == 0 && declared <= data_.size()
                  ? declared
                  : static_cast<std::uint32_t>(data_.size() / kBinAlignment * kBinAlignment);
  minor_ = le32(hive, 24);
  root_ = le32(hive, 36);
  std::size_t missing_bins = 0;
  for (std::uint32_t at = 0; bins_end_ - at >= kBinAlignment;) {
    if (!signature_at(data_, at, 'h', 'b') || !signature_at(data_, at + 2, 'i', 'n')) {
      unparsable_.push_back({at, at + kBinAlignment, DeletedSource::free_cell});
      ++missing_bins;
      at += kBinAlignment;
      continue;
    }
    std::uint32_t size = le32(data_, at + 8);
    if (size < kBinAlignment || size % kBinAlignment != 0) size = kBinAlignment;
    size = std::min(size, bins_end_ - at);
    map_bin(at, size, label, diagnostics);
    at += size;
  }
  if (missing_bins > 0)
    diagnostics.warn(
        label, std::to_string(missing_bins) + " hive-bin page(s) without an \"hbin\" header; scanned as free space");
}

void HiveBins::map_bin(std::uint32_t at, std::uint32_t size, const std::string& label, Diagnostics& diagnostics) {
  const std::uint32_t end = at + size;
  for (std::uint32_t cell = at + kBinHeaderSize; end - cell >= 4;) {
    const std::uint32_t raw = le32(data_, cell);
    const std::uint32_t cell_size = absolute_size(raw);
    if (cell_size < 8 || cell_size % 8 != 0 || cell_size > end - cell) {
      diagnostics.warn(label, "hive bin at offset " + std::to_string(at) + ": cell at offset " + std::to_string(cell) +
                                  " has an invalid size; the rest of the bin is scanned as free space");
      unparsable_.push_back({cell, end, DeletedSource::free_cell});
      return;
    }
    cells_.push_back({cell, cell_size, static_cast<std::int32_t>(raw) < 0});
    cell += cell_size;
  }
}

std::optional<std::uint32_t> HiveBins::naive_cell_size(std::uint32_t offset) const {
  return regpersist::naive_cell_size(data_, offset);
}

std::optional<std::uint32_t> naive_cell_size(std::span<const std::uint8_t> data, std::uint32_t offset) {
  if (offset > data.size() || data.size() - offset < 4) return std::nullopt;
  const std::uint32_t size = absolute_size(le32(data, offset));
  if (size < 8 || size > kMaxNaiveCell || data.size() - offset < size) return std::nullopt;
  return size;
}

std::optional<KeyRecord> read_key_record(std::span<const std::uint8_t> data, std::uint32_t at, std::uint32_t limit,
                                         Check check) {
  const auto fitted = fitting_name_length(data, at, limit, {'n', 'k', kKeyRecordFixed, 72});
  if (!fitted) return std::nullopt;
  const std::uint16_t name_length = *fitted;
  KeyRecord key;
  key.flags = le16(data, at + 2);
  key.last_written = le64(data, at + 4);
  key.parent = le32(data, at + 16);
  key.subkey_count = le32(data, at + 20);
  key.subkey_list = le32(data, at + 28);
  key.value_count = le32(data, at + 36);
  key.value_list = le32(data, at + 40);
  key.security = le32(data, at + 44);
  key.class_offset = le32(data, at + 48);
  key.length = kKeyRecordFixed + name_length;
  key.class_length = le16(data, at + 74);
  key.name = decode_name(data.subspan(at + kKeyRecordFixed, name_length), (key.flags & kKeyCompressedName) != 0);
  if (check == Check::layout) return key;
  const bool plausible = name_length > 0 && name_length <= kMaxNameLength && plausible_name(key.name) &&
                         key.subkey_count <= kMaxSubkeys && le32(data, at + 24) <= kMaxSubkeys &&
                         key.value_count <= kMaxValues && key.last_written >= kFiletime1970 &&
                         key.last_written < kFiletime2100;
  return plausible ? std::optional(std::move(key)) : std::nullopt;
}

std::optional<ValueRecord> read_value_record(std::span<const std::uint8_t> data, std::uint32_t at, std::uint32_t limit,
                                             Check check) {
  const auto fitted = fitting_name_length(data, at, limit, {'v', 'k', kValueRecordFixed, 2});
  if (!fitted) return std::nullopt;
  const std::uint16_t name_length = *fitted;
  ValueRecord value;
  const std::uint32_t raw_size = le32(data, at + 4);
  value.inline_data = (raw_size & kInlineDataBit) != 0;
  value.data_size = raw_size & ~kInlineDataBit;
  value.data_offset = le32(data, at + 8);
  value.type = le32(data, at + 12);
  value.length = kValueRecordFixed + name_length;
  value.name =
      decode_name(data.subspan(at + kValueRecordFixed, name_length), (le16(data, at + 16) & kValueCompressedName) != 0);
  if (check == Check::layout) return value;
  const bool data_plausible = value.inline_data
                                  ? value.data_size <= 4
                                  : value.data_size == 0 || (value.data_offset >= 8 && value.data_offset % 8 == 0);
  const bool plausible = name_length <= kMaxNameLength && plausible_name(value.name) && data_plausible;
  return plausible ? std::optional(std::move(value)) : std::nullopt;
}

namespace {

// Flattens one subkey list; an ri's leaves are each read once, and an ri inside an ri is not followed.
class SubkeyListReader {
 public:
  SubkeyListReader(std::span<const std::uint8_t> data, const std::function<bool(std::uint32_t)>& skip)
      : data_(data), skip_(skip) {}

  SubkeyList read(std::uint32_t list) {
    read_cell(list, 0);
    return std::move(result_);
  }

 private:
  void read_cell(std::uint32_t list, int list_depth) {
    if (skip_ && skip_(list)) return;
    const auto size = naive_cell_size(data_, list);
    if (list_depth >= kMaxListDepth || !size) {
      result_.complete = false;
      return;
    }
    const bool index_root = signature_at(data_, list + 4, 'r', 'i');
    const bool with_hints = signature_at(data_, list + 4, 'l', 'f') || signature_at(data_, list + 4, 'l', 'h');
    if (!index_root && !with_hints && !signature_at(data_, list + 4, 'l', 'i')) {
      result_.complete = false;
      result_.cells.push_back({list, *size, list + *size});
      return;
    }
    const std::uint32_t stride = with_hints ? 8 : 4;
    const std::uint16_t count = le16(data_, list + 6);
    const std::uint32_t entries = std::min<std::uint32_t>(count, (*size - 8) / stride);
    if (entries < count) result_.complete = false;
    if (index_root) seen_leaves_.insert(list);
    for (std::uint32_t i = 0; i < entries; ++i) {
      const std::uint32_t target = le32(data_, list + 8 + i * stride);
      if (!index_root)
        result_.keys.push_back(target);
      else if (seen_leaves_.insert(target).second)
        read_cell(target, list_depth + 1);
    }
    result_.cells.push_back({list, *size, list + 8 + entries * stride});
  }

  std::span<const std::uint8_t> data_;
  const std::function<bool(std::uint32_t)>& skip_;
  std::unordered_set<std::uint32_t> seen_leaves_;  // of an ri: a leaf listed twice is read once
  SubkeyList result_;
};

}  // namespace

SubkeyList read_subkey_list(std::span<const std::uint8_t> data, std::uint32_t list,
                            const std::function<bool(std::uint32_t)>& skip) {
  return SubkeyListReader(data, skip).read(list);
}

namespace {

// Walks the live tree with an explicit stack, each key once, depth capped.
class LiveWalker {
 public:
  LiveWalker(const HiveBins& bins, LiveTree& tree) : bins_(bins), data_(bins.data()), tree_(tree) {}

  void run(const std::string& label, Diagnostics& diagnostics) {
    if (!bins_.naive_cell_size(bins_.root_offset())) {
      diagnostics.warn(label, "root key cell not found; every cell is scanned as free space");
      return;
    }
    tree_.root = bins_.root_offset();
    stack_.push_back({bins_.root_offset(), kNoCell, 0});
    while (!stack_.empty()) {
      const Pending key = stack_.back();
      stack_.pop_back();
      if (!tree_.keys.contains(key.offset)) visit_key(key);  // else a loop or duplicate in the cell graph
    }
  }

 private:
  struct Pending {
    std::uint32_t offset;
    std::uint32_t parent;
    int depth;
  };

  // The cell's absolute size when it exists; marks it referenced.
  std::optional<std::uint32_t> use_cell(std::uint32_t offset) {
    if (offset == kNoCell) return std::nullopt;
    const auto size = bins_.naive_cell_size(offset);
    if (size) tree_.referenced.insert(offset);
    return size;
  }

  void add_slack(std::uint32_t begin, std::uint32_t end) {
    if (end > begin && end - begin >= 4) tree_.slack.push_back({begin, end, DeletedSource::cell_slack});
  }

  void visit_key(const Pending& key) {
    const auto size = bins_.naive_cell_size(key.offset);
    if (!size) return;
    auto record = read_key_record(data_, key.offset + 4, key.offset + *size, Check::layout);
    if (!record) return;
    tree_.referenced.insert(key.offset);
    add_slack(key.offset + 4 + record->length, key.offset + *size);
    use_cell(record->security);
    use_cell(record->class_offset);
    visit_values(*record, key.offset);
    if (record->subkey_count > 0 && key.depth < kMaxKeyDepthInCells) visit_subkey_list(record->subkey_list, key);
    tree_.keys.emplace(key.offset, LiveTree::LiveKey{key.parent, std::move(record->name)});
  }

  void visit_values(const KeyRecord& key, std::uint32_t key_offset) {
    if (key.value_count == 0) return;
    const auto size = use_cell(key.value_list);
    if (!size || (*size - 4) / 4 < key.value_count) return;
    const std::uint32_t entries_end = key.value_list + 4 + key.value_count * 4;
    for (std::uint32_t at = key.value_list + 4; at < entries_end; at += 4) visit_value(le32(data_, at));
    if (key.value_list + *size - entries_end >= 4)
      tree_.value_list_slack.push_back({key_offset, entries_end, key.value_list + *size});
    add_slack(entries_end, key.value_list + *size);
  }

  void visit_value(std::uint32_t offset) {
    const auto size = use_cell(offset);
    if (!size) return;
    const auto value = read_value_record(data_, offset + 4, offset + *size, Check::layout);
    if (!value) return;
    add_slack(offset + 4 + value->length, offset + *size);
    if (value->inline_data || value->data_size == 0) return;
    const auto data_size = use_cell(value->data_offset);
    if (data_size && *data_size >= 12 && bins_.minor_version() > 3 && value->data_size > kMaxCellData &&
        signature_at(data_, value->data_offset + 4, 'd', 'b'))
      visit_big_data(value->data_offset);
  }

  void visit_big_data(std::uint32_t db) {
    const std::uint16_t segments = le16(data_, db + 6);
    const std::uint32_t list = le32(data_, db + 8);
    const auto size = use_cell(list);
    if (!size || (*size - 4) / 4 < segments) return;
    for (std::uint32_t i = 0; i < segments; ++i) use_cell(le32(data_, list + 4 + i * 4));
  }

  void visit_subkey_list(std::uint32_t list, const Pending& parent) {
    const SubkeyList subkeys =
        read_subkey_list(data_, list, [this](std::uint32_t cell) { return tree_.referenced.contains(cell); });
    for (const SubkeyListCell& cell : subkeys.cells) {
      tree_.referenced.insert(cell.offset);
      add_slack(cell.entries_end, cell.offset + cell.size);
    }
    for (const std::uint32_t key : subkeys.keys) stack_.push_back({key, parent.offset, parent.depth + 1});
  }

  static constexpr int kMaxKeyDepthInCells = 512;
  const HiveBins& bins_;
  std::span<const std::uint8_t> data_;
  LiveTree& tree_;
  std::vector<Pending> stack_;
};

}  // namespace

LiveTree walk_live_tree(const HiveBins& bins, const std::string& label, Diagnostics& diagnostics) {
  LiveTree tree;
  tree.referenced = OffsetSet(bins.data().size());
  LiveWalker(bins, tree).run(label, diagnostics);
  return tree;
}

}  // namespace regpersist
