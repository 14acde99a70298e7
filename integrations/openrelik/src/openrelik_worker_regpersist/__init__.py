# regpersist as an OpenRelik worker: the Celery app (app.py), the task the OpenRelik server
# discovers and dispatches (tasks.py), the few worker-contract helpers (openrelik_contract.py) and
# running the regpersist binary on one piece of evidence (regpersist_run.py).
