"""Structured e-invoices read exactly: UBL 2.1, UN/CEFACT CII (ZUGFeRD 2, Factur-X,
XRechnung), ZUGFeRD 1.0 and Svefaktura, as XML or inside a hybrid PDF.

`detect(data)` says whether a document is (or carries) an e-invoice; `read(data)` reads it
into what the shared checks take (`Reading`); `result(reading, settings, duplicates)` is
the routed `ExtractionResult`, the same contract as the OCR path's. `analyze(data)` does
both. The parts:

- `safe_xml`: parsing hostile XML (no DTD, no entities, no network, size and depth limits);
- `syntax`: which syntax a root is, and its flavour ("XRechnung CII");
- `terms`, `reader`: the table of XPaths per business term, and reading by it;
- `rules`: EN 16931's rules, each failure a sentence naming the business term;
- `mapping`: business terms to DocuFlow's fields, line items, VAT and allowances;
- `pdf`, `visible`: a hybrid PDF's attachment and text, and the text against the XML.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuflow.domain.errors import UnreadableEInvoice
from docuflow.einvoice import mapping, pdf, rules, visible
from docuflow.einvoice.reader import read_einvoice
from docuflow.einvoice.safe_xml import parse_xml
from docuflow.einvoice.syntax import syntax_of
from docuflow.extraction.checks import DuplicateEvidence, ScoringSettings, score
from docuflow.extraction.parser import ParsedDocument
from docuflow.extraction.result import (
    AllowanceCharge,
    Check,
    EInvoiceInfo,
    ExtractionResult,
    TaxSubtotal,
)

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Detection(BaseModel):
    """What validation learns about an e-invoice upload, for the state machine's branch."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    container: Annotated[Literal["xml", "pdf"], Field(description="XML upload or hybrid PDF")]
    syntax: str
    flavour: str
    attachment: str | None = None


class Reading(BaseModel):
    """An e-invoice read and checked, before duplicates are known."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parsed: ParsedDocument
    checks: dict[str, Check]
    tax_breakdown: list[TaxSubtotal]
    allowances_charges: list[AllowanceCharge]
    einvoice: EInvoiceInfo


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def looks_like_xml(head: bytes) -> bool:
    """Whether the first bytes start an XML document (after a byte order mark and space)."""
    if head.startswith(_UTF16_BOMS) or head.startswith((b"<\x00", b"\x00<")):
        return True
    return head.removeprefix(_UTF8_BOM).lstrip().startswith(b"<")


def _xml_of(data: bytes) -> tuple[bytes, str | None]:
    """The invoice XML of `data` and the attachment it came from (None for plain XML)."""
    if is_pdf(data):
        found = pdf.embedded_xml(data)
        if found is None:
            raise UnreadableEInvoice("The PDF carries no e-invoice XML.")
        name, xml = found
        return xml, name
    return data, None


def detect(data: bytes) -> Detection | None:
    """The e-invoice `data` is or carries, or None for a document to OCR.

    An XML document that is no e-invoice, or is hostile, raises UnreadableEInvoice: there
    is nothing else to read in it. A PDF whose attachment cannot be read is a PDF to OCR.
    """
    if is_pdf(data):
        try:
            xml, attachment = _xml_of(data)
            root = parse_xml(xml, name=f"The PDF's attachment {attachment}")
            syntax = syntax_of(root, name=f"The PDF's attachment {attachment}")
        except UnreadableEInvoice:
            return None
        container: Literal["xml", "pdf"] = "pdf"
    elif looks_like_xml(data[:64]):
        root = parse_xml(data, name="The uploaded XML")
        syntax = syntax_of(root, name="The uploaded XML")
        attachment, container = None, "xml"
    else:
        return None
    invoice = read_einvoice(root, attachment=attachment)
    return Detection(
        container=container, syntax=syntax.value, flavour=invoice.flavour, attachment=attachment
    )


def read(data: bytes) -> Reading:
    """Read and check the e-invoice `data` is or carries.

    Raises UnreadableEInvoice when there is none, or the XML is refused.
    """
    xml, attachment = _xml_of(data)
    name = f"The PDF's attachment {attachment}" if attachment else "The XML"
    invoice = read_einvoice(parse_xml(xml, name=name), attachment=attachment)
    findings = rules.check(invoice)
    checks, hints = mapping.checks_and_reasons(invoice, findings)
    pages = 0
    if attachment is not None:
        pages = pdf.page_count(data)
        check, reasons = visible.compare(invoice, pdf.visible_text(data))
        checks[visible.CHECK] = check
        hints += reasons
    extras = mapping.extras(invoice)
    return Reading(
        parsed=mapping.parsed_document(invoice, pages=pages, hints=hints),
        checks=checks,
        tax_breakdown=extras.tax_breakdown,
        allowances_charges=extras.allowances_charges,
        einvoice=extras.einvoice,
    )


def result(
    reading: Reading,
    settings: ScoringSettings | None = None,
    duplicates: DuplicateEvidence | None = None,
) -> ExtractionResult:
    """The routed result: the shared checks (duplicates, due date, IBAN, ...) with the
    e-invoice's own in place of the shared totals, lines, currency and required fields."""
    scored = score(
        reading.parsed, settings or ScoringSettings(), duplicates, reader_checks=reading.checks
    )
    return scored.model_copy(
        update={
            "tax_breakdown": reading.tax_breakdown,
            "allowances_charges": reading.allowances_charges,
            "einvoice": reading.einvoice,
        }
    )


def analyze(
    data: bytes,
    settings: ScoringSettings | None = None,
    duplicates: DuplicateEvidence | None = None,
) -> ExtractionResult:
    """`read` then `result`: the whole e-invoice path in one call."""
    return result(read(data), settings, duplicates)


__all__ = [
    "Detection",
    "Reading",
    "UnreadableEInvoice",
    "analyze",
    "detect",
    "is_pdf",
    "looks_like_xml",
    "read",
    "result",
]
