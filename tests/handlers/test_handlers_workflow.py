"""The workflow steps, in-process, against moto and a fake Textract / Step Functions."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from docuflow.domain.errors import (
    ContentTypeMismatch,
    DocumentMissing,
    DocumentTooLarge,
    DocumentUnreadable,
    OcrFailed,
    UnreadableEInvoice,
    UnsupportedDocument,
)
from docuflow_tools.paths import textract_fixtures_dir
from docuflow_tools.samples import make_invoice
from services.workflow import dependencies
from services.workflow.handlers import (
    await_ocr,
    mark_failed,
    ocr_callback,
    parse_and_score,
    poll_ocr,
    read_einvoice,
    start_ocr,
    store_ocr,
    validate_document,
)
from services.workflow.logic.ocr import RATE_RETRIES
from tests.einvoice_samples import Syntax, hybrid_of, invoice_data, make_xml
from tests.handlers.cloud import (
    Cloud,
    EndingContext,
    FakeTextract,
    LambdaContext,
    audit_writes_throttled,
    load_fixture,
    make_job,
    sqs_event,
)
from tests.support import pdf_document

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def state_of(job: Any, **extra: Any) -> dict[str, Any]:
    """The execution state a step receives: the input plus what earlier states added."""
    return {"job_id": job.job_id, "bucket": "ignored", "key": job.s3_key, "attempt": 1, **extra}


class FakeStepFunctions:
    """SendTaskSuccess/SendTaskFailure: records answers; `stale` tokens raise like AWS."""

    def __init__(self) -> None:
        self.successes: list[tuple[str, dict[str, Any]]] = []
        self.failures: list[tuple[str, str, str]] = []
        self.stale: set[str] = set()

    def _check(self, token: str, operation: str) -> None:
        if token in self.stale:
            raise ClientError({"Error": {"Code": "TaskTimedOut", "Message": "late"}}, operation)

    def send_task_success(self, taskToken: str, output: str) -> dict[str, Any]:
        self._check(taskToken, "SendTaskSuccess")
        self.successes.append((taskToken, json.loads(output)))
        return {}

    def send_task_failure(self, taskToken: str, error: str, cause: str) -> dict[str, Any]:
        self._check(taskToken, "SendTaskFailure")
        self.failures.append((taskToken, error, cause))
        return {}


@pytest.fixture
def sfn(cloud: Cloud) -> FakeStepFunctions:
    from docuflow.dal.executions import WorkflowGateway
    from services.workflow import dependencies

    fake = FakeStepFunctions()
    dependencies.workflow.override(WorkflowGateway(fake))  # type: ignore[arg-type]
    return fake


# -- validate-document ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "content_type", "pages"),
    [
        ("sample-invoice.pdf", "application/pdf", 1),
        ("multipage-doc.pdf", "application/pdf", 2),
        ("receipt-mega.jpg", "image/jpeg", 1),
        ("receipt-no-summary.png", "image/png", 1),
    ],
)
def test_validate_accepts_real_documents(
    cloud: Cloud, document: str, content_type: str, pages: int
) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    data = (textract_fixtures_dir() / "documents" / document).read_bytes()
    cloud.put_object(job.s3_key, data, content_type)
    facts = validate_document.lambda_handler(state_of(job), LambdaContext())
    assert facts["content_type"] == content_type and facts["pages"] == pages


@pytest.mark.parametrize("magic", [b"II*\x00", b"MM\x00*"])
def test_validate_accepts_tiff_by_magic(cloud: Cloud, magic: bytes) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, magic + b"\x00" * 100, "image/tiff")
    assert validate_document.lambda_handler(state_of(job), LambdaContext())["content_type"] == (
        "image/tiff"
    )


@pytest.mark.parametrize(
    ("body", "error", "reason"),
    [
        (b"PK\x03\x04 this is a zip, not an invoice", UnsupportedDocument, "not a PDF"),
        (b"", UnsupportedDocument, "empty"),
        (b"%PDF-1.4\n" + b"x" * 1_000_001, DocumentTooLarge, "limit is 1000000 bytes"),
        (pdf_document(6), DocumentTooLarge, "6 pages; the limit is 5"),
        (b"%PDF-1.4\n%%EOF this is no PDF at all\n", DocumentUnreadable, "damaged"),
        (PNG, ContentTypeMismatch, "uploaded as application/pdf, but its content is a PNG"),
        (None, DocumentMissing, "does not exist"),
    ],
    ids=["zip", "empty", "too-big", "too-many-pages", "damaged-pdf", "png-as-pdf", "missing"],
)
def test_validate_refuses_what_cannot_be_processed(
    cloud: Cloud, body: bytes | None, error: type[Exception], reason: str
) -> None:
    # Given a job uploaded as a PDF
    job = make_job(cloud, status="PROCESSING", fixture=None)
    if body is not None:
        cloud.put_object(job.s3_key, body, "application/pdf")
    with pytest.raises(error) as raised:
        validate_document.lambda_handler(state_of(job), LambdaContext())
    # The state machine matches on the class name Lambda reports as errorType
    assert type(raised.value).__name__ == error.__name__
    assert reason in str(raised.value)


def test_validate_counts_the_pages_of_a_pdf_not_the_words_in_it(cloud: Cloud) -> None:
    # Given a one-page PDF whose content spells "/Type /Page" 61 times
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, pdf_document(1, content=b"% /Type /Page\n" * 61))
    # Then it is one page, within the limit of 5
    assert validate_document.lambda_handler(state_of(job), LambdaContext())["pages"] == 1


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_validate_routes_an_xml_e_invoice_to_its_own_step(cloud: Cloud, syntax: Syntax) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, make_xml(syntax), content_type="application/xml")
    facts = validate_document.lambda_handler(state_of(job), LambdaContext())
    assert facts["route"] == "einvoice"
    assert facts["content_type"] == "application/xml"
    assert facts["einvoice"]["container"] == "xml"


def test_validate_routes_a_hybrid_pdf_to_the_e_invoice_step(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, hybrid_of(make_invoice(2, language="de", currency="EUR")))
    facts = validate_document.lambda_handler(state_of(job), LambdaContext())
    assert facts["route"] == "einvoice" and facts["content_type"] == "application/pdf"
    assert facts["einvoice"]["attachment"] == "factur-x.xml"
    assert facts["pages"] >= 1


def test_validate_sends_a_plain_pdf_to_ocr(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    pdf = (textract_fixtures_dir() / "documents" / "sample-invoice.pdf").read_bytes()
    cloud.put_object(job.s3_key, pdf)
    facts = validate_document.lambda_handler(state_of(job), LambdaContext())
    assert facts["route"] == "ocr" and facts.get("einvoice") is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>', "DTD"),
        (b"<Invoice><ID>1</Invoice>", "not well-formed"),
        (b'<order xmlns="urn:example:order"/>', "not an e-invoice"),
    ],
    ids=["entity", "malformed", "wrong-namespace"],
)
def test_validate_refuses_xml_that_is_no_readable_e_invoice(
    cloud: Cloud, body: bytes, words: str
) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, body, content_type="application/xml")
    with pytest.raises(UnreadableEInvoice, match=words) as raised:
        validate_document.lambda_handler(state_of(job), LambdaContext())
    assert type(raised.value).__name__ == "UnreadableEInvoice"


# -- read-einvoice --------------------------------------------------------------------------


def test_read_einvoice_stores_the_result_routes_and_records_no_ocr(cloud: Cloud) -> None:
    # Given an XML e-invoice uploaded for a processing job
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, make_xml("cii"))
    # When the e-invoice step reads it
    outcome = read_einvoice.lambda_handler(state_of(job), LambdaContext())
    # Then it is routed from the XML's values, and the job says how it was read
    assert outcome["status"] == "COMPLETED" and outcome["reasons"] == []
    result = cloud.get_json(f"results/{job.job_id}.json")
    assert result["fields"]["amount_due"] == {
        **result["fields"]["amount_due"],
        "value": "1369.55",
        "source": "einvoice",
        "confidence": 100.0,
    }
    stored = cloud.job(job.job_id)
    assert stored["status"] == "COMPLETED" and stored["read_from"] == "einvoice"
    assert stored["invoice_key"] == "rheinwerklogistikgmbh|re20250042"
    events = sorted(cloud.audit(job.job_id), key=lambda r: r["sk"])
    assert [e["event"] for e in events] == ["einvoice_read", "routed"]
    assert events[0]["details"]["ocr_pages"] == 0
    assert events[0]["details"]["flavour"] == "Factur-X EN 16931"


def test_read_einvoice_sends_a_broken_rule_to_review(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, make_xml("ubl", invoice_data(BT_112="1469.56", BT_115="1369.56")))
    outcome = read_einvoice.lambda_handler(state_of(job), LambdaContext())
    assert outcome["status"] == "NEEDS_REVIEW" and outcome["reasons"] == ["TOTALS_MISMATCH"]
    reason = cloud.job(job.job_id)["routing_reasons"][0]
    assert "BT-112" in reason["message"]


def test_read_einvoice_twice_routes_once(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.put_object(job.s3_key, make_xml("ubl"))
    first = read_einvoice.lambda_handler(state_of(job), LambdaContext())
    again = read_einvoice.lambda_handler(state_of(job), LambdaContext())
    assert again == first
    assert [e["event"] for e in cloud.audit(job.job_id)].count("routed") == 1


# -- start-ocr ----------------------------------------------------------------------------


def start_request(job: Any, token: str) -> dict[str, Any]:
    """The SQS event of one StartOcr message: the execution state and the task token."""
    return sqs_event([json.dumps(state_of(job, task_token=token))], queue="ocr-start")


@pytest.mark.parametrize(
    ("mode", "apis"),
    [("expense", ["expense"]), ("document", ["document"]), ("both", ["expense", "document"])],
)
def test_start_ocr_starts_textract_and_answers_with_the_job_ids(
    cloud: Cloud,
    textract: FakeTextract,
    sfn: FakeStepFunctions,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    apis: list[str],
) -> None:
    monkeypatch.setenv("OCR_MODE", mode)
    job = make_job(cloud, status="PROCESSING", fixture=None)
    answer = start_ocr.lambda_handler(start_request(job, "tok-1"), LambdaContext())
    assert answer["batchItemFailures"] == []
    assert [call["api"] for call in textract.start_calls] == apis
    for call in textract.start_calls:
        assert call["JobTag"] == job.job_id
        assert call["ClientRequestToken"] == f"{job.job_id}-1-{call['api']}"
        assert call["NotificationChannel"]["SNSTopicArn"].endswith(":textract")
        assert call["DocumentLocation"]["S3Object"]["Name"] == job.s3_key
        if call["api"] == "document":
            assert call["FeatureTypes"] == ["FORMS", "TABLES"]
    stored = cloud.job(job.job_id)
    assert set(stored["ocr_jobs"]) == set(apis)
    assert "ocr_started" in [r["event"] for r in cloud.audit(job.job_id)]
    assert sfn.successes == [("tok-1", {"job_id": job.job_id, "ocr_jobs": stored["ocr_jobs"]})]
    assert "task_token" not in stored  # AwaitOcr's token, stored by await-ocr


def test_start_ocr_paces_its_starts(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docuflow.dal.pacing import PacingSchedule
    from services.workflow.config import get_start_ocr_settings
    from services.workflow.logic.pacing import Pacer

    slept: list[float] = []
    monkeypatch.setenv("TEXTRACT_STARTS_PER_SECOND", "4")
    # A clock that stands still: every start after the first has to wait for its turn.
    pacer = Pacer(
        get_start_ocr_settings().textract_starts_per_second,
        PacingSchedule(cloud.table(cloud.pacing_table), start_ocr.TEXTRACT_START_QUOTA),
        clock=lambda: 100.0,
        sleep=slept.append,
    )
    monkeypatch.setattr(start_ocr, "_pacer", functools.cache(lambda: pacer))
    jobs = [make_job(cloud, status="PROCESSING", fixture=None) for _ in range(3)]
    event = sqs_event([json.dumps(state_of(j, task_token=f"t{i}")) for i, j in enumerate(jobs)])
    start_ocr.lambda_handler(event, LambdaContext())
    assert len(textract.start_calls) == 3
    # Turns on the pacing table's schedule, 5% wider than the quota's 0.25 s
    assert slept == pytest.approx([0.264, 0.528], abs=0.0005)
    schedule = cloud.table(cloud.pacing_table).get_item(Key={"quota": "textract-start"})["Item"]
    assert float(schedule["next_at"]) == pytest.approx(100.792, abs=0.0005)


def test_start_ocr_takes_no_start_it_has_no_time_left_for(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    # Given three start requests in one batch, and an invocation with time for one
    jobs = [make_job(cloud, status="PROCESSING", fixture=None) for _ in range(3)]
    event = sqs_event([json.dumps(state_of(j, task_token=f"t{i}")) for i, j in enumerate(jobs)])
    answer = start_ocr.lambda_handler(event, EndingContext(remaining=[30_000, 5_000]))
    # Then one Textract job is started and answered; the other two messages go back to the
    # queue untouched (no start, no task failure: the executions still wait for them)
    ids = [record["messageId"] for record in event["Records"]]
    assert answer["batchItemFailures"] == [{"itemIdentifier": ids[1]}, {"itemIdentifier": ids[2]}]
    assert len(textract.start_calls) == 1
    assert [token for token, _ in sfn.successes] == ["t0"]
    assert sfn.failures == []


def _refuse_document_starts(textract: FakeTextract, code: str, times: int) -> list[str]:
    """Textract refuses the next `times` document-analysis starts with `code`; returns the
    APIs of the starts it was asked for, refused ones included."""
    original = textract._start
    asked: list[str] = []

    def refusing(api: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        asked.append(api)
        if api == "document" and asked.count("document") <= times:
            textract.throttle.append(code)
        return original(api, kwargs)

    textract._start = refusing  # type: ignore[method-assign]
    return asked


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_start_ocr_takes_the_next_turn_when_textract_refuses_a_start_for_its_rate(
    cloud: Cloud,
    textract: FakeTextract,
    sfn: FakeStepFunctions,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
) -> None:
    monkeypatch.setenv("OCR_MODE", "both")
    job = make_job(cloud, status="PROCESSING", fixture=None)
    # Given a turn that reached Textract a little early, twice
    asked = _refuse_document_starts(textract, code, times=2)
    answer = start_ocr.lambda_handler(start_request(job, "tok-1"), LambdaContext())
    # Then start-ocr took the next turns itself: the execution never heard of it
    assert answer["batchItemFailures"] == []
    assert sfn.failures == []
    assert asked == ["expense", "document", "document", "document"]
    assert [token for token, _ in sfn.successes] == ["tok-1"]
    assert set(sfn.successes[0][1]["ocr_jobs"]) == {"expense", "document"}


@pytest.mark.parametrize(
    ("code", "refusals"),
    [
        # For its rate: after the turns start-ocr takes itself (RATE_RETRIES)
        ("ProvisionedThroughputExceededException", RATE_RETRIES + 1),
        ("ThrottlingException", RATE_RETRIES + 1),
        # For its concurrent jobs: at once, only a finished job frees room
        ("LimitExceededException", 1),
    ],
)
def test_start_ocr_throttling_fails_the_task_and_a_retry_reuses_the_job(
    cloud: Cloud,
    textract: FakeTextract,
    sfn: FakeStepFunctions,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    refusals: int,
) -> None:
    monkeypatch.setenv("OCR_MODE", "both")
    job = make_job(cloud, status="PROCESSING", fixture=None)
    # Expense starts, then Textract refuses the document analysis `refusals` times
    asked = _refuse_document_starts(textract, code, times=refusals)
    answer = start_ocr.lambda_handler(start_request(job, "tok-1"), LambdaContext())
    # The message is done with; the execution gets the error and retries the step
    assert answer["batchItemFailures"] == []
    assert [(token, error) for token, error, _ in sfn.failures] == [("tok-1", "TextractThrottled")]
    assert asked == ["expense"] + ["document"] * refusals
    first_expense = cloud.job(job.job_id)["ocr_jobs"]["expense"]
    start_ocr.lambda_handler(start_request(job, "tok-2"), LambdaContext())
    assert sfn.successes[-1][0] == "tok-2"
    assert sfn.successes[-1][1]["ocr_jobs"]["expense"] == first_expense


def test_start_ocr_on_a_job_not_processing_fails_the_task(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = make_job(cloud, status="FAILED", fixture=None)
    start_ocr.lambda_handler(start_request(job, "t"), LambdaContext())
    assert textract.start_calls == []
    assert [(token, error) for token, error, _ in sfn.failures] == [("t", "InvalidTransition")]


def test_start_ocr_leaves_a_message_it_cannot_read_for_the_dead_letter_queue(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    event = sqs_event(['{"job_id": "j"}'], queue="ocr-start")
    answer = start_ocr.lambda_handler(event, LambdaContext())
    assert answer["batchItemFailures"] == [{"itemIdentifier": event["Records"][0]["messageId"]}]
    assert sfn.successes == sfn.failures == []


# -- await-ocr ----------------------------------------------------------------------------


def test_await_ocr_stores_the_token_for_the_callback(cloud: Cloud, sfn: FakeStepFunctions) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cloud.table(cloud.jobs_table).update_item(
        Key={"job_id": job.job_id},
        UpdateExpression="SET ocr_apis = :a, ocr_jobs = :j",
        ExpressionAttributeValues={":a": ["expense"], ":j": {"expense": "tx-1"}},
    )
    output = await_ocr.lambda_handler(
        {"job_id": job.job_id, "task_token": "tok-2"}, LambdaContext()
    )
    assert output == {"job_id": job.job_id, "answered": False}
    assert cloud.job(job.job_id)["task_token"] == "tok-2"
    assert sfn.successes == []


def test_await_ocr_answers_itself_when_textract_finished_first(
    cloud: Cloud, sfn: FakeStepFunctions
) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    # The notification was handled before the token was stored: nobody else can answer
    cloud.table(cloud.jobs_table).update_item(
        Key={"job_id": job.job_id},
        UpdateExpression="SET ocr_apis = :a, ocr_jobs = :j, ocr_statuses = :s",
        ExpressionAttributeValues={
            ":a": ["expense"],
            ":j": {"expense": "tx-1"},
            ":s": {"tx-1": "SUCCEEDED"},
        },
    )
    output = await_ocr.lambda_handler(
        {"job_id": job.job_id, "task_token": "tok-2"}, LambdaContext()
    )
    assert output["answered"] is True
    assert sfn.successes == [("tok-2", {"job_id": job.job_id, "ocr_jobs": {"expense": "tx-1"}})]


# -- ocr-callback -------------------------------------------------------------------------


def notification(
    job_id: str,
    textract_job_id: str,
    status: str,
    api: str = "StartExpenseAnalysis",
    raw: bool = False,
) -> str:
    message = {
        "JobId": textract_job_id,
        "Status": status,
        "API": api,
        "JobTag": job_id,
        "Timestamp": 1795867200000,
        "DocumentLocation": {"S3ObjectName": "raw/x", "S3Bucket": "b"},
    }
    if raw:
        return json.dumps(message)
    return json.dumps(
        {
            "Type": "Notification",
            "MessageId": "m",
            "TopicArn": "arn:aws:sns:x",
            "Message": json.dumps(message),
        }
    )


def started_job(cloud: Cloud, textract: FakeTextract, mode: str = "expense") -> Any:
    import os

    os.environ["OCR_MODE"] = mode
    try:
        job = make_job(cloud, status="PROCESSING", fixture=None)
        start_ocr.lambda_handler(start_request(job, "tok-0"), LambdaContext())
    finally:
        del os.environ["OCR_MODE"]
    await_ocr.lambda_handler({"job_id": job.job_id, "task_token": "tok-1"}, LambdaContext())
    sfn = dependencies.workflow()._sfn  # type: ignore[attr-defined]
    sfn.successes.clear()  # StartOcr's answer: these tests look at AwaitOcr's
    return job


def callback(*bodies: str) -> dict[str, Any]:
    return ocr_callback.lambda_handler(sqs_event(bodies, "ocr-completion"), LambdaContext())


def test_callback_sends_success_when_the_analysis_succeeded(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = started_job(cloud, textract)
    textract_job = cloud.job(job.job_id)["ocr_jobs"]["expense"]
    assert callback(notification(job.job_id, textract_job, "SUCCEEDED")) == {
        "batchItemFailures": []
    }
    assert sfn.successes == [
        ("tok-1", {"job_id": job.job_id, "ocr_jobs": {"expense": textract_job}})
    ]


def test_callback_waits_for_every_analysis_in_both_mode(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = started_job(cloud, textract, mode="both")
    ids = cloud.job(job.job_id)["ocr_jobs"]
    callback(notification(job.job_id, ids["expense"], "SUCCEEDED", raw=True))
    assert sfn.successes == []
    callback(notification(job.job_id, ids["document"], "SUCCEEDED", api="StartDocumentAnalysis"))
    assert [token for token, _ in sfn.successes] == ["tok-1"]


def test_callback_sends_failure_when_textract_failed(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = started_job(cloud, textract)
    textract_job = cloud.job(job.job_id)["ocr_jobs"]["expense"]
    callback(notification(job.job_id, textract_job, "FAILED"))
    assert [(token, error) for token, error, _ in sfn.failures] == [("tok-1", "OcrFailed")]
    assert textract_job in sfn.failures[0][2]


def test_callback_tolerates_late_duplicate_and_foreign_messages(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = started_job(cloud, textract)
    textract_job = cloud.job(job.job_id)["ocr_jobs"]["expense"]
    sfn.stale.add("tok-1")  # the task already timed out
    response = callback(
        notification(job.job_id, textract_job, "SUCCEEDED"),
        notification(job.job_id, textract_job, "SUCCEEDED"),
        notification("unknown-job", "abc", "SUCCEEDED"),
        notification(job.job_id, "an-earlier-attempt", "SUCCEEDED"),
    )
    assert response == {"batchItemFailures": []}
    assert sfn.successes == []


def test_callback_fails_a_malformed_message(cloud: Cloud, sfn: FakeStepFunctions) -> None:
    event = sqs_event(['{"JobId": 1}'], "ocr-completion")
    response = ocr_callback.lambda_handler(event, LambdaContext())
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}


# -- poll-ocr -----------------------------------------------------------------------------


def test_poll_reports_in_progress_succeeded_and_failed(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = started_job(cloud, textract)
    textract.results["expense"] = [load_fixture("expense/invoice-2-page.json")]
    textract.in_progress_apis.add("expense")
    polled = poll_ocr.lambda_handler(state_of(job, polls=0), LambdaContext())
    assert polled["ocr_status"] == "IN_PROGRESS" and polled["polls"] == 1
    textract.in_progress_apis.clear()
    polled = poll_ocr.lambda_handler(state_of(job, polls=1), LambdaContext())
    assert polled["ocr_status"] == "SUCCEEDED" and polled["polls"] == 2
    textract.fail_apis.add("expense")
    polled = poll_ocr.lambda_handler(state_of(job, polls=2), LambdaContext())
    assert polled["ocr_status"] == "FAILED" and polled["reason"]


def test_poll_before_any_job_was_recorded_is_in_progress(
    cloud: Cloud, textract: FakeTextract
) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    assert poll_ocr.lambda_handler(state_of(job), LambdaContext())["ocr_status"] == "IN_PROGRESS"


# -- store-ocr ----------------------------------------------------------------------------


def test_store_follows_next_token_into_numbered_keys(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    # Given a finished expense analysis whose result comes in two pages
    job = started_job(cloud, textract)
    pages = [
        load_fixture("expense/invoice-2-page.json"),
        load_fixture("expense/receipt-costco.json"),
    ]
    textract.results["expense"] = pages
    # When the step runs
    stored = store_ocr.lambda_handler(state_of(job), LambdaContext())
    # Then both pages are in S3, in order, under ocr/{job_id}/{attempt}/{api}/
    assert stored["keys"] == [
        f"ocr/{job.job_id}/1/expense/0001.json",
        f"ocr/{job.job_id}/1/expense/0002.json",
    ]
    first, second = (cloud.get_json(key) for key in stored["keys"])
    assert first["NextToken"] == "1" and "NextToken" not in second
    assert first["ExpenseDocuments"] == pages[0]["ExpenseDocuments"]


def test_store_refuses_an_unfinished_analysis(
    cloud: Cloud, textract: FakeTextract, sfn: FakeStepFunctions
) -> None:
    job = started_job(cloud, textract)
    textract.results["expense"] = [load_fixture("expense/invoice-2-page.json")]
    textract.fail_apis.add("expense")
    with pytest.raises(OcrFailed):
        store_ocr.lambda_handler(state_of(job), LambdaContext())


# -- parse-and-score ----------------------------------------------------------------------


def parse_job(cloud: Cloud, fixture: str, sha: str = "a" * 64) -> tuple[Any, dict[str, Any]]:
    job = make_job(cloud, status="PROCESSING", fixture=None, file_sha256=sha)
    key = f"ocr/{job.job_id}/1/expense/0001.json"
    cloud.client("s3").put_object(
        Bucket=cloud.bucket, Key=key, Body=(textract_fixtures_dir() / fixture).read_bytes()
    )
    state = state_of(job, stored={"keys": [key], "pages": 1})
    return job, state


def test_parse_and_score_writes_the_result_and_routes(cloud: Cloud) -> None:
    # Given the stored pages of a real two-page invoice
    job, state = parse_job(cloud, "expense/invoice-2-page.json")
    # When parsed and scored with the default threshold
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    # Then the result is stored, the job is routed as the result says, with reasons
    result = cloud.get_json(f"results/{job.job_id}.json")
    assert result["fields"]["invoice_number"]["value"] == "00000135"
    assert result["fields"]["total_amount"]["value"] == "5715.00"
    stored = cloud.job(job.job_id)
    assert stored["status"] == outcome["status"] == result["routing"]["status"]
    assert stored["invoice_key"] == outcome["invoice_key"] == "meta|00000135"
    assert [r["code"] for r in stored["routing_reasons"]] == outcome["reasons"]
    events = sorted(cloud.audit(job.job_id), key=lambda r: r["sk"])
    assert [e["event"] for e in events] == ["ocr_done", "routed"]
    assert events[1]["details"]["status"] == outcome["status"]


def test_parse_and_score_completes_when_every_check_passes(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    job, state = parse_job(cloud, "expense/invoice-2-page.json")
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    assert outcome["status"] == "COMPLETED" and outcome["reasons"] == []
    assert cloud.job(job.job_id)["status"] == "COMPLETED"


def test_per_field_threshold_from_config_sends_to_review(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    monkeypatch.setenv("CONFIDENCE_THRESHOLDS", json.dumps({"vendor_name": 99.5}))
    _, state = parse_job(cloud, "expense/invoice-2-page.json")
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    assert outcome["status"] == "NEEDS_REVIEW" and "LOW_CONFIDENCE" in outcome["reasons"]


def test_same_file_uploaded_again_is_a_possible_duplicate(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    sha = hashlib.sha256(b"the same bytes").hexdigest()
    make_job(cloud, status="APPROVED", fixture=None, file_sha256=sha)
    _, state = parse_job(cloud, "expense/invoice-2-page.json", sha=sha)
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    assert outcome["status"] == "NEEDS_REVIEW" and "DUPLICATE_FILE" in outcome["reasons"]


def test_same_vendor_and_invoice_number_is_a_possible_duplicate(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    make_job(cloud, status="COMPLETED", fixture=None, invoice_key="meta|00000135")
    _, state = parse_job(cloud, "expense/invoice-2-page.json", sha="b" * 64)
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    assert outcome["status"] == "NEEDS_REVIEW" and "DUPLICATE_INVOICE" in outcome["reasons"]


def test_parse_and_score_twice_routes_once(cloud: Cloud) -> None:
    job, state = parse_job(cloud, "expense/invoice-2-page.json")
    first = parse_and_score.lambda_handler(state, LambdaContext())
    again = parse_and_score.lambda_handler(state, LambdaContext())
    assert again == first
    assert [e["event"] for e in cloud.audit(job.job_id)].count("routed") == 1


def test_parse_and_score_retried_after_a_lost_routed_record_audits_the_routing(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a first invocation that routes the job but fails writing the "routed" record
    job, state = parse_job(cloud, "expense/invoice-2-page.json")
    with (
        audit_writes_throttled(monkeypatch, dependencies.storage().audit, "routed"),
        pytest.raises(ClientError),
    ):
        parse_and_score.lambda_handler(state, LambdaContext())
    routed_status = cloud.job(job.job_id)["status"]
    # When Step Functions retries the step
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    # Then the routing decision is audited, once
    routed = [e for e in cloud.audit(job.job_id) if e["event"] == "routed"]
    assert len(routed) == 1
    assert routed[0]["details"]["status"] == routed_status == outcome["status"]
    assert routed[0]["details"]["reasons"] == outcome["reasons"]


# -- mark-failed --------------------------------------------------------------------------


def test_mark_failed_explains_audits_and_reports_to_the_dlq(cloud: Cloud) -> None:
    # Given a processing job whose validation failed (as a Catch hands it over)
    job = make_job(cloud, status="PROCESSING", fixture=None)
    cause = json.dumps(
        {
            "errorType": "UnsupportedDocument",
            "errorMessage": "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document.",
            "stackTrace": [],
        }
    )
    state = state_of(job, error={"Error": "UnsupportedDocument", "Cause": cause})
    # When mark-failed runs
    outcome = mark_failed.lambda_handler(state, LambdaContext())
    # Then the job is FAILED with a sentence, audited, and the DLQ has the failure
    stored = cloud.job(job.job_id)
    assert stored["status"] == "FAILED"
    assert (
        stored["failure_reason"]
        == "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document."
    )
    assert outcome["reason"] == stored["failure_reason"]
    [event] = cloud.audit(job.job_id)
    assert event["event"] == "failed" and event["details"]["error"] == "UnsupportedDocument"
    [message] = cloud.dlq_messages()
    assert message["job_id"] == job.job_id and message["error"] == "UnsupportedDocument"
    assert message["attempt"] == 1
    assert message["cause"] == "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document."


def test_mark_failed_retried_after_a_lost_audit_record_audits_the_failure_once(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a first mark-failed that writes FAILED but fails writing the audit record
    job = make_job(cloud, status="PROCESSING", fixture=None)
    state = state_of(job, error={"Error": "OcrFailed", "Cause": "bad scan"})
    with (
        audit_writes_throttled(monkeypatch, dependencies.failure_tables().audit, "failed"),
        pytest.raises(ClientError),
    ):
        mark_failed.lambda_handler(state, LambdaContext())
    assert cloud.job(job.job_id)["status"] == "FAILED"
    # When Step Functions retries the step, twice
    mark_failed.lambda_handler(state, LambdaContext())
    mark_failed.lambda_handler(state, LambdaContext())
    # Then the failure is audited exactly once, and reported
    failed = [e for e in cloud.audit(job.job_id) if e["event"] == "failed"]
    assert len(failed) == 1 and failed[0]["details"]["error"] == "OcrFailed"
    assert job.job_id in {m["job_id"] for m in cloud.dlq_messages()}


@pytest.mark.parametrize(
    ("error", "cause", "expected"),
    [
        ("OcrTimedOut", "no completion", "Text recognition took too long"),
        ("States.Timeout", None, "Text recognition took too long"),
        ("TextractThrottled", "busy", "too busy"),
        (
            "DocumentTooLarge",
            json.dumps({"errorMessage": "The document has 60 pages; the limit is 50."}),
            "The document has 60 pages; the limit is 50.",
        ),
        ("Lambda.Unknown", "boom", "An internal step failed (Lambda.Unknown)"),
    ],
)
def test_failure_reasons_are_sentences(
    cloud: Cloud, error: str, cause: str | None, expected: str
) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    state = state_of(job, error={"Error": error, **({"Cause": cause} if cause else {})})
    mark_failed.lambda_handler(state, LambdaContext())
    assert expected in cloud.job(job.job_id)["failure_reason"]


def test_mark_failed_of_a_finished_or_unknown_job_still_reports(cloud: Cloud) -> None:
    job = make_job(cloud, status="COMPLETED", fixture=None)
    mark_failed.lambda_handler(state_of(job, error={"Error": "OcrFailed"}), LambdaContext())
    assert cloud.job(job.job_id)["status"] == "COMPLETED"
    mark_failed.lambda_handler(
        {"job_id": "gone", "bucket": "b", "key": "k", "attempt": 2, "error": {"Error": "X"}},
        LambdaContext(),
    )
    assert sorted(m["job_id"] for m in cloud.dlq_messages()) == sorted([job.job_id, "gone"])


def test_store_without_a_started_analysis_fails(cloud: Cloud, textract: FakeTextract) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    with pytest.raises(OcrFailed, match="No OCR analysis"):
        store_ocr.lambda_handler(state_of(job), LambdaContext())


# -- reconcile-failures -------------------------------------------------------------------


def test_a_retry_that_succeeded_deletes_only_its_jobs_earlier_failures(cloud: Cloud) -> None:
    from services.workflow.handlers import reconcile_failures

    # Given failures on the dead-letter queue: job A's first two attempts, another job's
    # first attempt, and a redriven S3 event that belongs to no failure notice
    job = make_job(cloud, status="COMPLETED", fixture=None, attempt=3)
    other = make_job(cloud, status="FAILED", fixture=None)
    for failed_job, attempt in ((job, 1), (job, 2), (other, 1)):
        error = {"Error": "TextractThrottled", "Cause": "throttled"}
        mark_failed.lambda_handler(
            state_of(failed_job, attempt=attempt, error=error), LambdaContext()
        )
    cloud.client("sqs").send_message(
        QueueUrl=cloud.dlq_url, MessageBody=json.dumps({"Records": [{"eventName": "x"}]})
    )
    # When job A's third attempt has succeeded and the pipeline reconciles
    outcome = reconcile_failures.lambda_handler(state_of(job, attempt=3), LambdaContext())
    # Then A's two notices are gone, and the other two are still there, visible at once
    assert (outcome["deleted"], outcome["scanned"]) == (2, 4)
    left = cloud.dlq_messages()
    assert len(left) == 2
    assert {m.get("job_id") for m in left} == {other.job_id, None}
