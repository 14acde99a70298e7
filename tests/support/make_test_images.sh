#!/usr/bin/env bash
# Builds the disk images the image-discovery tests read, from a Windows folder tree the tests wrote
# with HiveBuilder: an NTFS volume holding the tree, placed with an EFI FAT partition on a GPT disk and
# on an MBR disk (NTFS as a logical partition inside an extended one), then converted to E01 (single
# and split), VHD, VHDX, VMDK, qcow2 and split raw. Small (10 MiB sparse disks) and fast.
#
# The NTFS volume is filled through ntfs-3g (FUSE, on the volume file: no loop device, no kernel
# NTFS) because ntfscp cannot create folders. A missing tool or a failing step is an error (exit 1),
# never a silent skip: the tests must not pass without their images.
#
# Usage: make_test_images.sh TREE_DIR OUT_DIR
#   TREE_DIR  folder copied to the root of the NTFS volume (e.g. holding Windows/ and Users/)
#   OUT_DIR   receives disk-gpt.raw, disk-mbr.raw, disk-gpt.E01, disk-split.E01/.E02..., disk-gpt.vhd,
#             disk-gpt.vhdx, disk-gpt.vmdk, disk-gpt.qcow2, disk-split.001/.002/..., ntfs.raw
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 TREE_DIR OUT_DIR" >&2
  exit 64
fi
tree=$(realpath "$1")
out=$(realpath -m "$2")

for tool in sfdisk mkfs.vfat mkntfs ntfs-3g fusermount ewfacquire qemu-img split truncate dd; do
  command -v "$tool" >/dev/null || { echo "make_test_images: missing tool '$tool' (run scripts/setup.sh)" >&2; exit 1; }
done
[ -e /dev/fuse ] || { echo "make_test_images: /dev/fuse is missing; ntfs-3g needs FUSE to fill the NTFS volume" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d "$out/work.XXXXXX")
mounted=""
cleanup() {
  if [ -n "$mounted" ]; then fusermount -u "$mounted" 2>/dev/null || umount "$mounted" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Layout in 512-byte sectors (the same on both disks, so hives sit at the same offsets):
# EFI FAT at 2048 (1 MiB), NTFS at 6144 (6 MiB); GPT backup or slack after it. On the MBR disk the
# extended partition starts right after the EFI one, so the logical NTFS partition lands at 6144 too.
readonly sector=512 efi_start=2048 efi_sectors=2048 ntfs_start=6144 ntfs_sectors=12288 disk_sectors=20480

# NTFS volume with the tree.
ntfs="$work/ntfs.raw"
truncate -s $((ntfs_sectors * sector)) "$ntfs"
mkntfs -F -Q -q -s $sector -p $ntfs_start -H 255 -S 63 -L Windows "$ntfs" 2>/dev/null
mkdir "$work/mnt"
ntfs-3g -o no_def_opts "$ntfs" "$work/mnt"
mounted="$work/mnt"
cp -r "$tree"/. "$work/mnt/"
fusermount -u "$work/mnt"
mounted=""

# EFI system partition (mkfs.vfat picks FAT12 at this size).
efi="$work/efi.raw"
truncate -s $((efi_sectors * sector)) "$efi"
mkfs.vfat -n EFI "$efi" >/dev/null

place() {  # place VOLUME DISK START_SECTOR
  dd if="$1" of="$2" bs=$sector seek="$3" conv=notrunc,sparse status=none
}

make_disk() {  # make_disk DISK SFDISK_SCRIPT
  truncate -s $((disk_sectors * sector)) "$1"
  printf '%s\n' "$2" | sfdisk --quiet --no-reread --no-tell-kernel "$1" >/dev/null
  place "$efi" "$1" $efi_start
  place "$ntfs" "$1" $ntfs_start
}

make_disk "$out/disk-gpt.raw" "label: gpt
start=$efi_start, size=$efi_sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=EFI
start=$ntfs_start, size=$ntfs_sectors, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=Windows"

make_disk "$out/disk-mbr.raw" "label: dos
start=$efi_start, size=$efi_sectors, type=ef
start=$((efi_start + efi_sectors)), size=$((disk_sectors - efi_start - efi_sectors)), type=5
start=$ntfs_start, size=$ntfs_sectors, type=7"

cp "$ntfs" "$out/ntfs.raw"

acquire() {  # acquire SOURCE TARGET_WITHOUT_EXTENSION [SEGMENT_BYTES]
  ewfacquire -u -q -c deflate:fast -f encase6 -C case -D regpersist-test -E 1 -e regpersist -N generated \
    -m fixed -M physical -t "$2" ${3:+-S "$3"} "$1" >/dev/null
}
acquire "$out/disk-gpt.raw" "$out/disk-gpt"
# Stored uncompressed so that 4 MiB segments give a split set (E01, E02, E03).
ewfacquire -u -q -c none -f encase6 -C case -D regpersist-test -E 1 -e regpersist -N generated -m fixed \
  -M physical -S 4194304 -t "$out/disk-split" "$out/disk-mbr.raw" >/dev/null

qemu-img convert -q -f raw -O vpc -o subformat=dynamic "$out/disk-gpt.raw" "$out/disk-gpt.vhd"
qemu-img convert -q -f raw -O vhdx -o block_size=1M "$out/disk-gpt.raw" "$out/disk-gpt.vhdx"
qemu-img convert -q -f raw -O vmdk "$out/disk-gpt.raw" "$out/disk-gpt.vmdk"
qemu-img convert -q -f raw -O qcow2 "$out/disk-gpt.raw" "$out/disk-gpt.qcow2"
split -b $((4 * 1024 * 1024)) --numeric-suffixes=1 -a 3 "$out/disk-gpt.raw" "$out/disk-split."
