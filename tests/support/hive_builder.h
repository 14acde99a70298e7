// hive_builder.h — test support: HiveBuilder, a writer of Windows registry hive ("regf") files.
//
// Owns the API that unit tests, integration tests and benchmarks use to produce hives with exactly the
// content they need: keys with chosen names and last-written times, values of any type and size (inline,
// cell and big-data storage), class names, sequence numbers, minor version, a corrupted checksum, and
// deleted keys whose cells stay behind as free cells for recovery tests.
//
// Layout written (see shared research anchors §4.3): 4096-byte base block, then hbins of 4096 bytes (larger
// only for a cell that does not fit), one shared `sk` cell, `nk` per key, `lh` subkey lists (`lf` below minor
// version 5) under an `ri` root when a key has more than 512 subkeys, value lists, `vk` cells, and `db`
// big-data records for data over 16344 bytes (minor version 4 and above). Data of up to 4 bytes (also empty
// data) is stored inline in the vk. The base block's and first hbin's timestamp is the latest key time.
//
// Names: paths are backslash-separated below the root, UTF-8, compared case-insensitively (see upcase() in
// hive_builder.cpp for the case mapping used for lookup, sorting and the `lh` hash). The first spelling of a
// key name is kept.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace regpersist::testsupport {

// FILETIME ticks (100 ns since 1601-01-01 UTC) for a UTC calendar time.
std::uint64_t filetime(int year, unsigned month, unsigned day, unsigned hour = 0, unsigned minute = 0,
                       unsigned second = 0);

// UTF-16LE bytes of a string, followed by a NUL code unit when `terminate` is set.
std::vector<std::uint8_t> utf16le(std::u16string_view s, bool terminate = true);
// Same for UTF-8 input. Encoded surrogates (WTF-8, ED A0 80..ED BF BF) are accepted and kept as single code
// units; other invalid UTF-8 throws std::invalid_argument.
std::vector<std::uint8_t> utf16le(std::string_view utf8, bool terminate = true);

// Registry value types (REG_*).
inline constexpr std::uint32_t kRegNone = 0;
inline constexpr std::uint32_t kRegSz = 1;
inline constexpr std::uint32_t kRegExpandSz = 2;
inline constexpr std::uint32_t kRegBinary = 3;
inline constexpr std::uint32_t kRegDword = 4;
inline constexpr std::uint32_t kRegDwordBigEndian = 5;
inline constexpr std::uint32_t kRegLink = 6;
inline constexpr std::uint32_t kRegMultiSz = 7;
inline constexpr std::uint32_t kRegResourceList = 8;
inline constexpr std::uint32_t kRegQword = 11;

class HiveBuilder {
 public:
  explicit HiveBuilder(std::string root_name = "ROOT", std::uint64_t default_time = filetime(2020, 1, 1));

  // Creates the key and any missing parents (backslash-separated path below the root; "" = root).
  // Parents created implicitly get the default time; an existing key keeps its time unless one is given.
  HiveBuilder& key(std::string_view path, std::optional<std::uint64_t> last_written = std::nullopt);
  // Creates (or re-times) a subkey of `parent_path` whose name is the given UTF-16LE code units, kept verbatim
  // (e.g. unpaired surrogates; stored compressed only if all are Latin-1, like any name). Its path, for the
  // other calls and key_offsets(), is the parent path plus the WTF-8 form of the name. Odd length throws.
  HiveBuilder& key_raw_name(std::string_view parent_path, std::vector<std::uint8_t> utf16le_name,
                            std::uint64_t last_written);
  HiveBuilder& class_name(std::string_view path, std::u16string_view cls);

  // Value setters create the key if needed; value names are unique per key case-insensitively (setting a
  // value again replaces its type and data, keeping the first spelling of its name). "" = default value.
  HiveBuilder& value(std::string_view path, std::string_view name, std::uint32_t type, std::vector<std::uint8_t> data);
  HiveBuilder& sz(std::string_view path, std::string_view name, std::string_view utf8);         // REG_SZ, + NUL
  HiveBuilder& expand_sz(std::string_view path, std::string_view name, std::string_view utf8);  // REG_EXPAND_SZ
  HiveBuilder& multi_sz(std::string_view path, std::string_view name, const std::vector<std::string>& items);
  HiveBuilder& dword(std::string_view path, std::string_view name, std::uint32_t v);
  HiveBuilder& dword_be(std::string_view path, std::string_view name, std::uint32_t v);
  HiveBuilder& qword(std::string_view path, std::string_view name, std::uint64_t v);
  HiveBuilder& binary(std::string_view path, std::string_view name, std::vector<std::uint8_t> data);

  HiveBuilder& sequences(std::uint32_t primary, std::uint32_t secondary);  // default 1, 1
  HiveBuilder& minor_version(std::uint32_t minor);                         // default 5
  HiveBuilder& corrupt_checksum(bool yes = true);                          // store checksum ^ 1

  // The complete hive file. Also refreshes key_offsets().
  std::vector<std::uint8_t> build() const;
  void write(const std::filesystem::path& file) const;

  // hbin-relative offset of each key's nk cell in the last build(), keyed by path as first spelled
  // ("" = root, no leading backslash). Empty before the first build().
  const std::map<std::string, std::uint32_t>& key_offsets() const;

  // build(), then deletes each listed key with its whole subtree: its nk, class, value list, vk and data
  // cells (and subkey lists) become free cells (positive size, contents kept, not coalesced), it is removed
  // from its parent's subkey list (parent subkey count decremented, an emptied list freed) and the shared sk
  // reference count drops accordingly. No other cell moves. Unknown paths throw std::invalid_argument.
  std::vector<std::uint8_t> build_with_deleted(const std::vector<std::string>& deleted_key_paths) const;

 private:
  struct Value {
    std::u16string name;
    std::uint32_t type = 0;
    std::vector<std::uint8_t> data;
  };
  struct Key {
    std::u16string name;   // as stored in the nk
    std::u16string upper;  // upcased name: lookup, sort order and lh hash
    std::uint64_t last_written = 0;
    std::optional<std::u16string> class_name;
    std::vector<std::uint32_t> children;  // indices into keys_
    std::vector<Value> values;
  };
  // (owner index, upcased name): key of the child-key and value lookup tables. The hash is computed once, as
  // the tables may ask for it again on every probe and rehash.
  struct NameKey {
    NameKey(std::uint32_t owner, std::u16string upper);
    std::uint32_t owner;
    std::u16string upper;
    std::size_t hash;
    bool operator==(const NameKey&) const = default;
  };
  struct NameKeyHash {
    std::size_t operator()(const NameKey& k) const noexcept { return k.hash; }
  };
  class Writer;  // lays out the cells; defined in hive_builder.cpp

  std::vector<std::uint8_t> build(std::vector<std::uint32_t>& nk_by_key) const;
  std::optional<std::uint32_t> find_key(std::string_view path) const;
  std::uint32_t find_or_add_child(std::uint32_t parent, std::u16string name);
  std::uint32_t find_or_add_key(std::string_view path);
  HiveBuilder& set_value(std::string_view path, std::u16string name, std::uint32_t type,
                         std::vector<std::uint8_t> data);

  std::uint64_t default_time_;
  std::uint32_t primary_seq_ = 1;
  std::uint32_t secondary_seq_ = 1;
  std::uint32_t minor_ = 5;
  bool corrupt_checksum_ = false;
  std::vector<Key> keys_;  // keys_[0] is the root
  std::unordered_map<NameKey, std::uint32_t, NameKeyHash> child_index_;
  std::unordered_map<NameKey, std::uint32_t, NameKeyHash> value_index_;
  std::string last_path_;         // the path find_or_add_key() resolved last (chained calls repeat it) ...
  std::uint32_t last_index_ = 0;  // ... and its key index; "" is the root
  mutable std::map<std::string, std::uint32_t> key_offsets_;
};

}  // namespace regpersist::testsupport
