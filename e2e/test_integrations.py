"""After the decision: signed webhooks, the CSV export and UBL out, over HTTP as an ERP
would consume them (issue 14's "done when"; docs/integrations.md)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from lxml import etree
from standardwebhooks.webhooks import Webhook

from e2e.client import Api, Control
from e2e.documents import fixture
from tests.support import WebhookReceiver, wait_for, webhook_receiver

PROCESSING_TIMEOUT = 180
DELIVERY_TIMEOUT = 120
# The local cloud sweeps owed events every minute (envs/local.tfvars), markers older than 5 s.
SWEEP_TIMEOUT = 150


@pytest.fixture(scope="module")
def admin(sign_in: Callable[[str], Api]) -> Api:
    return sign_in("admin@acme.test")


@pytest.fixture
def registered(admin: Api) -> Iterator[Callable[[str], dict[str, Any]]]:
    """Registers endpoints for invoice.approved; deletes them afterwards."""
    created: list[str] = []

    def register(url: str) -> dict[str, Any]:
        response = admin.post("/webhooks", {"url": url, "events": ["invoice.approved"]})
        assert response.status_code == 201, response.text
        created.append(response.json()["webhook_id"])
        return dict(response.json())

    yield register
    for webhook_id in created:
        admin.session.delete(admin.url(f"/webhooks/{webhook_id}"), timeout=30)


def for_job(receiver: WebhookReceiver, job_id: str) -> list[Any]:
    return [r for r in receiver.received if json.loads(r.body)["data"]["job_id"] == job_id]


def approved_invoice(api: Api, reviewer: Api) -> str:
    """The sample invoice, corrected (total 95.00, a hostile PO number) and approved."""
    document = fixture("sample-invoice.pdf", "application/pdf")
    job_id = api.upload(document.data, document.filename, document.content_type)
    assert api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
    decision = reviewer.decide(
        job_id,
        {
            "decision": "APPROVE",
            "corrected_fields": {"currency": "USD", "purchase_order": "=HYPERLINK(1)"},
            # The same sample may have been approved before in this run (a duplicate).
            "override_reason": "e2e: the sample invoice is approved on purpose",
        },
    )
    assert decision.status_code == 200, decision.text
    return job_id


def test_an_approval_is_delivered_signed_retried_exported_and_has_ubl(
    api: Api, reviewer: Api, admin: Api, registered: Callable[[str], dict[str, Any]]
) -> None:
    with webhook_receiver() as steady, webhook_receiver(answers=[500, 502, 503]) as flaky:
        steady_hook = registered(steady.url)
        flaky_hook = registered(flaky.url)
        # When an invoice is approved
        job_id = approved_invoice(api, reviewer)
        # Then the steady receiver gets one signed delivery that verifies
        [delivered] = wait_for(
            lambda: for_job(steady, job_id), timeout=DELIVERY_TIMEOUT, what="the webhook"
        )
        payload = Webhook(steady_hook["secret"]).verify(delivered.body, delivered.headers)
        assert payload["type"] == "invoice.approved"
        assert payload["data"]["invoice"]["fields"]["currency"] == "USD"
        # and the one that fails three times gets it on the fourth attempt
        wait_for(
            lambda: len(for_job(flaky, job_id)) >= 4, timeout=DELIVERY_TIMEOUT, what="4 attempts"
        )
        log = admin.get(f"/webhooks/{flaky_hook['webhook_id']}/deliveries").json()["items"]
        [entry] = [item for item in log if item["event_id"].startswith(job_id)]
        assert entry["status"] == "delivered" and entry["attempts"] == 4, entry
        last = for_job(flaky, job_id)[-1]
        Webhook(flaky_hook["secret"]).verify(last.body, last.headers)
    assert len(for_job(steady, job_id)) == 1
    assert len(for_job(flaky, job_id)) == 4

    # The CSV export of the day holds the invoice, corrected, with no formula cells
    today = datetime.now(UTC).date()
    response = admin.get(
        "/exports",
        params={
            "format": "csv",
            "status": "APPROVED",
            "from": today.isoformat(),
            "to": (today + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    [row] = [r for r in rows if r["job_id"] == job_id]
    assert row["currency"] == "USD" and row["status"] == "APPROVED"
    assert row["purchase_order"] == "'=HYPERLINK(1)"
    assert not any(cell.startswith("=") for r in rows for cell in r.values() if cell)

    # The same export as a file behind a short-lived link (for ranges too large to page)
    linked = admin.get(
        "/exports/file",
        params={
            "status": "APPROVED",
            "from": today.isoformat(),
            "to": (today + timedelta(days=1)).isoformat(),
        },
    )
    assert linked.status_code == 200, linked.text
    file = requests.get(linked.json()["url"], timeout=30)
    assert file.status_code == 200, file.text
    assert "attachment" in file.headers["content-disposition"]
    in_file = list(csv.DictReader(io.StringIO(file.content.decode("utf-8"))))
    assert [r["purchase_order"] for r in in_file if r["job_id"] == job_id] == ["'=HYPERLINK(1)"]
    assert len(in_file) == linked.json()["invoices"] >= len(rows)

    # UBL out: a UBL 2.1 Invoice the schema accepts
    ubl = admin.get(f"/jobs/{job_id}/ubl")
    assert ubl.status_code == 200, ubl.text
    assert ubl.headers["content-type"].startswith("application/xml")
    from tests.ubl_schema import ubl_schema

    document = etree.fromstring(ubl.content)
    schema = ubl_schema(document)
    assert schema.validate(document), schema.error_log


def test_an_approval_whose_event_the_bus_refused_is_delivered_once_by_the_sweep(
    api: Api,
    reviewer: Api,
    admin: Api,
    control: Control,
    registered: Callable[[str], dict[str, Any]],
) -> None:
    with webhook_receiver() as receiver:
        hook = registered(receiver.url)
        document = fixture("sample-invoice.pdf", "application/pdf")
        job_id = api.upload(document.data, document.filename, document.content_type)
        assert api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
        # Given a bus that refuses the next put of this job's event
        control.event_faults(fail_next_puts=1, detail_contains=job_id)
        try:
            # When a reviewer approves it: the decision stands, its event does not go out
            decision = reviewer.decide(
                job_id,
                {
                    "decision": "APPROVE",
                    "override_reason": "e2e: the sample invoice is approved on purpose",
                },
            )
            assert decision.status_code == 200, decision.text
            version = decision.json()["version"]
            # (the fault was used up: the approval's put, the only one carrying the job's
            # id, was refused)
            assert control.event_fault_status()["fail_next_puts"] == 0
        finally:
            control.clear_event_faults()
        # Then the scheduled sweep puts it, and the receiver gets it once, signed
        [delivered] = wait_for(
            lambda: for_job(receiver, job_id), timeout=SWEEP_TIMEOUT, what="the swept event"
        )
        payload = Webhook(hook["secret"]).verify(delivered.body, delivered.headers)
        assert payload["data"]["id"] == f"{job_id}.approved.v{version}"
        log = admin.get(f"/webhooks/{hook['webhook_id']}/deliveries").json()["items"]
        assert [item["attempts"] for item in log if item["event_id"].startswith(job_id)] == [1]
    assert len(for_job(receiver, job_id)) == 1
