"""intake: SQS batches of S3 ObjectCreated notifications -> UPLOADED -> PROCESSING."""

from __future__ import annotations

import hashlib
import json

import pytest

from services.intake.handlers import s3_events
from services.intake.handlers.s3_events import lambda_handler as intake
from tests.handlers.cloud import (
    Cloud,
    LambdaContext,
    audit_writes_throttled,
    make_job,
    s3_notification,
    sqs_event,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


def created_job_with_object(cloud: Cloud, filename: str = "invoice.pdf"):
    job = make_job(cloud, status="CREATED", fixture=None)
    key = f"raw/{job.owner_id}/{job.job_id}/{filename}"
    table = cloud.table(cloud.jobs_table)
    table.update_item(
        Key={"job_id": job.job_id},
        UpdateExpression="SET s3_key = :k",
        ExpressionAttributeValues={":k": key},
    )
    cloud.put_object(key, PDF)
    return job, key


def run(event: dict) -> dict:
    return intake(event, LambdaContext())


def test_object_created_marks_uploaded_and_starts_the_execution(cloud: Cloud) -> None:
    # Given a CREATED job whose document (with a space in its name) has just been stored
    job, key = created_job_with_object(cloud, "March invoice.pdf")
    # When S3's notification arrives through the intake queue (key URL-encoded)
    response = run(sqs_event([s3_notification(cloud.bucket, key, len(PDF))]))
    # Then nothing failed, the job is PROCESSING with size and SHA-256, one execution runs
    assert response == {"batchItemFailures": []}
    stored = cloud.job(job.job_id)
    assert stored["status"] == "PROCESSING"
    assert stored["file_sha256"] == hashlib.sha256(PDF).hexdigest()
    assert int(stored["size_bytes"]) == len(PDF)
    executions = cloud.executions()
    assert [e["name"] for e in executions] == [job.job_id]
    described = cloud.client("stepfunctions").describe_execution(
        executionArn=executions[0]["executionArn"]
    )
    assert json.loads(described["input"]) == {
        "job_id": job.job_id,
        "bucket": cloud.bucket,
        "key": key,
        "attempt": 1,
    }
    assert sorted(r["event"] for r in cloud.audit(job.job_id)) == ["started", "uploaded"]


def test_a_redelivery_after_a_lost_audit_record_writes_it_once(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a first delivery that writes UPLOADED but fails writing its audit record
    job, key = created_job_with_object(cloud)
    body = s3_notification(cloud.bucket, key)
    with audit_writes_throttled(monkeypatch, s3_events.ports().audit, "uploaded"):
        failed = run(sqs_event([body]))
    assert len(failed["batchItemFailures"]) == 1
    assert cloud.job(job.job_id)["status"] == "UPLOADED"
    # When SQS delivers the message again, twice
    assert run(sqs_event([body])) == {"batchItemFailures": []}
    assert run(sqs_event([body])) == {"batchItemFailures": []}
    # Then the upload and the start are each audited exactly once
    assert cloud.job(job.job_id)["status"] == "PROCESSING"
    assert sorted(r["event"] for r in cloud.audit(job.job_id)) == ["started", "uploaded"]


def test_a_duplicate_notification_starts_nothing_twice(cloud: Cloud) -> None:
    job, key = created_job_with_object(cloud)
    body = s3_notification(cloud.bucket, key)
    assert run(sqs_event([body])) == {"batchItemFailures": []}
    assert run(sqs_event([body])) == {"batchItemFailures": []}
    assert len(cloud.executions()) == 1
    assert [r["event"] for r in cloud.audit(job.job_id)].count("started") == 1


def test_test_event_is_ignored(cloud: Cloud) -> None:
    body = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": cloud.bucket})
    assert run(sqs_event([body])) == {"batchItemFailures": []}


def test_unknown_keys_fail_their_message_only(cloud: Cloud) -> None:
    # Given a batch: one good record, one key of no job, one key outside raw/, one junk body
    job, key = created_job_with_object(cloud)
    event = sqs_event(
        [
            s3_notification(cloud.bucket, key),
            s3_notification(cloud.bucket, "raw/clerk-1/no-such-job/x.pdf"),
            s3_notification(cloud.bucket, "elsewhere/x.pdf"),
            "not json at all",
        ]
    )
    ids = [record["messageId"] for record in event["Records"]]
    # When intake handles it
    response = run(event)
    # Then exactly the three bad messages are reported back for redelivery / the DLQ
    assert response == {"batchItemFailures": [{"itemIdentifier": i} for i in ids[1:]]}
    assert cloud.job(job.job_id)["status"] == "PROCESSING"


def test_object_of_another_bucket_fails(cloud: Cloud) -> None:
    job, key = created_job_with_object(cloud)
    event = sqs_event([s3_notification("other-bucket", key)])
    assert len(run(event)["batchItemFailures"]) == 1
    assert cloud.job(job.job_id)["status"] == "CREATED"


def test_processing_job_without_an_execution_gets_it_started(cloud: Cloud) -> None:
    # Given a job whose status was written but whose StartExecution never happened
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, PDF)
    # When the notification is redelivered
    assert run(sqs_event([s3_notification(cloud.bucket, job.s3_key)])) == {"batchItemFailures": []}
    # Then the execution for the current attempt exists and is recorded
    assert [e["name"] for e in cloud.executions()] == [job.job_id]
    assert cloud.job(job.job_id)["execution_arn"].endswith(job.job_id)


def test_finished_job_is_left_alone(cloud: Cloud) -> None:
    job = make_job(cloud, status="COMPLETED", fixture=None)
    assert run(sqs_event([s3_notification(cloud.bucket, job.s3_key)])) == {"batchItemFailures": []}
    assert cloud.job(job.job_id)["status"] == "COMPLETED"
    assert cloud.executions() == []
