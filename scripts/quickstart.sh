#!/usr/bin/env bash
# Quick start: installs what regpersist needs (scripts/setup.sh), builds it, writes a sample
# evidence folder (a Windows installation with planted persistence, made by the project's own hive
# builder) and scans it: the persistence table on stdout, then a Timesketch JSONL file.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
"$repo/scripts/setup.sh"
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)" --target regpersist make_sample_evidence >&2
sample=$repo/build/default/sample
rm -rf "$sample"
build/default/tests/support/make_sample_evidence "$sample"
build/default/src/cli/regpersist scan "$sample" --format table --suspicious
build/default/src/cli/regpersist scan "$sample" --format jsonl -o "$repo/build/default/sample.jsonl" --quiet
echo "Timesketch timeline: build/default/sample.jsonl" >&2
build/default/src/cli/regpersist report "$sample" -o "$repo/build/default/sample-report.html" --quiet
echo "Analyst report (open in a browser): build/default/sample-report.html" >&2
