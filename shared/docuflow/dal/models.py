"""Stored items: what the jobs and audit tables hold, as pydantic models.

Repositories convert between these and DynamoDB items explicitly; nothing above the
DAL sees a raw item.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from docuflow.domain.status import JobStatus


def utc_now() -> str:
    """ISO-8601 UTC with milliseconds: sortable as a string, as the GSIs need."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FieldCorrection(BaseModel):
    model_config = ConfigDict(frozen=True)

    before: str | None
    after: str


class LineItemsCorrection(BaseModel):
    """The line items as read and as the reviewer left them (compact: the values a
    reviewer sees, plus `line`, the read line an edited one stands for)."""

    model_config = ConfigDict(frozen=True)

    before: list[dict[str, Any]]
    after: list[dict[str, Any]]


ReadFrom = Literal["textract", "einvoice"]
"""How a job's fields were read: Textract OCR (billed per page) or the e-invoice's XML."""


class JobItem(BaseModel):
    """One row of the jobs table."""

    model_config = ConfigDict(extra="ignore")

    job_id: str
    status: JobStatus
    # The company the job belongs to (the uploader's custom:tenant) and the uploader
    # (their user pool `sub`): every read is scoped by the first, self-approval checks
    # the second.
    tenant_id: str
    uploaded_by: str
    created_at: str
    updated_at: str
    # When the status was last written. Other writes (a task token, an execution ARN)
    # move updated_at on; this stays, so the audit of a status write can be keyed by it.
    status_changed_at: str | None = None
    # When processing last started and when it ended (`status_timestamps`); absent on
    # items written before they existed.
    processing_started_at: str | None = None
    processed_at: str | None = None
    version: Annotated[int, Field(ge=0)] = 0
    filename: str
    content_type: str
    size_bytes: Annotated[int | None, Field(ge=0)] = None
    s3_key: str
    file_sha256: str | None = None
    invoice_key: str | None = None
    attempt: Annotated[int, Field(ge=1)] = 1
    # CREATED jobs only: when DynamoDB's TTL may delete the job (epoch seconds), because
    # its upload link expired unused. The arrival of the document removes it.
    expires_at_epoch: int | None = None
    execution_arn: str | None = None
    task_token: str | None = None
    ocr_apis: list[str] = Field(default_factory=list)
    ocr_jobs: dict[str, str] = Field(default_factory=dict)
    ocr_statuses: dict[str, str] = Field(default_factory=dict)
    failure_reason: str | None = None
    result_key: str | None = None
    routing_reasons: list[dict[str, Any]] = Field(default_factory=list)
    decision: str | None = None
    reviewer: str | None = None
    decision_reason: str | None = None
    decided_at: str | None = None
    corrections: dict[str, FieldCorrection] = Field(default_factory=dict)
    line_corrections: LineItemsCorrection | None = None
    # The invoice's key values as routed (vendor, number, total, currency, dates), so the
    # review queue sorts and filters without reading every result.
    summary: dict[str, str] = Field(default_factory=dict)
    read_from: ReadFrom | None = None
    # Set by the write of a final status (to the version that write made) and removed
    # once its event is on the bus: a transactional outbox of one (ADR 0027).
    pending_event_version: int | None = None


def abandoned(job: JobItem, now_epoch: float) -> bool:
    """A CREATED job whose upload link expired unused (DynamoDB's TTL deletes it, within
    a day or two of expiry; until then it still reads, and must not take a document)."""
    return (
        job.status is JobStatus.CREATED
        and job.expires_at_epoch is not None
        and job.expires_at_epoch <= now_epoch
    )


class AuditRecord(BaseModel):
    """One immutable audit event."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    job_id: str
    sk: str
    event: str
    actor: str
    at: str
    details: dict[str, Any] = Field(default_factory=dict)
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a query and the key to continue from (None on the last page)."""

    items: list[T]
    last_key: dict[str, str] | None = None
