// The Sleuth Kit's layering for one disk image: image (any format libtsk reads, plus qcow2/VHDX via
// yal_image) → volumes (MBR incl. extended partitions, GPT, or none) → file systems. NTFS volumes are
// handed on as FileTrees; BitLocker volumes are reported as encrypted; other file systems and
// unreadable volumes are skipped with a diagnostic naming them.
#pragma once

#include <functional>
#include <string>

#include "image/tsk_tree.h"

namespace regpersist::image {

// Opens a disk image (split raw and split E01 segments are found from the first one). Throws Error
// naming the file when no reader accepts it.
ImageHandle open_disk_image(const std::string& path);

// Visits every NTFS volume of the image. When neither a partition table nor a file system at offset 0
// is found (a damaged table), NTFS boot sectors are searched at the usual partition alignments.
void for_each_ntfs_volume(const std::string& evidence, const ImageHandle& image, Diagnostics& diagnostics,
                          const DiscoveryOptions& options, const std::function<void(FileTree&)>& visit);

}  // namespace regpersist::image
