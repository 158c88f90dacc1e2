"""GET /stats against the deployed stack (issue 18, ADR 0035): after a few invoices are
uploaded, processed and decided, the figures equal those computed here from the API's own
job list (`GET /jobs`), for today's jobs of the tenant.

Other tests add jobs to the same tenant meanwhile, so the comparison is made on a quiet
snapshot: /stats read before and after the job list, the same both times (jobs still on
their way, CREATED, UPLOADED or PROCESSING, are in neither)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from docuflow.extraction.normalize import minor_units
from e2e.client import Api
from e2e.targets import Target
from e2e.test_vendors import new_iban, new_vendor, upload_invoice
from services.common.stats import bucket_of, percentile
from tests.support import wait_for

PROCESSING_TIMEOUT = 180
SETTLE_TIMEOUT = 240
COUNTED = ("COMPLETED", "APPROVED", "REJECTED", "FAILED", "NEEDS_REVIEW")


def jobs_of_day(api: Api, day: str) -> list[dict[str, Any]]:
    """Every job of the caller's tenant created on `day` that is in review or has an
    outcome, one status at a time (the list is newest first; the suite leaves thousands of
    CREATED jobs that no figure counts, which a status filter skips on the server)."""
    jobs: list[dict[str, Any]] = []
    for status in COUNTED:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"status": status, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = api.get("/jobs", params=params)
            assert page.status_code == 200, page.text
            body = page.json()
            jobs.extend(job for job in body["items"] if job["created_at"][:10] == day)
            cursor = body["next_cursor"]
            if not cursor or any(job["created_at"][:10] < day for job in body["items"]):
                break
    return jobs


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def _durations(values: list[float]) -> dict[str, Any]:
    buckets = Counter(bucket_of(v) for v in values)
    return {
        "count": len(values),
        "median_seconds": percentile(buckets, 0.5),
        "p90_seconds": percentile(buckets, 0.9),
    }


def expected_figures(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures /stats should give for `jobs`, computed from the job list alone."""
    by_status = Counter(job["status"] for job in jobs)
    decided = [j for j in jobs if j["status"] in ("APPROVED", "REJECTED")]
    routed = [j for j in jobs if j["status"] in ("COMPLETED", "APPROVED", "REJECTED")]
    reasons: Counter[str] = Counter()
    for job in [*decided, *(j for j in jobs if j["status"] == "NEEDS_REVIEW")]:
        reasons.update({reason["code"] for reason in job["review_reasons"]})
    corrections: Counter[str] = Counter()
    for job in decided:
        corrections.update(job["corrections"].keys())
        if job["line_corrections"] is not None:
            corrections["line_items"] += 1
    money: Counter[str] = Counter()
    for job in (j for j in jobs if j["status"] in ("COMPLETED", "APPROVED")):
        values = {k: v for k, v in job["summary"].items() if v is not None}
        values.update({name: c["after"] for name, c in job["corrections"].items()})
        currency, total = values.get("currency"), values.get("total_amount")
        if currency and total and minor_units(currency) is not None:
            money[currency] += int(Decimal(total).scaleb(minor_units(currency) or 0))
    outcomes = {
        "completed": by_status["COMPLETED"],
        "approved": by_status["APPROVED"],
        "rejected": by_status["REJECTED"],
        "failed": by_status["FAILED"],
        "in_review": by_status["NEEDS_REVIEW"],
    }
    people = sum(outcomes.values()) - outcomes["failed"]
    return {
        "received": sum(outcomes.values()),
        "outcomes": outcomes,
        "straight_through_rate": round(outcomes["completed"] / people, 4) if people else None,
        "processing": _durations(
            [s for j in routed if (s := _seconds(j["created_at"], j["processed_at"])) is not None]
        ),
        "waiting_count": sum(1 for j in decided if j["processed_at"]),
        "review_reasons": dict(reasons),
        "corrections": dict(corrections),
        "approved_money": {
            c: str(Decimal(m).scaleb(-(minor_units(c) or 0))) for c, m in money.items()
        },
        "einvoices": sum(1 for j in routed if j["read_from"] == "einvoice"),
        "ocr_invoices": sum(1 for j in routed if j["read_from"] is not None),
    }


def reported_figures(stats: dict[str, Any]) -> dict[str, Any]:
    """The same figures, as /stats gives them."""
    return {
        "received": stats["received"],
        "outcomes": stats["outcomes"],
        "straight_through_rate": stats["straight_through_rate"],
        "processing": stats["timings"]["processing"],
        "waiting_count": stats["timings"]["waiting_for_person"]["count"],
        "review_reasons": {r["code"]: r["count"] for r in stats["review_reasons"]},
        "corrections": {c["field"]: c["count"] for c in stats["corrections"]},
        "approved_money": {m["currency"]: m["amount"] for m in stats["approved_money"]},
        "einvoices": sum(o["invoices"] for o in stats["ocr"] if o["mode"] == "einvoice"),
        "ocr_invoices": sum(o["invoices"] for o in stats["ocr"]),
    }


@pytest.mark.timeout(PROCESSING_TIMEOUT * 2 + SETTLE_TIMEOUT + 60)
def test_the_stats_match_the_job_list(api: Api, reviewer: Api, target: Target) -> None:
    # Given a vendor's invoices: one completed, one approved with a correction, one
    # rejected, one left in review (each new account sends it to review)
    tax_id, vendor = new_vendor()
    first = upload_invoice(api, target, vendor=vendor, tax_id=tax_id, iban=new_iban())
    assert api.wait_status(first, timeout=PROCESSING_TIMEOUT)["status"] == "COMPLETED"
    uploaded = [
        upload_invoice(api, target, vendor=vendor, tax_id=tax_id, iban=new_iban()) for _ in range(3)
    ]
    waiting = [api.wait_status(job_id, timeout=PROCESSING_TIMEOUT) for job_id in uploaded]
    assert all(job["status"] == "NEEDS_REVIEW" for job in waiting), waiting
    approve = {
        "decision": "APPROVE",
        "expected_version": waiting[0]["version"],
        "corrected_fields": {"invoice_number": f"FIX-{uuid.uuid4().hex[:6]}"},
    }
    assert reviewer.decide(waiting[0]["job_id"], approve).status_code == 200
    reject = {"decision": "REJECT", "expected_version": waiting[1]["version"], "reason": "Dup"}
    assert reviewer.decide(waiting[1]["job_id"], reject).status_code == 200
    today = datetime.now(UTC).date().isoformat()

    # When the figures of today are read on a quiet snapshot
    last: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def matching() -> bool:
        before = reviewer.get("/stats", params={"from": today})
        assert before.status_code == 200, before.text
        jobs = jobs_of_day(api, today)
        after = reviewer.get("/stats", params={"from": today})
        if before.json() != after.json():
            return False
        last.append((reported_figures(after.json()), expected_figures(jobs)))
        # A job's final status is written a moment before it is counted: wait out that gap
        # (and other tests' jobs reaching theirs).
        return last[-1][0] == last[-1][1]

    try:
        wait_for(matching, SETTLE_TIMEOUT, "/stats to match the job list", interval=2)
    except AssertionError:
        assert last, "/stats never held still while the job list was read"
        assert last[-1][0] == last[-1][1]  # shows the difference
        raise
    reported = last[-1][0]
    # Then they are the same, and they include this test's invoices
    assert reported["outcomes"]["approved"] >= 1 and reported["outcomes"]["rejected"] >= 1
    assert reported["outcomes"]["in_review"] >= 1 and reported["corrections"]["invoice_number"] >= 1
    assert reported["review_reasons"]["BANK_DETAILS_CHANGED"] >= 3
