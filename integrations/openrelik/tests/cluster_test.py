# The OpenRelik worker on a one-machine cluster (ctest openrelik_cluster): Redis and two Celery
# workers; a Celery group of scan tasks, dispatched by name and queue as the OpenRelik server does,
# over several test-built images (one a split E01 set) plus one input that is not an image, chained to
# a task checking every JSONL output against the Timesketch import contract. Asserts: every image's
# JSONL equals the direct CLI output byte for byte (the evidence path aside, which differs by
# construction), the bad input is reported with regpersist's own error, progress events arrived from
# both workers, the report outputs exist, and no process of the cluster is left running.
# Usage: cluster_test.py --regpersist BIN --images DIR --work DIR
import argparse
import gc
import os
import shutil
import subprocess
import sys
import threading
import unittest

from celery import chain, group

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))
from local_cluster import LocalCluster  # noqa: E402
from openrelik_worker_regpersist.openrelik_contract import decode_base64_to_dict  # noqa: E402
from cluster_tasks import CHECK_TASK_NAME  # noqa: E402

IMAGE_SETS = [["disk-gpt.E01"], ["disk-split.E01", "disk-split.E02", "disk-split.E03"], ["disk-gpt.vhd"],
              ["disk-gpt.vmdk"], ["disk-mbr.raw"]]
BAD_INPUT = "broken.E01"
ARGS = None


def direct_run(path: str) -> subprocess.CompletedProcess:
    return subprocess.run([ARGS.regpersist, "scan", "--format", "jsonl", "-q", path], capture_output=True)


def without_evidence_path(data: bytes, path: str) -> bytes:
    return data.replace(path.encode("utf-8"), b"EVIDENCE")


class ProgressListener(threading.Thread):
    """Collects the task-progress events of the cluster (as OpenRelik's server does for its UI)."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.events, self.receiver, self.ready = app, [], None, threading.Event()

    def run(self):
        with self.app.connection() as connection:
            self.receiver = self.app.events.Receiver(connection, handlers={"task-progress": self.events.append})
            self.ready.set()
            self.receiver.capture(limit=None, timeout=None, wakeup=True)

    def stop(self):
        if self.receiver:
            self.receiver.should_stop = True
        self.join(timeout=10)


class OpenRelikClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(ARGS.work, ignore_errors=True)
        os.makedirs(ARGS.work)
        cls.bad_path = os.path.join(ARGS.work, BAD_INPUT)
        with open(cls.bad_path, "wb") as bad:
            bad.write(bytes(range(256)) * 400)
        cluster = LocalCluster(os.path.join(ARGS.work, "cluster"), 2, ARGS.regpersist, include="cluster_tasks")
        try:
            with cluster:
                cls.run_workflow(cluster)
        finally:
            cls.leftover = cluster.leftover_groups()

    @classmethod
    def run_workflow(cls, cluster: LocalCluster):
        listener = ProgressListener(cluster.app)
        listener.start()
        listener.ready.wait(30)
        try:
            cls.inputs = [[os.path.join(ARGS.images, name) for name in names] for names in IMAGE_SETS]
            cls.inputs.append([cls.bad_path])
            output = os.path.join(ARGS.work, "output")
            scans = group(cluster.scan_signature(cluster.store_files(paths), output) for paths in cls.inputs)
            check = cluster.app.signature(CHECK_TASK_NAME, queue="openrelik-worker-regpersist")
            workflow = chain(scans, check).apply_async()
            cls.checked = workflow.get(timeout=240)
            cls.results = [decode_base64_to_dict(result) for result in workflow.parent.get(timeout=10)]
            del workflow  # its pending-result subscriptions must end while Redis still runs
            gc.collect()
        finally:
            listener.stop()
        cls.events = listener.events

    def test_outputs_equal_the_direct_cli_output(self):
        for paths, result in zip(self.inputs[:-1], self.results):
            with self.subTest(image=paths[0]):
                (entry,) = result["meta"]["inputs"]
                self.assertEqual(entry["exit_code"], 0, entry)
                (jsonl,) = [f for f in result["output_files"] if f["data_type"] == "openrelik:regpersist:jsonl"]
                with open(jsonl["path"], "rb") as produced:
                    through_worker = without_evidence_path(produced.read(), entry["evidence"])
                direct = direct_run(paths[0])
                self.assertEqual(direct.returncode, 0, direct.stderr)
                self.assertGreater(direct.stdout.count(b"\n"), 3)
                self.assertEqual(through_worker, without_evidence_path(direct.stdout, paths[0]))

    def test_report_outputs_accompany_each_timeline(self):
        for result in self.results[:-1]:
            types = sorted(f["data_type"] for f in result["output_files"])
            self.assertEqual(types, ["openrelik:regpersist:html-report", "openrelik:regpersist:jsonl",
                                     "openrelik:regpersist:navigator-layer"])
            for output in result["output_files"]:
                self.assertGreater(os.path.getsize(output["path"]), 0, output)

    def test_bad_input_is_reported_with_the_tools_error(self):
        bad = self.results[-1]
        (entry,) = bad["meta"]["inputs"]
        self.assertEqual(bad["output_files"], [])
        self.assertEqual(entry["exit_code"], 2)
        direct = direct_run(self.bad_path)
        expected = [line for line in direct.stderr.decode().replace(self.bad_path, "EVIDENCE").splitlines()
                    if line.startswith("regpersist: error:")]
        self.assertTrue(expected)
        self.assertEqual([line.replace(entry["evidence"], "EVIDENCE") for line in entry["errors"]], expected)
        self.assertIn(entry["errors"][0], bad["task_report"]["content"])

    def test_every_timeline_meets_the_timesketch_contract(self):
        self.assertEqual(len(self.checked), len(IMAGE_SETS))
        for name, problems in self.checked.items():
            self.assertEqual(problems, [], name)

    def test_progress_events_arrived_from_both_workers(self):
        reads = [event for event in self.events if event.get("data", {}).get("phase") == "read"]
        self.assertTrue(reads)
        scanned = {event["data"]["input"] for event in self.events if event["data"].get("phase") == "scan"}
        self.assertEqual(scanned, {paths[0].rsplit("/", 1)[1] for paths in self.inputs[:-1]})
        self.assertEqual({event["hostname"] for event in self.events}, {"regpersist-w1@localhost",
                                                                          "regpersist-w2@localhost"})
        self.assertEqual({result["meta"]["worker"] for result in self.results},
                         {"regpersist-w1@localhost", "regpersist-w2@localhost"})

    def test_nothing_is_left_running(self):
        self.assertEqual(self.leftover, [])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for option in ("--regpersist", "--images", "--work"):
        parser.add_argument(option, required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.regpersist, ARGS.images, ARGS.work = map(os.path.abspath, (ARGS.regpersist, ARGS.images, ARGS.work))
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
