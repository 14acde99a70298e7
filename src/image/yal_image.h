// Disk-image formats The Sleuth Kit on Debian does not read itself — qcow2 (libqcow) and VHDX
// (libvhdi) — handed to libtsk as "external" images, so volumes and file systems inside them are
// read by the same code as any other image.
#pragma once

#include <string>

#include "image/tsk_tree.h"

namespace regpersist::image {

// Opens `path` when its signature says qcow2 or VHDX; null when it is neither. Throws Error naming
// the file when the format is recognised but the library cannot open it.
// `sector_size` 0 means 512.
ImageHandle open_yal_image(const std::string& path, unsigned sector_size);

}  // namespace regpersist::image
