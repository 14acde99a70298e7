// The hive layer over libregf: opens hive bytes from memory through a libbfio memory range, wraps
// every libregf handle in RAII, and turns libregf failures into Error values and diagnostics that
// name the hive. Key and value names are decoded by our own code from the nk/vk records so that any
// name yields valid UTF-8.
#include "regpersist/hive.h"

#include <algorithm>
#include <cstring>
#include <fstream>

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
constexpr std::uint16_t kCompressedNameFlag = 0x0020;   // nk KEY_COMP_NAME
constexpr std::uint16_t kValueCompressedName = 0x0001;  // vk VALUE_COMP_NAME

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

// Name stored in an nk or vk record at hbin-relative `cell_offset`; nothing if the record does not
// look right (the caller then asks libregf).
std::optional<std::string> record_name(std::span<const std::uint8_t> hive, std::uint32_t cell_offset, bool is_key) {
  const std::size_t record = kHbinStart + std::size_t{cell_offset} + 4;
  const std::size_t header = is_key ? 76 : 20;
  if (record + header > hive.size()) return std::nullopt;
  if (hive[record] != (is_key ? 'n' : 'v') || hive[record + 1] != 'k') return std::nullopt;
  const std::size_t length = is_key ? le16(hive, record + 72) : le16(hive, record + 2);
  const std::uint16_t flags = le16(hive, record + (is_key ? 2 : 16));
  if (record + header + length > hive.size()) return std::nullopt;
  const auto bytes = hive.subspan(record + header, length);
  const bool compressed = (flags & (is_key ? kCompressedNameFlag : kValueCompressedName)) != 0;
  return compressed ? latin1_to_utf8(bytes) : utf16le_to_utf8(bytes, false);
}

// Data stored inside a vk record (size field bit 31 set, at most 4 bytes). libregf 20201007 returns
// the wrong bytes for inline data shorter than 4 bytes (it takes the last bytes of the field, Windows
// and the other parsers the first), so such data is read here.
std::optional<std::vector<std::uint8_t>> inline_value_data(std::span<const std::uint8_t> hive,
                                                           std::uint32_t cell_offset) {
  constexpr std::uint32_t kInlineFlag = 0x80000000u;
  const std::size_t record = kHbinStart + std::size_t{cell_offset} + 4;
  if (record + 20 > hive.size() || hive[record] != 'v' || hive[record + 1] != 'k') return std::nullopt;
  const std::uint32_t size_field = le32(hive, record + 4);
  if ((size_field & kInlineFlag) == 0) return std::nullopt;
  const std::size_t size = std::min<std::size_t>(size_field & ~kInlineFlag, 4);
  const auto data = hive.subspan(record + 8, size);
  return std::vector<std::uint8_t>(data.begin(), data.end());
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

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

struct Key::Handle {
  KeyPtr key;
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

Key::Key(const Hive* hive, std::shared_ptr<Handle> handle) : hive_(hive), handle_(std::move(handle)) {
  libregf_key_t* key = handle_->key.get();
  libregf_key_get_last_written_time(key, &last_written_, nullptr);
  off64_t offset = 0;
  if (libregf_key_get_offset(key, &offset, nullptr) == 1) offset_ = cell_offset_from_libregf(offset);
}

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
  Key root(this, std::make_shared<Key::Handle>(Key::Handle{KeyPtr(key)}));
  root.name_ = record_name(impl_->bytes, root.offset_, true).value_or("");
  return root;
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
  std::size_t size = 0;
  if (libregf_key_get_utf16_class_name_size(handle_->key.get(), &size, nullptr) != 1 || size == 0) return {};
  std::vector<std::uint16_t> units(size);
  if (libregf_key_get_utf16_class_name(handle_->key.get(), units.data(), size, nullptr) != 1) return {};
  return utf16le_to_utf8(std::span(reinterpret_cast<const std::uint8_t*>(units.data()), units.size() * 2), true);
}

int Key::subkey_count() const {
  int count = 0;
  libregf_key_get_number_of_sub_keys(handle_->key.get(), &count, nullptr);
  return count;
}

int Key::value_count() const {
  int count = 0;
  libregf_key_get_number_of_values(handle_->key.get(), &count, nullptr);
  return count;
}

bool Key::corrupted() const { return libregf_key_is_corrupted(handle_->key.get(), nullptr) == 1; }

std::vector<Key> Key::subkeys() const {
  std::vector<Key> result;
  const int count = subkey_count();
  result.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    libregf_key_t* sub = nullptr;
    libregf_error_t* error = nullptr;
    if (libregf_key_get_sub_key(handle_->key.get(), i, &sub, &error) != 1) {
      hive_->diagnostics().warn(hive_->label(), "key \"" + name_ + "\": subkey " + std::to_string(i) +
                                                    " unreadable: " + take_error_text(error));
      continue;
    }
    Key key(hive_, std::make_shared<Handle>(Handle{KeyPtr(sub)}));
    const auto name = record_name(hive_->bytes(), key.offset_, true);
    if (!name) {
      hive_->diagnostics().warn(hive_->label(), "key \"" + name_ + "\": subkey " + std::to_string(i) +
                                                    " does not point to a key record (no \"nk\" signature); skipped");
      continue;
    }
    key.name_ = *name;
    result.push_back(std::move(key));
  }
  return result;
}

std::optional<Key> Key::subkey(std::string_view name) const {
  for (auto& key : subkeys())
    if (iequals_ascii(key.name(), name)) return std::move(key);
  return std::nullopt;
}

namespace {

Value read_value(const Hive& hive, libregf_value_t* handle) {
  Value value;
  libregf_value_get_value_type(handle, &value.type, nullptr);
  off64_t offset = 0;
  if (libregf_value_get_offset(handle, &offset, nullptr) == 1) {
    const std::uint32_t cell = cell_offset_from_libregf(offset);
    value.name = record_name(hive.bytes(), cell, false).value_or("");
    if (auto data = inline_value_data(hive.bytes(), cell)) {
      value.data = std::move(*data);
      return value;
    }
  }
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
    if (iequals_ascii(value.name, name)) return std::move(value);
  return std::nullopt;
}

}  // namespace regpersist
