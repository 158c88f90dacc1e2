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

`--apply --user ADMIN` applies what it proposes to that admin's company (ADR 0033): it
signs the admin in as `docuflow token` does, calibrates on that company's jobs only
(`--jobs-table` tells them), and sends the proposed thresholds with `PUT /settings`, on
top of the company's other settings, conditional on the version it read.
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
from typing import TYPE_CHECKING, Any

from docuflow_tools.localcloud.seed import find_api_base_url
from docuflow_tools.localcloud.users import (
    NoUserPool,
    add_sign_in_arguments,
    id_token,
    pool_of,
    signed_in_token,
)

if TYPE_CHECKING:
    import requests

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


def proposed_thresholds(table: list[FieldCalibration]) -> dict[str, float]:
    """The thresholds to apply: each field with a wrong value gets its safe threshold
    (at most 100, the highest a confidence can be); a field never corrected keeps the
    one it has."""
    return {
        row.field: float(min(row.safe_threshold, 100))
        for row in table
        if row.safe_threshold is not None
    }


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
        "('any': none was ever corrected). Apply them to a company with "
        "`--apply --user ADMIN`."
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


def _of_tenant(dynamodb: Any, jobs_table: str, job_ids: set[str], tenant: str) -> set[str]:
    return {
        job_id
        for job_id in job_ids
        if (
            dynamodb.get_item(
                TableName=jobs_table,
                Key={"job_id": {"S": job_id}},
                ProjectionExpression="tenant_id",
            )
            .get("Item", {})
            .get("tenant_id", {})
            .get("S")
        )
        == tenant
    }


def read_decisions(
    dynamodb: Any,
    s3: Any,
    *,
    audit_table: str,
    bucket: str,
    tenant: str | None = None,
    jobs_table: str | None = None,
) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Approved jobs' stored results, and the fields corrected in each job's decision;
    with `tenant`, only that company's jobs (their tenant read from `jobs_table`)."""
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
    if tenant is not None:
        if jobs_table is None:
            raise ValueError("calibrating one company's jobs needs the jobs table")
        approved = _of_tenant(dynamodb, jobs_table, approved, tenant)
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
        "--outputs",
        type=Path,
        help="a `docuflow up` outputs file to take the tables, the bucket and (--apply) "
        "the API and its user pool from",
    )
    parser.add_argument("--endpoint-url", help="the AWS endpoint (default: AWS_ENDPOINT_URL)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--jobs-table", help="the jobs table (default: JOBS_TABLE; for --apply)")
    parser.add_argument(
        "--apply",
        action="store_true",
        help="calibrate on --user's company only and apply the proposed thresholds to it "
        "(PUT /settings)",
    )
    parser.add_argument("--user", help="the admin who applies them, e.g. admin@acme.test")
    parser.add_argument(
        "--api", help="API base URL (default: DOCUFLOW_API_BASE_URL or the running `docuflow up`)"
    )
    add_sign_in_arguments(parser)


class NotApplied(Exception):
    """What stops the command, with its exit status (2: bad usage, 1: refused)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def apply(http: requests.Session, base: str, proposed: dict[str, float]) -> dict[str, Any]:
    """Lay `proposed` over the company's thresholds and save them (PUT /settings),
    keeping its other settings, conditional on the version read. The saved settings."""
    current = http.get(f"{base}/settings", timeout=30)
    if current.status_code != 200:
        raise NotApplied(f"GET /settings answered {current.status_code}: {current.text}")
    settings = current.json()
    body = {
        "allow_self_approval": settings["allow_self_approval"],
        "confidence_thresholds": {**settings["confidence_thresholds"], **proposed},
        "expected_version": settings["version"],
    }
    saved = http.put(f"{base}/settings", json=body, timeout=30)
    if saved.status_code != 200:
        raise NotApplied(f"PUT /settings answered {saved.status_code}: {saved.text}")
    result: dict[str, Any] = saved.json()
    return result


def _record(args: argparse.Namespace) -> dict[str, Any]:
    """The `docuflow up` outputs file `--outputs` names (empty without one)."""
    if args.outputs is None:
        return {}
    try:
        record: dict[str, Any] = json.loads(args.outputs.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotApplied(f"cannot read {args.outputs}: {exc}", status=2) from exc
    return record


def _names(args: argparse.Namespace) -> tuple[str, str, str | None]:
    """The audit table, the bucket and the jobs table, from the options, the outputs file
    or the environment."""
    outputs: dict[str, Any] = _record(args).get("outputs") or {}
    audit_table = args.audit_table or outputs.get("audit_table") or os.environ.get("AUDIT_TABLE")
    bucket = args.bucket or outputs.get("raw_bucket") or os.environ.get("RAW_BUCKET")
    jobs_table = args.jobs_table or outputs.get("jobs_table") or os.environ.get("JOBS_TABLE")
    if not audit_table or not bucket or (args.apply and not jobs_table):
        raise NotApplied(
            "name the audit table and the bucket (--audit-table/--bucket, --outputs, or "
            "AUDIT_TABLE/RAW_BUCKET), and for --apply the jobs table (--jobs-table or "
            "JOBS_TABLE).",
            status=2,
        )
    return str(audit_table), str(bucket), jobs_table


def _signed_in(args: argparse.Namespace) -> tuple[requests.Session, str, str]:
    """An HTTP session with the admin's ID token, the API's base URL and the admin's
    company (as GET /settings names it)."""
    import requests
    from botocore.exceptions import BotoCoreError, ClientError

    if not args.user:
        raise NotApplied("--apply needs --user: the admin of the company", status=2)
    record = _record(args)
    base = args.api or record.get("api_base_url") or find_api_base_url(None)
    if base is None:
        raise NotApplied("no API to apply to; start `docuflow up` or pass --api URL", status=2)
    base = str(base).rstrip("/")
    try:
        # The stack of --outputs signs its own users in; else `docuflow token`'s way.
        token = (
            id_token(pool_of(record), args.user, args.password)
            if record.get("outputs", {}).get("user_pool_client_id")
            else signed_in_token(args.user, args.password, args.client_id, args.region)
        )
    except (NoUserPool, ClientError, BotoCoreError, RuntimeError) as exc:
        raise NotApplied(f"cannot sign in as {args.user}: {exc}", status=2) from exc
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    try:
        current = http.get(f"{base}/settings", timeout=30)
    except requests.RequestException as exc:
        raise NotApplied(str(exc)) from exc
    if current.status_code != 200:
        raise NotApplied(
            f"{args.user} cannot read the settings ({current.status_code}: {current.text})"
        )
    return http, base, str(current.json()["tenant"])


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except NotApplied as exc:
        print(f"docuflow calibrate: {exc}", file=sys.stderr)
        return exc.status


def _run(args: argparse.Namespace) -> int:
    import boto3
    import requests

    audit_table, bucket, jobs_table = _names(args)
    signed_in = _signed_in(args) if args.apply else None
    endpoint = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
    results, corrected = read_decisions(
        boto3.client("dynamodb", **endpoint),
        boto3.client("s3", **endpoint),
        audit_table=audit_table,
        bucket=bucket,
        tenant=None if signed_in is None else signed_in[2],
        jobs_table=jobs_table,
    )
    table = calibrate(observations(results, corrected))
    if args.json:
        print(json.dumps([row.__dict__ for row in table], indent=2, default=str))
    else:
        print(render(table, len(results)))
    if signed_in is None:
        return 0
    http, base, tenant = signed_in
    proposed = proposed_thresholds(table)
    if not proposed:
        print(f"Nothing to apply to {tenant}: no value read was ever corrected.")
        return 0
    try:
        saved = apply(http, base, proposed)
    except requests.RequestException as exc:
        raise NotApplied(str(exc)) from exc
    applied = ", ".join(f"{name} {value:g}" for name, value in sorted(proposed.items()))
    print(f"Applied to {tenant} (settings version {saved['version']}): {applied}")
    return 0
