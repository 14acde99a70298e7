// Read access to one registry hive (a libregf file over an in-memory copy of the hive's bytes).
// Keys and values are plain values decoded at access time; errors name the hive.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "regpersist/base_block.h"
#include "regpersist/error.h"
#include "regpersist/value.h"

namespace regpersist {

enum class HiveType { system, software, ntuser, usrclass, sam, security, amcache, default_user, bcd, other };

std::string hive_type_name(HiveType type);  // "SYSTEM", "SOFTWARE", "NTUSER", …, "OTHER"

class Hive;
namespace hive_detail {
struct CellKeys;
}

// One key of an open hive; valid while its Hive lives. Read through libregf, or from its cell by our own
// code (walk_keys, and keys libregf refuses); both read the same way.
class Key {
 public:
  const std::string& name() const { return name_; }
  std::uint64_t last_written() const { return last_written_; }  // FILETIME ticks
  std::uint32_t offset() const { return offset_; }              // hbin-relative cell offset
  std::string class_name() const;
  int subkey_count() const;
  int value_count() const;
  std::vector<Key> subkeys() const;                        // unreadable subkeys are reported to the hive's diagnostics
  std::optional<Key> subkey(std::string_view name) const;  // case-insensitive
  std::vector<Value> values() const;
  std::optional<Value> value(std::string_view name) const;  // case-insensitive; "" = default
  bool corrupted() const;

 private:
  friend class Hive;
  friend struct hive_detail::CellKeys;
  struct Handle;
  Key(const Hive* hive, std::shared_ptr<Handle> handle);
  const Hive* hive_ = nullptr;
  std::shared_ptr<Handle> handle_;
  std::string name_;
  std::uint64_t last_written_ = 0;
  std::uint32_t offset_ = 0;
};

struct OpenOptions {
  // Label used in messages (the path, or "image.E01:/Windows/System32/config/SYSTEM").
  std::string label;
};

class Hive {
 public:
  // Reads the file into memory and opens it. Throws Error naming the file.
  static Hive open_file(const std::filesystem::path& path, Diagnostics& diagnostics);
  // Opens hive bytes held in memory (a replayed hive, a file read from an image).
  static Hive open_bytes(std::vector<std::uint8_t> bytes, const std::string& label, Diagnostics& diagnostics);

  Hive(Hive&&) noexcept;
  Hive& operator=(Hive&&) noexcept;
  ~Hive();

  const std::string& label() const;
  const BaseBlock& base_block() const;
  const std::vector<std::uint8_t>& bytes() const;  // the bytes libregf reads (repaired if needed)
  std::string sha256() const;                      // of the bytes as they were given, before any repair
  bool header_repaired() const;                    // base-block checksum or size was fixed in memory
  std::uint32_t hive_bins_size() const;            // of the hive bins present (base_block() has the declared one)
  HiveType type() const;
  Key root() const;
  // Backslash-separated path below the root, case-insensitive ("Select", "ControlSet001\Services").
  std::optional<Key> find(std::string_view path) const;
  Diagnostics& diagnostics() const;

 private:
  struct Impl;
  explicit Hive(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class Key;
};

// SYSTEM hive control sets: every ControlSetNNN and the one Select\Current names.
struct ControlSets {
  std::vector<std::string> names;  // "ControlSet001", … in numeric order
  std::optional<std::string> current;
};
ControlSets control_sets(const Hive& system_hive);

// Visits every key depth-first (explicit stack, each cell offset once, depth capped). `visit` gets
// the key and its backslash path below the root ("" for the root). Problems go to diagnostics.
inline constexpr int kMaxKeyDepth = 512;
void walk_keys(const Hive& hive, const std::function<void(const Key&, const std::string& path)>& visit);

}  // namespace regpersist
