// The disk images of the image-discovery integration tests: write_windows_tree() written once per
// test program into the build tree and turned into images by tests/support/make_test_images.sh.
// A missing tool makes the script, and so every test using the images, fail loudly.
#pragma once

#include <unistd.h>

#include <array>
#include <filesystem>
#include <stdexcept>

#include "testdata.h"
#include "windows_tree.h"

namespace regpersist::testsupport {

inline constexpr std::uint64_t kGeneratedEfiOffset = 2048 * 512;  // make_test_images.sh layout
inline constexpr std::uint64_t kGeneratedNtfsOffset = 6144 * 512;
// Every image the script writes that holds the whole Windows tree.
inline constexpr std::array<const char*, 10> kGeneratedImageNames = {
    "disk-gpt.raw",  "disk-mbr.raw",  "disk-gpt.E01",   "disk-split.E01", "disk-gpt.vhd",
    "disk-gpt.vhdx", "disk-gpt.vmdk", "disk-gpt.qcow2", "disk-split.001", "ntfs.raw"};

// Built into a folder of this process (ctest runs tests in parallel processes), removed at exit.
struct GeneratedImages {
  std::filesystem::path base;
  WindowsTree tree;
  std::filesystem::path images;  // disk-gpt.raw, disk-mbr.raw, disk-gpt.E01, ... (see the script)

  GeneratedImages() : base(scratch_dir("image-generated-" + std::to_string(::getpid()))) {
    tree = write_windows_tree(base / "tree");
    images = base / "images";
    const auto script =
        std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "support/make_test_images.sh";
    const auto result = run_command({"bash", script.string(), tree.root.string(), images.string()});
    if (result.exit_code != 0) throw std::runtime_error("make_test_images.sh failed: " + result.err);
  }
  ~GeneratedImages() {
    std::error_code ignored;
    std::filesystem::remove_all(base, ignored);
  }
  GeneratedImages(const GeneratedImages&) = delete;
  GeneratedImages& operator=(const GeneratedImages&) = delete;
};

inline const GeneratedImages& generated_images() {
  static const GeneratedImages built;
  return built;
}

}  // namespace regpersist::testsupport
