"""One event per final status on the bus, whatever is retried (ADR 0027).

Each test reads the bus through a rule that copies every docuflow event to a queue
(`Cloud.bus_events`), and validates each event against the committed JSON Schema.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from docuflow.domain.errors import EventNotPut
from docuflow.events import SCHEMA_PATH
from services.api.handlers.review import lambda_handler as review
from services.workflow.handlers import mark_failed, parse_and_score
from tests.handlers.cloud import (
    REVIEWER,
    Cloud,
    LambdaContext,
    call,
    http_event,
    make_job,
)
from tests.handlers.test_handlers_workflow import parse_job, state_of

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def details(cloud: Cloud) -> list[dict[str, Any]]:
    """The bus's events since the last call: each checked against the schema and its
    envelope, then its detail."""
    found = []
    for envelope in cloud.bus_events():
        assert envelope["source"] == "docuflow"
        detail = envelope["detail"]
        VALIDATOR.validate(detail)
        assert envelope["detail-type"] == "Invoice " + detail["status"].title()
        found.append(detail)
    return found


def decide(job_id: str, body: dict[str, Any]) -> dict[str, Any]:
    event = http_event(
        "POST",
        "/review/jobs/{job_id}/decision",
        path_params={"job_id": job_id},
        body=body,
        caller=REVIEWER,
    )
    return call(review, event)


def test_an_approval_puts_one_event_with_the_corrected_invoice(cloud: Cloud) -> None:
    # Given a job in review
    job = make_job(cloud)
    # When a reviewer approves it with a corrected total
    response = decide(
        job.job_id,
        {
            "decision": "APPROVE",
            "corrected_fields": {"total_amount": "95.00"},
            # 95.00 no longer adds up with the subtotal and tax: a blocking check
            "override_reason": "Credit agreed with the vendor",
        },
    )
    assert response["statusCode"] == 200
    # Then exactly one event is on the bus, with the corrected value and the decision
    [event] = details(cloud)
    assert event["type"] == "invoice.approved" and event["job_id"] == job.job_id
    assert event["tenant_id"] == "acme"
    assert event["version"] == response["json"]["version"]
    assert event["id"] == f"{job.job_id}.approved.v{event['version']}"
    assert event["invoice"]["fields"]["total_amount"] == "95.00"
    assert event["decision"]["reviewer"] == "reviewer@acme.test"
    assert event["decision"]["corrections"]["total_amount"]["after"] == "95.00"
    # and the job owes no event any more
    assert "pending_event_version" not in cloud.job(job.job_id)


def test_a_rejection_puts_one_rejected_event(cloud: Cloud) -> None:
    job = make_job(cloud)
    assert decide(job.job_id, {"decision": "REJECT", "reason": "not ours"})["statusCode"] == 200
    [event] = details(cloud)
    assert event["type"] == "invoice.rejected" and event["decision"]["reason"] == "not ours"


def test_a_decision_the_bus_refuses_is_written_and_its_event_stays_owed(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a bus that does not exist (PutEvents fails)
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    job = make_job(cloud)
    # When the reviewer approves, the decision stands (200), nothing is on the bus
    response = decide(job.job_id, {"decision": "APPROVE"})
    assert response["statusCode"] == 200
    assert details(cloud) == []
    # and the job still says which write's event it owes
    stored = cloud.job(job.job_id)
    assert stored["status"] == "APPROVED"
    assert int(stored["pending_event_version"]) == response["json"]["version"]


def test_parse_and_score_retried_puts_the_completed_event_once(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an invoice that completes
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    _, state = parse_job(cloud, "expense/invoice-2-page.json")
    # When the step runs, and Step Functions runs it again
    first = parse_and_score.lambda_handler(state, LambdaContext())
    parse_and_score.lambda_handler(state, LambdaContext())
    # Then one COMPLETED event, carrying the result
    assert first["status"] == "COMPLETED"
    [event] = details(cloud)
    assert event["type"] == "invoice.completed"
    assert event["invoice"]["fields"]["invoice_number"] == "00000135"
    assert event["decision"] is None


def test_a_step_that_failed_to_put_its_event_puts_it_on_the_retry(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.workflow import config, dependencies

    # Given a first run that routes the job COMPLETED but cannot reach the bus
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    job, state = parse_job(cloud, "expense/invoice-2-page.json")
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    with pytest.raises(EventNotPut):
        parse_and_score.lambda_handler(state, LambdaContext())
    assert cloud.job(job.job_id)["status"] == "COMPLETED"
    assert details(cloud) == []
    # When the step is retried with the bus back
    monkeypatch.setenv("EVENT_BUS_NAME", cloud.bus_name)
    config.get_parse_settings.cache_clear()
    dependencies.routing_announcer.reset()
    parse_and_score.lambda_handler(state, LambdaContext())
    parse_and_score.lambda_handler(state, LambdaContext())
    # Then the event is put, once
    [event] = details(cloud)
    assert event["status"] == "COMPLETED" and event["job_id"] == job.job_id


def test_routing_to_review_puts_no_event(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "99.9")
    _, state = parse_job(cloud, "expense/invoice-2-page.json")
    assert parse_and_score.lambda_handler(state, LambdaContext())["status"] == "NEEDS_REVIEW"
    assert details(cloud) == []


def test_mark_failed_retried_puts_the_failed_event_once(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    state = state_of(job, error={"Error": "OcrFailed", "Cause": "bad scan"})
    mark_failed.lambda_handler(state, LambdaContext())
    mark_failed.lambda_handler(state, LambdaContext())
    [event] = details(cloud)
    assert event["type"] == "invoice.failed" and event["invoice"] is None
    assert event["failure_reason"] == cloud.job(job.job_id)["failure_reason"]
