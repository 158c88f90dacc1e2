"""intake: SQS batches of S3 ObjectCreated notifications -> UPLOADED -> PROCESSING."""

from __future__ import annotations

import hashlib
import json

import pytest

from services.intake.handlers import s3_events
from services.intake.handlers.s3_events import lambda_handler as intake
from tests.handlers.cloud import (
    Cloud,
    EndingContext,
    LambdaContext,
    audit_writes_throttled,
    make_job,
    s3_notification,
    sqs_event,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


def created_job_with_object(cloud: Cloud, filename: str = "invoice.pdf"):
    job = make_job(cloud, status="CREATED", fixture=None)
    key = f"raw/{job.tenant_id}/{job.job_id}/{filename}"
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


def test_objects_of_no_job_are_deleted_and_objects_outside_raw_fail(cloud: Cloud) -> None:
    # Given a batch: one good record, a key of no job, a key under raw/ that names no job,
    # another file in a job's folder, a key outside raw/, and a junk body
    job, key = created_job_with_object(cloud)
    strays = [
        "raw/clerk-1/no-such-job/x.pdf",
        "raw/not-a-document-key.pdf",
        f"raw/{job.tenant_id}/{job.job_id}/another.pdf",
    ]
    for stray in strays:
        cloud.put_object(stray, PDF)
    event = sqs_event(
        [
            s3_notification(cloud.bucket, key),
            *(s3_notification(cloud.bucket, stray) for stray in strays),
            s3_notification(cloud.bucket, "elsewhere/x.pdf"),
            "not json at all",
        ]
    )
    ids = [record["messageId"] for record in event["Records"]]
    # When intake handles it
    response = run(event)
    # Then the strays under raw/ are deleted, the job's own document is processed and kept,
    # and only the messages about things outside the documents fail (redelivery / the DLQ)
    assert response == {"batchItemFailures": [{"itemIdentifier": i} for i in ids[-2:]]}
    assert cloud.job(job.job_id)["status"] == "PROCESSING"
    listed = cloud.client("s3").list_objects_v2(Bucket=cloud.bucket, Prefix="raw/")
    assert [item["Key"] for item in listed["Contents"]] == [key]


def test_a_document_for_an_expired_job_is_deleted_and_the_job_left_to_expire(
    cloud: Cloud,
) -> None:
    # Given a CREATED job whose upload link and grace period are over, and its document
    job, key = created_job_with_object(cloud)
    cloud.table(cloud.jobs_table).update_item(
        Key={"job_id": job.job_id},
        UpdateExpression="SET expires_at_epoch = :past",
        ExpressionAttributeValues={":past": 1_000_000_000},
    )
    # When the document's notification arrives
    assert run(sqs_event([s3_notification(cloud.bucket, key)])) == {"batchItemFailures": []}
    # Then the document is deleted and the job stays CREATED, for DynamoDB's TTL
    listed = cloud.client("s3").list_objects_v2(Bucket=cloud.bucket, Prefix="raw/")
    assert listed.get("Contents", []) == []
    assert cloud.job(job.job_id)["status"] == "CREATED"


def test_the_arriving_document_ends_the_jobs_expiry(cloud: Cloud) -> None:
    import time

    # Given a CREATED job that would expire in an hour
    job, key = created_job_with_object(cloud)
    cloud.table(cloud.jobs_table).update_item(
        Key={"job_id": job.job_id},
        UpdateExpression="SET expires_at_epoch = :soon",
        ExpressionAttributeValues={":soon": int(time.time()) + 3600},
    )
    # When its document arrives, then the job is processed and no longer expires
    assert run(sqs_event([s3_notification(cloud.bucket, key)])) == {"batchItemFailures": []}
    stored = cloud.job(job.job_id)
    assert stored["status"] == "PROCESSING"
    assert "expires_at_epoch" not in stored


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


def test_a_batch_running_out_of_time_leaves_the_records_it_did_not_take_to_sqs(
    cloud: Cloud,
) -> None:
    # Given three uploads in one batch, and an invocation with time for the first only
    jobs = [created_job_with_object(cloud, f"invoice-{n}.pdf") for n in range(3)]
    event = sqs_event([s3_notification(cloud.bucket, key, len(PDF)) for _, key in jobs])
    # When intake handles the batch
    answer = intake(event, EndingContext(remaining=[30_000, 5_000]))
    # Then the first upload is started, and the other two are reported as failures (SQS
    # delivers them again) with nothing of them done, rather than the whole batch being
    # cut off by the timeout
    ids = [record["messageId"] for record in event["Records"]]
    assert answer == {"batchItemFailures": [{"itemIdentifier": ids[1]}, {"itemIdentifier": ids[2]}]}
    assert [cloud.job(job.job_id)["status"] for job, _ in jobs] == [
        "PROCESSING",
        "CREATED",
        "CREATED",
    ]
    assert len(cloud.executions()) == 1
