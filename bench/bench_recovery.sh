#!/usr/bin/env bash
# Times what transaction-log replay and deleted-data recovery cost `regpersist keys` on the dirty and
# deleted-data hives of ../shared/testdata (yarp's test hives, the dirty DFIRArtifactMuseum Amcache hives
# with their logs): keys as read by default (logs replayed, deleted cells recovered), with --no-deleted,
# with --no-logs, and with both off, beside Debian's reglookup-recover (deleted cells only) on the same hive,
# in the same run. Prints each time and two ratios: reglookup-recover's time divided by regpersist's default
# run (> 1: regpersist is faster although it also replays and lists every live key), and the default run
# divided by the run with both off (what replay + recovery add).
# Usage: bench/bench_recovery.sh [BUILD_DIR]   (default build/default). Needs hyperfine (scripts/setup.sh).
set -euo pipefail
source "$(dirname "$0")/common.sh"

testdata=$repo/../shared/testdata
keys="$regpersist keys -q --format jsonl -o /dev/null"
printf '%-34s %9s %9s %9s %9s %9s %9s %9s\n' hive default no-del no-logs plain recover x-recover cost
run() {  # NAME HIVE
  local name=$1 hive=$2 csv="$work/recovery_$1.csv"
  hyperfine --style none --warmup 1 --min-runs 5 --export-csv "$csv" \
    -n default "$keys '$hive'" \
    -n no-deleted "$keys --no-deleted '$hive'" \
    -n no-logs "$keys --no-logs '$hive'" \
    -n plain "$keys --no-logs --no-deleted '$hive'" \
    -n recover "reglookup-recover '$hive' > /dev/null 2>&1" >/dev/null
  mean() { awk -F, -v n="$1" '$1 == n { printf "%.4f", $2 }' "$csv"; }
  local all nodel nologs plain recover
  all=$(mean default) nodel=$(mean no-deleted) nologs=$(mean no-logs) plain=$(mean plain) recover=$(mean recover)
  printf '%-34s %8ss %8ss %8ss %8ss %8ss %9s %9s\n' "$name" "$all" "$nodel" "$nologs" "$plain" "$recover" \
    "$(awk -v a="$all" -v r="$recover" 'BEGIN { printf "x%.2f", r / a }')" \
    "$(awk -v a="$all" -v p="$plain" 'BEGIN { printf "x%.2f", a / p }')"
}
yarp=$testdata/yarp/hives_for_tests
run yarp-NewDirtyHive1 "$yarp/NewDirtyHive1/NewDirtyHive"
run yarp-OldDirtyHive "$yarp/OldDirtyHive/OldDirtyHive"
run yarp-DeletedDataHive "$yarp/DeletedDataHive"
run yarp-DeletedTreeHive "$yarp/DeletedTreeHive"
run museum-Win10-Rathbun-Amcache "$testdata/dfirartifactmuseum/Win10/RathbunVM/Amcache.hve"
run museum-Win11-Rathbun-Amcache "$testdata/dfirartifactmuseum/Win11/RathbunVM/Amcache.hve"
