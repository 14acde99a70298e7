# The OpenRelik task of the regpersist worker, shaped like OpenRelik's worker template (src/tasks.py):
# TASK_NAME "<worker>.tasks.<task>" routed on the queue "<worker>", TASK_METADATA (display_name,
# description, task_config rendered as a form by the server), and a bound Celery task taking
# pipe_result / input_files / output_path / workflow_id / task_config and returning create_task_result().
#
# Per evidence input it writes a Timesketch JSONL timeline (openrelik:regpersist:jsonl) and, when the
# binary has `regpersist report`, the HTML report and the ATT&CK Navigator layer. Progress of every run
# is forwarded as "task-progress" events. An input regpersist cannot read is reported with the tool's
# own error text (result meta and task report) and never fails the other inputs or the task.
import os
import shutil
import subprocess
import tempfile

from .app import celery
from .openrelik_contract import create_output_file, create_task_result, get_input_files
from .regpersist_run import display_name, input_key, is_evidence, option_arguments, run_regpersist, stage_inputs

WORKER_NAME = "openrelik-worker-regpersist"
TASK_NAME = f"{WORKER_NAME}.tasks.scan"
REGPERSIST = os.environ.get("REGPERSIST_BINARY", "regpersist")

TASK_METADATA = {
    "display_name": "regpersist: registry persistence",
    "description": "Windows registry persistence (ATT&CK TA0003) and T1133 exposure from disk images, "
    "triage folders or hives, as a Timesketch timeline, an HTML report and an ATT&CK Navigator layer",
    "task_config": [
        {"name": "office_hours", "label": "Office hours (local time)", "description": "Default 08:00-18:00",
         "type": "text", "required": False},
        {"name": "workdays", "label": "Workdays", "description": "Default Mon-Fri (e.g. Sun-Thu)",
         "type": "text", "required": False},
        {"name": "timezone", "label": "Time zone (IANA)",
         "description": "Judge office hours in this zone; default: the machine's own zone from its SYSTEM hive",
         "type": "text", "required": False},
        {"name": "no_log_replay", "label": "Do not replay transaction logs",
         "description": "Read each hive as it is on disk", "type": "checkbox", "required": False},
        {"name": "no_deleted", "label": "Do not recover deleted keys and values",
         "description": "Skip the unallocated cells of each hive", "type": "checkbox", "required": False},
        {"name": "suspicious_only", "label": "Only suspicious entries",
         "description": "Timeline only entries with at least one reason", "type": "checkbox", "required": False},
        {"name": "rules", "label": "Extra rules (YAML)",
         "description": "Rules merged into the built-in catalog (a built-in id is replaced)",
         "type": "textarea", "required": False},
    ],
}

OUTPUTS = (  # (subcommand arguments, extension, data_type, whether `report` is needed)
    (["scan", "--format", "jsonl"], "jsonl", "openrelik:regpersist:jsonl", False),
    (["report", "--format", "html"], "html", "openrelik:regpersist:html-report", True),
    (["report", "--format", "navigator"], "json", "openrelik:regpersist:navigator-layer", True),
)


def has_report_command() -> bool:
    return subprocess.run([REGPERSIST, "report", "--help"], capture_output=True).returncode == 0


def write_rules(config: dict, folder: str) -> str | None:
    rules = config.get("rules") or ""
    if not rules.strip():
        return None
    path = os.path.join(folder, "extra-rules.yaml")
    with open(path, "w", encoding="utf-8") as out:
        out.write(rules)
    return path


def scan_one(task, evidence: str, name: str, output_path: str, options: list[str], config: dict) -> dict:
    """Every output of one evidence input; returns its entry of the result meta."""
    with_report = has_report_command()
    entry = {"input": name, "evidence": evidence, "output_files": [], "exit_code": None, "errors": []}
    for arguments, extension, data_type, needs_report in OUTPUTS:
        if needs_report and not with_report:
            continue
        output = create_output_file(output_path, f"{name}.regpersist", extension, data_type)
        extra = ["--suspicious"] if arguments[0] == "scan" and config.get("suspicious_only") else []
        argv = [REGPERSIST, *arguments, "--progress=json", "-q", *options, *extra, "-o", output.path, evidence]
        outcome = run_regpersist(argv, lambda event: task.send_event("task-progress", data={**event, "input": name}))
        entry["exit_code"] = max(entry["exit_code"] or 0, outcome.exit_code)
        entry["errors"] = outcome.errors or entry["errors"]
        entry["diagnostics"] = outcome.diagnostics
        if not outcome.wrote_output:
            if os.path.exists(output.path):
                os.remove(output.path)
            break  # the input cannot be read: the report would fail the same way
        entry["output_files"].append(output.to_dict())
    return entry


def task_report(entries: list[dict]) -> dict:
    failed = [entry for entry in entries if not entry["output_files"]]
    lines = [f"regpersist processed {len(entries) - len(failed)} of {len(entries)} inputs."]
    lines += [f"- {entry['input']}: " + ("; ".join(entry["errors"]) or "failed") for entry in failed]
    return {"title": "regpersist", "content": "\n".join(lines), "priority": 40 if failed else 20}


@celery.task(bind=True, name=TASK_NAME, metadata=TASK_METADATA)
def scan(self, pipe_result: str = None, input_files: list = None, output_path: str = None,
         workflow_id: str = None, task_config: dict = None) -> str:
    """Runs regpersist on every evidence input; see the module comment."""
    input_files = get_input_files(pipe_result, input_files or [])
    if not input_files:
        raise RuntimeError("regpersist: no input files")
    config = task_config or {}
    staging = tempfile.mkdtemp(prefix="regpersist-", dir=output_path)
    try:
        os.makedirs(os.path.join(staging, "inputs"))
        staged = stage_inputs(input_files, os.path.join(staging, "inputs"))
        options = option_arguments(config, write_rules(config, staging))
        entries = [
            scan_one(self, staged[input_key(item)], display_name(item), output_path, options, config)
            for item in input_files
            if is_evidence(display_name(item))
        ]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return create_task_result(
        output_files=[output for entry in entries for output in entry["output_files"]],
        workflow_id=workflow_id,
        command=" ".join([REGPERSIST, "scan", "--format", "jsonl", *options]),
        meta={"inputs": entries, "worker": self.request.hostname},
        task_report=task_report(entries),
    )
