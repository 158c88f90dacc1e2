"""The reviewer's workspace: line-item corrections, re-scoring with pending corrections,
approvals blocked by failing checks, and the sorted, filtered review queue (api-review)."""

from __future__ import annotations

from typing import Any

import pytest

from services.api.handlers.review import lambda_handler as review
from tests.handlers.cloud import Cloud, call, http_event, make_job
from tests.handlers.openapi_check import assert_matches_openapi

DECISION = "/review/jobs/{job_id}/decision"
RESCORE = "/review/jobs/{job_id}/rescore"
QUEUE = "/review/jobs"
# The sample invoice: subtotal 85.00 + tax 8.50 = total 93.50, one line of 1 x 85.00.
READ_LINE = {"line": 1, "description": "Web Design", "quantity": "1", "unit_price": "85.00"}


def post(route: str, job_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = call(review, http_event("POST", route, path_params={"job_id": job_id}, body=body))
    assert_matches_openapi(route, "post", response)
    return response


def queue(**query: str) -> dict[str, Any]:
    response = call(review, http_event("GET", QUEUE, query=query))
    assert_matches_openapi(QUEUE, "get", response)
    return response


# -- re-scoring ------------------------------------------------------------------------


def test_rescore_without_corrections_gives_the_stored_checks(cloud: Cloud) -> None:
    # Given a job in review as the pipeline routed it
    job = make_job(cloud)
    stored = cloud.get_json(str(job.result_key))
    # When it is re-scored with nothing pending
    response = post(RESCORE, job.job_id, {})
    # Then the checks and reasons are the pipeline's, and nothing blocks an approval
    assert response["statusCode"] == 200, response["json"]
    body = response["json"]
    # (The job was stored without consulting the index; re-scoring consults it.)
    assert body["checks"].pop("possible_duplicate")["status"] == "pass"
    assert {n: c["status"] for n, c in body["checks"].items()} == {
        n: c["status"] for n, c in stored["checks"].items() if n != "possible_duplicate"
    }
    assert [r["code"] for r in body["routing"]["reasons"]] == [
        r["code"] for r in stored["routing"]["reasons"]
    ]
    assert body["blocking"] == []


def test_rescore_clears_fixed_reasons_and_reports_broken_totals(cloud: Cloud) -> None:
    job = make_job(cloud)
    # When the reviewer settles the currency and confirms the e-mail
    fixed = post(
        RESCORE,
        job.job_id,
        {"corrected_fields": {"currency": "USD", "remittance_email": "admin@slicedinvoices.com"}},
    )["json"]
    # Then both reasons are gone and the job would complete
    assert fixed["checks"]["currency_known"]["status"] == "pass"
    assert fixed["routing"] == {"status": "COMPLETED", "reasons": []}
    # When a total that breaks subtotal + tax = total is typed
    broken = post(RESCORE, job.job_id, {"corrected_fields": {"total_amount": "95.00"}})["json"]
    # Then the totals fail, and an approval would have to override them
    assert broken["checks"]["totals_add_up"]["status"] == "fail"
    assert "TOTALS_MISMATCH" in {r["code"] for r in broken["routing"]["reasons"]}
    assert [b["check"] for b in broken["blocking"]] == ["totals_add_up"]
    # And nothing was saved
    assert cloud.job(job.job_id)["version"] == job.version
    assert cloud.audit(job.job_id) == []


def test_rescore_with_corrected_lines(cloud: Cloud) -> None:
    job = make_job(cloud)
    # When the one line is split into two that still add up to the subtotal
    lines = [
        {**READ_LINE, "amount": "60.00", "unit_price": "60.00"},
        {"description": "Hosting", "quantity": "1", "unit_price": "25.00", "amount": "25.00"},
    ]
    ok = post(RESCORE, job.job_id, {"corrected_line_items": lines})["json"]
    assert ok["checks"]["line_items_sum"]["status"] == "pass"
    # When the added line is dropped, Then the lines no longer add up to the subtotal
    short = post(RESCORE, job.job_id, {"corrected_line_items": lines[:1]})["json"]
    assert short["checks"]["line_items_sum"]["status"] == "fail"
    assert [b["check"] for b in short["blocking"]] == ["line_items_sum"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"corrected_fields": {"total_amount": "93,50"}}, "total_amount"),
        ({"corrected_line_items": [{"amount": 85}]}, "corrected_line_items[0].amount"),
        ({"corrected_line_items": [{"amount": "1.234,50"}]}, "corrected_line_items[0].amount"),
        ({"corrected_line_items": [{"quantity": "two"}]}, "corrected_line_items[0].quantity"),
        ({"corrected_line_items": [{"tax_rate": "119"}]}, "corrected_line_items[0].tax_rate"),
        ({"corrected_line_items": [{"line": 2, "amount": "1.00"}]}, "corrected_line_items[0].line"),
        ({"corrected_line_items": [READ_LINE, READ_LINE]}, "corrected_line_items[1].line"),
        ({"corrected_line_items": [{}]}, "corrected_line_items[0]"),
    ],
)
def test_bad_corrections_are_422_naming_the_value(
    cloud: Cloud, body: dict[str, Any], named: str
) -> None:
    job = make_job(cloud)
    response = post(RESCORE, job.job_id, body)
    assert response["statusCode"] == 422, response["json"]
    assert response["json"]["error"]["code"] == "INVALID_CORRECTION"
    assert response["json"]["error"]["message"].startswith(named)


def test_rescore_needs_a_job_in_review(cloud: Cloud) -> None:
    assert post(RESCORE, "nope", {})["statusCode"] == 404
    done = make_job(cloud, status="APPROVED")
    assert post(RESCORE, done.job_id, {})["statusCode"] == 409


# -- decisions -------------------------------------------------------------------------


def test_corrected_line_items_are_saved_and_audited(cloud: Cloud) -> None:
    job = make_job(cloud)
    lines = [
        {**READ_LINE, "amount": "60.00", "unit_price": "60.00", "tax_rate": "10"},
        {"description": "Hosting", "quantity": "1", "unit_price": "25.00", "amount": "25"},
    ]
    # When the reviewer approves with two lines that add up
    response = post(
        DECISION,
        job.job_id,
        {"decision": "APPROVE", "corrected_line_items": lines},
    )
    # Then it is approved without an override, the lines saved before -> after
    assert response["statusCode"] == 200, response["json"]
    saved = response["json"]["line_corrections"]
    assert saved["before"] == [
        {
            "line": 1,
            "description": "Web Design This is a sample description...",
            "quantity": "1.00",
            "unit_price": "85.00",
            "amount": "85.00",
        }
    ]
    assert [line.get("line") for line in saved["after"]] == [1, None]
    assert [line["amount"] for line in saved["after"]] == ["60.00", "25.00"]
    assert saved["after"][0]["tax_rate"] == "10"
    corrected = next(r for r in cloud.audit(job.job_id) if r["event"] == "corrected")
    assert corrected["details"]["fields"] == ["line_items"]
    # (by the caller, as the token names them: http_event's default, an admin of acme)
    assert corrected["actor"] == "admin@acme.test"
    assert corrected["before"]["line_items"] == saved["before"]
    assert corrected["after"]["line_items"] == saved["after"]
    assert cloud.job(job.job_id)["line_corrections"]["after"] == saved["after"]


def test_a_correction_that_breaks_the_totals_needs_an_override(cloud: Cloud) -> None:
    job = make_job(cloud)
    body: dict[str, Any] = {
        "decision": "APPROVE",
        "corrected_fields": {"tax_amount": "9.50"},
    }
    # When approved without a reason, Then 409 OVERRIDE_REQUIRED naming the check
    refused = post(DECISION, job.job_id, body)
    assert refused["statusCode"] == 409
    assert refused["json"]["error"]["code"] == "OVERRIDE_REQUIRED"
    assert "totals_add_up" in refused["json"]["error"]["message"]
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"
    # When approved with a reason, Then it is approved and the audit keeps the evidence
    done = post(DECISION, job.job_id, {**body, "override_reason": "Tax rounded by vendor"})
    assert done["statusCode"] == 200, done["json"]
    approved = next(r for r in cloud.audit(job.job_id) if r["event"] == "approved")
    override = approved["details"]["override"]
    assert override["reason"] == "Tax rounded by vendor"
    assert [c["check"] for c in override["checks"]] == ["totals_add_up"]
    assert override["checks"][0]["evidence"]["fields"]["tax_amount"] == "9.50"


def test_missing_required_fields_block_an_approval(cloud: Cloud) -> None:
    # Given a job whose document had none of the required fields
    job = make_job(cloud, fixture="expense/receipt-no-summary.json")
    result = cloud.get_json(str(job.result_key))
    if result["checks"]["required_fields"]["status"] != "fail":
        pytest.fail("the fixture was expected to miss a required field")
    refused = post(DECISION, job.job_id, {"decision": "APPROVE"})
    assert refused["statusCode"] == 409
    assert "required_fields" in refused["json"]["error"]["message"]
    # A rejection needs no override
    rejected = post(DECISION, job.job_id, {"decision": "REJECT"})
    assert rejected["statusCode"] == 200


# -- the queue -------------------------------------------------------------------------


def _queued(cloud: Cloud, created: str, reasons: list[str], **summary: str) -> str:
    job = make_job(
        cloud,
        fixture=None,
        created_at=created,
        summary=summary,
        routing_reasons=[{"code": code, "message": code} for code in reasons],
    )
    return job.job_id


@pytest.fixture
def three(cloud: Cloud) -> dict[str, str]:
    return {
        "acme": _queued(
            cloud,
            "2026-11-01T09:00:00.000Z",
            ["TOTALS_MISMATCH"],
            vendor_name="ACME Ltd",
            invoice_number="A-1",
            total_amount="1500.00",
            currency="EUR",
            due_date="2026-12-15",
        ),
        "globex": _queued(
            cloud,
            "2026-11-02T09:00:00.000Z",
            ["LOW_CONFIDENCE"],
            vendor_name="Globex",
            invoice_number="G-7",
            total_amount="99.90",
            currency="USD",
            due_date="2026-12-01",
        ),
        "unread": _queued(cloud, "2026-11-03T09:00:00.000Z", ["MISSING_FIELD"]),
    }


def _ids(response: dict[str, Any]) -> list[str]:
    assert response["statusCode"] == 200, response["json"]
    return [item["job_id"] for item in response["json"]["items"]]


def test_queue_sorts_on_the_server(three: dict[str, str]) -> None:
    acme, globex, unread = three["acme"], three["globex"], three["unread"]
    assert _ids(queue()) == [unread, globex, acme]
    assert _ids(queue(sort="created_at")) == [acme, globex, unread]
    # Jobs without the value come last either way
    assert _ids(queue(sort="due_date")) == [globex, acme, unread]
    assert _ids(queue(sort="-due_date")) == [acme, globex, unread]
    assert _ids(queue(sort="total_amount")) == [globex, acme, unread]
    assert _ids(queue(sort="-vendor_name")) == [globex, acme, unread]
    item = queue(sort="due_date")["json"]["items"][0]
    assert item["summary"] == {
        "vendor_name": "Globex",
        "invoice_number": "G-7",
        "document_date": None,
        "due_date": "2026-12-01",
        "total_amount": "99.90",
        "currency": "USD",
    }


def test_queue_filters_and_searches_on_the_server(three: dict[str, str]) -> None:
    acme, globex = three["acme"], three["globex"]
    assert _ids(queue(vendor="acme ltd")) == [acme]
    assert _ids(queue(reason="LOW_CONFIDENCE")) == [globex]
    assert _ids(queue(min_total="100", max_total="2000")) == [acme]
    assert _ids(queue(max_total="99.90")) == [globex]
    assert _ids(queue(due_before="2026-12-15")) == [globex]
    assert _ids(queue(q="g-7")) == [globex]
    assert _ids(queue(vendor="Initech")) == []


def test_queue_pages_keep_the_order(three: dict[str, str]) -> None:
    first = queue(sort="due_date", limit="2")
    assert _ids(first) == [three["globex"], three["acme"]]
    second = queue(sort="due_date", limit="2", cursor=first["json"]["next_cursor"])
    assert _ids(second) == [three["unread"]]
    assert second["json"]["next_cursor"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "colour"},
        {"min_total": "1,5"},
        {"due_before": "15.12.2026"},
        {"reason": "low confidence"},
        {"cursor": "eyJrIjoidiJ9"},
    ],
)
def test_queue_refuses_bad_parameters(cloud: Cloud, query: dict[str, str]) -> None:
    response = queue(**query)
    assert response["statusCode"] in {400, 422}, response["json"]
