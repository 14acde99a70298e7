# Running the regpersist binary for the worker, through its CLI contract for wrappers (README "CLI
# contract for wrappers"): which input files are evidence, the command line an analyst's task_config
# asks for, and one run with its --progress=json events forwarded and its diagnostics kept.
#
# OpenRelik stores every file as <uuid><extension>, so the names an image set or a hive's logs are
# found by (disk.E01 + disk.E02, SYSTEM + SYSTEM.LOG1) are lost. The inputs are therefore staged as
# symbolic links under their display names; an E01/split-raw continuation segment or a transaction
# log travels with its first segment or hive instead of being scanned on its own.
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from typing import Callable

CONTINUATION = re.compile(r"\.(e(0[2-9]|[1-9][0-9]|[a-z][a-z])|(00[2-9]|0[1-9][0-9]|[1-9][0-9][0-9]))$", re.I)
TRANSACTION_LOG = re.compile(r"\.log[12]?$", re.I)

EXIT_SUCCESS, EXIT_PARTIAL, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2, 64


def display_name(input_file: dict) -> str:
    """The name the analyst uploaded the file under (never a path)."""
    return os.path.basename(input_file.get("display_name") or input_file["path"])


def input_key(input_file: dict) -> str:
    return input_file.get("uuid") or input_file["path"]


def is_evidence(display_name: str) -> bool:
    """A first segment, an image, a folder or a hive: not a continuation segment nor a log."""
    return not CONTINUATION.search(display_name) and not TRANSACTION_LOG.search(display_name)


def stage_inputs(input_files: list[dict], staging_dir: str) -> dict[str, str]:
    """Links each input under its display name (a folder per repeated name); returns input_key -> link."""
    staged = {}
    for number, input_file in enumerate(input_files):
        name = display_name(input_file) or f"input-{number}"
        folder = staging_dir
        if os.path.lexists(os.path.join(folder, name)):
            folder = os.path.join(staging_dir, str(number))
            os.makedirs(folder)
        link = os.path.join(folder, name)
        os.symlink(os.path.abspath(input_file["path"]), link)
        staged[input_key(input_file)] = link
    return staged


def option_arguments(config: dict, rules_file: str | None) -> list[str]:
    """The regpersist options an analyst's task_config asks for (scan and report share them)."""
    arguments = []
    for name, flag in (("timezone", "--tz"), ("office_hours", "--office-hours"), ("workdays", "--workdays")):
        value = (config.get(name) or "").strip()
        if value:
            arguments += [flag, value]
    if config.get("no_log_replay"):
        arguments.append("--no-logs")
    if config.get("no_deleted"):
        arguments.append("--no-deleted")
    if rules_file:
        arguments += ["--rules", rules_file]
    return arguments


@dataclass
class RunOutcome:
    exit_code: int
    diagnostics: list[str] = field(default_factory=list)  # the tool's stderr lines, progress excluded

    @property
    def errors(self) -> list[str]:
        return [line for line in self.diagnostics if line.startswith("regpersist: error:")]

    @property
    def wrote_output(self) -> bool:
        return self.exit_code in (EXIT_SUCCESS, EXIT_PARTIAL)


def run_regpersist(argv: list[str], on_progress: Callable[[dict], None]) -> RunOutcome:
    """Runs argv (with --progress=json); each progress event goes to on_progress as it arrives."""
    outcome = RunOutcome(exit_code=-1)
    with subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, encoding="utf-8", errors="replace") as process:
        for line in process.stderr:
            line = line.rstrip("\n")
            if line.startswith("{"):
                on_progress(json.loads(line))
            elif line:
                outcome.diagnostics.append(line)
        outcome.exit_code = process.wait()
    return outcome
