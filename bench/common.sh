# Shared start of the bench scripts (sourced): locates the repo, the build (first argument, default
# build/default) and the regpersist binary, and decompresses the shared test hives into the build tree.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$repo/build/default}
regpersist=$build/src/cli/regpersist
work=$build/bench
mkdir -p "$work"
[ -x "$regpersist" ] || { echo "bench: $regpersist not built" >&2; exit 1; }
"$repo/tests/support/prepare_testdata.sh" "$repo/../shared/testdata" "$build/testdata" >&2
