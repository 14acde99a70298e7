#!/usr/bin/env bash
# Times `regpersist keys` beside reglookup-timeline and regfexport on the largest hives of
# ../shared/testdata and on a generated hive of >= 100 MB / >= 300,000 keys, in the same run, and
# prints each peer's time divided by regpersist's (a ratio > 1 means regpersist is faster).
# Usage: bench/run_benchmarks.sh [BUILD_DIR]   (default build/default; run scripts/test.sh or
# `cmake --preset default && cmake --build --preset default` first). Needs hyperfine (scripts/setup.sh).
set -euo pipefail
source "$(dirname "$0")/common.sh"

large=$work/large_software.hive
[ -s "$large" ] || "$build/bench/make_large_hive" "$large" 320000
hives=(
  "$build/testdata/dissect.regf/SYSTEM"
  "$build/testdata/regipy/SYSTEM_WIN_10_1709"
  "$repo/../shared/testdata/plaso/regf/UsrClass.dat"
  "$repo/../shared/testdata/notatin/win7_ntuser.dat"
  "$large"
)

printf '%-28s %9s %8s %12s %12s %10s %10s\n' hive MiB keys regpersist reglookup-tl regfexport "ratios"
for hive in "${hives[@]}"; do
  name=$(basename "$hive")
  size=$(( $(stat -c %s "$hive") / 1048576 ))
  keys=$("$regpersist" info --format json "$hive" 2>/dev/null | sed 's/.*"keys":\([0-9]*\).*/\1/')
  hyperfine --style none --warmup 1 --min-runs 2 --max-runs 3 --export-csv "$work/$name.csv" \
    -n regpersist "$regpersist keys --quiet --format csv -o /dev/null '$hive'" \
    -n reglookup-timeline "reglookup-timeline -H '$hive' > /dev/null 2>&1" \
    -n regfexport "regfexport '$hive' > /dev/null 2>&1" >/dev/null
  mean() { awk -F, -v n="$1" '$1 == n { printf "%.3f", $2 }' "$work/$name.csv"; }
  ours=$(mean regpersist)
  rl=$(mean reglookup-timeline)
  rf=$(mean regfexport)
  printf '%-28s %9s %8s %11ss %11ss %9ss  %s\n' "$name" "$size" "$keys" "$ours" "$rl" "$rf" \
    "$(awk -v o="$ours" -v a="$rl" -v b="$rf" 'BEGIN { printf "reglookup-timeline x%.2f, regfexport x%.2f", a / o, b / o }')"
done
