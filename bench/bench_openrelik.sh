#!/usr/bin/env bash
# Throughput of the OpenRelik worker here: N scan tasks (default 40) over disk images of the planted
# sample installation (E01, VHD, VMDK, raw; tests/support/make_test_images.sh) with 1 and then 2 Celery
# workers on a local redis-server, in images per minute (bench/openrelik_throughput.py). Each task
# writes the JSONL timeline, the HTML report and the Navigator layer, as in a real workflow.
# Usage: bench/bench_openrelik.sh [BUILD_DIR] [N]   (default build/default, 40). Needs scripts/setup.sh.
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=${2:-40}
images=$work/openrelik
"$repo/integrations/openrelik/tests/prepare_images.sh" "$build/tests/support/make_sample_evidence" "$images" >&2
rm -rf "$work/openrelik-cluster"
/usr/bin/python3 -B "$repo/bench/openrelik_throughput.py" "$regpersist" "$work/openrelik-cluster" "$count" \
  "$images"/images/disk-gpt.E01 "$images"/images/disk-gpt.vhd "$images"/images/disk-gpt.vmdk "$images"/images/disk-mbr.raw
