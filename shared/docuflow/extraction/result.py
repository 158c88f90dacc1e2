"""The normalized result (DESIGN §4): what `GET /jobs/{id}/result` and `docuflow parse` return.

These models are the contract between the parser, the services, the web app and the
offline OCR engine. Money is a decimal string, dates are ISO-8601, currency is ISO 4217.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class FieldSource(StrEnum):
    EXPENSE = "expense"
    FORMS = "forms"
    TABLES = "tables"
    TEXT = "text"


class DocumentType(StrEnum):
    INVOICE = "invoice"
    RECEIPT = "receipt"
    OTHER = "other"


FIELD_NAMES: tuple[str, ...] = (
    "vendor_name",
    "vendor_address",
    "vendor_tax_id",
    "invoice_number",
    "document_date",
    "due_date",
    "purchase_order",
    "payment_terms",
    "currency",
    "subtotal",
    "tax_amount",
    "total_amount",
    "amount_due",
    "remit_to_name",
    "remit_to_address",
    "remittance_email",
    "remittance_phone",
    "bank_account",
)
"""Every normalized field name, in the order a reviewer reads an invoice."""

MONEY_FIELDS: frozenset[str] = frozenset({"subtotal", "tax_amount", "total_amount", "amount_due"})
DATE_FIELDS: frozenset[str] = frozenset({"document_date", "due_date"})
REQUIRED_FIELDS: tuple[str, ...] = (
    "vendor_name",
    "invoice_number",
    "document_date",
    "total_amount",
)

Confidence = Annotated[float, Field(ge=0, le=100, description="0-100, as Textract reports it")]
Fraction = Annotated[float, Field(description="A fraction of the page's width or height")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BoundingBox(_Model):
    left: Fraction
    top: Fraction
    width: Fraction
    height: Fraction


class Candidate(_Model):
    """Another reading Textract offered for a field, kept so a reviewer can pick it."""

    value: Annotated[str, Field(description="Normalized value")]
    text: Annotated[str, Field(description="As printed")]
    confidence: Confidence
    page: Annotated[int | None, Field(ge=1)] = None
    bbox: BoundingBox | None = None
    source: FieldSource
    label: Annotated[str | None, Field(description="The label printed next to it")] = None


class ExtractedField(_Model):
    value: Annotated[str, Field(description="Normalized: ISO dates, decimal money, ISO 4217")]
    text: Annotated[str, Field(description="As printed on the document")]
    confidence: Confidence
    page: Annotated[int | None, Field(ge=1)] = None
    bbox: BoundingBox | None = None
    source: FieldSource
    label: str | None = None
    alternatives: list[Candidate] = Field(default_factory=list)


class LineItem(_Model):
    description: str | None = None
    quantity: Annotated[str | None, Field(description="Decimal string")] = None
    unit_price: Annotated[str | None, Field(description="Decimal string")] = None
    amount: Annotated[str | None, Field(description="Decimal string")] = None
    page: Annotated[int | None, Field(ge=1)] = None
    confidence: Confidence
    bbox: BoundingBox | None = None
    source: FieldSource


class OtherField(_Model):
    """A key-value pair that is not one of the normalized fields."""

    key: str
    value: str
    confidence: Confidence
    page: Annotated[int | None, Field(ge=1)] = None
    bbox: BoundingBox | None = None
    source: FieldSource


CheckStatus = Literal["pass", "fail", "skipped"]


class Check(_Model):
    status: CheckStatus
    message: Annotated[str, Field(description="One sentence a clerk understands")]
    fields: list[str] = Field(default_factory=list)


class ReviewReason(_Model):
    code: Annotated[str, Field(description="Stable machine code, e.g. TOTALS_MISMATCH")]
    field: Annotated[str | None, Field(description="The field it concerns, if one")] = None
    message: Annotated[str, Field(description="One sentence a reviewer understands")]


class Routing(_Model):
    status: Literal["COMPLETED", "NEEDS_REVIEW"]
    reasons: list[ReviewReason] = Field(default_factory=list)


class PageInfo(_Model):
    page: Annotated[int, Field(ge=1)]
    width: float | None = None
    height: float | None = None


class ExtractionResult(_Model):
    document_type: DocumentType
    pages: Annotated[int, Field(ge=0)]
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    line_items: list[LineItem] = Field(default_factory=list)
    other_fields: list[OtherField] = Field(default_factory=list)
    checks: dict[str, Check] = Field(default_factory=dict)
    routing: Routing
    warnings: Annotated[
        list[str], Field(description="Things the parser could not read, in words")
    ] = Field(default_factory=list)
