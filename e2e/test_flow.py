"""The upload-to-review flow, driven over HTTP exactly as a client drives it."""

from __future__ import annotations

import concurrent.futures
import urllib.parse
from typing import Any

import pytest
import requests

from e2e.client import Api, Control, prepare
from e2e.documents import fixture, generated_invoice
from e2e.targets import Target
from tests.support import wait_for

PROCESSING_TIMEOUT = 180


def events(audit: list[dict[str, Any]]) -> list[str]:
    return [item["event"] for item in audit]


def review_queue_ids(api: Api, max_pages: int = 50) -> list[str]:
    """Every job id in the review queue, following its cursor."""
    ids: list[str] = []
    cursor: str | None = None
    for _ in range(max_pages):
        page = api.get("/review/jobs", params={"cursor": cursor} if cursor else None).json()
        ids.extend(item["job_id"] for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return ids


def test_invoice_is_completed_with_its_fields(api: Api, target: Target) -> None:
    # Given a clean, generated invoice (and, locally, the response Textract gives for it)
    document = generated_invoice()
    prepare(target, document)
    # When it is uploaded
    job_id = api.upload(document.data, document.filename, document.content_type)
    # Then the job completes with the invoice's fields and checks
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "COMPLETED", job
    result = api.result(job_id)
    assert result["routing"]["status"] == "COMPLETED"
    assert {"vendor_name", "invoice_number", "total_amount"} <= set(result["fields"])
    assert result["checks"]["totals_add_up"]["status"] == "pass"
    assert all(check["status"] != "fail" for check in result["checks"].values())
    assert events(api.audit(job_id))[:1] == ["created"]
    assert "routed" in events(api.audit(job_id))


def test_ambiguous_invoice_is_corrected_and_approved_with_an_audit_trail(
    api: Api, reviewer: Api
) -> None:
    # Given the sample invoice, whose "$" does not say which dollar
    document = fixture("sample-invoice.pdf", "application/pdf")
    job_id = api.upload(document.data, document.filename, document.content_type)
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "NEEDS_REVIEW", job
    assert job["review_reasons"], job
    # It is in the review queue
    assert job_id in review_queue_ids(reviewer)
    detail = reviewer.get(f"/review/jobs/{job_id}")
    assert detail.status_code == 200
    assert detail.json()["document"]["url"]
    # When a reviewer corrects the currency and approves
    before = api.result(job_id)["fields"].get("currency", {}).get("value")
    decision = reviewer.decide(
        job_id,
        {
            "decision": "APPROVE",
            "corrected_fields": {"currency": "USD"},
        },
    )
    assert decision.status_code == 200, decision.text
    assert decision.json()["status"] == "APPROVED"
    # Then the audit trail shows the correction's before and after, and the approval
    audit = api.audit(job_id)
    corrected = [item for item in audit if item["event"] == "corrected"]
    assert corrected, events(audit)
    change = corrected[0]
    assert change["actor"] == "reviewer@acme.test"
    assert change["after"]["currency"] == "USD"
    assert change["before"].get("currency") == before
    assert "approved" in events(audit)
    assert api.job(job_id)["status"] == "APPROVED"


def test_reviewer_rejects_a_document(api: Api, reviewer: Api) -> None:
    document = fixture("sample-invoice.pdf", "application/pdf")
    job_id = api.upload(document.data, f"reject-{document.filename}", document.content_type)
    assert api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
    decision = reviewer.decide(job_id, {"decision": "REJECT", "reason": "not our vendor"})
    assert decision.status_code == 200, decision.text
    assert api.job(job_id)["status"] == "REJECTED"
    rejected = [item for item in api.audit(job_id) if item["event"] == "rejected"]
    assert rejected and rejected[0]["actor"] == "reviewer@acme.test"
    # A decided job cannot be decided again
    again = reviewer.decide(
        job_id,
        {
            "decision": "APPROVE",
        },
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"]


def test_two_simultaneous_decisions_one_wins_one_conflicts(api: Api, reviewer: Api) -> None:
    document = fixture("sample-invoice.pdf", "application/pdf")
    job_id = api.upload(document.data, f"race-{document.filename}", document.content_type)
    assert api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
    bodies = [
        {
            "decision": "APPROVE",
        },
        {"decision": "REJECT", "reason": "duplicate"},
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda body: reviewer.decide(job_id, body), bodies))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 409], [a.text for a in answers]
    winner = answers[0] if answers[0].status_code == 200 else answers[1]
    assert api.job(job_id)["status"] == winner.json()["status"]


def test_same_invoice_uploaded_twice_is_flagged_possible_duplicate(
    api: Api, target: Target
) -> None:
    document = generated_invoice()
    prepare(target, document)
    first = api.upload(document.data, document.filename, document.content_type)
    api.wait_status(first, timeout=PROCESSING_TIMEOUT)
    second = api.upload(document.data, f"again-{document.filename}", document.content_type)
    job = api.wait_status(second, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "NEEDS_REVIEW", job
    duplicate = api.result(second)["checks"]["possible_duplicate"]
    assert duplicate["status"] == "fail"
    assert first in duplicate["message"]
    assert {"DUPLICATE_INVOICE", "DUPLICATE_FILE"} & {r["code"] for r in job["review_reasons"]}


def test_approving_a_possible_duplicate_needs_an_override_reason_that_is_audited(
    api: Api, reviewer: Api, target: Target
) -> None:
    # Given an invoice completed (accepted for payment) and the same invoice uploaded again
    document = generated_invoice()
    prepare(target, document)
    first = api.upload(document.data, document.filename, document.content_type)
    assert api.wait_status(first, timeout=PROCESSING_TIMEOUT)["status"] == "COMPLETED"
    second = api.upload(document.data, f"again-{document.filename}", document.content_type)
    assert api.wait_status(second, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
    # When a reviewer approves the second without a reason, it is refused: 409, naming the
    # check and the invoice already accepted for payment
    refused = reviewer.decide(
        second,
        {
            "decision": "APPROVE",
        },
    )
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "OVERRIDE_REQUIRED"
    assert "possible_duplicate" in error["message"] and first in error["message"]
    assert api.job(second)["status"] == "NEEDS_REVIEW"
    # When the reviewer says why, it is approved, and the audit keeps the reason with the
    # duplicate's evidence
    approved = reviewer.decide(
        second,
        {
            "decision": "APPROVE",
            "override_reason": "Agreed with the vendor: second delivery, same invoice number",
        },
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "APPROVED"
    [record] = [item for item in api.audit(second) if item["event"] == "approved"]
    override = record["details"]["override"]
    assert override["reason"].startswith("Agreed with the vendor")
    [check] = override["checks"]
    assert check["check"] == "possible_duplicate"
    assert first in check["evidence"]["accepted_for_payment"]


def test_a_processed_document_cannot_be_replaced_through_its_upload_link(api: Api) -> None:
    # Given an invoice uploaded and processed
    document = fixture("sample-invoice.pdf", "application/pdf")
    created = api.create_upload(document.filename, document.content_type, len(document.data))
    headers = created["upload_headers"]
    first = requests.put(created["upload_url"], data=document.data, headers=headers, timeout=30)
    assert first.status_code in (200, 204), first.text
    job = api.wait_status(created["job_id"], timeout=PROCESSING_TIMEOUT)
    # When someone PUTs other bytes of the declared size to the same, still valid, link,
    # or bytes of another size
    other = b"%PDF-1.4 other".ljust(len(document.data), b" ")
    second = requests.put(created["upload_url"], data=other, headers=headers, timeout=30)
    resized = requests.put(
        created["upload_url"], data=b"%PDF-1.4 other", headers=headers, timeout=30
    )
    # Then S3 refuses both (the object exists; the size is signed into the link) and the
    # job keeps the document it was read from
    assert second.status_code == 412, second.status_code
    assert resized.status_code == 403, resized.status_code
    after = api.job(created["job_id"])
    assert after["file_sha256"] == job["file_sha256"] == document.sha256
    assert after["version"] == job["version"]


def _with_query(url: str, **changes: str | None) -> str:
    """`url` with query parameters replaced (a value) or removed (None)."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _other_id(job_id: str) -> str:
    """Another job id of the same shape: its last character changed."""
    return job_id[:-1] + ("1" if job_id.endswith("0") else "0")


def _signing_parameters(url: str) -> list[str]:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    return [name for name in query if name.startswith("X-Amz-")]


def test_tampered_or_unsigned_links_are_refused_and_store_nothing(api: Api, reviewer: Api) -> None:
    # Given an upload link, and the document link of another invoice in review
    document = fixture("sample-invoice.pdf", "application/pdf")
    created = api.create_upload(document.filename, document.content_type, len(document.data))
    url, headers = created["upload_url"], created["upload_headers"]
    signature = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-Signature"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    # When the link is used with a changed signature, without one, with a longer life, or
    # pointed at another key
    tampered = {
        "signature changed": _with_query(url, **{"X-Amz-Signature": flipped}),
        "unsigned": _with_query(url, **{name: None for name in _signing_parameters(url)}),
        "expiry extended": _with_query(url, **{"X-Amz-Expires": "604800"}),
        "other key": url.replace(created["job_id"], _other_id(created["job_id"]), 1),
    }
    answers = {
        name: requests.put(link, data=document.data, headers=headers, timeout=30).status_code
        for name, link in tampered.items()
    }
    # Then each is refused, and the job still waits for its document
    assert all(status == 403 for status in answers.values()), answers
    assert api.job(created["job_id"])["status"] == "CREATED"
    # And the real link still works once
    first = requests.put(url, data=document.data, headers=headers, timeout=30)
    assert first.status_code in (200, 204), first.text
    job = api.wait_status(created["job_id"], timeout=PROCESSING_TIMEOUT)
    assert job["file_sha256"] == document.sha256
    # And a download link, tampered, gives nothing; untampered, an attachment of the type
    # the document was uploaded as
    link = reviewer.get(f"/review/jobs/{created['job_id']}").json()["document"]["url"]
    bad = requests.get(_with_query(link, **{"X-Amz-Signature": flipped}), timeout=30)
    assert bad.status_code == 403 and document.data not in bad.content
    good = requests.get(link, timeout=30)
    assert good.status_code == 200 and good.content == document.data
    assert good.headers["Content-Disposition"].startswith("attachment")
    assert good.headers["Content-Type"] == "application/pdf"


def test_upload_that_is_not_a_pdf_or_image_fails_with_a_reason(api: Api) -> None:
    job_id = api.upload(b"just some text, not a PDF\n" * 20, "notes.pdf", "application/pdf")
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "FAILED"
    assert job["failure_reason"]
    assert "failed" in events(api.audit(job_id))


def test_unknown_job_is_404(api: Api, reviewer: Api) -> None:
    for path in ("/jobs/no-such-job", "/jobs/no-such-job/result", "/review/jobs/no-such-job"):
        response = reviewer.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"]
    assert api.post("/jobs/no-such-job/start").status_code == 404


def test_bad_upload_requests_are_client_errors(api: Api) -> None:
    missing = api.post("/uploads", {"filename": "a.pdf"})
    assert missing.status_code == 400, missing.text
    assert missing.json()["error"]["code"] == "VALIDATION_ERROR"
    unsafe_name = api.post(
        "/uploads",
        {"filename": "../../etc/passwd.pdf", "content_type": "application/pdf"},
    )
    assert unsafe_name.status_code == 400, unsafe_name.text
    malformed = api.post("/uploads", data="{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400, malformed.text
    wrong_type = api.post(
        "/uploads",
        {"filename": "a.exe", "content_type": "application/x-msdownload"},
    )
    assert wrong_type.status_code == 415
    too_big = api.post(
        "/uploads",
        {
            "filename": "a.pdf",
            "content_type": "application/pdf",
            "size_bytes": 400 * 1024 * 1024,
        },
    )
    # Within what the contract allows (500 MiB) but over this deployment's limit (20 MiB)
    assert too_big.status_code == 413, too_big.text
    beyond_contract = api.post(
        "/uploads",
        {
            "filename": "a.pdf",
            "content_type": "application/pdf",
            "size_bytes": 10**10,
        },
    )
    assert beyond_contract.status_code == 400, beyond_contract.text


@pytest.mark.parametrize(
    "path", ["/uploads", "/jobs/e2e-no-such-job/start", "/review/jobs/e2e-no-such-job/decision"]
)
def test_json_nested_990_deep_and_bodies_that_are_not_utf8_are_400_json(
    reviewer: Api, path: str
) -> None:
    api = reviewer  # a role every one of these routes allows
    json_headers = {"Content-Type": "application/json"}
    bodies = {
        "nested": b"[" * 990 + b"]" * 990,
        "nested-objects": b'{"a":' * 990 + b"1" + b"}" * 990,
        "not-utf8": b'{"filename": "\xff\xfe.pdf"}',
        "duplicate-key": b'{"decision": "APPROVE", "decision": "REJECT"}',
    }
    for name, body in bodies.items():
        response = api.session.post(api.url(path), data=body, headers=json_headers, timeout=30)
        assert response.status_code == 400, f"{name}: {response.status_code} {response.text}"
        assert response.headers["content-type"].startswith("application/json"), name
        assert response.json()["error"]["code"] == "VALIDATION_ERROR", name


def test_a_method_a_path_does_not_serve_is_405_with_allow(api: Api) -> None:
    for method, path, allow in (
        ("TRACE", "/jobs/e2e-no-such-job", "GET"),
        ("DELETE", "/uploads", "POST"),
        ("PUT", "/review/jobs", "GET"),
    ):
        response = api.session.request(method, api.url(path), timeout=30)
        assert response.status_code == 405, f"{method} {path}: {response.status_code}"
        assert response.headers["Allow"] == allow
        assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


# ------------------------------------------------------------------ fault injection


def test_textract_failure_fails_the_job_to_the_dlq_and_a_retry_succeeds(
    api: Api, target: Target, control: Control
) -> None:
    document = generated_invoice()
    prepare(target, document)
    control.faults(fail_sha256=document.sha256, status_message="INVALID_IMAGE_TYPE (injected)")
    job_id = api.upload(document.data, document.filename, document.content_type)
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "FAILED"
    assert job["failure_reason"]
    assert "failed" in events(api.audit(job_id))
    # The failure reached the dead-letter queue
    assert target.dlq_url and target.aws_endpoint_url, (
        f"target {target.name} has fault injection but no dlq_url/aws_endpoint_url to read the DLQ"
    )
    dlq_url = target.dlq_url
    sqs = target.aws_client("sqs")

    def dead_letter() -> list[str] | None:
        # Read through the whole queue (other tests' failures are there too), hiding each
        # message only briefly so the pipeline's own reconciliation can still see them.
        bodies: list[str] = []
        seen: set[str] = set()
        for _ in range(20):
            messages = sqs.receive_message(
                QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=2
            ).get("Messages", [])
            fresh = [m for m in messages if m["MessageId"] not in seen]
            if not fresh:
                break
            seen.update(m["MessageId"] for m in fresh)
            bodies += [m["Body"] for m in fresh if job_id in m["Body"]]
        return bodies or None

    assert wait_for(dead_letter, 30, f"a dead-letter message for {job_id}")
    # When the fault is gone and the job is retried
    control.clear_faults()
    retried = api.post(f"/jobs/{job_id}/start", {})
    assert retried.status_code == 202, retried.text
    job = api.wait_status(job_id, {"COMPLETED", "NEEDS_REVIEW"}, timeout=PROCESSING_TIMEOUT)
    assert job["attempt"] == 2
    assert api.result(job_id)["fields"]
    # "started" is there from the first attempt; only "retried" shows the retry was audited
    assert events(api.audit(job_id)).count("retried") == 1
    # And once the retry's execution has ended (it reconciles last), the failure it
    # resolved is off the dead-letter queue: the queue's alarm means open failures
    sfn = target.aws_client("stepfunctions")
    execution_arn = (
        target.outputs["state_machine_arn"].replace(":stateMachine:", ":execution:")
        + f":{job_id}-retry-2"
    )

    def retry_ended() -> str | None:
        status = sfn.describe_execution(executionArn=execution_arn)["status"]
        return None if status == "RUNNING" else str(status)

    assert wait_for(retry_ended, 60, "the retry's execution to end") == "SUCCEEDED"
    assert dead_letter() is None


def test_throttled_textract_start_is_retried_to_success(
    api: Api, target: Target, control: Control
) -> None:
    document = generated_invoice()
    prepare(target, document)
    throttled_before = control.textract()["stats"]["throttled"]
    control.faults(throttle_next_starts=2)
    job_id = api.upload(document.data, document.filename, document.content_type)
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "COMPLETED", job
    # Both injected throttles were hit (and retried) on the way to COMPLETED
    assert control.textract()["stats"]["throttled"] - throttled_before == 2


def test_sustained_throttling_is_waited_out_and_every_job_completes(
    api: Api, target: Target, control: Control
) -> None:
    # Given Textract refusing every start call for a while (the local stack waits at most
    # 2 s between retries, 60 times: infra/envs/local.tfvars; AWS waits tens of minutes)
    documents = [generated_invoice() for _ in range(6)]
    for document in documents:
        prepare(target, document)
    throttled_before = control.textract()["stats"]["throttled"]
    control.faults(throttle_seconds=20)
    # When six invoices arrive at once
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        job_ids = list(
            pool.map(lambda d: api.upload(d.data, d.filename, d.content_type), documents)
        )
    # Then every one of them completes, none fails
    statuses = {
        job_id: api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)["status"] for job_id in job_ids
    }
    assert set(statuses.values()) == {"COMPLETED"}, statuses
    # after each had been throttled (and had waited) at least once
    assert control.textract()["stats"]["throttled"] - throttled_before >= len(job_ids)
