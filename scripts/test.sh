#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh), builds regpersist and runs the whole test suite with
# ctest. Presets: `default` (the normal build) and `asan` (the same suite under AddressSanitizer +
# UBSan). Usage: scripts/test.sh [PRESET...]   (default: default; `scripts/test.sh default asan`
# runs both)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
"$repo/scripts/setup.sh"
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(default)
jobs=$(nproc 2>/dev/null || echo 2)
for preset in "${presets[@]}"; do
  echo "== $preset: configure and build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: test" >&2
  ctest --preset "$preset" -j "$jobs"
done
