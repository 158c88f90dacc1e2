"""The event contract: the committed JSON Schema is the model's, and every kind of event
the builder makes validates against the committed file."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from docuflow.dal.models import FieldCorrection, JobItem
from docuflow.domain.status import JobStatus
from docuflow.events import SCHEMA_PATH, build_event, event_id
from docuflow.events.model import schema_text
from docuflow.extraction import analyze
from tests.handlers.cloud import load_fixture


def committed_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(event: dict[str, Any]) -> None:
    schema = committed_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(event)


def job(status: JobStatus, **extra: Any) -> JobItem:
    return JobItem(
        job_id="job-1",
        status=status,
        tenant_id="acme",
        uploaded_by="user-1",
        created_at="2026-11-29T10:00:00.000Z",
        updated_at="2026-11-29T10:05:00.000Z",
        status_changed_at="2026-11-29T10:05:00.000Z",
        version=7,
        filename="invoice.pdf",
        content_type="application/pdf",
        s3_key="raw/acme/job-1/invoice.pdf",
        result_key="results/job-1.json",
        read_from="textract",
        **extra,
    )


def test_the_committed_schema_is_the_models() -> None:
    # `uv run docuflow event-schema` rewrites it when the model changes
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("status", ["COMPLETED", "APPROVED", "REJECTED", "FAILED"])
def test_every_final_status_makes_an_event_the_schema_accepts(status: str) -> None:
    result = analyze([load_fixture("analyze_document/sample-invoice.json")])
    final = JobStatus(status)
    extra: dict[str, Any] = {}
    if final in (JobStatus.APPROVED, JobStatus.REJECTED):
        extra = {
            "decision": "APPROVE" if final is JobStatus.APPROVED else "REJECT",
            "reviewer": "reviewer@acme.test",
            "decided_at": "2026-11-29T10:05:00.000Z",
            "corrections": {"total_amount": FieldCorrection(before="93.50", after="95.00")},
        }
    if final is JobStatus.FAILED:
        extra = {"failure_reason": "Text recognition could not read this document."}
    event = build_event(
        job(final, **extra), 7, None if final is JobStatus.FAILED else result
    ).model_dump(mode="json")
    validate(event)
    assert event["id"] == event_id("job-1", final, 7) == f"job-1.{status.lower()}.v7"
    assert event["type"] == f"invoice.{status.lower()}"
    if final is JobStatus.APPROVED:
        # The corrected value, not the value read
        assert event["invoice"]["fields"]["total_amount"] == "95.00"
        assert event["decision"]["corrections"]["total_amount"] == {
            "before": "93.50",
            "after": "95.00",
        }
        assert event["links"]["ubl"] == "/jobs/job-1/ubl"
    if final is JobStatus.FAILED:
        assert event["invoice"] is None and event["failure_reason"]


def test_the_schema_refuses_an_event_that_breaks_the_contract() -> None:
    event = build_event(job(JobStatus.FAILED), 3, None).model_dump(mode="json")
    validate(event)
    for broken in (
        {**event, "type": "invoice.paid"},
        {k: v for k, v in event.items() if k != "id"},
        {**event, "version": 0},
        {**event, "surprise": True},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


def test_a_status_that_is_not_final_has_no_event() -> None:
    with pytest.raises(ValueError, match="NEEDS_REVIEW"):
        build_event(job(JobStatus.NEEDS_REVIEW), 3, None)
