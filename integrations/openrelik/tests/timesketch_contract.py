# Timesketch's JSONL import contract, the same checks as the C++ timeline tests
# (tests/unit/timeline/timeline_test_support.h expect_timesketch_jsonl): at least 3 lines; every line
# valid UTF-8 JSON with message (string), datetime (ISO 8601 UTC, microseconds, Z), timestamp
# (integer microseconds since 1970 equal to datetime) and timestamp_desc; no null field; every field
# keeps one JSON type on every line (OpenSearch maps a field's type from its first document) and every
# line has the same fields.
import datetime
import json
import re

ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})Z$")
REQUIRED = ("message", "datetime", "timestamp", "timestamp_desc")


def json_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"  # OpenSearch maps signed and unsigned integers alike (long)
    return type(value).__name__


def record_problems(record: dict) -> list[str]:
    problems = [f"{name} missing" for name in REQUIRED if name not in record]
    problems += [f"{name} is null" for name, value in record.items() if value is None]
    if problems:
        return problems
    if not isinstance(record["message"], str):
        problems.append("message is not a string")
    match = ISO.match(str(record["datetime"]))
    if not match or json_type(record["timestamp"]) != "integer":
        return problems + [f"datetime {record['datetime']!r} / timestamp {record['timestamp']!r} malformed"]
    parts = [int(part) for part in match.groups()]
    moment = datetime.datetime(*parts[:6], tzinfo=datetime.timezone.utc)
    micros = int(moment.timestamp()) * 1_000_000 + parts[6]
    if micros != record["timestamp"]:
        problems.append(f"timestamp {record['timestamp']} is not datetime {record['datetime']}")
    return problems


def jsonl_problems(path: str) -> list[str]:
    """Every way the file breaks the contract (empty when Timesketch imports it)."""
    with open(path, "rb") as source:
        lines = source.read().splitlines()
    if len(lines) < 3:
        return [f"{len(lines)} lines: Timesketch rejects JSONL of fewer than 3 lines"]
    problems, types, fields = [], {}, None
    for number, raw in enumerate(lines, 1):
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            problems.append(f"line {number}: {error}")
            continue
        problems += [f"line {number}: {problem}" for problem in record_problems(record)]
        for name, value in record.items():
            if types.setdefault(name, json_type(value)) != json_type(value):
                problems.append(f"line {number}: field {name} changes type")
        fields = fields or set(record)
        if set(record) != fields:
            problems.append(f"line {number}: fields differ from line 1")
    return problems
