// Keys and values read from their cells (see cell_keys.h). Hand-written on top of the record layouts of
// src/txlog/hive_cells.h: libregf refuses some keys outright and is slow to set up each key of a full walk.
#include "hive/cell_keys.h"

#include <algorithm>

#include "regpersist/base_block.h"
#include "txlog/bytes.h"

namespace regpersist::hive_detail {

namespace {

constexpr std::uint32_t kMaxCellData = 16344;  // larger data is stored in a "db" record (minor version > 3)
constexpr std::uint32_t kInlineDataMax = 4;

// The bytes of the cell at `cell` after its size field, if the cell exists.
std::optional<std::span<const std::uint8_t>> cell_payload(std::span<const std::uint8_t> bins, std::uint32_t cell) {
  const auto size = naive_cell_size(bins, cell);
  if (!size) return std::nullopt;
  return bins.subspan(cell + 4, *size - 4);
}

void append(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

bool is_big_data(std::span<const std::uint8_t> payload, std::uint32_t minor_version, std::uint32_t data_size) {
  return data_size > kMaxCellData && minor_version > 3 && payload.size() >= 8 && payload[0] == 'd' && payload[1] == 'b';
}

// Concatenates the segments a db record lists, each at most kMaxCellData bytes, up to `data_size` bytes;
// returns whether every byte was found.
bool read_big_data(std::span<const std::uint8_t> bins, std::span<const std::uint8_t> db, std::uint32_t data_size,
                   std::vector<std::uint8_t>& out) {
  const std::uint16_t segments = le16(db, 2);
  const auto list = cell_payload(bins, le32(db, 4));
  if (!list || list->size() / 4 < segments) return false;
  for (std::uint32_t i = 0; i < segments && out.size() < data_size; ++i) {
    const auto segment = cell_payload(bins, le32(*list, i * 4));
    if (!segment) return false;
    const std::size_t wanted = std::min<std::size_t>({segment->size(), kMaxCellData, data_size - out.size()});
    append(out, segment->first(wanted));
  }
  return out.size() == data_size;
}

// Reads the data of a vk record stored outside it; returns whether it was complete.
bool read_cell_data(std::span<const std::uint8_t> bins, std::uint32_t minor_version, const ValueRecord& record,
                    std::vector<std::uint8_t>& out) {
  const auto payload = cell_payload(bins, record.data_offset);
  if (!payload) return false;
  if (is_big_data(*payload, minor_version, record.data_size))
    return read_big_data(bins, *payload, record.data_size, out);
  append(out, payload->first(std::min<std::size_t>(payload->size(), record.data_size)));
  return out.size() == record.data_size;
}

std::vector<std::uint8_t> inline_bytes(std::span<const std::uint8_t> bins, std::uint32_t cell,
                                       const ValueRecord& record) {
  const auto data = bins.subspan(cell + 4 + 8, std::min(record.data_size, kInlineDataMax));
  return {data.begin(), data.end()};
}

}  // namespace

std::span<const std::uint8_t> hive_bins_data(std::span<const std::uint8_t> hive) {
  return hive.size() > kBaseBlockSize ? hive.subspan(kBaseBlockSize) : std::span<const std::uint8_t>{};
}

std::optional<KeyRecord> read_cell_key(std::span<const std::uint8_t> bins, std::uint32_t cell) {
  const auto size = naive_cell_size(bins, cell);
  if (!size) return std::nullopt;
  return read_key_record(bins, cell + 4, cell + *size, Check::layout);
}

std::string cell_class_name(std::span<const std::uint8_t> bins, const KeyRecord& key) {
  if (key.class_length == 0 || key.class_offset == kNoCell) return {};
  const auto payload = cell_payload(bins, key.class_offset);
  if (!payload || payload->size() < key.class_length) return {};
  return utf16le_to_utf8(payload->first(key.class_length), true);
}

ValueList read_value_list(std::span<const std::uint8_t> bins, const KeyRecord& key) {
  ValueList list;
  if (key.value_count == 0) return list;
  const auto payload = cell_payload(bins, key.value_list);
  const std::size_t fitting = payload ? payload->size() / 4 : 0;
  list.complete = fitting >= key.value_count;
  const std::size_t count = std::min<std::size_t>(fitting, key.value_count);
  list.cells.reserve(count);
  for (std::size_t i = 0; i < count; ++i) list.cells.push_back(le32(*payload, i * 4));
  return list;
}

std::optional<Value> read_cell_value(std::span<const std::uint8_t> bins, std::uint32_t minor_version,
                                     std::uint32_t cell) {
  const auto size = naive_cell_size(bins, cell);
  if (!size) return std::nullopt;
  auto record = read_value_record(bins, cell + 4, cell + *size, Check::layout);
  if (!record) return std::nullopt;
  Value value;
  value.name = std::move(record->name);
  value.type = record->type;
  if (record->inline_data)
    value.data = inline_bytes(bins, cell, *record);
  else if (record->data_size > 0)
    value.corrupted = !read_cell_data(bins, minor_version, *record, value.data);
  return value;
}

}  // namespace regpersist::hive_detail
