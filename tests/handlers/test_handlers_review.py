"""The review queue, review detail and decisions (api-review)."""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.api.handlers.review import lambda_handler as review
from tests.handlers.cloud import Cloud, call, http_event, make_job
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
    # When a reviewer approves it with corrections (as printed; the server normalizes)
    response = decide(
        job.job_id,
        {
            "decision": "APPROVE",
            "reviewer": "rita",
            "corrected_fields": {
                "total_amount": "$1,093.50",
                absent: "Net 30",
                "due_date": "2016-02-29",
            },
            "reason": "Total misread",
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
    assert corrected["actor"] == "rita"
    assert corrected["before"] == {"total_amount": "93.50", absent: None, "due_date": "2016-01-31"}
    assert corrected["after"]["total_amount"] == "1093.50"
    assert cloud.job(job.job_id)["decision"] == "APPROVE"


def test_reject_without_corrections(cloud: Cloud) -> None:
    job = make_job(cloud)
    response = decide(job.job_id, {"decision": "REJECT", "reviewer": "rita", "reason": "Duplicate"})
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
            "reviewer": "r",
            "corrected_fields": {"vendor_name": "Sliced Invoices Ltd"},
        },
    )
    assert cloud.job(job.job_id)["invoice_key"] == "slicedinvoicesltd|inv3337"


def test_two_reviewers_at_once_one_wins_the_other_gets_409(cloud: Cloud) -> None:
    # Given two reviewers who both opened the job at the same version
    job = make_job(cloud)
    seen_version = get("/review/jobs/{job_id}", job_id=job.job_id)["json"]["job"]["version"]
    # When both decide
    first = decide(
        job.job_id, {"decision": "APPROVE", "reviewer": "a", "expected_version": seen_version}
    )
    second = decide(
        job.job_id, {"decision": "REJECT", "reviewer": "b", "expected_version": seen_version}
    )
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
    response = decide(
        job.job_id, {"decision": "APPROVE", "reviewer": "b", "expected_version": seen_by_b.version}
    )
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
        "reviewer": "rita",
        "corrected_fields": {"total_amount": "1093.50"},
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
    assert records[0]["after"] == {"total_amount": "1093.50"}
    assert records[1]["details"]["version"] == job.version + 1


@pytest.mark.parametrize("status", ["COMPLETED", "PROCESSING", "APPROVED", "FAILED"])
def test_decision_on_a_job_not_in_review_is_409(cloud: Cloud, status: str) -> None:
    job = make_job(cloud, status=status)
    response = decide(job.job_id, {"decision": "APPROVE", "reviewer": "r"})
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "INVALID_TRANSITION"
    assert cloud.job(job.job_id)["status"] == status


def test_decision_on_unknown_job_is_404(cloud: Cloud) -> None:
    response = decide("missing-job", {"decision": "APPROVE", "reviewer": "r"})
    assert response["statusCode"] == 404


@pytest.mark.parametrize(
    "corrected",
    [
        {"colour": "red"},
        {"total_amount": "lots"},
        {"document_date": "31/02/2021"},
        {"document_date": "03/04/2021"},
        {"currency": "$$$"},
    ],
    ids=["unknown-field", "bad-money", "impossible-date", "ambiguous-date", "bad-currency"],
)
def test_bad_corrections_are_422_and_change_nothing(cloud: Cloud, corrected: dict) -> None:
    job = make_job(cloud)
    response = decide(
        job.job_id, {"decision": "APPROVE", "reviewer": "r", "corrected_fields": corrected}
    )
    assert response["statusCode"] == 422, response["json"]
    assert response["json"]["error"]["code"] == "INVALID_CORRECTION"
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"
    assert cloud.audit(job.job_id) == []


@pytest.mark.parametrize(
    ("body", "raw"),
    [
        (None, "{"),
        (None, "null"),
        ({"decision": "MAYBE", "reviewer": "r"}, None),
        ({"decision": "APPROVE"}, None),
        ({"decision": "APPROVE", "reviewer": ""}, None),
        ({"decision": "APPROVE", "reviewer": "r", "approved_by": "x"}, None),
        ({"decision": "APPROVE", "reviewer": "r", "corrected_fields": ["total_amount"]}, None),
        ({"decision": "APPROVE", "reviewer": "r", "expected_version": "v1"}, None),
        ({"decision": "APPROVE", "reviewer": "r", "expected_version": "5"}, None),
        ({"decision": "APPROVE", "reviewer": "r", "expected_version": 10**40}, None),
        ({"decision": "APPROVE", "reviewer": "r", "expected_version": 2**53}, None),
        ({"decision": "APPROVE", "reviewer": "r", "corrected_fields": {"currency": True}}, None),
    ],
    ids=[
        "malformed",
        "null",
        "bad-decision",
        "no-reviewer",
        "empty-reviewer",
        "unknown-field",
        "corrections-not-object",
        "bad-version",
        "version-as-string",
        "version-beyond-dynamodb-numbers",
        "version-beyond-javascript-integers",
        "correction-not-text-or-number",
    ],
)
def test_bad_decision_requests_are_400(cloud: Cloud, body: dict | None, raw: str | None) -> None:
    job = make_job(cloud)
    response = decide(job.job_id, body, raw_body=raw)
    assert response["statusCode"] == 400, response["json"]
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"
