// The hive layer over libregf: opens hive bytes from memory through a libbfio memory range, wraps
// every libregf handle in RAII, and turns libregf failures into Error values and diagnostics that
// name the hive. Key and value names are decoded by our own code from the nk/vk records so that any
// name yields valid UTF-8. A key is backed by libregf or read from its cell (cell_keys.h): the full-tree
// walk reads every key from its cell, and so does a subkey libregf refuses.
#include "regpersist/hive.h"

#include <algorithm>
#include <cstring>
#include <fstream>

#include "hive/cell_keys.h"
#include "hive/libregf_handles.h"
#include "regpersist/sha256.h"
#include "txlog/bytes.h"

namespace regpersist {

namespace hive_detail {

namespace {
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && (text.back() == ' ' || text.back() == '.')) text.pop_back();
  return text;
}
}  // namespace

std::string take_error_text(libregf_error_t*& error) {
  if (error == nullptr) return "unknown libregf error";
  char buffer[1024] = {};
  libregf_error_sprint(error, buffer, sizeof buffer);
  libregf_error_free(&error);
  return one_line(buffer);
}

std::string take_bfio_error_text(libbfio_error_t*& error) {
  if (error == nullptr) return "unknown libbfio error";
  char buffer[1024] = {};
  libbfio_error_sprint(error, buffer, sizeof buffer);
  libbfio_error_free(&error);
  return one_line(buffer);
}

void KeyDeleter::operator()(libregf_key_t* key) const { libregf_key_free(&key, nullptr); }
void ValueDeleter::operator()(libregf_value_t* value) const { libregf_value_free(&value, nullptr); }

}  // namespace hive_detail

using hive_detail::KeyPtr;
using hive_detail::take_error_text;
using hive_detail::ValuePtr;

namespace {

constexpr std::size_t kHbinStart = kBaseBlockSize;

std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(path.string(), "is a directory, not a hive file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), std::string("cannot open: ") + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) throw Error(path.string(), "cannot determine the file size");
  in.seekg(0);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) throw Error(path.string(), "read failed");
  return bytes;
}

// libregf reports a record's file offset (past the 4-byte cell size); we keep hbin-relative cell
// offsets, as the format and the other tools do.
std::uint32_t cell_offset_from_libregf(off64_t file_offset) {
  return static_cast<std::uint32_t>(file_offset - static_cast<off64_t>(kHbinStart) - 4);
}

// A base block whose hive-bins size disagrees with the hive bins actually present (truncated file,
// or a damaged field) makes libregf refuse the hive or stop early. The size of the bins present is
// used instead, with a diagnostic; returns whether the field was changed.
bool fix_hive_bins_size(std::vector<std::uint8_t>& bytes, std::uint32_t declared, const std::string& label,
                        Diagnostics& diagnostics) {
  const std::uint32_t present = effective_hive_bins_size(bytes);
  if (present == declared) return false;
  if (present == 0) throw Error(label, "no valid hive bin follows the base block");
  const std::string sizes = "the base block declares " + std::to_string(declared) + " bytes of hive bins, " +
                            std::to_string(present) + " bytes of well-formed hive bins are present";
  diagnostics.warn(label, (present < declared ? "truncated or damaged: " : "base block understates the hive: ") +
                              sizes + "; reading what is present");
  set_hive_bins_size(bytes, present);
  return true;
}

bool root_flag_set(std::span<const std::uint8_t> hive, std::uint32_t root_cell) {
  constexpr std::uint16_t kHiveEntryFlag = 0x0004;
  const std::size_t record = kHbinStart + std::size_t{root_cell} + 4;
  return record + 4 <= hive.size() && (le16(hive, record + 2) & kHiveEntryFlag) != 0;
}

}  // namespace

struct Key::Handle {
  KeyPtr key;                         // libregf's key; null for a key read from its cell
  KeyRecord record;                   // a key read from its cell (its name moved to the Key)
  std::optional<SubkeyList> subkeys;  // a key read from its cell: its subkey list, read once
};

struct Hive::Impl {
  std::string label;
  std::vector<std::uint8_t> bytes;
  BaseBlock base;
  bool repaired = false;
  libbfio_handle_t* io = nullptr;
  libregf_file_t* file = nullptr;
  HiveType type = HiveType::other;
  Diagnostics* diagnostics = nullptr;
  std::vector<std::uint8_t> original_header;  // the base block before repair, for the file's SHA-256
  std::string sha256;                         // computed on first use

  ~Impl() {
    if (file != nullptr) {
      libregf_file_close(file, nullptr);
      libregf_file_free(&file, nullptr);
    }
    if (io != nullptr) libbfio_handle_free(&io, nullptr);
  }

  void open_with_libregf() {
    libbfio_error_t* bfio_error = nullptr;
    if (libbfio_memory_range_initialize(&io, &bfio_error) != 1 ||
        libbfio_memory_range_set(io, bytes.data(), bytes.size(), &bfio_error) != 1)
      throw Error(label, "cannot set up the in-memory reader: " + hive_detail::take_bfio_error_text(bfio_error));
    libregf_error_t* error = nullptr;
    if (libregf_file_initialize(&file, &error) != 1) throw Error(label, take_error_text(error));
    if (libregf_file_open_file_io_handle(file, io, LIBREGF_OPEN_READ, &error) != 1) {
      libregf_file_free(&file, nullptr);
      throw Error(label, "libregf cannot open the hive: " + take_error_text(error));
    }
  }
};

Key::Key(const Hive* hive, std::shared_ptr<Handle> handle) : hive_(hive), handle_(std::move(handle)) {}

namespace hive_detail {

// Makes Keys of both backings (a friend of Key).
struct CellKeys {
  static std::span<const std::uint8_t> bins(const Hive& hive) { return hive_bins_data(hive.bytes()); }

  // The key whose nk record is in the cell at `cell`, if there is one.
  static std::optional<Key> from_cell(const Hive& hive, std::uint32_t cell) {
    auto record = read_cell_key(bins(hive), cell);
    if (!record) return std::nullopt;
    Key key(&hive, std::make_shared<Key::Handle>());
    key.name_ = std::move(record->name);
    key.last_written_ = record->last_written;
    key.offset_ = cell;
    key.handle_->record = std::move(*record);
    return key;
  }

  // The key libregf read, named from its nk record; nothing if its cell holds no nk record.
  static std::optional<Key> from_libregf(const Hive& hive, KeyPtr handle) {
    Key key(&hive, std::make_shared<Key::Handle>(Key::Handle{std::move(handle), {}, {}}));
    libregf_key_t* raw = key.handle_->key.get();
    libregf_key_get_last_written_time(raw, &key.last_written_, nullptr);
    off64_t offset = 0;
    if (libregf_key_get_offset(raw, &offset, nullptr) == 1) key.offset_ = cell_offset_from_libregf(offset);
    auto record = read_cell_key(bins(hive), key.offset_);
    if (!record) return std::nullopt;
    key.name_ = std::move(record->name);
    return key;
  }

  // libregf 20201007 refuses a key whose name holds an unpaired UTF-16 surrogate: such a subkey is read
  // from its cell, found at the same index of our own reading of the subkey list (when both count alike).
  static std::optional<Key> refused_subkey(const Key& parent, int index, int libregf_count) {
    const auto own = from_cell(*parent.hive_, parent.offset_);
    if (!own) return std::nullopt;
    const SubkeyList& list = subkey_list(*own);
    if (list.keys.size() != static_cast<std::size_t>(libregf_count)) return std::nullopt;
    return from_cell(*parent.hive_, list.keys[static_cast<std::size_t>(index)]);
  }

  // The subkey list of a key read from its cell, read on first use.
  static const SubkeyList& subkey_list(const Key& key) {
    Key::Handle& handle = *key.handle_;
    if (!handle.subkeys)
      handle.subkeys = handle.record.subkey_count == 0 ? SubkeyList{}
                                                       : read_subkey_list(bins(*key.hive_), handle.record.subkey_list);
    return *handle.subkeys;
  }
};

Key cell_root(const Hive& hive) {
  auto root = CellKeys::from_cell(hive, hive.base_block().root_cell_offset);
  if (!root) throw Error(hive.label(), "root key not found: no key record at the root cell offset");
  return std::move(*root);
}

}  // namespace hive_detail

using hive_detail::CellKeys;

Hive::Hive(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Hive::Hive(Hive&&) noexcept = default;
Hive& Hive::operator=(Hive&&) noexcept = default;
Hive::~Hive() = default;

Hive Hive::open_file(const std::filesystem::path& path, Diagnostics& diagnostics) {
  return open_bytes(read_whole_file(path), path.string(), diagnostics);
}

HiveType detect_hive_type(const Hive& hive);  // hive_type.cpp

Hive Hive::open_bytes(std::vector<std::uint8_t> bytes, const std::string& label, Diagnostics& diagnostics) {
  auto impl = std::make_unique<Impl>();
  impl->label = label;
  impl->diagnostics = &diagnostics;
  impl->base = parse_base_block(bytes, label);
  if (impl->base.file_type != static_cast<std::uint32_t>(RegfFileType::primary))
    throw Error(label, "a transaction log (base-block file type " + std::to_string(impl->base.file_type) +
                           "), not a primary hive file");
  if (bytes.size() < kBaseBlockSize + 32) throw Error(label, "truncated: no hive bin follows the base block");
  impl->original_header.assign(bytes.begin(), bytes.begin() + kBaseBlockSize);
  const bool size_fixed = fix_hive_bins_size(bytes, impl->base.hive_bins_size, label, diagnostics);
  if (!impl->base.checksum_valid())
    diagnostics.warn(label, "base-block checksum is invalid (stored " + std::to_string(impl->base.stored_checksum) +
                                ", computed " + std::to_string(impl->base.computed_checksum) +
                                "); reading from an in-memory copy with a repaired header");
  if (size_fixed || !impl->base.checksum_valid()) {
    repair_base_block(bytes, false);
    impl->repaired = true;
  }
  if (!impl->base.sequences_match())
    diagnostics.warn(label, "hive is dirty (sequence numbers " + std::to_string(impl->base.primary_sequence) + " and " +
                                std::to_string(impl->base.secondary_sequence) +
                                "); reading it as it is, without its transaction logs");
  impl->bytes = std::move(bytes);
  impl->open_with_libregf();
  Hive hive(std::move(impl));
  if (!root_flag_set(hive.bytes(), hive.base_block().root_cell_offset))
    diagnostics.warn(label,
                     "the key at the base block's root cell offset is not flagged as the hive root "
                     "(KEY_HIVE_ENTRY); the hive may be damaged or assembled from fragments");
  hive.impl_->type = detect_hive_type(hive);
  return hive;
}

const std::string& Hive::label() const { return impl_->label; }
const BaseBlock& Hive::base_block() const { return impl_->base; }
const std::vector<std::uint8_t>& Hive::bytes() const { return impl_->bytes; }
bool Hive::header_repaired() const { return impl_->repaired; }
std::uint32_t Hive::hive_bins_size() const { return le32(impl_->bytes, 40); }

std::string Hive::sha256() const {
  if (impl_->sha256.empty()) {
    Sha256 hash;
    hash.update(impl_->original_header);
    hash.update(std::span(impl_->bytes).subspan(impl_->original_header.size()));
    impl_->sha256 = hash.hex_digest();
  }
  return impl_->sha256;
}
HiveType Hive::type() const { return impl_->type; }
Diagnostics& Hive::diagnostics() const { return *impl_->diagnostics; }

Key Hive::root() const {
  libregf_key_t* key = nullptr;
  libregf_error_t* error = nullptr;
  const int found = libregf_file_get_root_key(impl_->file, &key, &error);
  if (found != 1) throw Error(impl_->label, "root key not found: " + take_error_text(error));
  auto root = CellKeys::from_libregf(*this, KeyPtr(key));
  if (!root) throw Error(impl_->label, "root key not found: no key record at the root cell offset");
  return std::move(*root);
}

std::optional<Key> Hive::find(std::string_view path) const {
  std::optional<Key> key = root();
  while (key && !path.empty()) {
    const auto separator = path.find('\\');
    const auto part = path.substr(0, separator);
    if (!part.empty()) key = key->subkey(part);
    path = separator == std::string_view::npos ? std::string_view{} : path.substr(separator + 1);
  }
  return key;
}

std::string Key::class_name() const {
  if (!handle_->key) return hive_detail::cell_class_name(CellKeys::bins(*hive_), handle_->record);
  std::size_t size = 0;
  if (libregf_key_get_utf16_class_name_size(handle_->key.get(), &size, nullptr) != 1 || size == 0) return {};
  std::vector<std::uint16_t> units(size);
  if (libregf_key_get_utf16_class_name(handle_->key.get(), units.data(), size, nullptr) != 1) return {};
  return utf16le_to_utf8(std::span(reinterpret_cast<const std::uint8_t*>(units.data()), units.size() * 2), true);
}

int Key::subkey_count() const {
  if (!handle_->key) return static_cast<int>(CellKeys::subkey_list(*this).keys.size());
  int count = 0;
  libregf_key_get_number_of_sub_keys(handle_->key.get(), &count, nullptr);
  return count;
}

int Key::value_count() const {
  if (!handle_->key)
    return static_cast<int>(hive_detail::read_value_list(CellKeys::bins(*hive_), handle_->record).cells.size());
  int count = 0;
  libregf_key_get_number_of_values(handle_->key.get(), &count, nullptr);
  return count;
}

bool Key::corrupted() const {
  if (!handle_->key)
    return !CellKeys::subkey_list(*this).complete ||
           !hive_detail::read_value_list(CellKeys::bins(*hive_), handle_->record).complete;
  return libregf_key_is_corrupted(handle_->key.get(), nullptr) == 1;
}

namespace {

void warn_not_a_key(const Hive& hive, const std::string& parent, std::size_t index) {
  hive.diagnostics().warn(hive.label(), "key \"" + parent + "\": subkey " + std::to_string(index) +
                                            " does not point to a key record (no \"nk\" signature); skipped");
}

}  // namespace

std::vector<Key> Key::subkeys() const {
  std::vector<Key> result;
  if (!handle_->key) {
    const SubkeyList& list = CellKeys::subkey_list(*this);
    result.reserve(list.keys.size());
    for (std::size_t i = 0; i < list.keys.size(); ++i) {
      if (auto key = CellKeys::from_cell(*hive_, list.keys[i]))
        result.push_back(std::move(*key));
      else
        warn_not_a_key(*hive_, name_, i);
    }
    return result;
  }
  const int count = subkey_count();
  result.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    libregf_key_t* sub = nullptr;
    libregf_error_t* error = nullptr;
    if (libregf_key_get_sub_key(handle_->key.get(), i, &sub, &error) != 1) {
      if (auto key = CellKeys::refused_subkey(*this, i, count)) {
        libregf_error_free(&error);
        result.push_back(std::move(*key));
      } else {
        hive_->diagnostics().warn(hive_->label(), "key \"" + name_ + "\": subkey " + std::to_string(i) +
                                                      " unreadable: " + take_error_text(error));
      }
      continue;
    }
    if (auto key = CellKeys::from_libregf(*hive_, KeyPtr(sub)))
      result.push_back(std::move(*key));
    else
      warn_not_a_key(*hive_, name_, static_cast<std::size_t>(i));
  }
  return result;
}

std::optional<Key> Key::subkey(std::string_view name) const {
  for (auto& key : subkeys())
    if (iequals(key.name(), name)) return std::move(key);
  return std::nullopt;
}

namespace {

// A value read from its vk cell by our own code (cell_keys.h), for both backings of Key: libregf 20201007
// returns the wrong bytes for inline data shorter than 4 bytes, and reads a string past its stored size up
// to a NUL found in the cell's slack. Data that does not fit is reported.
std::optional<Value> value_from_cell(const Hive& hive, std::uint32_t cell) {
  auto value =
      hive_detail::read_cell_value(hive_detail::hive_bins_data(hive.bytes()), hive.base_block().minor_version, cell);
  if (value && value->corrupted)
    hive.diagnostics().warn(hive.label(), "value \"" + value->name +
                                              "\": data incomplete (it runs past its cell, or a big-data segment "
                                              "is missing); the bytes present are kept");
  return value;
}

// A value libregf lists: read from its cell, or by libregf when its cell holds no readable vk record.
Value read_value(const Hive& hive, libregf_value_t* handle) {
  off64_t offset = 0;
  if (libregf_value_get_offset(handle, &offset, nullptr) == 1)
    if (auto value = value_from_cell(hive, cell_offset_from_libregf(offset))) return std::move(*value);
  Value value;
  libregf_value_get_value_type(handle, &value.type, nullptr);
  std::size_t size = 0;
  libregf_error_t* error = nullptr;
  if (libregf_value_get_value_data_size(handle, &size, &error) != 1) {
    value.corrupted = true;
    hive.diagnostics().warn(hive.label(), "value \"" + value.name + "\": data unreadable: " + take_error_text(error));
    return value;
  }
  value.data.resize(size);
  if (size > 0 && libregf_value_get_value_data(handle, value.data.data(), size, &error) != 1) {
    value.corrupted = true;
    value.data.clear();
    hive.diagnostics().warn(hive.label(), "value \"" + value.name + "\": data unreadable: " + take_error_text(error));
  }
  if (libregf_value_is_corrupted(handle, nullptr) == 1) value.corrupted = true;
  return value;
}

}  // namespace

std::vector<Value> Key::values() const {
  std::vector<Value> result;
  if (!handle_->key) {
    const auto list = hive_detail::read_value_list(CellKeys::bins(*hive_), handle_->record);
    result.reserve(list.cells.size());
    for (std::size_t i = 0; i < list.cells.size(); ++i) {
      if (auto value = value_from_cell(*hive_, list.cells[i]))
        result.push_back(std::move(*value));
      else
        hive_->diagnostics().warn(hive_->label(),
                                  "key \"" + name_ + "\": value " + std::to_string(i) +
                                      " does not point to a value record (no \"vk\" signature); skipped");
    }
    return result;
  }
  const int count = value_count();
  result.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    libregf_value_t* raw = nullptr;
    libregf_error_t* error = nullptr;
    if (libregf_key_get_value(handle_->key.get(), i, &raw, &error) != 1) {
      hive_->diagnostics().warn(hive_->label(), "key \"" + name_ + "\": value " + std::to_string(i) +
                                                    " unreadable: " + take_error_text(error));
      continue;
    }
    ValuePtr owned(raw);
    result.push_back(read_value(*hive_, owned.get()));
  }
  return result;
}

std::optional<Value> Key::value(std::string_view name) const {
  for (auto& value : values())
    if (iequals(value.name, name)) return std::move(value);
  return std::nullopt;
}

}  // namespace regpersist
