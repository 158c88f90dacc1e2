"""The state machine as Terraform renders it, run by the local cloud's Step Functions
engine with the real handlers in worker processes and the Textract stand-in: the
callback path, the polling fallback, throttling retries, the pacing of Textract starts
to the account's quota and the catch path."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests

from docuflow_tools.localcloud.ports import free_port
from docuflow_tools.paths import textract_fixtures_dir
from docuflow_tools.samples import make_invoice
from services.workflow.logic.ocr import RATE_RETRIES
from tests.einvoice_samples import Syntax, hybrid_of, invoice_data, make_xml
from tests.handlers.cloud import functions, render_asl, table_definition

pytestmark = pytest.mark.localcloud

REGION = "us-east-1"
# The Textract start rate the pipeline is deployed to keep to, in all.
STARTS_PER_SECOND = 1


@dataclass
class Stack:
    endpoint: str
    suffix: str
    machines: dict[str, str]
    dlq_url: str

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    @property
    def jobs_table(self) -> str:
        return f"jobs-{self.suffix}"

    @property
    def audit_table(self) -> str:
        return f"audit-{self.suffix}"

    @property
    def vendors_table(self) -> str:
        return f"vendors-{self.suffix}"

    @property
    def settings_table(self) -> str:
        return f"settings-{self.suffix}"

    @property
    def stats_table(self) -> str:
        return f"stats-{self.suffix}"

    @property
    def pacing_table(self) -> str:
        return f"pacing-{self.suffix}"

    @property
    def bucket(self) -> str:
        return f"raw-{self.suffix}"

    def faults(self, **settings: Any) -> None:
        response = requests.post(
            f"{self.endpoint}/_docuflow/textract/faults", json=settings, timeout=10
        )
        response.raise_for_status()


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    from docuflow_tools.localcloud.server import LocalCloud

    local = LocalCloud(port=free_port(), textract_latency=0.3, log=lambda name, line: None)
    local.start()
    try:
        yield _deploy(Stack(local.endpoint, uuid.uuid4().hex[:8], {}, ""))
    finally:
        local.stop()


def _deploy(stack: Stack) -> Stack:
    """What Terraform creates, reduced to what the pipeline touches."""
    c = stack.client
    c("dynamodb").create_table(TableName=stack.jobs_table, **table_definition("jobs"))
    c("dynamodb").create_table(TableName=stack.audit_table, **table_definition("audit"))
    c("dynamodb").create_table(TableName=stack.vendors_table, **table_definition("vendors"))
    c("dynamodb").create_table(TableName=stack.settings_table, **table_definition("settings"))
    c("dynamodb").create_table(TableName=stack.stats_table, **table_definition("stats"))
    c("dynamodb").create_table(TableName=stack.pacing_table, **table_definition("pacing"))
    c("s3").create_bucket(Bucket=stack.bucket)
    stack.dlq_url = c("sqs").create_queue(QueueName=f"dlq-{stack.suffix}")["QueueUrl"]
    start_queue = c("sqs").create_queue(QueueName=f"ocr-start-{stack.suffix}")["QueueUrl"]
    start_queue_arn = c("sqs").get_queue_attributes(
        QueueUrl=start_queue, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    ocr_queue = c("sqs").create_queue(QueueName=f"ocr-{stack.suffix}")["QueueUrl"]
    ocr_queue_arn = c("sqs").get_queue_attributes(QueueUrl=ocr_queue, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    topic = c("sns").create_topic(Name=f"textract-{stack.suffix}")["TopicArn"]
    bus = c("events").create_event_bus(Name=f"events-{stack.suffix}")["EventBusArn"]
    c("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=ocr_queue_arn)
    role = c("iam").create_role(RoleName=f"role-{stack.suffix}", AssumeRolePolicyDocument="{}")[
        "Role"
    ]["Arn"]
    # Each function starts with exactly the settings its manifest entry names, as
    # Terraform gives them: a setting missing from the manifest fails the run.
    values = {
        "JOBS_TABLE": stack.jobs_table,
        "AUDIT_TABLE": stack.audit_table,
        "VENDORS_TABLE": stack.vendors_table,
        "SETTINGS_TABLE": stack.settings_table,
        "STATS_TABLE": stack.stats_table,
        "RAW_BUCKET": stack.bucket,
        "DLQ_URL": stack.dlq_url,
        "OCR_MODE": "document",
        "TEXTRACT_SNS_TOPIC_ARN": topic,
        "TEXTRACT_ROLE_ARN": role,
        "MAX_UPLOAD_BYTES": "20971520",
        "MAX_PAGES": "50",
        "CONFIDENCE_THRESHOLD": "80",
        "CONFIDENCE_THRESHOLDS": "{}",
        # The account's quota, which the consumers keep to together (the pacing table).
        "TEXTRACT_STARTS_PER_SECOND": str(STARTS_PER_SECOND),
        "PACING_TABLE": stack.pacing_table,
        "EVENT_BUS_NAME": bus.rsplit("/", 1)[1],
    }
    arns: dict[str, str] = {}
    for name, spec in functions().items():
        if spec["trigger"] not in ("states", "sqs:ocr-completion", "sqs:ocr-start"):
            continue
        created = c("lambda").create_function(
            FunctionName=f"{name}-{stack.suffix}",
            Role=role,
            PackageType="Image",
            Code={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/docuflow:test"},
            ImageConfig={"Command": [spec["handler"]]},
            Timeout=spec["timeout"],
            Environment={
                "Variables": {
                    **{name: values[name] for name in spec["settings"]},
                    "POWERTOOLS_METRICS_NAMESPACE": "DocuFlowTests",
                }
            },
        )
        arns[f"{name.replace('-', '_')}_arn"] = created["FunctionArn"]
    c("lambda").create_event_source_mapping(
        EventSourceArn=ocr_queue_arn,
        FunctionName=f"ocr-callback-{stack.suffix}",
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    c("lambda").create_event_source_mapping(
        EventSourceArn=start_queue_arn,
        FunctionName=f"start-ocr-{stack.suffix}",
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        ScalingConfig={"MaximumConcurrency": functions()["start-ocr"]["maximum_concurrency"]},
    )
    arns.pop("ocr_callback_arn")
    arns.pop("start_ocr_arn")
    # Two machines: one that waits for the callback, one whose wait runs out at once.
    for label, wait in (("callback", "60"), ("polling", "1")):
        values = {
            **arns,
            "ocr_start_queue_url": start_queue,
            "ocr_start_timeout_seconds": "120",
            "ocr_wait_timeout_seconds": wait,
            "poll_interval_seconds": "1",
            "max_polls": "15",
            "textract_retry_interval_seconds": "1",
            "textract_retry_max_delay_seconds": "2",
            "textract_retry_max_attempts": "10",
        }
        stack.machines[label] = c("stepfunctions").create_state_machine(
            name=f"pipeline-{label}-{stack.suffix}", definition=render_asl(values), roleArn=role
        )["stateMachineArn"]
    return stack


def run_pipeline(
    stack: Stack,
    document: bytes,
    machine: str = "callback",
    attempt: int = 1,
    job_id: str | None = None,
    filename: str = "doc.pdf",
) -> dict[str, Any]:
    """Store the document and a PROCESSING job on `attempt`, run one execution to its end."""
    job_id = job_id or str(uuid.uuid4())
    key = f"raw/clerk/{job_id}/{filename}"
    stack.client("s3").put_object(Bucket=stack.bucket, Key=key, Body=document)
    now = "2026-11-28T10:00:00.000Z"
    item = {
        "job_id": job_id,
        "status": "PROCESSING",
        "tenant_id": "clerk",
        "uploaded_by": "user-clerk",
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "filename": "doc.pdf",
        "content_type": "application/pdf",
        "s3_key": key,
        "attempt": attempt,
        "file_sha256": hashlib.sha256(document).hexdigest(),
    }
    stack.client("dynamodb").put_item(
        TableName=stack.jobs_table, Item={k: _attr(v) for k, v in item.items()}
    )
    sfn = stack.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=stack.machines[machine],
        name=job_id,
        input=json.dumps(
            {"job_id": job_id, "bucket": stack.bucket, "key": key, "attempt": attempt}
        ),
    )["executionArn"]
    deadline = time.monotonic() + 90
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution did not finish within 90 s"
        time.sleep(0.2)
    history = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    job = stack.client("dynamodb").get_item(
        TableName=stack.jobs_table, Key={"job_id": {"S": job_id}}, ConsistentRead=True
    )["Item"]
    return {
        "job_id": job_id,
        "status": described["status"],
        "states": [
            e["stateEnteredEventDetails"]["name"]
            for e in history
            if "stateEnteredEventDetails" in e
        ],
        "errors": [
            details["error"]
            for e in history
            for key, details in e.items()
            if key.endswith("FailedEventDetails") and "error" in details
        ],
        "job_status": job["status"]["S"],
        "failure_reason": job.get("failure_reason", {}).get("S"),
        "read_from": job.get("read_from", {}).get("S"),
    }


def _attr(value: Any) -> dict[str, str]:
    return {"N": str(value)} if isinstance(value, int) else {"S": str(value)}


def _document(name: str) -> bytes:
    return (textract_fixtures_dir() / "documents" / name).read_bytes()


def test_callback_path_routes_the_invoice(stack: Stack) -> None:
    run = run_pipeline(stack, _document("sample-invoice.pdf"))
    assert run["status"] == "SUCCEEDED"
    assert run["states"] == [
        "ValidateDocument",
        "ReadAsEInvoice",
        "StartOcr",
        "AwaitOcr",
        "StoreOcr",
        "ParseAndScore",
        "WasRetried",
        "Done",
    ]
    assert run["job_status"] == "NEEDS_REVIEW"  # '$' alone does not settle the currency
    result = json.loads(
        stack.client("s3")
        .get_object(Bucket=stack.bucket, Key=f"results/{run['job_id']}.json")["Body"]
        .read()
    )
    assert result["fields"]["invoice_number"]["value"] == "INV-3337"


def test_polling_takes_over_when_no_notification_comes_in_time(stack: Stack) -> None:
    # Longer than the 1 s wait plus poll-ocr's first (cold) start, which takes close to
    # 3 s on a loaded machine: the first poll must still find the analysis running.
    stack.faults(latency_seconds=8)
    try:
        run = run_pipeline(stack, _document("sample-invoice.pdf"), machine="polling")
    finally:
        stack.faults(reset=True)
    assert run["status"] == "SUCCEEDED"
    assert "PollOcr" in run["states"] and "WaitForOcr" in run["states"]
    assert run["states"][-4:] == ["StoreOcr", "ParseAndScore", "WasRetried", "Done"]


def test_starts_throttled_past_start_ocrs_own_turns_are_retried_by_the_execution(
    stack: Stack,
) -> None:
    # start-ocr takes RATE_RETRIES more turns itself; one more refusal reaches the state
    stack.faults(throttle_next_starts=RATE_RETRIES + 1)
    run = run_pipeline(stack, _document("sample-invoice.pdf"))
    assert run["status"] == "SUCCEEDED"
    assert run["states"].count("StartOcr") == 1  # retried inside the state
    assert "TextractThrottled" in run["errors"]
    assert run["job_status"] == "NEEDS_REVIEW"


def test_a_burst_starts_textract_at_the_quota_and_no_execution_is_throttled(
    stack: Stack,
) -> None:
    # Given an account whose Textract takes STARTS_PER_SECOND starts a second, a bucket of
    # one token: two start-ocr containers pacing half of it each kept a fixed phase, and
    # one of them always found the bucket empty (ADR 0038)
    quotas = f"{stack.endpoint}/_docuflow/textract/quotas"
    requests.post(quotas, json={"start_tps": STARTS_PER_SECOND}, timeout=10).raise_for_status()
    try:
        # When four times that many documents arrive at once
        burst = 4 * STARTS_PER_SECOND
        with ThreadPoolExecutor(burst) as pool:
            runs = list(
                pool.map(
                    lambda _: run_pipeline(stack, _document("sample-invoice.pdf")), range(burst)
                )
            )
    finally:
        requests.post(quotas, json={}, timeout=10).raise_for_status()
    textract = requests.get(f"{stack.endpoint}/_docuflow/textract", timeout=10).json()
    # Then every job went through the callback path, and no execution met throttling:
    # the containers took their turns on one schedule
    assert [run["status"] for run in runs] == ["SUCCEEDED"] * burst
    assert all("PollOcr" not in run["states"] for run in runs)
    assert all("TextractThrottled" not in run["errors"] for run in runs), textract["stats"]
    # And Textract started exactly one analysis per job
    ours = {run["job_id"] for run in runs}
    assert len([job for job in textract["jobs"] if job["job_tag"] in ours]) == burst


def test_a_retry_that_succeeds_takes_its_earlier_failure_off_the_dead_letter_queue(
    stack: Stack,
) -> None:
    # Given the failures of the first attempts of two jobs on the dead-letter queue
    sqs = stack.client("sqs")
    retried, other = str(uuid.uuid4()), str(uuid.uuid4())
    for job_id in (retried, other):
        notice = {"job_id": job_id, "attempt": 1, "error": "OcrFailed", "cause": ""}
        sqs.send_message(
            QueueUrl=stack.dlq_url,
            MessageBody=json.dumps({**notice, "reason": "r", "key": "k", "failed_at": "t"}),
        )
    # When the second attempt of one of them succeeds
    run = run_pipeline(stack, _document("sample-invoice.pdf"), attempt=2, job_id=retried)
    assert run["status"] == "SUCCEEDED"
    assert run["states"][-3:] == ["WasRetried", "ReconcileFailures", "Done"]
    # Then its failure is gone and the other one is still there, visible
    left = sqs.receive_message(QueueUrl=stack.dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["job_id"] for m in left] == [other]


def test_textract_failure_goes_to_the_catch_path(stack: Stack) -> None:
    stack.faults(fail_next_jobs=1)
    run = run_pipeline(stack, _document("sample-invoice.pdf"))
    assert run["status"] == "FAILED"
    assert run["states"][-2:] == ["MarkFailed", "Failed"]
    assert run["job_status"] == "FAILED"
    assert "OcrFailed" in run["errors"]
    assert run["failure_reason"] == "Text recognition (Textract) could not read this document."


def test_unsupported_document_is_failed_with_a_reason_and_reported(stack: Stack) -> None:
    run = run_pipeline(stack, b"Dear supplier, this is a letter, not an invoice.")
    assert run["states"] == ["ValidateDocument", "MarkFailed", "Failed"]
    assert run["failure_reason"] == (
        "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document."
    )
    messages = (
        stack.client("sqs")
        .receive_message(QueueUrl=stack.dlq_url, MaxNumberOfMessages=10)
        .get("Messages", [])
    )
    assert run["job_id"] in {json.loads(m["Body"])["job_id"] for m in messages}


def _textract_jobs_for(stack: Stack, document: bytes) -> list[dict[str, Any]]:
    status = requests.get(f"{stack.endpoint}/_docuflow/textract", timeout=10).json()
    digest = hashlib.sha256(document).hexdigest()
    return [job for job in status["jobs"] if job["sha256"] == digest]


def _result(stack: Stack, job_id: str) -> dict[str, Any]:
    body = stack.client("s3").get_object(Bucket=stack.bucket, Key=f"results/{job_id}.json")
    result: dict[str, Any] = json.loads(body["Body"].read())
    return result


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_an_xml_e_invoice_is_read_without_textract(stack: Stack, syntax: Syntax) -> None:
    number = f"RE-{uuid.uuid4().hex[:8]}"
    document = make_xml(syntax, invoice_data(BT_1=number))
    run = run_pipeline(stack, document, filename="invoice.xml")
    assert run["status"] == "SUCCEEDED"
    assert run["states"] == [
        "ValidateDocument",
        "ReadAsEInvoice",
        "ReadEInvoice",
        "WasRetried",
        "Done",
    ]
    assert run["job_status"] == "COMPLETED"
    assert run["read_from"] == "einvoice"
    assert _textract_jobs_for(stack, document) == []
    result = _result(stack, run["job_id"])
    assert result["fields"]["total_amount"]["value"] == "1469.55"
    assert result["fields"]["total_amount"]["source"] == "einvoice"
    assert result["einvoice"]["syntax"].startswith(("UBL", "UN/CEFACT"))
    # The shared checks still run: the same invoice again is a possible duplicate.
    again = run_pipeline(stack, make_xml(syntax, invoice_data(BT_1=number, BT_10="other")))
    assert again["job_status"] == "NEEDS_REVIEW"
    reasons = _job_reasons(stack, again["job_id"])
    assert reasons == ["DUPLICATE_INVOICE"]


def _job_reasons(stack: Stack, job_id: str) -> list[str]:
    return [reason["code"] for reason in _result(stack, job_id)["routing"]["reasons"]]


def test_a_hybrid_pdf_is_read_from_its_xml_without_textract(stack: Stack) -> None:
    invoice = make_invoice(5, language="de", currency="EUR", credit_note=False)
    document = hybrid_of(invoice)
    run = run_pipeline(stack, document)
    assert run["states"] == [
        "ValidateDocument",
        "ReadAsEInvoice",
        "ReadEInvoice",
        "WasRetried",
        "Done",
    ]
    assert run["job_status"] == "COMPLETED"
    assert _textract_jobs_for(stack, document) == []
    result = _result(stack, run["job_id"])
    assert result["einvoice"]["attachment"] == "factur-x.xml"
    assert result["fields"]["invoice_number"]["value"] == invoice.invoice_number


def test_a_hostile_xml_fails_the_job_with_the_reason(stack: Stack) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    run = run_pipeline(stack, bomb, filename="invoice.xml")
    assert run["states"] == ["ValidateDocument", "MarkFailed", "Failed"]
    assert run["job_status"] == "FAILED"
    assert "UnreadableEInvoice" in run["errors"]
    assert run["failure_reason"].startswith("The e-invoice XML was refused.")
    assert "DTD" in run["failure_reason"]
