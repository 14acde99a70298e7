# The parts of OpenRelik's worker contract a task needs, written from openrelik-worker-common's
# documented behaviour (task_utils.get_input_files / create_task_result, file_utils.create_output_file)
# because that library is not packaged for Debian:
#  - input files are dicts with at least "path" and "display_name"; a piped result from the previous
#    task (base64 of a JSON object) replaces them with its "output_files";
#  - an output file is named <uuid><extension> inside output_path and described to the server by
#    uuid, display_name, extension, data_type, path, original_path, source_file_id;
#  - a task returns base64(JSON) of output_files, workflow_id, command, meta, file_reports, task_report.
import base64
import json
import os
import uuid


def encode_dict_to_base64(value: dict) -> str:
    return base64.b64encode(json.dumps(value).encode("utf-8")).decode("utf-8")


def decode_base64_to_dict(text: str) -> dict:
    return json.loads(base64.b64decode(text.encode("utf-8")).decode("utf-8"))


def get_input_files(pipe_result: str | None, input_files: list[dict]) -> list[dict]:
    if pipe_result:
        return decode_base64_to_dict(pipe_result).get("output_files") or []
    return input_files


class OutputFile:
    def __init__(self, output_path: str, display_name: str, extension: str, data_type: str):
        self.uuid = uuid.uuid4().hex
        self.display_name = f"{display_name}.{extension}"
        self.extension = f".{extension}"
        self.data_type = data_type
        self.path = os.path.join(output_path, f"{self.uuid}.{extension}")

    def to_dict(self) -> dict:
        return {
            "uuid": self.uuid,
            "display_name": self.display_name,
            "extension": self.extension,
            "data_type": self.data_type,
            "path": self.path,
            "original_path": None,
            "source_file_id": None,
        }


def create_output_file(output_path: str, display_name: str, extension: str, data_type: str) -> OutputFile:
    return OutputFile(output_path, display_name, extension, data_type)


def create_task_result(
    output_files: list[dict],
    workflow_id: str | None,
    command: str | None = None,
    meta: dict | None = None,
    task_report: dict | None = None,
) -> str:
    return encode_dict_to_base64(
        {
            "output_files": output_files,
            "workflow_id": workflow_id,
            "command": command,
            "meta": meta,
            "file_reports": [],
            "task_report": task_report,
        }
    )
