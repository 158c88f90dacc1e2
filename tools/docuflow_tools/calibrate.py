"""`docuflow calibrate`: how often values read above each confidence were right, per field,
and the threshold that would have kept automatic completion correct.

Ground truth is what reviewers decided, from the audit table: every job a person approved
is labelled, each of its fields right as read unless the `corrected` record of that
decision changed it. The confidence each value was read with comes from the job's stored
result (`results/{job_id}.json`). Jobs completed automatically carry no person's verdict
and are left out; rejected jobs too (a rejection judges the document, not its fields).

Reads from the local cloud or AWS alike: boto3 takes the endpoint from AWS_ENDPOINT_URL
(or `--endpoint-url`), the names from `--audit-table`/`--bucket`, AUDIT_TABLE/RAW_BUCKET,
or a `docuflow up` outputs file (`--outputs`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

THRESHOLDS: tuple[int, ...] = (50, 60, 70, 80, 85, 90, 95, 98, 99)


@dataclass(frozen=True)
class Observation:
    """One value a reviewer saw: the confidence it was read with, and whether it stood."""

    field: str
    confidence: float
    right: bool


@dataclass(frozen=True)
class FieldCalibration:
    field: str
    count: int
    wrong: int
    above: dict[int, tuple[int, int]]
    """threshold -> (values read at or above it, of which right)"""
    safe_threshold: int | None
    """The lowest whole confidence at which every value at or above was right (None: no
    value was ever wrong, so any threshold would have been)."""


def observations(
    results: dict[str, dict[str, Any]], corrected: dict[str, set[str]]
) -> list[Observation]:
    """Every field value of each approved job's result, right unless it was corrected."""
    found: list[Observation] = []
    for job_id, result in sorted(results.items()):
        changed = corrected.get(job_id, set())
        for name, field in sorted((result.get("fields") or {}).items()):
            confidence = field.get("confidence")
            if isinstance(confidence, int | float):
                found.append(Observation(name, float(confidence), name not in changed))
    return found


def calibrate(found: Iterable[Observation]) -> list[FieldCalibration]:
    by_field: dict[str, list[Observation]] = defaultdict(list)
    for observation in found:
        by_field[observation.field].append(observation)
    table: list[FieldCalibration] = []
    for name in sorted(by_field):
        values = by_field[name]
        wrong = [v.confidence for v in values if not v.right]
        above = {
            t: (
                sum(v.confidence >= t for v in values),
                sum(v.confidence >= t and v.right for v in values),
            )
            for t in THRESHOLDS
        }
        table.append(
            FieldCalibration(
                field=name,
                count=len(values),
                wrong=len(wrong),
                above=above,
                # A value passes when its confidence is at least the threshold: one whole
                # point above the most confident wrong value keeps them all in review.
                safe_threshold=math.floor(max(wrong)) + 1 if wrong else None,
            )
        )
    return table


def render(table: list[FieldCalibration], jobs: int) -> str:
    head = f"{'field':<18}{'n':>5}{'wrong':>7}  " + "".join(
        f"{'>=' + str(t):>10}" for t in THRESHOLDS
    )
    lines = [
        f"Calibration from {jobs} approved job(s): share of values right at or above each "
        "confidence (right/read).",
        head + f"{'threshold':>12}",
    ]
    for row in table:
        cells = "".join(
            f"{(f'{right}/{read}' if read else '-'):>10}" for read, right in row.above.values()
        )
        safe = "any" if row.safe_threshold is None else str(row.safe_threshold)
        lines.append(f"{row.field:<18}{row.count:>5}{row.wrong:>7}  {cells}{safe:>12}")
    lines.append(
        "threshold: the lowest confidence at which every value at or above it was right "
        "('any': none was ever corrected). Set it per field with CONFIDENCE_THRESHOLDS."
    )
    return "\n".join(lines)


def _audit_records(client: Any, table: str) -> Iterator[dict[str, Any]]:
    paginator = client.get_paginator("scan")
    for page in paginator.paginate(
        TableName=table,
        FilterExpression="#event IN (:approved, :corrected)",
        ExpressionAttributeNames={"#event": "event"},
        ExpressionAttributeValues={
            ":approved": {"S": "approved"},
            ":corrected": {"S": "corrected"},
        },
    ):
        yield from page.get("Items", [])


def read_decisions(
    dynamodb: Any, s3: Any, *, audit_table: str, bucket: str
) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Approved jobs' stored results, and the fields corrected in each job's decision."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    approved: set[str] = set()
    corrected: dict[str, set[str]] = defaultdict(set)
    for raw in _audit_records(dynamodb, audit_table):
        record = {key: deserializer.deserialize(value) for key, value in raw.items()}
        job_id = str(record["job_id"])
        if record["event"] == "approved":
            approved.add(job_id)
        else:
            corrected[job_id].update(str(name) for name in (record.get("after") or {}))
    results: dict[str, dict[str, Any]] = {}
    for job_id in sorted(approved):
        try:
            body = s3.get_object(Bucket=bucket, Key=f"results/{job_id}.json")["Body"].read()
        except s3.exceptions.NoSuchKey:
            continue
        results[job_id] = json.loads(body)
    return results, dict(corrected)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--audit-table", help="the audit table (default: AUDIT_TABLE)")
    parser.add_argument("--bucket", help="the documents bucket (default: RAW_BUCKET)")
    parser.add_argument(
        "--outputs", type=Path, help="a `docuflow up` outputs file to take both from"
    )
    parser.add_argument("--endpoint-url", help="the AWS endpoint (default: AWS_ENDPOINT_URL)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")


def run(args: argparse.Namespace) -> int:
    import boto3

    outputs: dict[str, Any] = {}
    if args.outputs is not None:
        try:
            outputs = json.loads(args.outputs.read_text(encoding="utf-8")).get("outputs") or {}
        except (OSError, ValueError) as exc:
            print(f"docuflow calibrate: cannot read {args.outputs}: {exc}", file=sys.stderr)
            return 2
    audit_table = args.audit_table or outputs.get("audit_table") or os.environ.get("AUDIT_TABLE")
    bucket = args.bucket or outputs.get("raw_bucket") or os.environ.get("RAW_BUCKET")
    if not audit_table or not bucket:
        print(
            "docuflow calibrate: name the audit table and the bucket "
            "(--audit-table/--bucket, --outputs, or AUDIT_TABLE/RAW_BUCKET).",
            file=sys.stderr,
        )
        return 2
    endpoint = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    results, corrected = read_decisions(
        boto3.client("dynamodb", **endpoint),
        boto3.client("s3", **endpoint),
        audit_table=audit_table,
        bucket=bucket,
    )
    table = calibrate(observations(results, corrected))
    if args.json:
        print(json.dumps([row.__dict__ for row in table], indent=2, default=str))
    else:
        print(render(table, len(results)))
    return 0
