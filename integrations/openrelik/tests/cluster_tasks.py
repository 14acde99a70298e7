# A task the cluster test chains after the regpersist group (loaded into the test's workers with
# --include): it reads every JSONL output of the group's results and checks it against the Timesketch
# import contract, as a downstream OpenRelik task (the Timesketch worker) would consume it.
from openrelik_worker_regpersist.app import celery
from openrelik_worker_regpersist.openrelik_contract import decode_base64_to_dict
from timesketch_contract import jsonl_problems

CHECK_TASK_NAME = "regpersist-cluster-test.tasks.check_timesketch"


@celery.task(name=CHECK_TASK_NAME)
def check_timesketch(results: list[str]) -> dict:
    """{display_name: [problems]} for every openrelik:regpersist:jsonl output of the results."""
    checked = {}
    for result in results:
        for output in decode_base64_to_dict(result)["output_files"]:
            if output["data_type"] == "openrelik:regpersist:jsonl":
                checked[output["display_name"]] = jsonl_problems(output["path"])
    return checked
