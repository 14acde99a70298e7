# A one-machine OpenRelik-style cluster for the cluster test and the throughput bench: Debian's
# redis-server on a free loopback port and N Celery workers of this package (run with the system
# /usr/bin/python3 and Debian's python3-celery), each in its own process group so that stopping the
# cluster ends every process it started. Also stores files the way OpenRelik does (<uuid><ext>, the
# original name kept as display_name) and builds the task signatures the OpenRelik server sends.
import os
import signal
import socket
import subprocess
import time
import uuid

from celery import Celery, signature

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.join(os.path.dirname(HERE), "src")
TASK_NAME = "openrelik-worker-regpersist.tasks.scan"
QUEUE = "openrelik-worker-regpersist"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


class LocalCluster:
    def __init__(self, work: str, workers: int, regpersist: str, include: str | None = None):
        self.work, self.worker_count, self.regpersist, self.include = work, workers, regpersist, include
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.processes: list[subprocess.Popen] = []
        self.worker_names = [f"regpersist-w{number}@localhost" for number in range(1, workers + 1)]
        self.app = Celery(broker=self.url, backend=self.url)

    def __enter__(self):
        os.makedirs(self.work, exist_ok=True)
        try:
            self._start_redis()
            for name in self.worker_names:
                self._start_worker(name)
            wait_until(lambda: len(self.app.control.ping(timeout=1.0)) == self.worker_count, 90, "workers")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_):
        self.stop()

    def _spawn(self, argv: list[str], log_name: str, env: dict | None = None):
        log = open(os.path.join(self.work, log_name), "w")
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                   start_new_session=True)
        log.close()
        self.processes.append(process)

    def _start_redis(self):
        self._spawn(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                     "--appendonly", "no", "--dir", self.work], "redis.log")
        wait_until(self._redis_answers, 30, "redis-server")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _start_worker(self, name: str):
        env = dict(os.environ, REDIS_URL=self.url, REGPERSIST_BINARY=self.regpersist,
                   PYTHONPATH=os.pathsep.join([PACKAGE_ROOT, HERE]))
        argv = ["/usr/bin/python3", "-B", "-m", "celery", "--app=openrelik_worker_regpersist.app", "worker",
                "--task-events", "--concurrency=1", "--loglevel=INFO", f"--queues={QUEUE}", f"--hostname={name}"]
        if self.include:
            argv.append(f"--include={self.include}")
        self._spawn(argv, f"{name.split('@')[0]}.log", env)

    def stop(self):
        """Ends every process group started (TERM, then KILL after 20 s) and waits for the leaders."""
        for process in self.processes:
            self._signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            self._signal_group(process, signal.SIGKILL)
            process.wait()

    def leftover_groups(self) -> list[int]:
        """Process groups of this cluster that still have a process (empty once stopped)."""
        left = []
        for process in self.processes:
            try:
                os.killpg(process.pid, 0)
                left.append(process.pid)
            except ProcessLookupError:
                pass
        return left

    @staticmethod
    def _signal_group(process: subprocess.Popen, sig: int):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass

    def store_files(self, paths: list[str]) -> list[dict]:
        """Files as OpenRelik's server stores and passes them: <uuid><ext> links, original display_name."""
        storage = os.path.join(self.work, "storage")
        os.makedirs(storage, exist_ok=True)
        files = []
        for path in paths:
            file_uuid = uuid.uuid4().hex
            name = os.path.basename(path)
            stored = os.path.join(storage, file_uuid + os.path.splitext(name)[1])
            os.symlink(os.path.abspath(path), stored)
            files.append({"id": len(files) + 1, "uuid": file_uuid, "display_name": name,
                          "extension": os.path.splitext(name)[1].lstrip("."), "data_type": "file:generic",
                          "path": stored})
        return files

    def scan_signature(self, input_files: list[dict], output_path: str, task_config: dict | None = None):
        """The signature the OpenRelik server sends: by task name and queue, with these kwargs."""
        os.makedirs(output_path, exist_ok=True)
        return signature(TASK_NAME, kwargs={"input_files": input_files, "output_path": output_path,
                                            "workflow_id": "regpersist-cluster", "task_config": task_config or {}},
                         queue=QUEUE, task_id=uuid.uuid4().hex, app=self.app)
