"""DynamoDB on the emulator is as isolated as DynamoDB: on a table of thousands of jobs,
parallel decisions on one job have exactly one winner, and the writes made meanwhile by
everybody else (new uploads, status moves, reads of the queue) all survive.

Runs against a real emulator process (`docuflow up --emulator-only`), through the
repositories the Lambda functions use, and prints the figures (requests, winners, lost
writes, the emulator's memory)."""

from __future__ import annotations

import concurrent.futures
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key
from botocore.config import Config
from botocore.exceptions import ClientError

from docuflow.dal.audit import AuditRepository
from docuflow.dal.jobs import JobRepository
from docuflow.dal.models import JobItem, utc_now
from docuflow.domain.errors import ConcurrentUpdate, InvalidTransition, JobNotFound
from docuflow.domain.status import JobStatus
from docuflow_tools.localcloud.ports import free_port
from docuflow_tools.localcloud.up_process import UpProcess
from tests.handlers.cloud import table_definition

TABLE_JOBS = 3000  # jobs in the table before the race
DECISIONS = 20  # reviewers deciding on the same job at once
UPLOADS = 40  # new jobs created (and moved on) while they do
RSS_GROWTH_LIMIT = 400 * 1024 * 1024  # deep copies of the table per decision would pass this


def _rss(pid: int) -> tuple[int, int]:
    """Current and peak resident memory of a process, in bytes (Linux /proc)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UpProcess]:
    state = tmp_path_factory.mktemp("race") / "state"
    process = UpProcess(
        name="race", port=free_port(), state=state, options=("--emulator-only", "--fresh")
    )
    try:
        process.wait_ready(60)
        yield process
    finally:
        process.stop()


def _job(job_id: str, status: JobStatus, owner: str) -> JobItem:
    """A job of the tenant `owner`, uploaded by a user of the same name."""
    now = utc_now()
    return JobItem(
        job_id=job_id,
        status=status,
        tenant_id=owner,
        uploaded_by=owner,
        created_at=now,
        updated_at=now,
        version=1,
        filename="invoice.pdf",
        content_type="application/pdf",
        s3_key=f"raw/{owner}/{job_id}/invoice.pdf",
    )


def test_parallel_decisions_on_a_large_table_have_one_winner_and_lose_no_write(
    emulator: UpProcess,
) -> None:
    endpoint = emulator.urls["AWS_ENDPOINT_URL"]
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    config = Config(max_pool_connections=DECISIONS + UPLOADS + 8, retries={"max_attempts": 1})
    client = session.client("dynamodb", endpoint_url=endpoint, config=config)
    resource = session.resource("dynamodb", endpoint_url=endpoint, config=config)
    suffix = uuid.uuid4().hex[:8]
    jobs_name, audit_name = f"jobs-{suffix}", f"audit-{suffix}"
    client.create_table(TableName=jobs_name, **table_definition("jobs"))
    client.create_table(TableName=audit_name, **table_definition("audit"))
    jobs = JobRepository(resource.Table(jobs_name), client)
    audit = AuditRepository(resource.Table(audit_name))
    owner = f"race-{suffix}"

    # Given a jobs table of thousands of jobs, one of them in review
    with resource.Table(jobs_name).batch_writer() as batch:
        for _ in range(TABLE_JOBS):
            job = _job(str(uuid.uuid4()), JobStatus.PROCESSING, owner)
            batch.put_item(Item=job.model_dump(mode="json", exclude_none=True))
    in_review = _job(str(uuid.uuid4()), JobStatus.NEEDS_REVIEW, owner)
    jobs.create(in_review)
    rss_before, _ = _rss(emulator.pid)

    # When reviewers decide on it at once, all with the version they saw, while clerks
    # upload new invoices (a CREATED job and its audit record, then UPLOADED) and the
    # queue is read
    start = threading.Barrier(DECISIONS + UPLOADS + 1)

    def decide(n: int) -> str:
        target = JobStatus.APPROVED if n % 2 else JobStatus.REJECTED
        record = audit.new_record(
            in_review.job_id,
            target.value.lower(),
            at=utc_now(),
            event_id=uuid.uuid4().hex,
            actor=f"reviewer-{n}",
        )
        start.wait()
        try:
            jobs.transition_with_audit(
                in_review.job_id,
                current=JobStatus.NEEDS_REVIEW,
                target=target,
                expected_version=in_review.version,
                set_fields={"reviewer": f"reviewer-{n}"},
                audit_puts=[audit.transaction_put(record)],
            )
        except (InvalidTransition, ConcurrentUpdate):
            return "conflict"
        except ClientError as exc:  # what the emulator must never answer
            return f"error {exc.response['Error']['Code']}"
        return target.value

    def upload(n: int) -> str:
        job = _job(str(uuid.uuid4()), JobStatus.CREATED, owner)
        start.wait()
        try:
            jobs.create(job)
            audit.record(job.job_id, "created", actor=owner)
            jobs.transition(job.job_id, current=JobStatus.CREATED, target=JobStatus.UPLOADED)
        except (ClientError, InvalidTransition, ConcurrentUpdate, JobNotFound) as exc:
            errors.append(f"upload {n}: {exc}")
        return job.job_id

    errors: list[str] = []
    stop_reading = threading.Event()
    reads = {"queries": 0, "errors": 0}

    def read_queue() -> None:
        start.wait()
        while not stop_reading.is_set():
            try:
                jobs.list_by_tenant(owner, status=JobStatus.NEEDS_REVIEW, limit=20)
                reads["queries"] += 1
            except Exception:  # any failure of a read is what we count
                reads["errors"] += 1

    reader = threading.Thread(target=read_queue)
    reader.start()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=DECISIONS + UPLOADS) as pool:
        decisions = [pool.submit(decide, n) for n in range(DECISIONS)]
        uploads = [pool.submit(upload, n) for n in range(UPLOADS)]
        outcomes = [future.result() for future in decisions]
        uploaded = [future.result() for future in uploads]
    seconds = time.perf_counter() - started
    stop_reading.set()
    reader.join()
    rss_after, rss_peak = _rss(emulator.pid)

    # Then exactly one decision won, the job and its audit trail say which, and every
    # upload made meanwhile is there, moved on, with its audit record
    winners = [outcome for outcome in outcomes if outcome in ("APPROVED", "REJECTED")]
    errors.extend(outcome for outcome in outcomes if outcome.startswith("error"))
    decided = jobs.get(in_review.job_id)
    decision_records = [
        item
        for item in resource.Table(audit_name).query(
            KeyConditionExpression=Key("job_id").eq(in_review.job_id)
        )["Items"]
        if item["event"] in ("approved", "rejected")
    ]
    lost = [
        job_id
        for job_id in uploaded
        if (found := jobs.find(job_id)) is None or found.status is not JobStatus.UPLOADED
    ]
    lost_audit = [job_id for job_id in uploaded if not audit_has(resource, audit_name, job_id)]
    print(
        f"\n[race] table {TABLE_JOBS + 1 + UPLOADS} jobs; {DECISIONS} decisions + {UPLOADS} "
        f"uploads ({UPLOADS * 4} writes) + {reads['queries']} queue reads in {seconds:.2f} s; "
        f"winners {len(winners)}, decision records {len(decision_records)}, lost jobs "
        f"{len(lost)}, lost audit records {len(lost_audit)}, write errors {len(errors)}, "
        f"read errors {reads['errors']}; "
        f"emulator RSS {rss_before / 2**20:.0f} MiB before, {rss_after / 2**20:.0f} MiB "
        f"after, peak {rss_peak / 2**20:.0f} MiB"
    )
    assert errors == []
    assert len(winners) == 1, outcomes
    assert decided.status.value == winners[0]
    assert decided.version == in_review.version + 1
    assert len(decision_records) == 1, decision_records
    assert decision_records[0]["event"] == winners[0].lower()
    assert lost == [] and lost_audit == []
    assert reads["errors"] == 0
    assert rss_after - rss_before < RSS_GROWTH_LIMIT


def audit_has(resource: Any, table: str, job_id: str) -> bool:
    items = resource.Table(table).query(KeyConditionExpression=Key("job_id").eq(job_id))["Items"]
    return any(item["event"] == "created" for item in items)


# ---------------------------------------------------------------- TransactWriteItems alone


@pytest.fixture
def tables(cloud: Any) -> tuple[Any, str, str]:
    """Two plain tables (pk) on the in-process emulator, each holding item "kept"."""
    client = cloud.client("dynamodb")
    names = (f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}")
    for name in names:
        client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.put_item(TableName=name, Item={"pk": {"S": "kept"}, "n": {"N": "1"}})
    return client, names[0], names[1]


def _items(client: Any, table: str) -> dict[str, dict[str, Any]]:
    return {item["pk"]["S"]: item for item in client.scan(TableName=table)["Items"]}


def test_a_transaction_whose_last_condition_fails_writes_nothing_and_says_which(
    tables: tuple[Any, str, str],
) -> None:
    client, a, b = tables
    before_a, before_b = _items(client, a), _items(client, b)
    # When a transaction puts and updates in both tables, and only its last check fails
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": a, "Item": {"pk": {"S": "new"}}}},
                {
                    "Update": {
                        "TableName": b,
                        "Key": {"pk": {"S": "kept"}},
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": a,
                        "Key": {"pk": {"S": "kept"}},
                        "ConditionExpression": "n = :five",
                        "ExpressionAttributeValues": {":five": {"N": "5"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        )
    # Then it is cancelled with one reason per item, the old item for the failed check,
    # and neither table changed
    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["None", "None", "ConditionalCheckFailed"]
    assert reasons[2]["Item"] == before_a["kept"]
    assert _items(client, a) == before_a and _items(client, b) == before_b


def test_a_transaction_whose_conditions_hold_writes_every_item(
    tables: tuple[Any, str, str],
) -> None:
    client, a, b = tables
    client.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": a,
                    "Item": {"pk": {"S": "new"}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Delete": {"TableName": b, "Key": {"pk": {"S": "kept"}}}},
        ]
    )
    assert set(_items(client, a)) == {"kept", "new"}
    assert _items(client, b) == {}


def test_a_write_that_fails_while_applied_undoes_the_ones_before_it(
    tables: tuple[Any, str, str],
) -> None:
    client, a, b = tables
    before_a, before_b = _items(client, a), _items(client, b)
    # When the second write cannot apply (adding a number to a string), after the first
    # one had replaced an item
    client.put_item(TableName=b, Item={"pk": {"S": "text"}, "n": {"S": "not a number"}})
    before_b = _items(client, b)
    with pytest.raises(ClientError):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": a, "Item": {"pk": {"S": "kept"}, "n": {"N": "9"}}}},
                {
                    "Update": {
                        "TableName": b,
                        "Key": {"pk": {"S": "text"}},
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
    # Then the first item is as it was
    assert _items(client, a) == before_a and _items(client, b) == before_b


def test_two_writes_to_one_item_in_a_transaction_are_refused(
    tables: tuple[Any, str, str],
) -> None:
    client, a, _ = tables
    before = _items(client, a)
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": a, "Item": {"pk": {"S": "kept"}, "n": {"N": "3"}}}},
                {"Delete": {"TableName": a, "Key": {"pk": {"S": "kept"}}}},
            ]
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert _items(client, a) == before
