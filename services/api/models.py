"""Request and response models of the HTTP API.

The route signatures in services/api/handlers use them, and services/api/openapi.json is
generated from those signatures (`docuflow openapi`): the class names here are the
document's component names, and every constraint is one a client can read there.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from docuflow.dal.audit import AUDIT_EVENTS
from docuflow.dal.models import AuditRecord, JobItem, ReadFrom
from docuflow.domain.errors import ValidationFailed
from docuflow.domain.status import JobStatus
from docuflow.extraction.result import Check, ExtractionResult, ReviewReason, Routing
from docuflow.vendors import InvoiceSeen, VendorProfile
from services.api.logic.blocking import FailedCheck
from services.api.logic.uploads import (
    CONTENT_TYPE_PATTERN,
    FILENAME_PATTERN,
    MAX_FILENAME_CHARS,
    check_filename,
)
from services.api.pagination import MAX_CURSOR_CHARS
from services.common.settings import MAX_UPLOAD_BYTES_CEILING

# No job ever reaches it, and a larger number would not survive the web app's JSON
# (2**53 - 1 is JavaScript's largest exact integer, and the document can state it
# exactly). Far larger ones would make boto3 raise before the request is sent (a 500).
MAX_VERSION = 2**53 - 1

JobId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Anything else names no job (404).",
    ),
]


def _whole_float_as_int(value: Any) -> Any:
    # JSON Schema's "integer" is any number with no fraction: 12.0 is one, "12" and true
    # are not (the strict int refuses those).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Integers as the OpenAPI document means them: 12 or 12.0, never "12" or true. The
# limits come before the validator, or pydantic would not show them in the schema.
UploadSize = Annotated[
    int,
    Field(strict=True, gt=0, le=MAX_UPLOAD_BYTES_CEILING),
    BeforeValidator(_whole_float_as_int),
]
Version = Annotated[
    int, Field(strict=True, ge=0, le=MAX_VERSION), BeforeValidator(_whole_float_as_int)
]
PageLimit = Annotated[int, Field(ge=1, le=100, description="Items per page.")]
Cursor = Annotated[
    str,
    Field(
        max_length=MAX_CURSOR_CHARS,
        description="The `next_cursor` of the previous page (opaque).",
    ),
]


QueueText = Annotated[str, Field(min_length=1, max_length=200)]
ReasonCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{0,63}$")]
QueryAmount = Annotated[str, Field(pattern=r"^-?[0-9]{1,15}(\.[0-9]{1,4})?$")]
QueryDate = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


def query_day(text: str | None, name: str) -> date | None:
    """A `YYYY-MM-DD` query value as a date (pydantic's own date type would also take a
    number such as `0` as a Unix time); a day the calendar has not is a 400."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{name}: {text} is not a calendar date (YYYY-MM-DD).") from None


class _Request(BaseModel):
    # Unknown fields are refused: a typo in a field name must not be silently ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CreateUploadRequest(_Request):
    # The two strings below are checked as sent, against the patterns the document shows
    # (services/api/logic/uploads.py states each rule once).
    filename: Annotated[
        str,
        StringConstraints(strip_whitespace=False, max_length=MAX_FILENAME_CHARS),
        Field(
            description="No path separators, control or invisible characters, not only dots; "
            "surrounding blanks are dropped.",
            json_schema_extra={"pattern": FILENAME_PATTERN},
        ),
    ]
    content_type: Annotated[
        str,
        StringConstraints(strip_whitespace=False, max_length=255),
        Field(
            description="application/pdf, image/png, image/jpeg, image/tiff, or application/xml "
            "or text/xml for an e-invoice, in any case, with optional parameters (else 415).",
            json_schema_extra={"pattern": CONTENT_TYPE_PATTERN},
        ),
    ]
    size_bytes: (
        Annotated[
            UploadSize,
            Field(description="The deployment's own limit may be lower (413)."),
        ]
        | None
    ) = None

    @field_validator("filename")
    @classmethod
    def _filename_is_safe(cls, value: str) -> str:
        return check_filename(value)


class StartRequest(_Request):
    """No fields: who starts a job is the caller (the token). An empty object or no body
    is accepted; any field is refused (400), so a client still sending the former
    `actor` learns that it would not be recorded."""


# A corrected value is a JSON string. Any other JSON value passes the model only so that
# the review logic refuses it as a 422 naming its field, like every other bad correction;
# the document shows the string alone. A JSON number is refused, never read: it may
# already have lost digits to binary floating point (1e16, 0.1).
CorrectedValue = (
    Annotated[str, Field(max_length=1000)]
    | SkipJsonSchema[StrictInt | StrictFloat | StrictBool | list[Any] | dict[str, Any] | None]
)


class CorrectedLineItem(_Request):
    """One line as the reviewer left it. Values are JSON strings read strictly, like
    corrected fields; an absent value is none."""

    line: Annotated[
        Annotated[
            int, Field(strict=True, ge=1, le=MAX_VERSION), BeforeValidator(_whole_float_as_int)
        ]
        | None,
        Field(
            description="The read line (1-based, as in the result's `line_items`) this one "
            "corrects; absent for a line the reviewer added."
        ),
    ] = None
    description: CorrectedValue = None
    quantity: Annotated[
        CorrectedValue, Field(description="A plain decimal, at most 6 decimals: `2`, `0.5`.")
    ] = None
    unit_price: Annotated[
        CorrectedValue, Field(description="A plain decimal, at most 6 decimals.")
    ] = None
    amount: Annotated[
        CorrectedValue,
        Field(description="A plain decimal in the currency's minor units, as corrected fields."),
    ] = None
    tax_rate: Annotated[
        CorrectedValue, Field(description="Percent, a plain decimal from 0 to 100: `19`, `7.5`.")
    ] = None


class Corrections(_Request):
    """A reviewer's pending corrections: what a decision saves and a re-score tries."""

    corrected_fields: Annotated[
        dict[str, CorrectedValue],
        Field(
            description=(
                "Field name to corrected value, each a JSON string read strictly: an amount "
                "is one plain decimal with at most the currency's minor units (`1234.50`; "
                "`100.125` in BHD; `1000` in JPY; the currency is the corrected one, else "
                "the one read), a date `YYYY-MM-DD`, a currency an ISO 4217 code. Anything "
                "else, a JSON number included, is a 422 INVALID_CORRECTION naming the field."
            )
        ),
    ] = Field(default_factory=dict)
    corrected_line_items: Annotated[
        list[CorrectedLineItem] | None,
        Field(
            max_length=1000,
            description=(
                "The complete line items as the reviewer left them, when they changed any: "
                "each corrects a read line (`line`) or is added; a read line not listed is "
                "deleted. Absent: the lines stay as read. A bad value is a 422 "
                "INVALID_CORRECTION naming the line and value."
            ),
        ),
    ] = None


class RescoreRequest(Corrections):
    pass


class DecisionRequest(Corrections):
    decision: Literal["APPROVE", "REJECT"]
    reason: Annotated[str | None, Field(max_length=2000)] = None
    override_reason: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=2000,
            description=(
                "Why the job may be approved although a check that blocks approval fails: "
                "`totals_add_up`, `line_items_sum` or `required_fields` in the result "
                "re-scored with the corrections, or `possible_duplicate` (flagged a "
                "duplicate, or the same invoice or file already approved or completed). "
                "Required then, else 409 OVERRIDE_REQUIRED naming the checks; recorded in "
                "the approval's audit record with each check's evidence. Only with APPROVE."
            ),
        ),
    ] = None
    expected_version: Version | None = None


class _Response(BaseModel):
    # A field with a default is still always in the answer: the document says required.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class Correction(_Response):
    before: str | None
    after: str


class LineItemsCorrected(_Response):
    before: Annotated[list[dict[str, Any]], Field(description="The lines as read")]
    after: Annotated[
        list[dict[str, Any]],
        Field(description="The lines as saved; `line` is the read line an edited one was"),
    ]


class InvoiceSummary(_Response):
    """The invoice's key values as routed, for the queue (absent: not read)."""

    vendor_name: str | None = None
    invoice_number: str | None = None
    document_date: str | None = None
    due_date: str | None = None
    total_amount: Annotated[str | None, Field(description="Decimal string")] = None
    currency: str | None = None


class Job(_Response):
    job_id: str
    status: JobStatus
    tenant_id: str
    uploaded_by: Annotated[str, Field(description="The uploader's user id (the token's `sub`).")]
    filename: str
    content_type: str
    size_bytes: int | None
    file_sha256: str | None
    created_at: str
    updated_at: str
    processing_started_at: Annotated[
        str | None,
        Field(description="When processing (its last attempt) started; null before it has"),
    ]
    processed_at: Annotated[
        str | None,
        Field(
            description="When processing ended (COMPLETED, NEEDS_REVIEW or FAILED); a job in "
            "review has waited for a person since then"
        ),
    ]
    version: int
    attempt: int
    failure_reason: str | None
    invoice_key: str | None
    review_reasons: list[ReviewReason]
    has_result: bool
    decision: Literal["APPROVE", "REJECT"] | None
    reviewer: str | None
    decision_reason: str | None
    decided_at: str | None
    corrections: dict[str, Correction]
    line_corrections: LineItemsCorrected | None
    summary: InvoiceSummary
    read_from: Annotated[
        ReadFrom | None,
        Field(
            description="How the fields were read: textract (OCR, billed per page) or einvoice "
            "(the document's own XML, no OCR cost); null until the job is routed."
        ),
    ]

    @classmethod
    def of(cls, job: JobItem) -> Job:
        return cls(
            job_id=job.job_id,
            status=job.status,
            tenant_id=job.tenant_id,
            uploaded_by=job.uploaded_by,
            filename=job.filename,
            content_type=job.content_type,
            size_bytes=job.size_bytes,
            file_sha256=job.file_sha256,
            created_at=job.created_at,
            updated_at=job.updated_at,
            processing_started_at=job.processing_started_at,
            processed_at=job.processed_at,
            version=job.version,
            attempt=job.attempt,
            failure_reason=job.failure_reason,
            invoice_key=job.invoice_key,
            review_reasons=[ReviewReason.model_validate(r) for r in job.routing_reasons],
            has_result=job.result_key is not None,
            read_from=job.read_from,
            decision=job.decision,
            reviewer=job.reviewer,
            decision_reason=job.decision_reason,
            decided_at=job.decided_at,
            corrections={
                name: Correction(before=c.before, after=c.after)
                for name, c in job.corrections.items()
            },
            line_corrections=(
                LineItemsCorrected(
                    before=job.line_corrections.before, after=job.line_corrections.after
                )
                if job.line_corrections
                else None
            ),
            summary=InvoiceSummary.model_validate(job.summary),
        )


class UploadCreated(_Response):
    job_id: str
    status: Literal[JobStatus.CREATED]
    upload_url: str
    upload_method: Literal["PUT"] = "PUT"
    upload_headers: dict[str, str]
    expires_at: str
    key: str


VendorId = Annotated[
    str,
    Field(
        pattern=r"^(tax|name)-[A-Za-z0-9-]{1,200}$",
        description="`tax-<VAT id>` or `name-<normalized name>`; anything else names no "
        "vendor (404).",
    ),
]


class VendorAccount(_Response):
    iban: str
    first_seen: Annotated[str, Field(description="When an invoice first carried it (UTC)")]
    last_seen: Annotated[str, Field(description="When an invoice last carried it (UTC)")]
    job_ids: Annotated[list[str], Field(description="The invoices (jobs) that carried it")]


class VendorTotals(_Response):
    minimum: Annotated[str, Field(description="Decimal string")]
    maximum: Annotated[str, Field(description="Decimal string")]
    count: int


class VendorLearned(_Response):
    """What reviewers' corrections taught about the vendor; its next invoices follow it
    (fields chosen so say `source: vendor_hint`)."""

    vendor_name: Annotated[str | None, Field(description="The canonical name")]
    invoice_number_label: Annotated[
        str | None, Field(description="The label its invoice number sits under")
    ]
    learned_from: Annotated[list[str], Field(description="The jobs it was learned from")]


class Vendor(_Response):
    """A vendor as its completed and approved invoices describe it."""

    vendor_id: VendorId
    name: Annotated[str, Field(description="The name on its latest invoice, as approved")]
    names: Annotated[list[str], Field(description="Every name seen (aliases)")]
    tax_id: str | None
    addresses: list[str]
    accounts: list[VendorAccount]
    currencies: Annotated[dict[str, int], Field(description="Invoices per currency")]
    totals: Annotated[dict[str, VendorTotals], Field(description="Total range per currency")]
    invoice_count: int
    hints: VendorLearned
    first_seen: str
    last_seen: str

    @classmethod
    def of(cls, profile: VendorProfile) -> Vendor:
        return cls.model_validate(
            profile.model_dump(exclude={"tenant_id", "version", "invoice_numbers"})
        )


class VendorPage(_Response):
    items: list[Vendor]
    next_cursor: str | None


class VendorInvoice(_Response):
    job_id: str
    status: Annotated[str, Field(description="COMPLETED (automatically) or APPROVED")]
    recorded_at: str
    invoice_number: str | None
    document_date: str | None
    currency: str | None
    total: Annotated[str | None, Field(description="Decimal string")]
    iban: str | None

    @classmethod
    def of(cls, seen: InvoiceSeen) -> VendorInvoice:
        return cls.model_validate(seen.model_dump(exclude={"vendor_id"}))


class VendorDetail(_Response):
    vendor: Vendor
    invoices: Annotated[list[VendorInvoice], Field(description="One page of its invoices")]
    next_cursor: Annotated[str | None, Field(description="The next page of invoices")]


class JobPage(_Response):
    items: list[Job]
    next_cursor: str | None


class AuditEvent(_Response):
    event: Annotated[str, Field(json_schema_extra={"enum": sorted(AUDIT_EVENTS)})]
    actor: str
    at: str
    details: dict[str, Any]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEvent:
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
    items: list[AuditEvent]


class DocumentLink(_Response):
    url: str
    expires_at: str
    filename: str
    content_type: str


class ReviewDetail(_Response):
    job: Job
    result: ExtractionResult | None
    audit: list[AuditEvent]
    document: DocumentLink


class Rescored(_Response):
    """A job's checks and routing with pending corrections (nothing saved)."""

    checks: dict[str, Check]
    routing: Routing
    blocking: Annotated[
        list[FailedCheck],
        Field(
            description="The checks an approval with these corrections must override "
            "(`override_reason`), each with what it found."
        ),
    ]


class ErrorBody(_Response):
    code: str
    message: str


class ErrorResponse(_Response):
    error: ErrorBody


class GatewayMessage(_Response):
    """API Gateway's own answer when its JWT authorizer refuses a request (no token, or
    one that is expired, forged or not for this API): `{"message": "Unauthorized"}`."""

    message: str


class Unauthorized(RootModel[ErrorResponse | GatewayMessage]):
    """A 401: the gateway's answer for a missing or invalid token, or the function's
    (ErrorResponse) for a verified token of the wrong kind."""
