#!/usr/bin/env bash
# Times `regpersist scan` (every catalog rule, JSONL) beside Debian's RegRipper running the plugins that
# cover the same locations (SYSTEM: services, svcdll, lsa, appcertdlls, securityproviders, printmon,
# termserv, rdpport, portproxy, pending; NTUSER: run, load, cmdproc, environment, shellfolders) on the
# real hives of ../shared/testdata, in the same run, and prints RegRipper's time divided by regpersist's
# (a ratio > 1 means regpersist is faster although it reads ~180 locations, RegRipper these few).
# Usage: bench/bench_scan.sh [BUILD_DIR]   (default build/default). Needs hyperfine (scripts/setup.sh).
set -euo pipefail
source "$(dirname "$0")/common.sh"

system_plugins=(services svcdll lsa appcertdlls securityproviders printmon termserv rdpport portproxy pending)
ntuser_plugins=(run load cmdproc environment shellfolders)
regripper_command() {  # HIVE PLUGIN...
  local hive=$1; shift
  local command=""
  for plugin in "$@"; do command+="regripper -r '$hive' -p $plugin > /dev/null 2>&1; "; done
  echo "$command"
}

printf '%-24s %12s %12s %s\n' hive regpersist regripper ratio
run() {  # NAME HIVE PLUGIN...
  local name=$1 hive=$2; shift 2
  hyperfine --style none --warmup 1 --min-runs 3 --export-csv "$work/scan_$name.csv" \
    -n regpersist "$regpersist scan -q --format jsonl -o /dev/null '$hive'" \
    -n regripper "$(regripper_command "$hive" "$@")" >/dev/null
  mean() { awk -F, -v n="$1" '$1 == n { printf "%.3f", $2 }' "$work/scan_$name.csv"; }
  local ours rr
  ours=$(mean regpersist)
  rr=$(mean regripper)
  printf '%-24s %11ss %11ss %s\n' "$name" "$ours" "$rr" "$(awk -v o="$ours" -v r="$rr" 'BEGIN { printf "x%.2f", r / o }')"
}
run regipy-SYSTEM "$build/testdata/regipy/SYSTEM" "${system_plugins[@]}"
run dissect-SYSTEM "$build/testdata/dissect.regf/SYSTEM" "${system_plugins[@]}"
run plaso-NTUSER-WIN7 "$repo/../shared/testdata/plaso/NTUSER-WIN7.DAT" "${ntuser_plugins[@]}"
