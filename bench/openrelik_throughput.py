# Images per minute through the OpenRelik worker on a one-machine cluster (redis-server + 1, then 2
# Celery workers; integrations/openrelik/tests/local_cluster.py): N scan tasks over the given images
# (repeated as needed) dispatched as one Celery group, timed from dispatch to the last result.
# Usage: openrelik_throughput.py REGPERSIST WORK_DIR N IMAGE...   (run by bench/bench_openrelik.sh)
import gc
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integrations", "openrelik", "tests"))
from celery import group  # noqa: E402
from local_cluster import LocalCluster  # noqa: E402


def images_per_minute(regpersist: str, work: str, workers: int, images: list[str]) -> float:
    with LocalCluster(os.path.join(work, f"{workers}-workers"), workers, regpersist) as cluster:
        output = os.path.join(cluster.work, "output")
        signatures = [cluster.scan_signature(cluster.store_files([image]), output) for image in images]
        start = time.monotonic()
        result = group(signatures).apply_async()
        result.get(timeout=3600)
        elapsed = time.monotonic() - start
        del result  # its pending-result subscriptions must end while Redis still runs
        gc.collect()
        return len(images) * 60 / elapsed


def main(regpersist: str, work: str, count: str, *images: str):
    inputs = [images[i % len(images)] for i in range(int(count))]
    rates = {workers: images_per_minute(regpersist, work, workers, inputs) for workers in (1, 2)}
    print(f"{'workers':>8} {'images':>7} {'images/min':>11}")
    for workers, rate in rates.items():
        print(f"{workers:>8} {len(inputs):>7} {rate:>11.1f}")
    print(f"scaling 1 -> 2 workers: x{rates[2] / rates[1]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main(*sys.argv[1:])
