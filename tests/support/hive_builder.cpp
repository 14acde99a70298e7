// hive_builder.cpp — test support: implementation of HiveBuilder, the regf hive writer used by tests and
// benchmarks (key tree bookkeeping, cell layout, base block, simulated deletion).
//
// This is our own code on purpose: no Debian library writes regf hives with the control tests need (exact
// names and times, raw UTF-16 names, chosen storage of data, sequence numbers, a bad checksum, freed cells
// left in place). hivex can write hives but decides layout itself; libregf and reglookup only read.
#include "hive_builder.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <stdexcept>
#include <utility>

namespace regpersist::testsupport {
namespace {

constexpr std::uint32_t kNil = 0xFFFFFFFF;
constexpr std::size_t kBaseBlockSize = 4096;
constexpr std::size_t kHbinAlignment = 4096;
constexpr std::size_t kHbinHeaderSize = 32;
constexpr std::size_t kMaxLeafElements = 512;
constexpr std::size_t kBigDataSegment = 16344;
constexpr std::uint32_t kInlineData = 0x80000000;
constexpr std::uint64_t kUnixEpochAsFiletimeSeconds = 11644473600;

// Field offsets inside a cell's data (after its 4-byte size).
constexpr std::size_t kNkFlags = 2, kNkTime = 4, kNkParent = 16, kNkSubkeyCount = 20, kNkSubkeyList = 28,
                      kNkVolatileList = 32, kNkValueCount = 36, kNkValueList = 40, kNkSecurity = 44, kNkClass = 48,
                      kNkMaxNameLen = 52, kNkMaxClassLen = 56, kNkMaxValueNameLen = 60, kNkMaxValueDataLen = 64,
                      kNkNameLen = 72, kNkClassLen = 74, kNkName = 76;
constexpr std::size_t kVkNameLen = 2, kVkDataSize = 4, kVkData = 8, kVkType = 12, kVkFlags = 16, kVkName = 20;
constexpr std::size_t kListCount = 2, kListElements = 4;
constexpr std::size_t kDbSegmentList = 4;

constexpr std::uint16_t kKeyHiveEntry = 0x0004, kKeyNoDelete = 0x0008, kKeyCompName = 0x0020;
constexpr std::uint16_t kValueCompName = 0x0001;

void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}

void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  put16(b, at, static_cast<std::uint16_t>(v));
  put16(b, at + 2, static_cast<std::uint16_t>(v >> 16));
}

void put64(std::vector<std::uint8_t>& b, std::size_t at, std::uint64_t v) {
  put32(b, at, static_cast<std::uint32_t>(v));
  put32(b, at + 4, static_cast<std::uint32_t>(v >> 32));
}

std::uint16_t get16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}

std::uint32_t get32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return get16(b, at) | (static_cast<std::uint32_t>(get16(b, at + 2)) << 16);
}

std::size_t align_up(std::size_t n, std::size_t alignment) { return (n + alignment - 1) / alignment * alignment; }

std::size_t utf16_bytes(std::u16string_view s) { return s.size() * 2; }

bool is_big_data(std::uint32_t minor, std::size_t size) { return minor >= 4 && size > kBigDataSegment; }

// Simple uppercase mapping of one UTF-16 code unit, covering ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic
// and fullwidth Latin; other code units (including surrogates) map to themselves.
char16_t upcase(char16_t c) {
  const auto minus = [c](int d) { return static_cast<char16_t>(c - d); };
  if ((c >= u'a' && c <= u'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) return minus(0x20);
  if (c == 0xB5) return 0x39C;
  if (c == 0xFF) return 0x178;
  const bool odd = (c & 1) != 0;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return odd ? minus(1) : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return odd ? c : minus(1);
  if (c == 0x3C2) return 0x3A3;
  if ((c >= 0x3B1 && c <= 0x3CB) || (c >= 0x430 && c <= 0x44F) || (c >= 0xFF41 && c <= 0xFF5A)) return minus(0x20);
  if (c >= 0x450 && c <= 0x45F) return minus(0x50);
  return c;
}

std::u16string upcase(std::u16string_view s) {
  std::u16string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char16_t c) { return upcase(c); });
  return out;
}

bool fits_latin1(std::u16string_view s) {
  return std::all_of(s.begin(), s.end(), [](char16_t c) { return c <= 0xFF; });
}

std::uint32_t lh_hash(std::u16string_view upper) {
  std::uint32_t h = 0;
  for (const char16_t c : upper) h = h * 37 + c;
  return h;
}

// Decodes one UTF-8 sequence at s[i]; returns (code point, length). Accepts encoded surrogates (WTF-8).
std::pair<char32_t, std::size_t> decode_utf8_at(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return {lead, 1};
  const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (len == 0 || lead > 0xF4 || i + len > s.size()) throw std::invalid_argument("invalid UTF-8");
  char32_t cp = lead & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont & 0xC0) != 0x80) throw std::invalid_argument("invalid UTF-8");
    cp = (cp << 6) | (cont & 0x3F);
  }
  constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFF) throw std::invalid_argument("invalid UTF-8");
  return {cp, len};
}

std::u16string decode_utf8(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, len] = decode_utf8_at(s, i);
    if (cp < 0x10000) {
      out.push_back(static_cast<char16_t>(cp));
    } else {
      out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    }
    i += len;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  constexpr unsigned char kLead[] = {0, 0xC0, 0xE0, 0xF0};
  const int tail = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
  out.push_back(static_cast<char>(kLead[tail] | (cp >> (6 * tail))));
  for (int k = tail - 1; k >= 0; --k) out.push_back(static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F)));
}

// UTF-8 for valid UTF-16; an unpaired surrogate becomes its 3-byte WTF-8 form.
std::string encode_wtf8(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t cp = s[i];
    const bool pair = cp >= 0xD800 && cp <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF;
    if (pair) cp = 0x10000 + ((cp - 0xD800) << 10) + (s[++i] - 0xDC00);
    append_utf8(out, cp);
  }
  return out;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const std::size_t sep = path.find('\\');
    if (sep != 0) parts.push_back(path.substr(0, sep));
    if (sep == std::string_view::npos) break;
    path.remove_prefix(sep + 1);
  }
  return parts;
}

std::string join_path(const std::string& parent, std::u16string_view name) {
  return parent.empty() ? encode_wtf8(name) : parent + '\\' + encode_wtf8(name);
}

// Name bytes as stored in nk/vk: Latin-1 when every code unit fits ("compressed"), else UTF-16LE.
std::vector<std::uint8_t> stored_name(std::u16string_view name) {
  if (!fits_latin1(name)) return utf16le(name, false);
  return std::vector<std::uint8_t>(name.begin(), name.end());
}

// Appends the bytes of a self-relative SID with one sub-authority per element of `subs`.
void append_sid(std::vector<std::uint8_t>& b, std::uint8_t authority, std::initializer_list<std::uint32_t> subs) {
  const std::size_t at = b.size();
  b.resize(at + 8 + 4 * subs.size());
  b[at] = 1;
  b[at + 1] = static_cast<std::uint8_t>(subs.size());
  b[at + 7] = authority;
  std::size_t pos = at + 8;
  for (const std::uint32_t sub : subs) put32(b, std::exchange(pos, pos + 4), sub);
}

// Self-relative SECURITY_DESCRIPTOR: owner S-1-5-32-544, group S-1-5-18, DACL allowing 0xF003F to S-1-1-0.
std::vector<std::uint8_t> security_descriptor() {
  constexpr std::size_t kHeader = 20, kOwner = 16, kGroup = 12, kAclHeader = 8, kAceHeader = 8, kEveryone = 12;
  constexpr std::size_t kAceSize = kAceHeader + kEveryone, kAclSize = kAclHeader + kAceSize;
  std::vector<std::uint8_t> sd(kHeader);
  sd[0] = 1;                                 // revision
  put16(sd, 2, 0x8004);                      // SE_SELF_RELATIVE | SE_DACL_PRESENT
  put32(sd, 4, kHeader);                     // owner
  put32(sd, 8, kHeader + kOwner);            // group
  put32(sd, 16, kHeader + kOwner + kGroup);  // DACL (SACL at 12 stays 0)
  append_sid(sd, 5, {32, 544});              // BUILTIN\Administrators
  append_sid(sd, 5, {18});                   // LocalSystem
  const std::size_t acl = sd.size();
  sd.resize(acl + kAclHeader + kAceHeader);
  sd[acl] = 2;  // ACL revision
  put16(sd, acl + 2, kAclSize);
  put16(sd, acl + 4, 1);                        // ACE count
  put16(sd, acl + kAclHeader + 2, kAceSize);    // ACCESS_ALLOWED_ACE, flags 0
  put32(sd, acl + kAclHeader + 4, 0x000F003F);  // KEY_ALL_ACCESS
  append_sid(sd, 1, {0});                       // Everyone
  return sd;
}

std::uint32_t checksum(const std::vector<std::uint8_t>& hive) {
  std::uint32_t c = 0;
  for (std::size_t i = 0; i < 508; i += 4) c ^= get32(hive, i);
  if (c == 0xFFFFFFFF) return 0xFFFFFFFE;
  return c == 0 ? 1 : c;
}

// Reads and edits cells of a built hive by hbin-relative offset; used to simulate deletion.
class CellEditor {
 public:
  explicit CellEditor(std::vector<std::uint8_t>& hive) : hive_(hive) {}
  std::uint16_t u16(std::uint32_t cell, std::size_t field) const { return get16(hive_, data(cell) + field); }
  std::uint32_t u32(std::uint32_t cell, std::size_t field) const { return get32(hive_, data(cell) + field); }
  void set16(std::uint32_t cell, std::size_t field, std::uint16_t v) { put16(hive_, data(cell) + field, v); }
  void set32(std::uint32_t cell, std::size_t field, std::uint32_t v) { put32(hive_, data(cell) + field, v); }
  bool allocated(std::uint32_t cell) const { return static_cast<std::int32_t>(get32(hive_, start(cell))) < 0; }
  void mark_free(std::uint32_t cell) {
    if (allocated(cell)) put32(hive_, start(cell), 0 - get32(hive_, start(cell)));
  }
  bool is_index_root(std::uint32_t cell) const { return hive_[data(cell)] == 'r' && hive_[data(cell) + 1] == 'i'; }
  // Removes the first element equal to `target` from a list cell with `element_size`-byte elements.
  bool remove_element(std::uint32_t list, std::size_t element_size, std::uint32_t target) {
    const std::uint16_t count = u16(list, kListCount);
    const std::size_t first = data(list) + kListElements;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t at = first + i * element_size;
      if (get32(hive_, at) != target) continue;
      std::memmove(&hive_[at], &hive_[at + element_size], (count - 1 - i) * element_size);
      set16(list, kListCount, static_cast<std::uint16_t>(count - 1));
      return true;
    }
    return false;
  }

 private:
  static std::size_t start(std::uint32_t cell) { return kBaseBlockSize + cell; }
  static std::size_t data(std::uint32_t cell) { return start(cell) + 4; }
  std::vector<std::uint8_t>& hive_;
};

// The leaves of a subkey list: the ri's elements, or the list itself.
std::vector<std::uint32_t> leaves_of(const CellEditor& ed, std::uint32_t list) {
  if (!ed.is_index_root(list)) return {list};
  std::vector<std::uint32_t> leaves(ed.u16(list, kListCount));
  for (std::size_t i = 0; i < leaves.size(); ++i) leaves[i] = ed.u32(list, kListElements + 4 * i);
  return leaves;
}

void free_value(CellEditor& ed, std::uint32_t vk, std::uint32_t minor) {
  const std::uint32_t raw_size = ed.u32(vk, kVkDataSize), size = raw_size & ~kInlineData;
  const std::uint32_t data = ed.u32(vk, kVkData);
  if ((raw_size & kInlineData) == 0) {
    if (is_big_data(minor, size)) {
      const std::uint32_t segments = ed.u32(data, kDbSegmentList);
      for (std::size_t i = 0; i < ed.u16(data, kListCount); ++i) ed.mark_free(ed.u32(segments, 4 * i));
      ed.mark_free(segments);
    }
    ed.mark_free(data);
  }
  ed.mark_free(vk);
}

// Frees the key's cells and those of its whole subtree; returns the number of keys freed.
std::uint32_t free_key_tree(CellEditor& ed, std::uint32_t nk, std::uint32_t minor) {
  std::uint32_t freed = 1;
  if (const std::uint32_t list = ed.u32(nk, kNkSubkeyList); list != kNil) {
    for (const std::uint32_t leaf : leaves_of(ed, list)) {
      for (std::size_t i = 0; i < ed.u16(leaf, kListCount); ++i) {
        freed += free_key_tree(ed, ed.u32(leaf, kListElements + 8 * i), minor);
      }
      ed.mark_free(leaf);
    }
    ed.mark_free(list);
  }
  if (const std::uint32_t values = ed.u32(nk, kNkValueList); values != kNil) {
    for (std::size_t i = 0; i < ed.u32(nk, kNkValueCount); ++i) free_value(ed, ed.u32(values, 4 * i), minor);
    ed.mark_free(values);
  }
  if (const std::uint32_t cls = ed.u32(nk, kNkClass); cls != kNil) ed.mark_free(cls);
  ed.mark_free(nk);
  return freed;
}

// Removes nk from its parent's subkey list, freeing a leaf (and the list) that becomes empty.
void unlink_from_parent(CellEditor& ed, std::uint32_t nk) {
  const std::uint32_t parent = ed.u32(nk, kNkParent);
  const std::uint32_t list = ed.u32(parent, kNkSubkeyList);
  for (const std::uint32_t leaf : leaves_of(ed, list)) {
    if (!ed.remove_element(leaf, 8, nk)) continue;
    if (leaf != list && ed.u16(leaf, kListCount) == 0) {
      ed.remove_element(list, 4, leaf);
      ed.mark_free(leaf);
    }
    break;
  }
  const std::uint32_t remaining = ed.u32(parent, kNkSubkeyCount) - 1;
  ed.set32(parent, kNkSubkeyCount, remaining);
  if (remaining == 0) {
    ed.mark_free(list);
    ed.set32(parent, kNkSubkeyList, kNil);
  }
}

}  // namespace

std::uint64_t filetime(int year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second) {
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) throw std::invalid_argument("invalid date/time");
  const auto unix_seconds =
      duration_cast<seconds>(sys_days{date}.time_since_epoch()).count() + hour * 3600 + minute * 60 + second;
  return static_cast<std::uint64_t>(unix_seconds + kUnixEpochAsFiletimeSeconds) * 10'000'000;
}

std::vector<std::uint8_t> utf16le(std::u16string_view s, bool terminate) {
  std::vector<std::uint8_t> out(utf16_bytes(s) + (terminate ? 2 : 0));
  for (std::size_t i = 0; i < s.size(); ++i) put16(out, 2 * i, s[i]);
  return out;
}

std::vector<std::uint8_t> utf16le(std::string_view utf8, bool terminate) {
  return utf16le(decode_utf8(utf8), terminate);
}

// Lays out one hive: cells are appended hbin by hbin, depth-first from the root.
class HiveBuilder::Writer {
 public:
  Writer(const HiveBuilder& b, std::vector<std::uint32_t>& nk_by_key) : b_(b), nk_by_key_(nk_by_key) {
    nk_by_key_.assign(b.keys_.size(), kNil);
    for (const Key& k : b.keys_) hive_time_ = std::max(hive_time_, k.last_written);
  }

  std::vector<std::uint8_t> run() {
    out_.reserve(estimated_size());
    out_.resize(kBaseBlockSize);
    next_ = hbin_end_ = out_.size();
    const std::uint32_t root = alloc(nk_size(b_.keys_[0]));
    sk_ = emit_sk();
    fill_key(0, root, kNil, "");
    close_hbin();
    write_base_block(root);
    return std::move(out_);
  }

 private:
  std::size_t estimated_size() const {
    std::size_t n = kBaseBlockSize + kHbinAlignment;
    for (const Key& k : b_.keys_) {
      n += 96 + utf16_bytes(k.name);
      for (const Value& v : k.values) n += 40 + utf16_bytes(v.name) + v.data.size();
    }
    return n + n / 8;
  }

  static std::size_t at(std::uint32_t cell) { return kBaseBlockSize + cell + 4; }
  static std::size_t nk_size(const Key& k) { return kNkName + stored_name(k.name).size(); }

  // Allocates a zeroed cell with room for `payload` bytes; returns its hbin-relative offset.
  std::uint32_t alloc(std::size_t payload) {
    const std::size_t size = align_up(payload + 4, 8);
    if (next_ + size > hbin_end_) open_hbin(size);
    const std::size_t cell = next_;
    put32(out_, cell, static_cast<std::uint32_t>(0 - size));
    next_ += size;
    return static_cast<std::uint32_t>(cell - kBaseBlockSize);
  }

  void open_hbin(std::size_t cell_size) {
    close_hbin();
    const std::size_t start = out_.size();
    const std::size_t size = align_up(kHbinHeaderSize + cell_size, kHbinAlignment);
    out_.resize(start + size);
    std::memcpy(&out_[start], "hbin", 4);
    put32(out_, start + 4, static_cast<std::uint32_t>(start - kBaseBlockSize));
    put32(out_, start + 8, static_cast<std::uint32_t>(size));
    if (start == kBaseBlockSize) put64(out_, start + 20, hive_time_);
    next_ = start + kHbinHeaderSize;
    hbin_end_ = start + size;
  }

  // Turns the unused tail of the current hbin into one free cell.
  void close_hbin() {
    if (hbin_end_ > next_) put32(out_, next_, static_cast<std::uint32_t>(hbin_end_ - next_));
    next_ = hbin_end_;
  }

  std::uint32_t emit_bytes(const std::uint8_t* data, std::size_t size) {
    const std::uint32_t cell = alloc(size);
    std::memcpy(&out_[at(cell)], data, size);
    return cell;
  }

  std::uint32_t emit_offsets(const std::vector<std::uint32_t>& offsets) {
    const std::uint32_t cell = alloc(4 * offsets.size());
    for (std::size_t i = 0; i < offsets.size(); ++i) put32(out_, at(cell) + 4 * i, offsets[i]);
    return cell;
  }

  std::uint32_t emit_sk() {
    const std::vector<std::uint8_t> sd = security_descriptor();
    const std::uint32_t sk = alloc(20 + sd.size());
    const std::size_t p = at(sk);
    std::memcpy(&out_[p], "sk", 2);
    put32(out_, p + 4, sk);  // flink
    put32(out_, p + 8, sk);  // blink
    put32(out_, p + 12, static_cast<std::uint32_t>(b_.keys_.size()));
    put32(out_, p + 16, static_cast<std::uint32_t>(sd.size()));
    std::memcpy(&out_[p + 20], sd.data(), sd.size());
    return sk;
  }

  std::uint32_t emit_key(std::uint32_t index, std::uint32_t parent, std::string path) {
    const std::uint32_t nk = alloc(nk_size(b_.keys_[index]));
    fill_key(index, nk, parent, std::move(path));
    return nk;
  }

  void fill_key(std::uint32_t index, std::uint32_t nk, std::uint32_t parent, std::string path) {
    const Key& k = b_.keys_[index];
    nk_by_key_[index] = nk;
    write_nk_header(k, nk, parent);
    if (k.class_name) {
      const std::vector<std::uint8_t> cls = utf16le(*k.class_name, false);
      put32(out_, at(nk) + kNkClass, emit_bytes(cls.data(), cls.size()));
      put16(out_, at(nk) + kNkClassLen, static_cast<std::uint16_t>(cls.size()));
    }
    if (!k.values.empty()) emit_values(k, nk);
    if (!k.children.empty()) emit_subkeys(k, nk, path);
    b_.key_offsets_.emplace(std::move(path), nk);
  }

  // The root is the key without a parent: flagged as hive entry, parent field nil.
  void write_nk_header(const Key& k, std::uint32_t nk, std::uint32_t parent) {
    const std::size_t p = at(nk);
    const std::vector<std::uint8_t> name = stored_name(k.name);
    const bool root = parent == kNil;
    std::memcpy(&out_[p], "nk", 2);
    put16(out_, p + kNkFlags, (fits_latin1(k.name) ? kKeyCompName : 0) | (root ? kKeyHiveEntry | kKeyNoDelete : 0));
    put64(out_, p + kNkTime, k.last_written);
    put32(out_, p + kNkParent, parent);
    put32(out_, p + kNkSubkeyList, kNil);
    put32(out_, p + kNkVolatileList, kNil);
    put32(out_, p + kNkValueList, kNil);
    put32(out_, p + kNkSecurity, sk_);
    put32(out_, p + kNkClass, kNil);
    put16(out_, p + kNkNameLen, static_cast<std::uint16_t>(name.size()));
    std::memcpy(&out_[p + kNkName], name.data(), name.size());
  }

  void emit_values(const Key& k, std::uint32_t nk) {
    std::vector<std::uint32_t> vks;
    vks.reserve(k.values.size());
    std::size_t max_name = 0, max_data = 0;
    for (const Value& v : k.values) {
      vks.push_back(emit_value(v));
      max_name = std::max(max_name, utf16_bytes(v.name));
      max_data = std::max(max_data, v.data.size());
    }
    const std::uint32_t list = emit_offsets(vks);
    const std::size_t p = at(nk);
    put32(out_, p + kNkValueList, list);
    put32(out_, p + kNkValueCount, static_cast<std::uint32_t>(vks.size()));
    put32(out_, p + kNkMaxValueNameLen, static_cast<std::uint32_t>(max_name));
    put32(out_, p + kNkMaxValueDataLen, static_cast<std::uint32_t>(max_data));
  }

  // Data of up to 4 bytes is stored inline in the data-offset field. That includes empty data: libregf reports
  // a value with size 0 and a nil data offset as corrupted.
  std::uint32_t emit_value(const Value& v) {
    const std::vector<std::uint8_t> name = stored_name(v.name);
    const std::uint32_t vk = alloc(kVkName + name.size());
    const std::size_t p = at(vk), size = v.data.size();
    const bool inline_data = size <= 4;
    std::memcpy(&out_[p], "vk", 2);
    put16(out_, p + kVkNameLen, static_cast<std::uint16_t>(name.size()));
    put32(out_, p + kVkDataSize, static_cast<std::uint32_t>(size) | (inline_data ? kInlineData : 0));
    put32(out_, p + kVkType, v.type);
    put16(out_, p + kVkFlags, fits_latin1(v.name) ? kValueCompName : 0);
    std::copy(name.begin(), name.end(), out_.begin() + static_cast<std::ptrdiff_t>(p + kVkName));
    if (inline_data) {
      std::copy(v.data.begin(), v.data.end(), out_.begin() + static_cast<std::ptrdiff_t>(p + kVkData));
    } else {
      const std::uint32_t data = emit_data(v.data);
      put32(out_, at(vk) + kVkData, data);
    }
    return vk;
  }

  // A data cell, or a db record with its segment list and segments for big data.
  std::uint32_t emit_data(const std::vector<std::uint8_t>& data) {
    if (!is_big_data(b_.minor_, data.size())) return emit_bytes(data.data(), data.size());
    std::vector<std::uint32_t> segments;
    for (std::size_t pos = 0; pos < data.size(); pos += kBigDataSegment) {
      segments.push_back(emit_bytes(&data[pos], std::min(kBigDataSegment, data.size() - pos)));
    }
    const std::uint32_t list = emit_offsets(segments);
    const std::uint32_t db = alloc(8);
    std::memcpy(&out_[at(db)], "db", 2);
    put16(out_, at(db) + kListCount, static_cast<std::uint16_t>(segments.size()));
    put32(out_, at(db) + kDbSegmentList, list);
    return db;
  }

  void emit_subkeys(const Key& k, std::uint32_t nk, const std::string& path) {
    std::vector<std::uint32_t> sorted = k.children;
    std::sort(sorted.begin(), sorted.end(),
              [this](std::uint32_t a, std::uint32_t b) { return b_.keys_[a].upper < b_.keys_[b].upper; });
    std::size_t max_name = 0, max_class = 0;
    for (const std::uint32_t child : sorted) {
      const Key& c = b_.keys_[child];
      emit_key(child, nk, join_path(path, c.name));
      max_name = std::max(max_name, utf16_bytes(c.name));
      max_class = std::max(max_class, c.class_name ? utf16_bytes(*c.class_name) : 0);
    }
    const std::uint32_t list = emit_subkey_list(sorted);
    const std::size_t p = at(nk);
    put32(out_, p + kNkSubkeyCount, static_cast<std::uint32_t>(sorted.size()));
    put32(out_, p + kNkSubkeyList, list);
    put32(out_, p + kNkMaxNameLen, static_cast<std::uint32_t>(max_name));
    put32(out_, p + kNkMaxClassLen, static_cast<std::uint32_t>(max_class));
  }

  // One leaf, or an ri over leaves of at most kMaxLeafElements.
  std::uint32_t emit_subkey_list(const std::vector<std::uint32_t>& sorted) {
    if (sorted.size() <= kMaxLeafElements) return emit_leaf(sorted, 0, sorted.size());
    std::vector<std::uint32_t> leaves;
    for (std::size_t first = 0; first < sorted.size(); first += kMaxLeafElements) {
      leaves.push_back(emit_leaf(sorted, first, std::min(sorted.size(), first + kMaxLeafElements)));
    }
    const std::uint32_t ri = alloc(kListElements + 4 * leaves.size());
    std::memcpy(&out_[at(ri)], "ri", 2);
    put16(out_, at(ri) + kListCount, static_cast<std::uint16_t>(leaves.size()));
    for (std::size_t i = 0; i < leaves.size(); ++i) put32(out_, at(ri) + kListElements + 4 * i, leaves[i]);
    return ri;
  }

  // lh (hash of the upcased name) from minor version 5 on, else lf (first four name characters as hint).
  std::uint32_t emit_leaf(const std::vector<std::uint32_t>& sorted, std::size_t first, std::size_t last) {
    const bool lh = b_.minor_ >= 5;
    const std::uint32_t leaf = alloc(kListElements + 8 * (last - first));
    const std::size_t p = at(leaf);
    std::memcpy(&out_[p], lh ? "lh" : "lf", 2);
    put16(out_, p + kListCount, static_cast<std::uint16_t>(last - first));
    for (std::size_t i = first; i < last; ++i) {
      const Key& k = b_.keys_[sorted[i]];
      const std::size_t element = p + kListElements + 8 * (i - first);
      put32(out_, element, nk_by_key_[sorted[i]]);
      if (lh) {
        put32(out_, element + 4, lh_hash(k.upper));
      } else {
        write_lf_hint(k.name, element + 4);
      }
    }
    return leaf;
  }

  // First four characters as Latin-1, NUL-padded; all zero if one of them is not Latin-1.
  void write_lf_hint(std::u16string_view name, std::size_t pos) {
    const std::u16string_view head = name.substr(0, 4);
    if (!fits_latin1(head)) return;
    for (std::size_t i = 0; i < head.size(); ++i) out_[pos + i] = static_cast<std::uint8_t>(head[i]);
  }

  void write_base_block(std::uint32_t root) {
    std::memcpy(&out_[0], "regf", 4);
    put32(out_, 4, b_.primary_seq_);
    put32(out_, 8, b_.secondary_seq_);
    put64(out_, 12, hive_time_);
    put32(out_, 20, 1);  // major version
    put32(out_, 24, b_.minor_);
    put32(out_, 28, 0);  // primary file
    put32(out_, 32, 1);  // direct memory load
    put32(out_, 36, root);
    put32(out_, 40, static_cast<std::uint32_t>(out_.size() - kBaseBlockSize));
    put32(out_, 44, 1);  // clustering factor
    const std::u16string_view file_name = std::u16string_view(b_.keys_[0].name).substr(0, 31);
    for (std::size_t i = 0; i < file_name.size(); ++i) put16(out_, 48 + 2 * i, file_name[i]);
    put32(out_, 508, checksum(out_) ^ (b_.corrupt_checksum_ ? 1 : 0));
  }

  const HiveBuilder& b_;
  std::vector<std::uint32_t>& nk_by_key_;
  std::vector<std::uint8_t> out_;
  std::size_t next_ = 0, hbin_end_ = 0;  // file offsets: next free byte and end of the current hbin
  std::uint32_t sk_ = kNil;
  std::uint64_t hive_time_ = 0;
};

HiveBuilder::NameKey::NameKey(std::uint32_t owner_index, std::u16string upper_name)
    : owner(owner_index),
      upper(std::move(upper_name)),
      hash(std::hash<std::u16string>{}(upper) ^ (owner * 0x9E3779B97F4A7C15ull)) {}

HiveBuilder::HiveBuilder(std::string root_name, std::uint64_t default_time) : default_time_(default_time) {
  std::u16string name = decode_utf8(root_name);
  std::u16string upper = upcase(name);
  keys_.push_back(Key{std::move(name), std::move(upper), default_time, std::nullopt, {}, {}});
}

std::uint32_t HiveBuilder::find_or_add_child(std::uint32_t parent, std::u16string name) {
  std::u16string upper = upcase(name);
  const auto [it, added] = child_index_.try_emplace(NameKey{parent, upper}, static_cast<std::uint32_t>(keys_.size()));
  if (added) {
    keys_.push_back(Key{std::move(name), std::move(upper), default_time_, std::nullopt, {}, {}});
    keys_[parent].children.push_back(it->second);
  }
  return it->second;
}

std::uint32_t HiveBuilder::find_or_add_key(std::string_view path) {
  if (path == last_path_) return last_index_;
  std::uint32_t index = 0;
  for (const std::string_view part : split_path(path)) index = find_or_add_child(index, decode_utf8(part));
  last_path_.assign(path);
  last_index_ = index;
  return index;
}

std::optional<std::uint32_t> HiveBuilder::find_key(std::string_view path) const {
  std::uint32_t index = 0;
  for (const std::string_view part : split_path(path)) {
    const auto it = child_index_.find(NameKey{index, upcase(decode_utf8(part))});
    if (it == child_index_.end()) return std::nullopt;
    index = it->second;
  }
  return index;
}

HiveBuilder& HiveBuilder::key(std::string_view path, std::optional<std::uint64_t> last_written) {
  const std::uint32_t index = find_or_add_key(path);
  if (last_written) keys_[index].last_written = *last_written;
  return *this;
}

HiveBuilder& HiveBuilder::key_raw_name(std::string_view parent_path, std::vector<std::uint8_t> utf16le_name,
                                       std::uint64_t last_written) {
  if (utf16le_name.size() % 2 != 0) throw std::invalid_argument("UTF-16LE name of odd length");
  std::u16string name(utf16le_name.size() / 2, u'\0');
  for (std::size_t i = 0; i < name.size(); ++i) name[i] = static_cast<char16_t>(get16(utf16le_name, 2 * i));
  const std::uint32_t parent = find_or_add_key(parent_path);
  keys_[find_or_add_child(parent, std::move(name))].last_written = last_written;
  return *this;
}

HiveBuilder& HiveBuilder::class_name(std::string_view path, std::u16string_view cls) {
  keys_[find_or_add_key(path)].class_name = std::u16string(cls);
  return *this;
}

HiveBuilder& HiveBuilder::set_value(std::string_view path, std::u16string name, std::uint32_t type,
                                    std::vector<std::uint8_t> data) {
  const std::uint32_t index = find_or_add_key(path);
  std::vector<Value>& values = keys_[index].values;
  const auto [it, added] =
      value_index_.try_emplace(NameKey{index, upcase(name)}, static_cast<std::uint32_t>(values.size()));
  if (added) values.push_back(Value{std::move(name), 0, {}});
  values[it->second].type = type;
  values[it->second].data = std::move(data);
  return *this;
}

HiveBuilder& HiveBuilder::value(std::string_view path, std::string_view name, std::uint32_t type,
                                std::vector<std::uint8_t> data) {
  return set_value(path, decode_utf8(name), type, std::move(data));
}

HiveBuilder& HiveBuilder::sz(std::string_view path, std::string_view name, std::string_view utf8) {
  return value(path, name, kRegSz, utf16le(utf8));
}

HiveBuilder& HiveBuilder::expand_sz(std::string_view path, std::string_view name, std::string_view utf8) {
  return value(path, name, kRegExpandSz, utf16le(utf8));
}

HiveBuilder& HiveBuilder::multi_sz(std::string_view path, std::string_view name,
                                   const std::vector<std::string>& items) {
  std::vector<std::uint8_t> data;
  for (const std::string& item : items) {
    const std::vector<std::uint8_t> bytes = utf16le(item);
    data.insert(data.end(), bytes.begin(), bytes.end());
  }
  data.insert(data.end(), {0, 0});
  return value(path, name, kRegMultiSz, std::move(data));
}

HiveBuilder& HiveBuilder::dword(std::string_view path, std::string_view name, std::uint32_t v) {
  std::vector<std::uint8_t> data(4);
  put32(data, 0, v);
  return value(path, name, kRegDword, std::move(data));
}

HiveBuilder& HiveBuilder::dword_be(std::string_view path, std::string_view name, std::uint32_t v) {
  return value(path, name, kRegDwordBigEndian,
               {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
}

HiveBuilder& HiveBuilder::qword(std::string_view path, std::string_view name, std::uint64_t v) {
  std::vector<std::uint8_t> data(8);
  put64(data, 0, v);
  return value(path, name, kRegQword, std::move(data));
}

HiveBuilder& HiveBuilder::binary(std::string_view path, std::string_view name, std::vector<std::uint8_t> data) {
  return value(path, name, kRegBinary, std::move(data));
}

HiveBuilder& HiveBuilder::sequences(std::uint32_t primary, std::uint32_t secondary) {
  primary_seq_ = primary;
  secondary_seq_ = secondary;
  return *this;
}

HiveBuilder& HiveBuilder::minor_version(std::uint32_t minor) {
  minor_ = minor;
  return *this;
}

HiveBuilder& HiveBuilder::corrupt_checksum(bool yes) {
  corrupt_checksum_ = yes;
  return *this;
}

std::vector<std::uint8_t> HiveBuilder::build(std::vector<std::uint32_t>& nk_by_key) const {
  key_offsets_.clear();
  return Writer(*this, nk_by_key).run();
}

std::vector<std::uint8_t> HiveBuilder::build() const {
  std::vector<std::uint32_t> nk_by_key;
  return build(nk_by_key);
}

void HiveBuilder::write(const std::filesystem::path& file) const {
  const std::vector<std::uint8_t> hive = build();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(hive.data()), static_cast<std::streamsize>(hive.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

const std::map<std::string, std::uint32_t>& HiveBuilder::key_offsets() const { return key_offsets_; }

std::vector<std::uint8_t> HiveBuilder::build_with_deleted(const std::vector<std::string>& deleted_key_paths) const {
  std::vector<std::uint32_t> nk_by_key;
  std::vector<std::uint8_t> hive = build(nk_by_key);
  CellEditor ed(hive);
  std::uint32_t freed = 0;
  for (const std::string& path : deleted_key_paths) {
    const std::optional<std::uint32_t> index = find_key(path);
    if (!index) throw std::invalid_argument("no such key: " + path);
    if (*index == 0) throw std::invalid_argument("cannot delete the root key");
    const std::uint32_t nk = nk_by_key[*index];
    if (!ed.allocated(nk)) continue;  // inside a subtree deleted before
    unlink_from_parent(ed, nk);
    freed += free_key_tree(ed, nk, minor_);
  }
  const std::uint32_t sk = ed.u32(nk_by_key[0], kNkSecurity);
  ed.set32(sk, 12, ed.u32(sk, 12) - freed);
  return hive;
}

}  // namespace regpersist::testsupport
