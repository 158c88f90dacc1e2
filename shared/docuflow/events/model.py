"""The event contract, version 1: what the bus carries and webhooks deliver.

Additive changes (a new optional property) keep version 1; renaming or removing a property,
or changing its meaning, is version 2 with a schema file of its own, published beside
version 1 for as long as receivers need it. Receivers should ignore properties they do not
know.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuflow.domain.status import JobStatus

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(__file__).with_name("invoice-event.v1.schema.json")
SCHEMA_ID = "https://docuflow.dev/schemas/invoice-event.v1.schema.json"

EVENT_SOURCE = "docuflow"
"""EventBridge `source` of every event."""

EventType = Literal["invoice.completed", "invoice.approved", "invoice.rejected", "invoice.failed"]

# The final statuses and their names: EventBridge `detail-type` and the webhook `type`.
DETAIL_TYPES: dict[JobStatus, str] = {
    JobStatus.COMPLETED: "Invoice Completed",
    JobStatus.APPROVED: "Invoice Approved",
    JobStatus.REJECTED: "Invoice Rejected",
    JobStatus.FAILED: "Invoice Failed",
}
EVENT_TYPES: dict[JobStatus, EventType] = {
    JobStatus.COMPLETED: "invoice.completed",
    JobStatus.APPROVED: "invoice.approved",
    JobStatus.REJECTED: "invoice.rejected",
    JobStatus.FAILED: "invoice.failed",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Decimal = Annotated[str | None, Field(description="Decimal string, `.` as the mark")]


class LineItem(_Model):
    description: str | None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    unit_code: Annotated[str | None, Field(description="UN/ECE Rec 20 unit code")] = None
    tax_category: Annotated[str | None, Field(description="UNTDID 5305")] = None
    tax_rate: Annotated[str | None, Field(description="Percent, decimal string")] = None


class Check(_Model):
    name: Annotated[str, Field(description="e.g. totals_add_up, possible_duplicate")]
    status: str
    message: str


class Reason(_Model):
    code: Annotated[str, Field(description="Stable machine code, e.g. TOTALS_MISMATCH")]
    field: str | None
    message: str


class Invoice(_Model):
    """The normalized invoice, with the reviewer's corrections applied."""

    document_type: Annotated[str, Field(description="invoice, receipt or other")]
    fields: Annotated[
        dict[str, str],
        Field(
            description="Normalized values by field name (vendor_name, invoice_number, "
            "document_date, due_date, currency, subtotal, tax_amount, total_amount, ...): "
            "ISO-8601 dates, decimal strings for money, ISO 4217 currency. A field that is "
            "not on the document is absent."
        ),
    ]
    line_items: list[LineItem]
    checks: list[Check]
    routing_status: Literal["COMPLETED", "NEEDS_REVIEW"]
    review_reasons: list[Reason]
    read_from: Literal["textract", "einvoice"] | None


class Correction(_Model):
    before: Annotated[str | None, Field(description="What was read (null: nothing)")]
    after: str


class Decision(_Model):
    decision: Literal["APPROVE", "REJECT"]
    reviewer: str
    reason: str | None
    decided_at: str
    corrections: dict[str, Correction]


class Links(_Model):
    """Paths of the HTTP API (relative to its base URL) to read more."""

    job: str
    audit: str
    result: str | None
    ubl: Annotated[str | None, Field(description="Only for an approved invoice")]


class InvoiceEvent(_Model):
    """One job reached a final status. `id` is the same for every delivery of the same
    transition (job, status, version): receivers deduplicate by it."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "$id": SCHEMA_ID,
            "$schema": "https://json-schema.org/draft/2020-12/schema",
        },
    )

    schema_version: Literal["1"]
    id: Annotated[str, Field(description="<job_id>.<status>.v<version>: the idempotency key")]
    type: EventType
    occurred_at: Annotated[str, Field(description="When the status was written (ISO-8601 UTC)")]
    tenant_id: str
    job_id: str
    status: Literal["COMPLETED", "APPROVED", "REJECTED", "FAILED"]
    version: Annotated[int, Field(ge=1, description="The job's version the status write made")]
    attempt: Annotated[int, Field(ge=1)]
    filename: str
    invoice: Annotated[Invoice | None, Field(description="null when the job FAILED")]
    decision: Annotated[Decision | None, Field(description="Set for APPROVED and REJECTED")]
    failure_reason: str | None
    links: Links


def event_schema() -> dict[str, Any]:
    """The JSON Schema of `InvoiceEvent` (what `SCHEMA_PATH` holds)."""
    return InvoiceEvent.model_json_schema(mode="serialization")


def schema_text() -> str:
    """The committed file's exact text."""
    return json.dumps(event_schema(), indent=2, sort_keys=True) + "\n"
