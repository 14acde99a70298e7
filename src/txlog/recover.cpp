// Deleted-data recovery (see regpersist/recover.h). Hand-written, on bytes: no Debian library recovers
// deleted registry records (libregf and hivex read the live tree only; reglookup-recover is a program, not a
// library). Follows yarp's RegistryRecover scanner (anchors §4.3.10): free cells, allocated-but-unreferenced
// cells, live cells' slack and the bytes after the last hive bin are scanned at even offsets for nk/vk
// records that pass yarp's plausibility limits.
#include "regpersist/recover.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "txlog/bytes.h"
#include "txlog/hive_cells.h"

namespace regpersist {

std::string deleted_source_name(DeletedSource source) {
  switch (source) {
    case DeletedSource::free_cell:
      return "free cell";
    case DeletedSource::cell_slack:
      return "cell slack";
    case DeletedSource::after_bins:
      return "after hive bins";
  }
  return "free cell";
}

namespace {

constexpr std::uint32_t kMaxCellData = 16344;
constexpr std::size_t kMaxPathDepth = 512;
constexpr std::size_t kMaxPathBytes = 16384;  // far above real paths; keeps hostile name chains bounded

template <typename Record>
struct Found {
  Record record;
  DeletedSource source;
};

struct Candidates {
  std::map<std::uint32_t, Found<KeyRecord>> keys;  // by cell offset (4 bytes before the signature)
  std::map<std::uint32_t, Found<ValueRecord>> values;
};

std::uint32_t round_up_even(std::uint32_t n) { return n + (n & 1u); }

std::vector<ScanRegion> regions_to_scan(const HiveBins& bins, const LiveTree& tree) {
  std::vector<ScanRegion> regions;
  for (const Cell& cell : bins.cells())
    if (!cell.allocated || !tree.referenced.contains(cell.offset))
      regions.push_back({cell.offset + 4, cell.offset + cell.size, DeletedSource::free_cell});
  regions.insert(regions.end(), bins.unparsable().begin(), bins.unparsable().end());
  regions.insert(regions.end(), tree.slack.begin(), tree.slack.end());
  const auto size = static_cast<std::uint32_t>(bins.data().size());
  if (size > bins.bins_end()) regions.push_back({bins.bins_end(), size, DeletedSource::after_bins});
  return regions;
}

void scan_region(std::span<const std::uint8_t> data, const ScanRegion& region, Candidates& found) {
  for (std::uint32_t at = round_up_even(std::max(region.begin, 4u)); at < region.end && region.end - at >= 2;) {
    if (auto key = read_key_record(data, at, region.end, Check::plausible)) {
      const std::uint32_t length = round_up_even(key->length);
      found.keys.try_emplace(at - 4, Found<KeyRecord>{std::move(*key), region.source});
      at += length;
    } else if (auto value = read_value_record(data, at, region.end, Check::plausible)) {
      const std::uint32_t length = round_up_even(value->length);
      found.values.try_emplace(at - 4, Found<ValueRecord>{std::move(*value), region.source});
      at += length;
    } else {
      at += 2;
    }
  }
}

// Reads deleted values and their data, refusing cells the live tree uses now (their bytes belong to it).
class DeletedValueReader {
 public:
  DeletedValueReader(const HiveBins& bins, const LiveTree& tree)
      : bins_(bins), data_(bins.data()), tree_(tree), data_budget_(2 * bins.data().size()) {}

  // The value record whose cell is at `offset`, if it is not live and passes the plausibility limits.
  std::optional<ValueRecord> record_at(std::uint32_t offset) const {
    if (tree_.referenced.contains(offset)) return std::nullopt;
    const auto size = bins_.naive_cell_size(offset);
    if (!size) return std::nullopt;
    return read_value_record(data_, offset + 4, offset + *size, Check::plausible);
  }

  Value decode(const ValueRecord& record, std::uint32_t offset) {
    Value value;
    value.name = record.name;
    value.type = record.type;
    if (record.inline_data) {
      const auto field = data_.subspan(offset + 12, record.data_size);
      value.data.assign(field.begin(), field.end());
    } else if (record.data_size > 0) {
      value.corrupted = !read_data(record, value.data);
      if (value.corrupted) value.data.clear();
    }
    return value;
  }

 private:
  std::optional<std::uint32_t> free_cell(std::uint32_t offset) const {
    if (tree_.referenced.contains(offset)) return std::nullopt;
    return bins_.naive_cell_size(offset);
  }

  bool read_data(const ValueRecord& record, std::vector<std::uint8_t>& out) {
    const auto size = free_cell(record.data_offset);
    if (!size || record.data_size > data_budget_) return false;
    data_budget_ -= record.data_size;
    if (bins_.minor_version() > 3 && record.data_size > kMaxCellData && *size >= 12 &&
        data_[record.data_offset + 4] == 'd' && data_[record.data_offset + 5] == 'b')
      return read_big_data(record.data_offset, record.data_size, out);
    if (*size - 4 < record.data_size) return false;
    const auto bytes = data_.subspan(record.data_offset + 4, record.data_size);
    out.assign(bytes.begin(), bytes.end());
    return true;
  }

  bool read_big_data(std::uint32_t db, std::uint32_t data_size, std::vector<std::uint8_t>& out) const {
    const std::uint16_t segments = le16(data_, db + 6);
    const std::uint32_t list = le32(data_, db + 8);
    const auto list_size = free_cell(list);
    if (!list_size || (*list_size - 4) / 4 < segments) return false;
    for (std::uint32_t i = 0; i < segments && out.size() < data_size; ++i) {
      const std::uint32_t segment = le32(data_, list + 4 + i * 4);
      const auto segment_size = free_cell(segment);
      if (!segment_size) return false;
      const std::size_t take = std::min<std::size_t>({data_size - out.size(), *segment_size - 4, kMaxCellData});
      const auto bytes = data_.subspan(segment + 4, take);
      out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out.size() == data_size;
  }

  const HiveBins& bins_;
  std::span<const std::uint8_t> data_;
  const LiveTree& tree_;
  // Deleted records may share data cells: the total copied is capped so that hostile input cannot make the
  // recovered data quadratic in the hive's size.
  std::size_t data_budget_;
};

DeletedSource source_of(const Candidates& found, std::uint32_t offset) {
  const auto it = found.values.find(offset);
  return it == found.values.end() ? DeletedSource::free_cell : it->second.source;
}

struct PathResult {
  std::string path;
  bool complete = false;
};

// The path of the key at `offset` through live and deleted parents: complete when it reaches the live root,
// else from the oldest parent still found (loops, depth and length bounded).
PathResult path_of(std::uint32_t offset, const LiveTree& tree, const Candidates& found) {
  std::vector<const std::string*> names;
  std::set<std::uint32_t> visited;
  std::size_t bytes = 0;
  PathResult result;
  for (std::uint32_t at = offset; names.size() < kMaxPathDepth && visited.insert(at).second;) {
    if (at == tree.root) {
      result.complete = true;
      break;
    }
    const std::string* name = nullptr;
    if (const auto live = tree.keys.find(at); live != tree.keys.end()) {
      name = &live->second.name;
      at = live->second.parent;
    } else if (const auto deleted = found.keys.find(at); deleted != found.keys.end()) {
      name = &deleted->second.record.name;
      at = deleted->second.record.parent;
    } else {
      break;
    }
    bytes += name->size() + 1;
    if (bytes > kMaxPathBytes) break;
    names.push_back(name);
  }
  for (auto it = names.rbegin(); it != names.rend(); ++it) result.path += (result.path.empty() ? "" : "\\") + **it;
  return result;
}

// The deleted key's values still reachable through its value list (a list the live tree does not use).
std::vector<RecoveredValue> values_of_key(const HiveBins& bins, const LiveTree& tree, DeletedValueReader& reader,
                                          const KeyRecord& key, const Candidates& found,
                                          std::unordered_set<std::uint32_t>& claimed) {
  std::vector<RecoveredValue> values;
  if (key.value_count == 0 || tree.referenced.contains(key.value_list)) return values;
  const auto size = bins.naive_cell_size(key.value_list);
  if (!size || (*size - 4) / 4 < key.value_count) return values;
  for (std::uint32_t i = 0; i < key.value_count; ++i) {
    const std::uint32_t offset = le32(bins.data(), key.value_list + 4 + i * 4);
    if (claimed.contains(offset)) continue;
    if (auto record = reader.record_at(offset)) {
      values.push_back({reader.decode(*record, offset), offset, source_of(found, offset), ""});
      claimed.insert(offset);
    }
  }
  return values;
}

// Deleted values whose offsets remain in the slack of a live key's value list (yarp remnant_values).
void values_in_list_slack(const HiveBins& bins, const LiveTree& tree, const Candidates& found,
                          DeletedValueReader& reader, std::unordered_set<std::uint32_t>& claimed,
                          std::vector<RecoveredValue>& out) {
  for (const LiveTree::ValueListSlack& slack : tree.value_list_slack) {
    for (std::uint32_t at = slack.first; slack.end - at >= 4; at += 4) {
      const std::uint32_t offset = le32(bins.data(), at);
      if (offset < 8 || offset % 8 != 0) break;
      if (claimed.contains(offset)) continue;
      if (auto record = reader.record_at(offset)) {
        out.push_back(
            {reader.decode(*record, offset), offset, DeletedSource::cell_slack, path_of(slack.key, tree, found).path});
        claimed.insert(offset);
      }
    }
  }
}

}  // namespace

RecoveredData recover_deleted(std::span<const std::uint8_t> hive, const std::string& label, Diagnostics& diagnostics) {
  RecoveredData result;
  const HiveBins bins(hive, label, diagnostics);
  if (bins.data().empty()) return result;
  const LiveTree tree = walk_live_tree(bins, label, diagnostics);
  Candidates found;
  for (const ScanRegion& region : regions_to_scan(bins, tree)) scan_region(bins.data(), region, found);

  DeletedValueReader reader(bins, tree);
  std::unordered_set<std::uint32_t> claimed;
  for (const auto& [offset, key] : found.keys) {
    if (tree.keys.contains(offset)) continue;
    PathResult resolved = path_of(offset, tree, found);
    result.keys.push_back({std::move(resolved.path), resolved.complete, key.record.name, key.record.last_written,
                           offset, key.record.parent, key.source,
                           values_of_key(bins, tree, reader, key.record, found, claimed)});
  }
  values_in_list_slack(bins, tree, found, reader, claimed, result.values);
  for (const auto& [offset, value] : found.values)
    if (!claimed.contains(offset) && !tree.referenced.contains(offset))
      result.values.push_back({reader.decode(value.record, offset), offset, value.source, ""});
  return result;
}

}  // namespace regpersist
