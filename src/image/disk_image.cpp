// Image → volume → file-system walk over libtsk, with BitLocker recognition (the "-FVE-FS-" OEM id of
// an encrypted volume's boot sector, which libtsk itself reports only as "unknown file system") and a
// boot-sector scan for disks whose partition table is damaged.
#include "image/disk_image.h"

#include <array>
#include <cstring>
#include <optional>

#include "image/yal_image.h"

namespace regpersist::image {
namespace {

constexpr std::size_t kBootSectorSize = 512;
constexpr unsigned k4KnSectorSize = 4096;
// Where a damaged disk's partitions are searched: sector 63 (older tools) and every 1 MiB boundary
// in the first 2 GiB (where modern partitioning tools put the first partitions).
constexpr std::uint64_t kLegacyPartitionStart = 63 * 512;
constexpr std::uint64_t kScanStep = std::uint64_t{1} << 20;
constexpr std::uint64_t kScanLimit = std::uint64_t{2} << 30;

struct VsCloser {
  void operator()(TSK_VS_INFO* vs) const { tsk_vs_close(vs); }
};

enum class BootSector { unreadable, ntfs, bitlocker, other };

BootSector classify_boot_sector(TSK_IMG_INFO* image, std::uint64_t offset) {
  std::array<char, kBootSectorSize> sector{};
  if (tsk_img_read(image, static_cast<TSK_OFF_T>(offset), sector.data(), sector.size()) !=
      static_cast<ssize_t>(sector.size())) {
    tsk_error_reset();
    return BootSector::unreadable;
  }
  if (std::memcmp(sector.data() + 3, "-FVE-FS-", 8) == 0) return BootSector::bitlocker;
  if (std::memcmp(sector.data() + 3, "NTFS    ", 8) == 0) return BootSector::ntfs;
  return BootSector::other;
}

bool has_gpt_header(TSK_IMG_INFO* image, std::uint64_t sector_size) {
  std::array<char, 8> signature{};
  const bool readable = tsk_img_read(image, static_cast<TSK_OFF_T>(sector_size), signature.data(), signature.size()) ==
                        static_cast<ssize_t>(signature.size());
  tsk_error_reset();
  return readable && std::memcmp(signature.data(), "EFI PART", 8) == 0;
}

ImageHandle open_with_sector_size(const std::string& path, unsigned sector_size) {
  if (auto image = open_yal_image(path, sector_size)) return image;
  TSK_IMG_INFO* image = tsk_img_open_utf8_sing(path.c_str(), TSK_IMG_TYPE_DETECT, sector_size);
  if (!image) throw Error(path, "not a registry hive, a folder or a disk image libtsk can open: " + take_tsk_error());
  return ImageHandle(image, ImageCloser{});
}

// The single 0xEE entry of a GPT disk's protective MBR, seen when libtsk fell back to the MBR.
bool is_gpt_protective(const TSK_VS_PART_INFO& part) {
  return part.desc && std::strstr(part.desc, "(0xee)") != nullptr;
}

// Why no volume system was found, for a disk whose offset 0 holds no file system either.
std::string partition_table_problem(TSK_IMG_INFO* image) {
  std::array<char, 2 * kBootSectorSize> start{};
  const bool readable = tsk_img_read(image, 0, start.data(), start.size()) == static_cast<ssize_t>(start.size());
  tsk_error_reset();
  if (!readable) return "image too short to hold a partition table";
  if (has_gpt_header(image, image->sector_size)) {
    return "GPT header present but libtsk rejects the partition table (partitions beyond the end of a truncated "
           "image, or a damaged table)";
  }
  if (static_cast<unsigned char>(start[510]) == 0x55 && static_cast<unsigned char>(start[511]) == 0xAA) {
    return "MBR signature present but libtsk rejects the partition table (damaged table or truncated image)";
  }
  return "no partition table and no file system at offset 0 (damaged partition table?)";
}

// One volume: reports what it is and visits it when it holds NTFS. Returns whether anything was
// recognised there (a file system or BitLocker); with `report_absent` an unrecognised volume is a
// diagnostic, otherwise it is silent (used when probing offsets).
class VolumeVisitor {
 public:
  VolumeVisitor(const std::string& evidence, const ImageHandle& image, Diagnostics& diagnostics,
                const DiscoveryOptions& options, const std::function<void(FileTree&)>& visit)
      : evidence_(evidence), image_(image), diagnostics_(diagnostics), options_(options), visit_(visit) {}

  bool visit(std::optional<int> volume, std::uint64_t offset, bool report_absent) {
    const std::string where = evidence_ + " " + volume_description(volume, offset);
    const BootSector boot_sector = classify_boot_sector(image_.get(), offset);
    if (boot_sector == BootSector::bitlocker) {
      diagnostics_.error(where,
                         "BitLocker-encrypted volume (signature -FVE-FS-): not read; decrypt it first "
                         "(e.g. with dislocker) and give the decrypted volume");
      return true;
    }
    FsHandle fs(tsk_fs_open_img(image_.get(), static_cast<TSK_OFF_T>(offset), TSK_FS_TYPE_DETECT));
    if (!fs) {
      const std::string reason = take_tsk_error();
      if (boot_sector == BootSector::ntfs) {
        diagnostics_.error(where, "NTFS volume cannot be opened (damaged MFT or truncated image?): " + reason);
        return true;
      }
      if (report_absent) diagnostics_.warn(where, "no file system libtsk can open (skipped): " + reason);
      return false;
    }
    if (!TSK_FS_TYPE_ISNTFS(fs->ftype)) {
      diagnostics_.info(where, std::string(tsk_fs_type_toname(fs->ftype)) + " file system, not NTFS (skipped)");
      return true;
    }
    if (options_.progress) {
      const std::string description = volume_description(volume, offset);
      options_.progress({.evidence = evidence_,
                         .step = "NTFS " + description,
                         .volume = description,
                         .hive = {},
                         .bytes_done = 0,
                         .bytes_total = 0});
    }
    TskTree tree(evidence_, image_, std::move(fs), volume, offset);
    visit_(tree);
    return true;
  }

  // Searches NTFS and BitLocker boot sectors when the disk's layout could not be read.
  void scan_for_volumes() {
    const auto size = static_cast<std::uint64_t>(image_->size);
    bool found = false;
    for (std::uint64_t offset = kLegacyPartitionStart; offset + kBootSectorSize <= std::min(size, kScanLimit);
         offset = offset == kLegacyPartitionStart ? kScanStep : offset + kScanStep) {
      const auto kind = classify_boot_sector(image_.get(), offset);
      if (kind != BootSector::ntfs && kind != BootSector::bitlocker) continue;
      diagnostics_.warn(evidence_, "found a volume at offset " + std::to_string(offset) + " by scanning");
      found = visit(std::nullopt, offset, true) || found;
    }
    if (!found) diagnostics_.error(evidence_, "no NTFS volume found by scanning the first 2 GiB either");
  }

 private:
  const std::string& evidence_;
  const ImageHandle& image_;
  Diagnostics& diagnostics_;
  const DiscoveryOptions& options_;
  const std::function<void(FileTree&)>& visit_;
};

}  // namespace

ImageHandle open_disk_image(const std::string& path) {
  auto image = open_with_sector_size(path, 0);
  // A GPT header at LBA 1 of 4096-byte sectors (and not of 512-byte ones): a 4Kn disk, whose partition
  // table libtsk reads only when told the sector size.
  if (!has_gpt_header(image.get(), kBootSectorSize) && has_gpt_header(image.get(), k4KnSectorSize)) {
    return open_with_sector_size(path, k4KnSectorSize);
  }
  return image;
}

void for_each_ntfs_volume(const std::string& evidence, const ImageHandle& image, Diagnostics& diagnostics,
                          const DiscoveryOptions& options, const std::function<void(FileTree&)>& visit) {
  VolumeVisitor volumes(evidence, image, diagnostics, options, visit);
  std::unique_ptr<TSK_VS_INFO, VsCloser> vs(tsk_vs_open(image.get(), 0, TSK_VS_TYPE_DETECT));
  if (!vs) {
    tsk_error_reset();
    if (volumes.visit(std::nullopt, 0, false)) return;
    diagnostics.warn(evidence, partition_table_problem(image.get()));
    volumes.scan_for_volumes();
    return;
  }
  for (TSK_PNUM_T i = 0; i < vs->part_count; ++i) {
    const TSK_VS_PART_INFO* part = tsk_vs_part_get(vs.get(), i);
    if (!part || (part->flags & TSK_VS_PART_FLAG_ALLOC) == 0) continue;
    if (is_gpt_protective(*part)) {
      diagnostics.warn(evidence,
                       "only a protective MBR was readable: libtsk rejects the GPT behind it (partitions "
                       "beyond the end of a truncated image, or a damaged GPT)");
      continue;
    }
    volumes.visit(static_cast<int>(part->addr), static_cast<std::uint64_t>(part->start) * vs->block_size, true);
  }
}

}  // namespace regpersist::image
