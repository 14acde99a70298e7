// hive_builder_selfcheck.cpp — developer tool for tests/support/hive_builder: writes sample hives into the
// directory given as argv[1] so they can be checked with the peer readers (regfinfo, regfexport, reglookup,
// reglookup-timeline, reglookup-recover, hivexsh), and checks the cell layout of each one itself.
//
// Hives written: types.hive (every value type, inline/cell/db data, non-Latin names, class name),
// many-subkeys.hive (1500 subkeys under one key: ri), big.hive (300,000 keys with values, timed),
// corrupt.hive (bad checksum, sequences 5/4), deleted-before.hive / deleted.hive (one key subtree deleted),
// minor3.hive (minor version 3: lf lists, big data in one cell), raw-name.hive (unpaired surrogate in a name).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hive_builder.h"

namespace {

using regpersist::testsupport::filetime;
using regpersist::testsupport::HiveBuilder;
using regpersist::testsupport::kRegLink;
using regpersist::testsupport::kRegNone;
using regpersist::testsupport::kRegResourceList;
using regpersist::testsupport::utf16le;

std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

// Checks that hbins are contiguous and each is tiled exactly by cells whose sizes are multiples of 8.
std::string layout_error(const std::vector<std::uint8_t>& hive) {
  const std::size_t end = 4096 + le32(hive, 40);
  if (end != hive.size()) return "hive bins data size does not match the file size";
  for (std::size_t bin = 4096; bin < end; bin += le32(hive, bin + 8)) {
    if (le32(hive, bin) != 0x6E696268 || le32(hive, bin + 4) != bin - 4096) return "bad hbin at " + std::to_string(bin);
    const std::size_t bin_end = bin + le32(hive, bin + 8);
    std::size_t cell = bin + 32;
    while (cell < bin_end) {
      const auto size = static_cast<std::int32_t>(le32(hive, cell));
      const std::size_t abs_size = size < 0 ? 0u - static_cast<std::uint32_t>(size) : size;
      if (abs_size == 0 || abs_size % 8 != 0) return "bad cell size at " + std::to_string(cell);
      cell += abs_size;
    }
    if (cell != bin_end) return "cells overrun hbin at " + std::to_string(bin);
  }
  return "";
}

void save(const std::filesystem::path& file, const std::vector<std::uint8_t>& hive) {
  std::ofstream(file, std::ios::binary)
      .write(reinterpret_cast<const char*>(hive.data()), static_cast<std::streamsize>(hive.size()));
  const std::string error = layout_error(hive);
  std::printf("%s: %zu bytes, layout %s\n", file.c_str(), hive.size(), error.empty() ? "ok" : error.c_str());
}

std::vector<std::uint8_t> pattern(std::size_t size) {
  std::vector<std::uint8_t> data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 7 + i / 256);
  return data;
}

HiveBuilder types_hive() {
  HiveBuilder b("TYPES", filetime(2021, 6, 1, 12));
  const std::string k = "Software\\Types";
  b.key(k, filetime(2022, 3, 4, 5, 6, 7))
      .value(k, "None", kRegNone, {})
      .sz(k, "Sz", "hello world")
      .expand_sz(k, "ExpandSz", "%SystemRoot%\\system32\\x.exe")
      .binary(k, "Binary", {0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02})
      .dword(k, "Dword", 0x12345678)
      .dword_be(k, "DwordBE", 0x12345678)
      .value(k, "Link", kRegLink, utf16le("\\Registry\\Machine\\Software", false))
      .multi_sz(k, "MultiSz", {"one", "two", "drei"})
      .value(k, "ResourceList", kRegResourceList, pattern(40))
      .qword(k, "Qword", 0x0102030405060708ull)
      .value(k, "Unknown", 0x12345, {1, 2, 3, 4, 5, 6, 7, 8})
      .binary(k, "Big", pattern(20000))
      .binary(k, "Two", {0xAB, 0xCD})
      .sz(k, "", "default value")
      .sz(k, "Größe", "latin-1 value name")
      .sz(k, "値", "CJK value name")
      .dword(k, "DWORD", 0xCAFEBABE);  // replaces "Dword", keeps its spelling
  b.key("Software\\Ünïcode", filetime(2023, 1, 2, 3, 4, 5)).sz("SOFTWARE\\üNÏCODE", "Name", "Ünïcode ✓");
  b.key("Software\\中文键", filetime(2024, 2, 29, 23, 59, 59)).dword("software\\中文键", "Value", 7);
  b.class_name("Software\\Types", u"ClassName");
  return b;
}

HiveBuilder many_subkeys_hive() {
  HiveBuilder b("MANY");
  for (int i = 0; i < 1500; ++i) {
    const std::string path = "Many\\Sub" + std::to_string(10000 + i).substr(1);
    b.key(path, filetime(2020, 1, 1) + static_cast<std::uint64_t>(i) * 10'000'000).dword(path, "Index", i);
  }
  return b;
}

void write_big_hive(const std::filesystem::path& file) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  HiveBuilder b("BIG");
  const std::string text(100, 'x');
  for (int vendor = 0; vendor < 300; ++vendor) {
    const std::string parent = "Software\\Vendor" + std::to_string(vendor);
    for (int app = 0; app < 1000; ++app) {
      const std::string path = parent + "\\App" + std::to_string(app);
      b.key(path, filetime(2020, 1, 1) + static_cast<std::uint64_t>(vendor * 1000 + app) * 10'000'000)
          .sz(path, "ImagePath", "C:\\Program Files\\" + text + std::to_string(app) + ".exe")
          .dword(path, "Start", static_cast<std::uint32_t>(app))
          .binary(path, "Blob", pattern(64));
    }
  }
  const auto populated = Clock::now();
  const std::vector<std::uint8_t> hive = b.build();
  const auto built = Clock::now();
  save(file, hive);
  const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::printf("big.hive: %zu keys, populate %lld ms, build %lld ms, write+check %lld ms\n", b.key_offsets().size(),
              static_cast<long long>(ms(populated - start)), static_cast<long long>(ms(built - populated)),
              static_cast<long long>(ms(Clock::now() - built)));
}

HiveBuilder deletion_hive() {
  HiveBuilder b("DEL", filetime(2021, 1, 1));
  b.key("Software\\Keep", filetime(2021, 2, 2)).sz("Software\\Keep", "Stay", "still here");
  b.key("Software\\Victim", filetime(2022, 7, 8, 9, 10, 11))
      .sz("Software\\Victim", "Payload", "C:\\evil\\payload.exe")
      .dword("Software\\Victim", "Start", 2)
      .binary("Software\\Victim", "Big", pattern(20000));
  b.key("Software\\Victim\\Child", filetime(2022, 7, 8, 9, 10, 12)).sz("Software\\Victim\\Child", "X", "child value");
  return b;
}

HiveBuilder raw_name_hive() {
  HiveBuilder b("RAW");
  b.key_raw_name("Software", {0x41, 0x00, 0x00, 0xD8, 0x42, 0x00}, filetime(2022, 1, 1));  // "A" U+D800 "B"
  b.sz(
      "Software\\A\xED\xA0\x80"
      "B",
      "V", "value under raw name");
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  save(dir / "types.hive", types_hive().build());
  save(dir / "many-subkeys.hive", many_subkeys_hive().build());
  write_big_hive(dir / "big.hive");
  save(dir / "corrupt.hive", types_hive().sequences(5, 4).corrupt_checksum().build());
  const HiveBuilder del = deletion_hive();
  save(dir / "deleted-before.hive", del.build());
  save(dir / "deleted.hive", del.build_with_deleted({"SOFTWARE\\victim"}));
  save(dir / "minor3.hive", types_hive().minor_version(3).build());
  save(dir / "raw-name.hive", raw_name_hive().build());
  for (const auto& [path, offset] : del.key_offsets()) std::printf("  DEL\\%s nk at 0x%x\n", path.c_str(), offset);
  return 0;
}
