"""Request and response models of the HTTP API (the OpenAPI document describes the same)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from docuflow.dal.models import AuditRecord, JobItem
from docuflow.domain.status import JobStatus
from docuflow.extraction.result import ExtractionResult, ReviewReason
from services.api.logic.uploads import check_filename

# DynamoDB numbers hold 38 significant digits; a larger version could never match and
# makes boto3 raise before the request is sent (a 500), so it is refused as input.
MAX_VERSION = 2**63 - 1

OwnerId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._@+-]+$")]


class _Request(BaseModel):
    # Unknown fields are refused: a typo in a field name must not be silently ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CreateUploadRequest(_Request):
    filename: Annotated[str, Field(max_length=255)]
    content_type: Annotated[str, Field(min_length=1, max_length=255)]
    owner_id: OwnerId
    size_bytes: Annotated[int | None, Field(gt=0)] = None

    @field_validator("filename")
    @classmethod
    def _filename_is_safe(cls, value: str) -> str:
        return check_filename(value)


class StartRequest(_Request):
    actor: Annotated[str | None, Field(min_length=1, max_length=128)] = None


class DecisionRequest(_Request):
    decision: Literal["APPROVE", "REJECT"]
    reviewer: Annotated[str, Field(min_length=1, max_length=128)]
    corrected_fields: dict[str, Annotated[str, Field(max_length=1000)] | int | float] = Field(
        default_factory=dict
    )
    reason: Annotated[str | None, Field(max_length=2000)] = None
    expected_version: Annotated[int | None, Field(ge=0, le=MAX_VERSION)] = None


class _Query(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class JobListQuery(_Query):
    owner_id: OwnerId | None = None
    status: JobStatus | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: str | None = None


class ReviewQueueQuery(_Query):
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: str | None = None


class _Response(BaseModel):
    model_config = ConfigDict(frozen=True)


class Correction(_Response):
    before: str | None
    after: str


class JobView(_Response):
    job_id: str
    status: JobStatus
    owner_id: str
    filename: str
    content_type: str
    size_bytes: int | None
    file_sha256: str | None
    created_at: str
    updated_at: str
    version: int
    attempt: int
    failure_reason: str | None
    invoice_key: str | None
    review_reasons: list[ReviewReason]
    has_result: bool
    decision: str | None
    reviewer: str | None
    decision_reason: str | None
    decided_at: str | None
    corrections: dict[str, Correction]

    @classmethod
    def of(cls, job: JobItem) -> JobView:
        return cls(
            job_id=job.job_id,
            status=job.status,
            owner_id=job.owner_id,
            filename=job.filename,
            content_type=job.content_type,
            size_bytes=job.size_bytes,
            file_sha256=job.file_sha256,
            created_at=job.created_at,
            updated_at=job.updated_at,
            version=job.version,
            attempt=job.attempt,
            failure_reason=job.failure_reason,
            invoice_key=job.invoice_key,
            review_reasons=[ReviewReason.model_validate(r) for r in job.routing_reasons],
            has_result=job.result_key is not None,
            decision=job.decision,
            reviewer=job.reviewer,
            decision_reason=job.decision_reason,
            decided_at=job.decided_at,
            corrections={
                name: Correction(before=c.before, after=c.after)
                for name, c in job.corrections.items()
            },
        )


class UploadCreated(_Response):
    job_id: str
    status: JobStatus
    upload_url: str
    upload_method: Literal["PUT"] = "PUT"
    upload_headers: dict[str, str]
    expires_at: str
    key: str


class JobPage(_Response):
    items: list[JobView]
    next_cursor: str | None


class AuditEventView(_Response):
    event: str
    actor: str
    at: str
    details: dict[str, Any]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEventView:
        return cls(
            event=record.event,
            actor=record.actor,
            at=record.at,
            details=record.details,
            before=record.before,
            after=record.after,
        )


class AuditTrail(_Response):
    job_id: str
    items: list[AuditEventView]


class DocumentLink(_Response):
    url: str
    expires_at: str
    filename: str
    content_type: str


class ReviewDetail(_Response):
    job: JobView
    result: ExtractionResult | None
    audit: list[AuditEventView]
    document: DocumentLink


class ErrorBody(_Response):
    code: str
    message: str


class ErrorResponse(_Response):
    error: ErrorBody
