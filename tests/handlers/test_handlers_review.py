"""The review queue, review detail and decisions (api-review)."""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.api.handlers.review import lambda_handler as review
from tests.handlers.cloud import ADMIN, Cloud, call, http_event, make_job
from tests.handlers.openapi_check import assert_matches_openapi

DECISION = "/review/jobs/{job_id}/decision"


def get(route: str, *, job_id: str | None = None, query: dict[str, str] | None = None) -> dict:
    event = http_event(
        "GET", route, path_params={"job_id": job_id} if job_id else None, query=query
    )
    response = call(review, event)
    assert_matches_openapi(route, "get", response)
    return response


def decide(job_id: str, body: dict | None = None, raw_body: str | None = None) -> dict:
    event = http_event(
        "POST", DECISION, path_params={"job_id": job_id}, body=body, raw_body=raw_body
    )
    response = call(review, event)
    assert_matches_openapi(DECISION, "post", response)
    return response


def test_queue_lists_only_jobs_in_review_newest_first_with_pages(cloud: Cloud) -> None:
    older = make_job(cloud, created_at="2026-11-01T09:00:00.000Z", fixture=None)
    newer = make_job(cloud, created_at="2026-11-02T09:00:00.000Z", fixture=None)
    newest = make_job(cloud, created_at="2026-11-03T09:00:00.000Z", fixture=None)
    make_job(cloud, status="COMPLETED", fixture=None)
    first = get("/review/jobs", query={"limit": "2"})
    assert first["statusCode"] == 200
    assert [i["job_id"] for i in first["json"]["items"]] == [newest.job_id, newer.job_id]
    second = get("/review/jobs", query={"limit": "2", "cursor": first["json"]["next_cursor"]})
    assert [i["job_id"] for i in second["json"]["items"]] == [older.job_id]


def test_queue_rejects_a_bad_cursor(cloud: Cloud) -> None:
    response = get("/review/jobs", query={"cursor": "%%%"})
    assert response["statusCode"] == 400


def test_review_detail_has_result_audit_and_a_short_lived_link(cloud: Cloud) -> None:
    job = make_job(cloud)
    response = get("/review/jobs/{job_id}", job_id=job.job_id)
    assert response["statusCode"] == 200
    body = response["json"]
    assert body["job"]["job_id"] == job.job_id
    assert body["result"]["fields"]["vendor_name"]["value"] == "DEMO - Sliced Invoices"
    link = urllib.parse.urlparse(body["document"]["url"])
    query = urllib.parse.parse_qs(link.query)
    assert urllib.parse.unquote(link.path).endswith(job.s3_key)
    assert query["X-Amz-Expires"] == ["300"]
    # S3 answers the link as a download of the job's type, never a page to render
    filename = job.s3_key.rsplit("/", 1)[-1]
    assert query["response-content-disposition"] == [
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    ]
    assert query["response-content-type"] == [job.content_type]
    assert body["audit"] == []


def test_review_detail_of_unknown_job_is_404(cloud: Cloud) -> None:
    assert get("/review/jobs/{job_id}", job_id="nope")["statusCode"] == 404


def test_approve_with_corrections_keeps_before_and_after(cloud: Cloud) -> None:
    # Given a job in review whose parser read total 93.50 and no remittance email
    job = make_job(cloud)
    result = cloud.get_json(job.result_key)
    absent = next(
        name
        for name in ("payment_terms", "vendor_tax_id", "remit_to_name")
        if name not in result["fields"]
    )
    # When a reviewer approves it with corrections (plain values; the server normalizes)
    response = decide(
        job.job_id,
        {
            "decision": "APPROVE",
            "corrected_fields": {
                "total_amount": "1093.5",
                absent: "Net 30",
                "due_date": "2016-02-29",
            },
            "reason": "Total misread",
            "override_reason": "A late fee of 1000.00 was added by phone",
            "expected_version": job.version,
        },
    )
    # Then it is APPROVED, one version later, and the corrections are kept both ways
    assert response["statusCode"] == 200, response["json"]
    body = response["json"]
    assert body["status"] == "APPROVED" and body["version"] == job.version + 1
    assert body["corrections"]["total_amount"] == {"before": "93.50", "after": "1093.50"}
    assert body["corrections"][absent] == {"before": None, "after": "Net 30"}
    assert body["corrections"]["due_date"] == {"before": "2016-01-31", "after": "2016-02-29"}
    events = sorted(cloud.audit(job.job_id), key=lambda r: r["sk"])
    assert [e["event"] for e in events] == ["corrected", "approved"]
    corrected = events[0]
    assert corrected["actor"] == ADMIN.email
    assert corrected["before"] == {"total_amount": "93.50", absent: None, "due_date": "2016-01-31"}
    assert corrected["after"]["total_amount"] == "1093.50"
    assert cloud.job(job.job_id)["decision"] == "APPROVE"
    # And the totals the correction broke were overridden on the record, with the values
    override = events[1]["details"]["override"]
    assert override["reason"] == "A late fee of 1000.00 was added by phone"
    totals = next(c for c in override["checks"] if c["check"] == "totals_add_up")
    assert totals["evidence"]["fields"] == {
        "subtotal": "85.00",
        "tax_amount": "8.50",
        "total_amount": "1093.50",
    }


def test_reject_without_corrections(cloud: Cloud) -> None:
    job = make_job(cloud)
    response = decide(job.job_id, {"decision": "REJECT", "reason": "Duplicate"})
    assert response["statusCode"] == 200
    assert response["json"]["status"] == "REJECTED"
    events = cloud.audit(job.job_id)
    assert [e["event"] for e in events] == ["rejected"]
    assert events[0]["details"]["reason"] == "Duplicate"


def test_corrected_vendor_moves_the_invoice_key(cloud: Cloud) -> None:
    job = make_job(cloud)
    decide(
        job.job_id,
        {
            "decision": "APPROVE",
            "corrected_fields": {"vendor_name": "Sliced Invoices Ltd"},
        },
    )
    assert cloud.job(job.job_id)["invoice_key"] == "slicedinvoicesltd|inv3337"


def test_two_reviewers_at_once_one_wins_the_other_gets_409(cloud: Cloud) -> None:
    # Given two reviewers who both opened the job at the same version
    job = make_job(cloud)
    seen_version = get("/review/jobs/{job_id}", job_id=job.job_id)["json"]["job"]["version"]
    # When both decide
    first = decide(job.job_id, {"decision": "APPROVE", "expected_version": seen_version})
    second = decide(job.job_id, {"decision": "REJECT", "expected_version": seen_version})
    # Then exactly one decision stands
    assert first["statusCode"] == 200
    assert second["statusCode"] == 409
    assert cloud.job(job.job_id)["status"] == "APPROVED"
    assert [e["event"] for e in cloud.audit(job.job_id)] == ["approved"]


def test_the_version_condition_alone_stops_a_stale_decision(cloud: Cloud) -> None:
    """The race in the repository: both read version N while still NEEDS_REVIEW; the
    first write bumps the version, so the second write's condition fails."""
    from docuflow.dal.jobs import JobRepository
    from docuflow.domain.errors import ConcurrentUpdate
    from docuflow.domain.status import JobStatus

    job = make_job(cloud)
    jobs = JobRepository(cloud.table(cloud.jobs_table))
    seen_by_a = jobs.get(job.job_id)
    seen_by_b = jobs.get(job.job_id)
    # Another write (e.g. a first correction) moves the version but keeps NEEDS_REVIEW
    jobs.update(job.job_id, expected_status=JobStatus.NEEDS_REVIEW, set_fields={"reviewer": "a"})
    assert seen_by_a.version == seen_by_b.version
    with pytest.raises(ConcurrentUpdate):
        jobs.transition(
            job.job_id,
            current=JobStatus.NEEDS_REVIEW,
            target=JobStatus.APPROVED,
            expected_version=seen_by_b.version,
        )
    response = decide(job.job_id, {"decision": "APPROVE", "expected_version": seen_by_b.version})
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "CONCURRENT_UPDATE"


class AuditKeyTakenOnce:
    """A DynamoDB client that, just before the first transaction, lets another writer
    put an audit item with the key of the transaction's last Put (the decision record),
    so that Put's condition fails inside the transaction."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.taken: list[str] = []

    def transact_write_items(self, **kwargs: Any) -> Any:
        if not self.taken:
            put = kwargs["TransactItems"][-1]["Put"]
            key = {"job_id": put["Item"]["job_id"], "sk": put["Item"]["sk"]}
            self._client.put_item(TableName=put["TableName"], Item=key)
            self.taken.append(key["sk"]["S"])
        return self._client.transact_write_items(**kwargs)


def test_a_decision_whose_audit_fails_changes_nothing_and_can_be_retried(cloud: Cloud) -> None:
    from docuflow.dal.jobs import JobRepository
    from services.api import dependencies

    # Given a job in review, and an audit write that fails inside the decision's transaction
    job = make_job(cloud)
    client = AuditKeyTakenOnce(cloud.client("dynamodb"))
    jobs = JobRepository(cloud.table(cloud.jobs_table), client=client)  # type: ignore[arg-type]
    dependencies.storage.override(dataclasses.replace(dependencies.storage(), jobs=jobs))
    request = {
        "decision": "APPROVE",
        "corrected_fields": {"due_date": "2016-02-29"},
        "expected_version": job.version,
    }
    # When the reviewer decides, the handler fails (API Gateway answers 500)...
    with pytest.raises(ClientError) as raised:
        decide(job.job_id, request)
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    # ...and nothing of the decision was written: not the status, not the corrections
    stored = cloud.job(job.job_id)
    assert stored["status"] == "NEEDS_REVIEW" and stored["version"] == job.version
    assert "decision" not in stored
    assert [r["sk"] for r in cloud.audit(job.job_id)] == client.taken
    # When the same decision is sent again, it succeeds with both records written once
    response = decide(job.job_id, request)
    assert response["statusCode"] == 200, response["json"]
    assert response["json"]["status"] == "APPROVED"
    assert response["json"]["version"] == job.version + 1
    records = sorted(
        (r for r in cloud.audit(job.job_id) if r["sk"] not in client.taken),
        key=lambda r: r["sk"],
    )
    assert [r["event"] for r in records] == ["corrected", "approved"]
    assert records[0]["after"] == {"due_date": "2016-02-29"}
    assert records[1]["details"]["version"] == job.version + 1


@pytest.mark.parametrize("status", ["COMPLETED", "PROCESSING", "APPROVED", "FAILED"])
def test_decision_on_a_job_not_in_review_is_409(cloud: Cloud, status: str) -> None:
    job = make_job(cloud, status=status)
    response = decide(job.job_id, {"decision": "APPROVE"})
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "INVALID_TRANSITION"
    assert cloud.job(job.job_id)["status"] == status


def test_decision_on_unknown_job_is_404(cloud: Cloud) -> None:
    response = decide("missing-job", {"decision": "APPROVE"})
    assert response["statusCode"] == 404


@pytest.mark.parametrize(
    ("corrected", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"total_amount": "lots"}, "total_amount"),
        # What a tester sent, each once silently stored as another amount:
        # JSON numbers (1e16 -> 16.00, 0.00001 -> -5.00 through str(float)) ...
        ({"total_amount": 1e16}, "total_amount"),
        ({"total_amount": 0.00001}, "total_amount"),
        ({"total_amount": True}, "total_amount"),
        # ... and text read for "the last number in it" (2.00, 10.00, 5.00).
        ({"total_amount": "=1+2"}, "total_amount"),
        ({"total_amount": "0x10"}, "total_amount"),
        ({"total_amount": "1,234.56 see note 5"}, "total_amount"),
        ({"total_amount": "1e16"}, "total_amount"),
        # Any JSON number, however exact it looks, and anything else that is no string.
        ({"subtotal": 1093}, "subtotal"),
        ({"tax_amount": None}, "tax_amount"),
        ({"amount_due": ["12.00"]}, "amount_due"),
        ({"currency": True}, "currency"),
        # Printed forms are not typed amounts.
        ({"total_amount": "$1,093.50"}, "total_amount"),
        ({"tax_amount": "(3.00)"}, "tax_amount"),
        # More decimals than the currency has (the corrected currency counts).
        ({"currency": "EUR", "total_amount": "100.125"}, "total_amount"),
        ({"currency": "JPY", "total_amount": "1000.50"}, "total_amount"),
        # Dates: ISO 8601 (YYYY-MM-DD) only, and real ones.
        ({"document_date": "31/02/2021"}, "document_date"),
        ({"document_date": "03/04/2021"}, "document_date"),
        ({"document_date": "12 March 2020"}, "document_date"),
        ({"due_date": "2021-02-30"}, "due_date"),
        ({"currency": "$$$"}, "currency"),
        ({"currency": "$"}, "currency"),
        ({"remittance_email": "pay us"}, "remittance_email"),
    ],
    ids=[
        "unknown-field",
        "bad-money",
        "json-number-1e16",
        "json-number-0.00001",
        "json-true",
        "formula",
        "hex",
        "text-around-a-number",
        "exponent-as-text",
        "json-integer",
        "json-null",
        "json-array",
        "currency-not-text",
        "printed-money",
        "printed-negative",
        "three-decimals-in-euro",
        "decimals-in-yen",
        "impossible-date",
        "ambiguous-date",
        "date-in-words",
        "impossible-iso-date",
        "bad-currency",
        "shared-symbol",
        "bad-email",
    ],
)
def test_bad_corrections_are_422_naming_the_field_and_change_nothing(
    cloud: Cloud, corrected: dict, field: str
) -> None:
    # Given a job in review, when a reviewer approves it with a correction that is not
    # one value of its field's kind
    job = make_job(cloud)
    response = decide(job.job_id, {"decision": "APPROVE", "corrected_fields": corrected})
    # Then the decision is refused naming the field, and nothing was written
    assert response["statusCode"] == 422, response["json"]
    error = response["json"]["error"]
    assert error["code"] == "INVALID_CORRECTION"
    assert field in error["message"]
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"
    assert cloud.audit(job.job_id) == []


@pytest.mark.parametrize(
    ("corrected", "stored"),
    [
        # A three-decimal currency keeps its fils: 100.125, never 100125.00.
        ({"currency": "BHD", "total_amount": "100.125"}, {"total_amount": "100.125"}),
        ({"currency": "bhd", "tax_amount": "10.1"}, {"currency": "BHD", "tax_amount": "10.100"}),
        ({"currency": "JPY", "total_amount": "1000"}, {"total_amount": "1000"}),
        ({"currency": "EUR", "total_amount": "93.5"}, {"total_amount": "93.50"}),
        ({"total_amount": "-12"}, {"total_amount": "-12.00"}),
        ({"document_date": "2024-02-29"}, {"document_date": "2024-02-29"}),
    ],
)
def test_corrected_amounts_are_stored_exactly_in_the_currencys_minor_units(
    cloud: Cloud, corrected: dict[str, str], stored: dict[str, str]
) -> None:
    job = make_job(cloud)
    # (Rejected: such totals no longer add up, and an approval would need an override.)
    response = decide(job.job_id, {"decision": "REJECT", "corrected_fields": corrected})
    assert response["statusCode"] == 200, response["json"]
    after = {name: c["after"] for name, c in response["json"]["corrections"].items()}
    assert stored.items() <= after.items()
    recorded = next(r for r in cloud.audit(job.job_id) if r["event"] == "corrected")
    assert stored.items() <= recorded["after"].items()


@pytest.mark.parametrize(
    ("body", "raw"),
    [
        (None, "{"),
        (None, "null"),
        ({"decision": "MAYBE"}, None),
        ({"decision": "APPROVE", "reviewer": "rita"}, None),
        ({"decision": "APPROVE", "approved_by": "x"}, None),
        ({"decision": "APPROVE", "corrected_fields": ["total_amount"]}, None),
        ({"decision": "APPROVE", "expected_version": "v1"}, None),
        ({"decision": "APPROVE", "expected_version": "5"}, None),
        ({"decision": "APPROVE", "expected_version": 10**40}, None),
        ({"decision": "APPROVE", "expected_version": 2**53}, None),
        ({"decision": "APPROVE", "corrected_fields": {"x": "1" * 1001}}, None),
        ({"decision": "APPROVE", "override_reason": "  "}, None),
        ({"decision": "APPROVE", "override_reason": 1}, None),
    ],
    ids=[
        "malformed",
        "null",
        "bad-decision",
        "typed-reviewer-refused",
        "unknown-field",
        "corrections-not-object",
        "bad-version",
        "version-as-string",
        "version-beyond-dynamodb-numbers",
        "version-beyond-javascript-integers",
        "correction-too-long",
        "override-without-words",
        "override-not-text",
    ],
)
def test_bad_decision_requests_are_400(cloud: Cloud, body: dict | None, raw: str | None) -> None:
    job = make_job(cloud)
    response = decide(job.job_id, body, raw_body=raw)
    assert response["statusCode"] == 400, response["json"]
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"


# ---- approving a possible duplicate -----------------------------------------------------

FLAGGED = [
    {"code": "DUPLICATE_INVOICE", "field": "invoice_number", "message": "Known (job x)."},
    {"code": "LOW_CONFIDENCE", "field": "vendor_name", "message": "Low."},
]


def approval(job_id: str, **extra: Any) -> dict:
    return decide(job_id, {"decision": "APPROVE", **extra})


def refused_for_override(response: dict) -> str:
    assert response["statusCode"] == 409, response["json"]
    error = response["json"]["error"]
    assert error["code"] == "OVERRIDE_REQUIRED"
    assert "possible_duplicate" in error["message"]
    return str(error["message"])


def test_approving_a_job_flagged_as_a_duplicate_needs_an_override_reason_on_record(
    cloud: Cloud,
) -> None:
    # Given the same invoice twice: the first approved, the second flagged when it was read
    first = make_job(cloud, fixture=None, status="APPROVED", invoice_key="acme|inv1")
    second = make_job(
        cloud, fixture=None, invoice_key="acme|inv1", routing_reasons=FLAGGED, version=3
    )
    # When a reviewer approves the second without a reason, it is refused, naming the
    # check and the invoice already approved, and nothing is written
    message = refused_for_override(approval(second.job_id))
    assert f"job {first.job_id} (APPROVED)" in message
    assert cloud.job(second.job_id)["status"] == "NEEDS_REVIEW"
    assert cloud.job(second.job_id)["version"] == 3
    assert cloud.audit(second.job_id) == []
    # When the reviewer gives an override reason, it is approved ...
    response = approval(second.job_id, override_reason="Second instalment, same number")
    assert response["statusCode"] == 200, response["json"]
    assert response["json"]["status"] == "APPROVED"
    # ... and the approval's audit record keeps the reason with the duplicate's evidence
    [record] = cloud.audit(second.job_id)
    assert record["event"] == "approved" and record["actor"] == ADMIN.email
    override = record["details"]["override"]
    assert override["reason"] == "Second instalment, same number"
    [check] = override["checks"]
    assert check["check"] == "possible_duplicate"
    evidence = check["evidence"]
    assert evidence["flagged"] == ["DUPLICATE_INVOICE"]
    assert evidence["invoice_key"] == "acme|inv1"
    assert evidence["same_invoice"] == [{"job_id": first.job_id, "status": "APPROVED"}]
    assert evidence["accepted_for_payment"] == [first.job_id]


def test_a_rejection_with_an_override_reason_is_refused_and_changes_nothing(cloud: Cloud) -> None:
    # Given a job in review
    job = make_job(cloud, version=4)
    # When a reviewer rejects it with an override reason (which only an approval can use)
    response = decide(
        job.job_id,
        {"decision": "REJECT", "reason": "No PO", "override_reason": "x"},
    )
    # Then it is a 422 saying why, and the job and its audit are untouched
    assert response["statusCode"] == 422, response["json"]
    error = response["json"]["error"]
    assert error["code"] == "INVALID_DECISION" and "APPROVE" in error["message"]
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"
    assert cloud.job(job.job_id)["version"] == 4
    assert cloud.audit(job.job_id) == []


@pytest.mark.parametrize("other_status", ["APPROVED", "COMPLETED"])
@pytest.mark.parametrize("same", ["invoice_key", "file_sha256"])
def test_an_invoice_already_accepted_for_payment_blocks_an_unflagged_approval(
    cloud: Cloud, other_status: str, same: str
) -> None:
    # Given a job not flagged when it was read (the other came later, or the index was
    # behind), and another job with its invoice or file since approved or completed
    shared = {"invoice_key": "acme|inv2"} if same == "invoice_key" else {"file_sha256": "ab" * 32}
    other = make_job(cloud, fixture=None, status=other_status, **shared)
    job = make_job(cloud, fixture=None, **shared)
    # Then approving it needs an override reason: it would pay the invoice twice
    message = refused_for_override(approval(job.job_id))
    assert f"already accepted for payment: {other.job_id}" in message
    response = approval(job.job_id, override_reason="Credit note reissued as an invoice")
    assert response["statusCode"] == 200, response["json"]
    [record] = cloud.audit(job.job_id)
    [check] = record["details"]["override"]["checks"]
    assert check["evidence"]["accepted_for_payment"] == [other.job_id]


def test_a_corrected_vendor_that_makes_the_job_a_duplicate_blocks_the_approval(
    cloud: Cloud,
) -> None:
    # Given an approved invoice, and a job whose corrected vendor makes it the same one
    make_job(cloud, fixture=None, status="APPROVED", invoice_key="slicedinvoicesltd|inv3337")
    job = make_job(cloud)
    body = {"corrected_fields": {"vendor_name": "Sliced Invoices Ltd"}}
    refused_for_override(approval(job.job_id, **body))
    response = approval(job.job_id, override_reason="Checked with the vendor", **body)
    assert response["statusCode"] == 200, response["json"]
    assert cloud.job(job.job_id)["invoice_key"] == "slicedinvoicesltd|inv3337"


@pytest.mark.parametrize("other_status", ["NEEDS_REVIEW", "REJECTED", "FAILED"])
def test_the_same_invoice_not_accepted_for_payment_needs_no_override(
    cloud: Cloud, other_status: str
) -> None:
    # Two copies in review: approving the first is no double payment (the other, once
    # approved in turn, would be).
    make_job(cloud, fixture=None, status=other_status, invoice_key="acme|inv3")
    job = make_job(cloud, fixture=None, invoice_key="acme|inv3")
    response = approval(job.job_id)
    assert response["statusCode"] == 200, response["json"]
    [record] = cloud.audit(job.job_id)
    assert "override" not in record["details"]


def test_rejecting_a_flagged_duplicate_needs_no_override(cloud: Cloud) -> None:
    job = make_job(cloud, fixture=None, routing_reasons=FLAGGED)
    response = decide(job.job_id, {"decision": "REJECT", "reason": "Dup"})
    assert response["statusCode"] == 200, response["json"]
    assert response["json"]["status"] == "REJECTED"


def test_an_override_reason_with_nothing_to_override_is_still_recorded(cloud: Cloud) -> None:
    job = make_job(cloud, fixture=None)
    response = approval(job.job_id, override_reason="Approved by the CFO")
    assert response["statusCode"] == 200, response["json"]
    [record] = cloud.audit(job.job_id)
    assert record["details"]["override"] == {"reason": "Approved by the CFO", "checks": []}
