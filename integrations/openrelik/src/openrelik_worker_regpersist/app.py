# The Celery application of the worker, as in OpenRelik's worker template (src/app.py): broker and
# result backend are the Redis given by REDIS_URL, and the task module is imported by the worker.
import os

from celery import Celery

celery = Celery(
    broker=os.environ.get("REDIS_URL", "redis://localhost:6379/0"),
    backend=os.environ.get("REDIS_URL", "redis://localhost:6379/0"),
    include=["openrelik_worker_regpersist.tasks"],
)
# One image at a time per worker process: a long scan must not hold back queued images that an idle
# worker could take (prefetching would reserve them).
celery.conf.worker_prefetch_multiplier = 1
celery.conf.task_acks_late = True
