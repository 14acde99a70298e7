// A minimal hive written from scratch (write_hive in regpersist/recover.h): the keys and values recovered
// from deleted cells laid out as a small, valid format-1.3 hive, so that the catalog engine reads them
// through the ordinary Hive API instead of a second engine. Our own code because no Debian library writes
// hives (hivex writes only into an existing hive file); the layout follows anchors §4.3: base block, one
// hbin, `nk` + `lf` + value list + `vk` + data cells. Format 1.3 has no big-data (`db`) records, so data
// of any size sits in one cell.
#include <algorithm>
#include <array>
#include <map>

#include "regpersist/base_block.h"
#include "regpersist/recover.h"
#include "txlog/bytes.h"

namespace regpersist {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr std::size_t kHbinHeader = 32;
constexpr std::size_t kPage = 4096;
constexpr std::uint16_t kRootFlags = 0x0004 | 0x0008;  // KEY_HIVE_ENTRY | KEY_NO_DELETE
constexpr std::uint16_t kCompressedKeyName = 0x0020;
constexpr std::uint16_t kCompressedValueName = 0x0001;
constexpr std::uint32_t kInlineData = 0x80000000u;

struct Node {
  std::string name;
  std::uint64_t last_written = 0;
  std::vector<Value> values;
  std::map<std::string, std::size_t> children;  // by lower-cased name, index into the node table
};

// UTF-8 to code points; a malformed byte stands for itself (as Latin-1).
std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80         ? 1
                               : lead >> 5 == 0x6  ? 2
                               : lead >> 4 == 0xE  ? 3
                               : lead >> 3 == 0x1E ? 4
                                                   : 0;
    bool valid = length > 0 && i + length <= text.size();
    char32_t point = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      point = (point << 6) | (next & 0x3F);
    }
    out.push_back(valid ? point : lead);
    i += valid ? length : 1;
  }
  return out;
}

// A name as stored in an nk/vk record: Latin-1 ("compressed") when it fits, else UTF-16LE.
struct StoredName {
  std::vector<std::uint8_t> bytes;
  bool compressed = true;
};

StoredName stored_name(std::string_view utf8) {
  const auto points = code_points(utf8);
  StoredName name;
  name.compressed = std::all_of(points.begin(), points.end(), [](char32_t c) { return c < 0x100; });
  for (char32_t c : points) {
    if (name.compressed) {
      name.bytes.push_back(static_cast<std::uint8_t>(c));
      continue;
    }
    const auto unit = [&](std::uint32_t u) {
      name.bytes.push_back(static_cast<std::uint8_t>(u));
      name.bytes.push_back(static_cast<std::uint8_t>(u >> 8));
    };
    if (c < 0x10000) {
      unit(c);
    } else {
      unit(0xD800 + ((c - 0x10000) >> 10));
      unit(0xDC00 + ((c - 0x10000) & 0x3FF));
    }
  }
  return name;
}

class Writer {
 public:
  explicit Writer(const std::vector<Node>& nodes) : nodes_(nodes), bins_(kHbinHeader, 0) {}

  std::vector<std::uint8_t> hive() {
    const std::uint32_t root = write_key(0, 0);
    free_tail();
    std::copy_n("hbin", 4, bins_.begin());
    put_le32(bins_, 8, static_cast<std::uint32_t>(bins_.size()));
    set_le16(root + 4 + 2, static_cast<std::uint16_t>(le16(bins_, root + 4 + 2) | kRootFlags));
    std::vector<std::uint8_t> hive(kBaseBlockSize + bins_.size(), 0);
    std::copy_n("regf", 4, hive.begin());
    put_le32(hive, 4, 1);
    put_le32(hive, 8, 1);
    put_le32(hive, 20, 1);  // major version
    put_le32(hive, 24, 3);  // minor version
    put_le32(hive, 32, 1);  // file format: direct memory load
    put_le32(hive, 36, root);
    put_le32(hive, 40, static_cast<std::uint32_t>(bins_.size()));
    put_le32(hive, 44, 1);  // clustering factor
    std::copy(bins_.begin(), bins_.end(), hive.begin() + kBaseBlockSize);
    repair_base_block(hive, false);
    return hive;
  }

 private:
  static void put_le16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
  }
  void set_le16(std::size_t at, std::uint16_t v) { put_le16(bins_, at, v); }
  void set_le32(std::size_t at, std::uint32_t v) { put_le32(bins_, at, v); }

  // An allocated cell of `payload` bytes (8-byte aligned); returns its offset (of the size field).
  std::uint32_t cell(std::size_t payload) {
    const std::size_t size = (payload + 4 + 7) / 8 * 8;
    const auto offset = static_cast<std::uint32_t>(bins_.size());
    bins_.resize(bins_.size() + size, 0);
    set_le32(offset, static_cast<std::uint32_t>(-static_cast<std::int32_t>(size)));
    return offset;
  }

  // The rest of the hive bin is one free cell (positive size): readers walk the cells to the bin's end.
  void free_tail() {
    const std::size_t used = bins_.size();
    bins_.resize((used + kPage - 1) / kPage * kPage, 0);
    if (bins_.size() > used) set_le32(used, static_cast<std::uint32_t>(bins_.size() - used));
  }

  std::uint32_t write_data(const std::vector<std::uint8_t>& data) {
    const std::uint32_t at = cell(data.size());
    std::copy(data.begin(), data.end(), bins_.begin() + at + 4);
    return at;
  }

  std::uint32_t write_value(const Value& value) {
    const StoredName name = stored_name(value.name);
    const auto size = static_cast<std::uint32_t>(value.data.size());
    const bool inline_data = size <= 4;
    const std::uint32_t data = inline_data ? 0 : write_data(value.data);
    const std::uint32_t at = cell(20 + name.bytes.size());
    const std::size_t record = at + 4;
    std::copy_n("vk", 2, bins_.begin() + record);
    set_le16(record + 2, static_cast<std::uint16_t>(name.bytes.size()));
    set_le32(record + 4, inline_data ? (size | kInlineData) : size);
    if (inline_data)
      std::copy(value.data.begin(), value.data.end(), bins_.begin() + record + 8);
    else
      set_le32(record + 8, data);
    set_le32(record + 12, value.type);
    set_le16(record + 16, name.compressed ? kCompressedValueName : 0);
    std::copy(name.bytes.begin(), name.bytes.end(), bins_.begin() + record + 20);
    return at;
  }

  std::uint32_t write_list(const std::vector<std::uint32_t>& offsets) {
    const std::uint32_t at = cell(offsets.size() * 4);
    for (std::size_t i = 0; i < offsets.size(); ++i) set_le32(at + 4 + i * 4, offsets[i]);
    return at;
  }

  // An "lf" list: offset and the first four name bytes of each subkey.
  std::uint32_t write_subkey_list(const std::vector<std::uint32_t>& keys) {
    const std::uint32_t at = cell(4 + keys.size() * 8);
    std::copy_n("lf", 2, bins_.begin() + at + 4);
    set_le16(at + 6, static_cast<std::uint16_t>(keys.size()));
    for (std::size_t i = 0; i < keys.size(); ++i) {
      set_le32(at + 8 + i * 8, keys[i]);
      std::copy_n(bins_.begin() + keys[i] + 4 + 76, std::min<std::size_t>(4, le16(bins_, keys[i] + 4 + 72)),
                  bins_.begin() + at + 12 + i * 8);
    }
    return at;
  }

  std::uint32_t write_key(std::size_t index, std::uint32_t parent) {
    const Node& node = nodes_[index];
    const StoredName name = stored_name(node.name);
    const std::uint32_t at = cell(76 + name.bytes.size());
    const std::size_t record = at + 4;
    std::copy_n("nk", 2, bins_.begin() + record);
    set_le16(record + 2, name.compressed ? kCompressedKeyName : 0);
    put_le32(bins_, record + 4, static_cast<std::uint32_t>(node.last_written));
    put_le32(bins_, record + 8, static_cast<std::uint32_t>(node.last_written >> 32));
    set_le32(record + 16, parent);
    constexpr std::array<std::size_t, 5> kAbsent = {28, 32, 40, 44, 48};  // lists, security, class
    for (const std::size_t field : kAbsent) set_le32(record + field, kNone);
    set_le16(record + 72, static_cast<std::uint16_t>(name.bytes.size()));
    std::copy(name.bytes.begin(), name.bytes.end(), bins_.begin() + record + 76);
    write_values(node, record);
    write_subkeys(node, at, record);
    return at;
  }

  void write_values(const Node& node, std::size_t record) {
    if (node.values.empty()) return;
    std::vector<std::uint32_t> values;
    for (const Value& value : node.values) values.push_back(write_value(value));
    set_le32(record + 36, static_cast<std::uint32_t>(values.size()));
    set_le32(record + 40, write_list(values));
  }

  void write_subkeys(const Node& node, std::uint32_t at, std::size_t record) {
    if (node.children.empty()) return;
    std::vector<std::uint32_t> keys;
    for (const auto& [name, child] : node.children) keys.push_back(write_key(child, at));
    set_le32(record + 20, static_cast<std::uint32_t>(keys.size()));
    set_le32(record + 28, write_subkey_list(keys));
  }

  const std::vector<Node>& nodes_;
  std::vector<std::uint8_t> bins_;  // hbin-relative: offset 0 is the hbin header
};

std::size_t node_for(std::vector<Node>& nodes, const std::string& path) {
  std::size_t index = 0;
  std::size_t start = 0;
  while (start < path.size()) {
    const std::size_t end = std::min(path.find('\\', start), path.size());
    const std::string name = path.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    const auto [it, added] = nodes[index].children.try_emplace(to_lower_ascii(name), nodes.size());
    const std::size_t child = it->second;
    if (added) nodes.push_back(Node{name, 0, {}, {}});
    index = child;
  }
  return index;
}

}  // namespace

std::vector<std::uint8_t> write_hive(const std::vector<WrittenKey>& keys) {
  std::vector<Node> nodes(1, Node{"ROOT", 0, {}, {}});
  for (const WrittenKey& key : keys) {
    const std::size_t index = node_for(nodes, key.path);
    Node& node = nodes[index];
    node.last_written = key.last_written;
    for (const Value& value : key.values) {
      const bool known = std::any_of(node.values.begin(), node.values.end(), [&](const Value& v) {
        return to_lower_ascii(v.name) == to_lower_ascii(value.name);
      });
      if (!known) node.values.push_back(value);
    }
  }
  return Writer(nodes).hive();
}

}  // namespace regpersist
