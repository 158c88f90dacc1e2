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
    EINVOICE = "einvoice"
    """Read exactly from e-invoice XML (`xml_path` says where)."""
    REVIEWER = "reviewer"
    """Typed by a reviewer (a value re-scored with pending corrections)."""
    VENDOR_HINT = "vendor_hint"
    """Chosen by what a reviewer corrected on an earlier invoice of the same vendor
    (`label` says which: the canonical name, or the label the value sits under)."""


class DocumentType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    """An e-invoice typed as a credit note (UBL CreditNote, type code 381 ...)."""
    CORRECTED_INVOICE = "corrected_invoice"
    """An e-invoice typed as a corrected invoice (type code 384)."""
    RECEIPT = "receipt"
    OTHER = "other"


INVOICE_TYPES: frozenset[DocumentType] = frozenset(
    {DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.CORRECTED_INVOICE}
)
"""Documents to pay or to book as a credit: what the pipeline is for."""


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
    "bank_bic",
    "buyer_name",
    "buyer_address",
    "buyer_tax_id",
    "buyer_reference",
    "delivery_date",
    "line_total",
    "allowance_total",
    "charge_total",
    "prepaid_amount",
)
"""Every normalized field name, in the order a reviewer reads an invoice. The last ones
(BIC, buyer, delivery date, the totals between lines and total) are what structured
e-invoices carry besides; OCR does not look for them."""

MONEY_FIELDS: frozenset[str] = frozenset(
    {
        "subtotal",
        "tax_amount",
        "total_amount",
        "amount_due",
        "line_total",
        "allowance_total",
        "charge_total",
        "prepaid_amount",
    }
)
DATE_FIELDS: frozenset[str] = frozenset({"document_date", "due_date", "delivery_date"})
REQUIRED_FIELDS: tuple[str, ...] = (
    "vendor_name",
    "invoice_number",
    "document_date",
    "total_amount",
)

Confidence = Annotated[float, Field(ge=0, le=100, description="0-100, as Textract reports it")]
XmlPath = Annotated[
    str | None,
    Field(description="Where in the e-invoice XML the value was read (source einvoice)"),
]
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
    xml_path: XmlPath = None


class LineItem(_Model):
    description: str | None = None
    quantity: Annotated[str | None, Field(description="Decimal string")] = None
    unit_price: Annotated[str | None, Field(description="Decimal string")] = None
    amount: Annotated[str | None, Field(description="Decimal string")] = None
    page: Annotated[int | None, Field(ge=1)] = None
    confidence: Confidence
    bbox: BoundingBox | None = None
    source: FieldSource
    unit_code: Annotated[
        str | None, Field(description="UN/ECE Rec 20 unit of the quantity (e-invoices)")
    ] = None
    price_base_quantity: Annotated[
        str | None, Field(description="The quantity the unit price is for, when not 1")
    ] = None
    tax_category: Annotated[str | None, Field(description="VAT category code (UNTDID 5305)")] = None
    tax_rate: Annotated[str | None, Field(description="VAT rate in percent, decimal string")] = None
    xml_path: XmlPath = None


class OtherField(_Model):
    """A key-value pair that is not one of the normalized fields."""

    key: str
    value: str
    confidence: Confidence
    page: Annotated[int | None, Field(ge=1)] = None
    bbox: BoundingBox | None = None
    source: FieldSource
    xml_path: XmlPath = None


class TaxSubtotal(_Model):
    """The VAT of one category and rate (an e-invoice's VAT breakdown, BG-23)."""

    category: Annotated[str | None, Field(description="VAT category code (UNTDID 5305)")] = None
    rate: Annotated[str | None, Field(description="Percent, decimal string")] = None
    taxable_amount: Annotated[str | None, Field(description="Decimal string")] = None
    tax_amount: Annotated[str | None, Field(description="Decimal string")] = None
    exemption_reason: str | None = None
    source: FieldSource
    xml_path: XmlPath = None


class AllowanceCharge(_Model):
    """A document-level allowance (BG-20) or charge (BG-21), or a line's (BG-27, BG-28)."""

    kind: Literal["allowance", "charge"]
    amount: Annotated[str | None, Field(description="Decimal string")] = None
    base_amount: Annotated[str | None, Field(description="Decimal string")] = None
    percent: Annotated[str | None, Field(description="Decimal string")] = None
    reason: str | None = None
    reason_code: str | None = None
    tax_category: str | None = None
    tax_rate: Annotated[str | None, Field(description="Percent, decimal string")] = None
    line: Annotated[int | None, Field(ge=1, description="The line it belongs to, if one")] = None
    source: FieldSource
    xml_path: XmlPath = None


class EInvoiceInfo(_Model):
    """What kind of structured e-invoice the result was read from."""

    syntax: Annotated[str, Field(description="UBL 2.1 Invoice, UN/CEFACT CII D16B, ...")]
    flavour: Annotated[str, Field(description='What people call it: "XRechnung CII"')]
    label: Annotated[str, Field(description='For screens: "E-invoice (XRechnung CII)"')]
    specification: Annotated[str | None, Field(description="BT-24 specification id")] = None
    business_process: Annotated[str | None, Field(description="BT-23")] = None
    type_code: Annotated[str | None, Field(description="BT-3, UNTDID 1001")] = None
    attachment: Annotated[
        str | None, Field(description="The PDF attachment it was read from (hybrid PDF)")
    ] = None
    en16931: Annotated[
        bool, Field(description="Claims EN 16931, so all of its rules were checked")
    ] = False


CheckStatus = Literal["pass", "fail", "skipped"]


class Check(_Model):
    status: CheckStatus
    message: Annotated[str, Field(description="One sentence a clerk understands")]
    fields: list[str] = Field(default_factory=list)


class ReviewReason(_Model):
    code: Annotated[str, Field(description="Stable machine code, e.g. TOTALS_MISMATCH")]
    field: Annotated[str | None, Field(description="The field it concerns, if one")] = None
    message: Annotated[str, Field(description="One sentence a reviewer understands")]
    evidence: Annotated[
        dict[str, str | list[str]] | None,
        Field(
            description="What the reason rests on, for screens to show apart from the "
            "message: BANK_DETAILS_CHANGED has `known_accounts`, `new_account`, `vendor_id`"
        ),
    ] = None


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
    tax_breakdown: list[TaxSubtotal] = Field(default_factory=list)
    allowances_charges: list[AllowanceCharge] = Field(default_factory=list)
    einvoice: Annotated[
        EInvoiceInfo | None,
        Field(description="Set when the result was read from a structured e-invoice"),
    ] = None
