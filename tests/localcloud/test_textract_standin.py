"""The Textract stand-in: replay by SHA-256, pagination, notifications and faults."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from docuflow_tools.localcloud.textract_recordings import RecordingIndex, sha256_of
from docuflow_tools.localcloud.textract_standin import TextractStandIn
from docuflow_tools.paths import textract_fixtures_dir
from tests.localcloud.helpers import unique
from tests.support import wait_for

FIXTURES = textract_fixtures_dir()
INVOICE = (FIXTURES / "documents" / "sample-invoice.pdf").read_bytes()
RECEIPT = (FIXTURES / "documents" / "receipt-mega.jpg").read_bytes()


class FakeWorld:
    """S3 objects and SNS messages for a stand-in used without the emulator."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}
        self.published: list[tuple[str, dict[str, Any]]] = []
        self.event = threading.Event()

    def read(self, bucket: str, key: str, version: str | None) -> bytes:
        return self.objects[(bucket, key)]

    def publish(self, topic: str, message: str) -> None:
        self.published.append((topic, json.loads(message)))
        self.event.set()


@pytest.fixture(scope="module")
def index() -> RecordingIndex:
    return RecordingIndex.from_fixtures()


@pytest.fixture
def world() -> FakeWorld:
    return FakeWorld()


def standin(world: FakeWorld, index: RecordingIndex, **kwargs: Any) -> TextractStandIn:
    return TextractStandIn(
        world.read,
        publish=world.publish,
        recordings=index,
        latency_seconds=0.05,
        mode="replay",
        **kwargs,
    )


def start(
    stand: TextractStandIn, api: str, key: str, tag: str = "job-1"
) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {
        "DocumentLocation": {"S3Object": {"Bucket": "b", "Name": key}},
        "JobTag": tag,
        "NotificationChannel": {
            "SNSTopicArn": "arn:aws:sns:us-east-1:123456789012:t",
            "RoleArn": "arn:r",
        },
    }
    if api == "Document":
        body["FeatureTypes"] = ["FORMS", "TABLES"]
    return stand.handle(f"Textract.Start{api}Analysis", body)


def test_document_job_replays_the_recording_in_pages_and_notifies(
    world: FakeWorld, index: RecordingIndex
) -> None:
    world.objects[("b", "raw/invoice.pdf")] = INVOICE
    stand = standin(world, index, block_page_size=100)
    status, answer = start(stand, "Document", "raw/invoice.pdf")
    assert status == 200
    job_id = answer["JobId"]
    assert world.event.wait(5)
    topic, message = world.published[0]
    assert topic == "arn:aws:sns:us-east-1:123456789012:t"
    assert message["JobId"] == job_id
    assert message["Status"] == "SUCCEEDED"
    assert message["API"] == "StartDocumentAnalysis"
    assert message["JobTag"] == "job-1"
    assert message["DocumentLocation"] == {"S3ObjectName": "raw/invoice.pdf", "S3Bucket": "b"}
    recorded = json.loads((FIXTURES / "analyze_document" / "sample-invoice.json").read_text())
    blocks: list[dict[str, Any]] = []
    token = None
    pages = 0
    while True:
        request = {"JobId": job_id, **({"NextToken": token} if token else {})}
        status, page = stand.handle("Textract.GetDocumentAnalysis", request)
        assert status == 200
        assert page["JobStatus"] == "SUCCEEDED"
        assert len(page["Blocks"]) <= 100
        blocks.extend(page["Blocks"])
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert blocks == recorded["Blocks"]
    assert pages == -(-len(recorded["Blocks"]) // 100)


def test_expense_job_for_a_receipt_returns_its_expense_recording(
    world: FakeWorld, index: RecordingIndex
) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    _, answer = start(stand, "Expense", "r.jpg")
    assert world.event.wait(5)
    _, page = stand.handle("Textract.GetExpenseAnalysis", {"JobId": answer["JobId"]})
    recorded = json.loads((FIXTURES / "expense" / "receipt-mega.json").read_text())
    assert page["ExpenseDocuments"] == recorded["ExpenseDocuments"]
    assert "NextToken" not in page


def test_document_without_a_recording_fails_with_a_message_naming_its_sha256(
    world: FakeWorld, index: RecordingIndex
) -> None:
    data = b"%PDF-1.4 nothing recorded for this"
    world.objects[("b", "x.pdf")] = data
    stand = standin(world, index)
    _, answer = start(stand, "Expense", "x.pdf")
    assert world.event.wait(5)
    assert world.published[0][1]["Status"] == "FAILED"
    _, page = stand.handle("Textract.GetExpenseAnalysis", {"JobId": answer["JobId"]})
    assert page["JobStatus"] == "FAILED"
    assert f"no recording for document sha256 {sha256_of(data)}" in page["StatusMessage"]


def test_recording_registered_at_runtime_is_replayed(
    world: FakeWorld, index: RecordingIndex
) -> None:
    data = b"%PDF-1.4 a generated invoice"
    world.objects[("b", "g.pdf")] = data
    response = {"DocumentMetadata": {"Pages": 1}, "ExpenseDocuments": [{"ExpenseIndex": 1}]}
    index.add(sha256_of(data), "expense", response)
    stand = standin(world, index)
    _, answer = start(stand, "Expense", "g.pdf")
    assert world.event.wait(5)
    _, page = stand.handle("Textract.GetExpenseAnalysis", {"JobId": answer["JobId"]})
    assert page["ExpenseDocuments"] == [{"ExpenseIndex": 1}]


def test_faults_throttle_then_fail_then_recover(world: FakeWorld, index: RecordingIndex) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    stand.set_faults({"throttle_next_starts": 2, "fail_next_jobs": 1, "status_message": "bad scan"})
    for _ in range(2):
        status, error = start(stand, "Expense", "r.jpg")
        assert status == 400
        assert error["__type"] == "ProvisionedThroughputExceededException"
    status, failing = start(stand, "Expense", "r.jpg")
    assert status == 200
    wait_for(lambda: len(world.published) == 1, timeout=5)
    assert world.published[0][1]["Status"] == "FAILED"
    _, page = stand.handle("Textract.GetExpenseAnalysis", {"JobId": failing["JobId"]})
    assert page == {"JobStatus": "FAILED", "StatusMessage": "bad scan"}
    start(stand, "Expense", "r.jpg")
    wait_for(lambda: len(world.published) == 2, timeout=5)
    assert world.published[1][1]["Status"] == "SUCCEEDED"
    with pytest.raises(ValueError, match="unknown fault settings"):
        stand.set_faults({"explode": True})


def test_sustained_throttling_refuses_every_start_until_it_ends(
    world: FakeWorld, index: RecordingIndex
) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    # Given throttling for a short while
    stand.set_faults({"throttle_seconds": 0.5})
    # Then every start meanwhile is throttled, however many
    for _ in range(5):
        status, error = start(stand, "Expense", "r.jpg")
        assert (status, error["__type"]) == (400, "ProvisionedThroughputExceededException")
    # And once it is over, starts go through again
    wait_for(lambda: stand.faults.snapshot()["throttle_seconds_left"] == 0, timeout=5)
    status, _ = start(stand, "Expense", "r.jpg")
    assert status == 200
    with pytest.raises(ValueError, match="throttle_seconds"):
        stand.set_faults({"throttle_seconds": -1})


def test_fail_by_sha256_and_unsupported_bytes(world: FakeWorld, index: RecordingIndex) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    world.objects[("b", "t.pdf")] = b"just text, declared as a PDF"
    stand = standin(world, index)
    stand.set_faults({"status_message": "unreadable", "fail_sha256": sha256_of(RECEIPT)})
    start(stand, "Expense", "r.jpg")
    start(stand, "Expense", "t.pdf", tag="job-2")
    wait_for(lambda: len(world.published) == 2, timeout=5)
    by_tag = {m["JobTag"]: m for _, m in world.published}
    assert by_tag["job-1"]["Status"] == "FAILED"
    assert by_tag["job-2"]["Status"] == "FAILED"


def test_same_client_request_token_returns_the_same_job(
    world: FakeWorld, index: RecordingIndex
) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    body = {
        "DocumentLocation": {"S3Object": {"Bucket": "b", "Name": "r.jpg"}},
        "ClientRequestToken": "job-1-1-expense",
    }
    first = stand.handle("Textract.StartExpenseAnalysis", body)[1]["JobId"]
    again = stand.handle("Textract.StartExpenseAnalysis", body)[1]["JobId"]
    other = stand.handle("Textract.StartExpenseAnalysis", {**body, "ClientRequestToken": "x"})
    assert first == again
    assert other[1]["JobId"] != first


def test_invalid_requests_get_textract_errors(world: FakeWorld, index: RecordingIndex) -> None:
    stand = standin(world, index)
    status, error = stand.handle("Textract.GetExpenseAnalysis", {"JobId": "nope"})
    assert (status, error["__type"]) == (400, "InvalidJobIdException")
    status, error = stand.handle("Textract.StartExpenseAnalysis", {})
    assert (status, error["__type"]) == (400, "InvalidParameterException")
    status, error = start(stand, "Expense", "missing.pdf")
    assert (status, error["__type"]) == (400, "InvalidS3ObjectException")


def test_boto3_speaks_to_the_stand_in_through_the_emulator(cloud: Any) -> None:
    # Given a document in S3 and a topic subscribed by a queue
    s3, sqs, sns = cloud.client("s3"), cloud.client("sqs"), cloud.client("sns")
    textract = cloud.client("textract")
    bucket = unique("docs")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="raw/receipt.jpg", Body=RECEIPT)
    topic = sns.create_topic(Name=unique("textract"))["TopicArn"]
    queue_url = sqs.create_queue(QueueName=unique("done"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    # When a throttle is injected through the control endpoint
    import requests

    requests.post(
        f"{cloud.endpoint}/_docuflow/textract/faults", json={"throttle_next_starts": 1}, timeout=10
    ).raise_for_status()
    request = {
        "DocumentLocation": {"S3Object": {"Bucket": bucket, "Name": "raw/receipt.jpg"}},
        "NotificationChannel": {
            "SNSTopicArn": topic,
            "RoleArn": "arn:aws:iam::123456789012:role/t",
        },
        "JobTag": "tag-1",
    }
    import botocore.config

    no_retry = cloud.client("textract")
    no_retry.meta.config.retries = {"max_attempts": 0}
    fresh = __import__("boto3").client(
        "textract",
        endpoint_url=cloud.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        fresh.start_expense_analysis(**request)
    # Then boto3 sees Textract's error code, and the next start succeeds
    assert raised.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    job_id = textract.start_expense_analysis(**request)["JobId"]
    # and the completion arrives through SNS on the queue
    received = wait_for(
        lambda: sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages")
    )
    notification = json.loads(json.loads(received[0]["Body"])["Message"])
    assert notification["JobId"] == job_id
    assert notification["Status"] == "SUCCEEDED"
    result = textract.get_expense_analysis(JobId=job_id)
    assert result["JobStatus"] == "SUCCEEDED"
    assert len(result["ExpenseDocuments"]) == 1
    sync = textract.analyze_expense(
        Document={"S3Object": {"Bucket": bucket, "Name": "raw/receipt.jpg"}}
    )
    assert sync["ExpenseDocuments"][0]["SummaryFields"]


def test_start_quota_refuses_what_the_rate_does_not_allow(
    world: FakeWorld, index: RecordingIndex
) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    # Given an account allowed 3 starts a second
    assert stand.set_quotas({"start_tps": 3}) == {"start_tps": 3.0, "max_concurrent_jobs": None}
    # When 6 starts come at once, Then a second's worth goes through, the rest is refused
    answers = [start(stand, "Expense", "r.jpg", tag=f"j{i}") for i in range(6)]
    assert [status for status, _ in answers] == [200, 200, 200, 400, 400, 400]
    assert answers[-1][1]["__type"] == "ProvisionedThroughputExceededException"
    assert stand.status()["stats"]["over_tps"] == 3
    # And after a third of a second, one more token has come
    wait_for(lambda: start(stand, "Expense", "r.jpg", tag="later")[0] == 200, timeout=2)
    with pytest.raises(ValueError, match="start_tps"):
        stand.set_quotas({"start_tps": 0})


def test_concurrent_job_quota_refuses_a_start_until_a_job_finishes(
    world: FakeWorld, index: RecordingIndex
) -> None:
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    stand.set_faults({"latency_seconds": 0.3})
    stand.set_quotas({"max_concurrent_jobs": 2})
    assert [start(stand, "Expense", "r.jpg", tag=f"j{i}")[0] for i in range(2)] == [200, 200]
    status, error = start(stand, "Expense", "r.jpg", tag="j3")
    assert (status, error["__type"]) == (400, "LimitExceededException")
    wait_for(lambda: len(world.published) == 2, timeout=5)
    assert start(stand, "Expense", "r.jpg", tag="j3")[0] == 200
    assert stand.status()["stats"]["peak_in_progress"] == 2


def test_finished_jobs_are_forgotten_beyond_the_newest(
    world: FakeWorld, index: RecordingIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docuflow_tools.localcloud import textract_standin

    monkeypatch.setattr(textract_standin, "MAX_KEPT_JOBS", 3)
    world.objects[("b", "r.jpg")] = RECEIPT
    stand = standin(world, index)
    first = start(stand, "Expense", "r.jpg", tag="first")[1]["JobId"]
    wait_for(lambda: len(world.published) == 1, timeout=5)
    for i in range(4):
        start(stand, "Expense", "r.jpg", tag=f"j{i}")
    wait_for(lambda: len(world.published) == 5, timeout=5)
    start(stand, "Expense", "r.jpg", tag="last")
    assert stand.status()["stats"]["jobs_kept"] <= 3
    status, error = stand.handle("Textract.GetExpenseAnalysis", {"JobId": first})
    assert (status, error["__type"]) == (400, "InvalidJobIdException")
