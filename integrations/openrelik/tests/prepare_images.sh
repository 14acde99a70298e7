#!/usr/bin/env bash
# Fixture of the OpenRelik cluster test: the quick start's planted installation (make_sample_evidence)
# turned into disk images by tests/support/make_test_images.sh (E01, split E01, VHD, VMDK, raw).
# Usage: prepare_images.sh MAKE_SAMPLE_EVIDENCE OUT_DIR   (writes OUT_DIR/tree and OUT_DIR/images)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 MAKE_SAMPLE_EVIDENCE OUT_DIR" >&2; exit 64; }
repo=$(cd "$(dirname "$0")/../../.." && pwd)
rm -rf "$2"
mkdir -p "$2"
"$1" "$2/tree"
"$repo/tests/support/make_test_images.sh" "$2/tree" "$2/images"
