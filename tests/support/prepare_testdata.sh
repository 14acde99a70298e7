#!/usr/bin/env bash
# Decompresses the .xz/.gz hives of shared/testdata into the build tree, keeping relative paths
# (regipy/SYSTEM.xz -> DEST/regipy/SYSTEM). Idempotent: existing outputs are kept.
set -euo pipefail
src=${1:?shared testdata folder}
dest=${2:?destination folder}
[ -d "$src" ] || { echo "prepare_testdata: $src not found" >&2; exit 1; }
count=0
while IFS= read -r -d '' file; do
  rel=${file#"$src"/}
  out="$dest/${rel%.*}"
  [ -s "$out" ] && continue
  mkdir -p "$(dirname "$out")"
  case "$file" in
    *.xz) xz -dc "$file" >"$out.tmp" ;;
    *.gz) gzip -dc "$file" >"$out.tmp" ;;
  esac
  mv "$out.tmp" "$out"
  count=$((count + 1))
done < <(find "$src" -type f \( -name '*.xz' -o -name '*.gz' \) -print0)
echo "prepare_testdata: $count files decompressed into $dest"
