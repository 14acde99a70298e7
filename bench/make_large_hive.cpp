// Generates a large synthetic hive for the benchmarks: a SOFTWARE-like tree of N keys spread over
// vendors/products/versions with a few values each, key times spread over ten years, at least the
// size the README quotes (>= 100 MB, >= 300,000 keys by default). Written into the build tree at
// bench time, never committed.
#include <cstdlib>
#include <iostream>
#include <string>

#include "hive_builder.h"

namespace {

using regpersist::testsupport::filetime;
using regpersist::testsupport::HiveBuilder;

constexpr int kKeysPerProduct = 50;
constexpr int kProductsPerVendor = 60;

void add_product_keys(HiveBuilder& builder, const std::string& product, int first_key, int count) {
  const std::uint64_t base_time = filetime(2015, 1, 1);
  constexpr std::uint64_t kTicksPerHour = 36'000'000'000ULL;
  for (int i = 0; i < count; ++i) {
    const int n = first_key + i;
    const std::string path = product + "\\Settings" + std::to_string(i / 10) + "\\Item" + std::to_string(n);
    builder.key(path, base_time + static_cast<std::uint64_t>(n % 87'600) * kTicksPerHour);
    builder.sz(path, "Path", "C:\\Program Files\\Vendor\\bin\\tool" + std::to_string(n) + ".exe");
    builder.dword(path, "Enabled", static_cast<std::uint32_t>(n & 1));
    builder.binary(path, "Blob", std::vector<std::uint8_t>(200 + static_cast<std::size_t>(n % 100), 0xAB));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: make_large_hive OUTPUT [KEYS]\n";
    return 2;
  }
  const int keys = argc > 2 ? std::atoi(argv[2]) : 320'000;
  HiveBuilder builder("CsiTool-CreateHive-{00000000-0000-0000-0000-000000000000}");
  builder.key("Microsoft").key("Classes").key("Policies");  // typed as SOFTWARE by content
  int made = 0;
  for (int vendor = 0; made < keys; ++vendor) {
    for (int product = 0; product < kProductsPerVendor && made < keys; ++product) {
      const std::string path = "Vendor" + std::to_string(vendor) + "\\Product" + std::to_string(product);
      const int count = std::min(kKeysPerProduct, keys - made);
      add_product_keys(builder, path, made, count);
      made += count;
    }
  }
  builder.write(argv[1]);
  return 0;
}
