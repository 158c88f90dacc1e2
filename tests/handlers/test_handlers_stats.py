"""GET /stats through the handlers (ADR 0035): the figures follow the final statuses the
pipeline and the reviewers write, a final status counts once however often its step runs,
and a tenant sees only its own figures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from docuflow.dal.models import utc_now
from services.api.handlers.review import lambda_handler as review
from services.api.handlers.stats import lambda_handler as stats_api
from services.workflow.handlers import mark_failed, read_einvoice
from tests.einvoice_samples import invoice_data, make_xml
from tests.handlers.cloud import (
    ADMIN,
    OTHER_TENANT,
    REVIEWER,
    Caller,
    Cloud,
    LambdaContext,
    call,
    http_event,
    make_job,
)
from tests.handlers.openapi_check import assert_matches_openapi

IBAN = "DE89370400440532013000"
OTHER_IBAN = "GB82WEST12345698765432"
TOTAL = "1469.55"  # BT-112 of the sample e-invoice, in EUR


def read(cloud: Cloud, *, tenant: str = "acme", iban: str = IBAN, number: str) -> Any:
    """The sample vendor's e-invoice through the e-invoice step: the job and its outcome."""
    job = make_job(cloud, status="PROCESSING", fixture=None, tenant_id=tenant)
    cloud.put_object(job.s3_key, make_xml("cii", invoice_data(BT_84=iban, BT_1=number)))
    state = {"job_id": job.job_id, "bucket": "-", "key": job.s3_key, "attempt": 1}
    return job, state, read_einvoice.lambda_handler(state, LambdaContext())


def get_stats(caller: Caller = REVIEWER, query: dict[str, str] | None = None) -> dict[str, Any]:
    response = call(stats_api, http_event("GET", "/stats", query=query, caller=caller))
    assert_matches_openapi("/stats", "get", response)
    assert response["statusCode"] == 200, response
    return response["json"]  # type: ignore[no-any-return]


def decide(cloud: Cloud, job_id: str, decision: str, corrected: dict[str, str]) -> None:
    body = {
        "decision": decision,
        "expected_version": int(cloud.job(job_id)["version"]),
        "corrected_fields": corrected,
        **({"reason": "Not ours"} if decision == "REJECT" else {}),
    }
    route = "/review/jobs/{job_id}/decision"
    response = call(review, http_event("POST", route, path_params={"job_id": job_id}, body=body))
    assert response["statusCode"] == 200, response


def fail(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    state = {
        "job_id": job.job_id,
        "bucket": cloud.bucket,
        "key": job.s3_key,
        "attempt": 1,
        "error": {"Error": "UnsupportedDocument", "Cause": "{}"},
    }
    mark_failed.lambda_handler(state, LambdaContext())


def test_the_figures_follow_the_final_statuses(cloud: Cloud) -> None:
    # Given a tenant's invoices: one completed automatically, one approved with a corrected
    # number, one rejected, one still waiting for a person, one failed
    read(cloud, number="A-1")
    approved, _, routed = read(cloud, iban=OTHER_IBAN, number="A-2")
    assert routed["status"] == "NEEDS_REVIEW" and routed["reasons"] == ["BANK_DETAILS_CHANGED"]
    decide(cloud, approved.job_id, "APPROVE", {"invoice_number": "A-2b"})
    rejected, _, _ = read(cloud, iban="FR1420041010050500013M02606", number="A-3")
    decide(cloud, rejected.job_id, "REJECT", {})
    read(cloud, iban="NL91ABNA0417164300", number="A-4")
    fail(cloud)
    # When an admin asks for the figures of the last 30 days (the default)
    figures = get_stats(ADMIN)
    # Then they count each job once, in its current outcome
    assert figures["received"] == 5
    assert figures["outcomes"] == {
        "completed": 1,
        "approved": 1,
        "rejected": 1,
        "failed": 1,
        "in_review": 1,
    }
    assert figures["straight_through_rate"] == 0.25
    # the reviewed ones and the waiting one went to review for the new account
    assert figures["review_reasons"] == [{"code": "BANK_DETAILS_CHANGED", "count": 3}]
    assert figures["corrections"] == [{"field": "invoice_number", "count": 1}]
    assert figures["backlog"]["total"] == 1
    assert figures["backlog"]["by_age"]["under_1_day"] == 1
    # e-invoices are read without OCR: counted, and free
    assert figures["ocr"] == [
        {
            "mode": "einvoice",
            "invoices": 3,
            "pages": 0,
            "price_per_page": "0",
            "estimated_cost": "0.0000",
            "cost_per_invoice": "0.0000",
        }
    ]
    # the completed and the approved invoice's totals, not the rejected one's
    assert figures["approved_money"] == [{"currency": "EUR", "amount": "2939.10"}]
    assert figures["timings"]["processing"]["count"] == 3
    assert figures["timings"]["waiting_for_person"]["count"] == 2
    assert figures["timings"]["waiting_for_person"]["median_seconds"] == 5


def test_a_final_status_counts_once_however_often_its_step_runs(cloud: Cloud) -> None:
    # Given an invoice completed and counted
    job, state, outcome = read(cloud, number="B-1")
    assert outcome["status"] == "COMPLETED"
    before = get_stats()
    assert before["outcomes"]["completed"] == 1 and before["received"] == 1
    # When the step is retried after its event was owed again (it failed after counting,
    # before the bus took the event), twice
    version = int(cloud.job(job.job_id)["version"])
    for _ in range(2):
        cloud.table(cloud.jobs_table).update_item(
            Key={"job_id": job.job_id},
            UpdateExpression="SET pending_event_version = :v",
            ExpressionAttributeValues={":v": version},
        )
        read_einvoice.lambda_handler(state, LambdaContext())
        # the event was owed and is announced again
        assert "pending_event_version" not in cloud.job(job.job_id)
    # Then the figures are unchanged
    assert get_stats() == before


def test_a_tenant_sees_only_its_own_figures(cloud: Cloud) -> None:
    # Given an invoice completed in acme and one waiting for review in globex
    read(cloud, number="C-1")
    read(cloud, tenant="globex", number="C-2")
    read(cloud, tenant="globex", iban=OTHER_IBAN, number="C-3")
    # When each tenant asks
    acme, globex = get_stats(), get_stats(OTHER_TENANT)
    # Then each sees its own
    assert (acme["received"], acme["outcomes"]["completed"], acme["backlog"]["total"]) == (1, 1, 0)
    assert (globex["received"], globex["outcomes"]["in_review"], globex["backlog"]["total"]) == (
        2,
        1,
        1,
    )


def test_the_range_selects_by_creation_day(cloud: Cloud) -> None:
    # Given an invoice completed today
    read(cloud, number="D-1")
    today = date.fromisoformat(utc_now()[:10])
    # When the range ends before today, or covers it
    before = {"from": str(today - timedelta(days=30)), "to": str(today)}
    assert get_stats(query=before)["received"] == 0
    assert get_stats(query={"from": str(today)})["received"] == 1


def test_a_bad_range_is_a_400_naming_it(cloud: Cloud) -> None:
    for query, named in (
        ({"from": "2026-02-30"}, "from"),
        ({"from": "2026-03-01", "to": "2026-03-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "366 days"),
        ({"to": "yesterday"}, "to"),
    ):
        response = call(stats_api, http_event("GET", "/stats", query=query))
        assert response["statusCode"] == 400, (query, response)
        assert named in response["json"]["error"]["message"], (query, response)
