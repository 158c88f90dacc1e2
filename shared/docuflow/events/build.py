"""A job at a final status and its result -> the event (pure: no AWS)."""

from __future__ import annotations

from docuflow.dal.models import JobItem
from docuflow.domain.status import JobStatus
from docuflow.events.model import (
    EVENT_TYPES,
    SCHEMA_VERSION,
    Check,
    Correction,
    Decision,
    Invoice,
    InvoiceEvent,
    LineItem,
    Links,
    Reason,
)
from docuflow.extraction.result import ExtractionResult


def event_id(job_id: str, status: JobStatus, version: int) -> str:
    """The idempotency key of one transition: the same for every retry that announces it."""
    return f"{job_id}.{status.value.lower()}.v{version}"


def corrected_fields(job: JobItem, result: ExtractionResult) -> dict[str, str]:
    """The result's normalized values with the reviewer's corrections applied."""
    values = {name: field.value for name, field in result.fields.items()}
    values.update({name: correction.after for name, correction in job.corrections.items()})
    return values


def _invoice(job: JobItem, result: ExtractionResult) -> Invoice:
    return Invoice(
        document_type=result.document_type.value,
        fields=dict(sorted(corrected_fields(job, result).items())),
        line_items=[
            LineItem(
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                unit_code=line.unit_code,
                tax_category=line.tax_category,
                tax_rate=line.tax_rate,
            )
            for line in result.line_items
        ],
        checks=[
            Check(name=name, status=check.status, message=check.message)
            for name, check in sorted(result.checks.items())
        ],
        routing_status=result.routing.status,
        review_reasons=[
            Reason(code=reason.code, field=reason.field, message=reason.message)
            for reason in result.routing.reasons
        ],
        read_from=job.read_from,
    )


def _decision(job: JobItem) -> Decision | None:
    if job.decision not in ("APPROVE", "REJECT") or job.decided_at is None:
        return None
    return Decision(
        decision=job.decision,
        reviewer=job.reviewer or "",
        reason=job.decision_reason,
        decided_at=job.decided_at,
        corrections={
            name: Correction(before=c.before, after=c.after)
            for name, c in sorted(job.corrections.items())
        },
    )


def build_event(job: JobItem, version: int, result: ExtractionResult | None) -> InvoiceEvent:
    """The event of `job` having reached its (final) status with the write that made
    `version`. `result` is the stored normalized result, None when there is none."""
    status = job.status
    if status not in EVENT_TYPES:
        raise ValueError(f"no event for status {status.value}")
    base = f"/jobs/{job.job_id}"
    return InvoiceEvent(
        schema_version=SCHEMA_VERSION,
        id=event_id(job.job_id, status, version),
        type=EVENT_TYPES[status],
        occurred_at=job.status_changed_at or job.updated_at,
        tenant_id=job.tenant_id,
        job_id=job.job_id,
        status=status.value,  # one of the four, checked above
        version=version,
        attempt=job.attempt,
        filename=job.filename,
        invoice=None if result is None else _invoice(job, result),
        decision=_decision(job),
        failure_reason=job.failure_reason if status is JobStatus.FAILED else None,
        links=Links(
            job=base,
            audit=f"{base}/audit",
            result=f"{base}/result" if result is not None else None,
            ubl=f"{base}/ubl" if status is JobStatus.APPROVED else None,
        ),
    )
