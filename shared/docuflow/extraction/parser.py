"""Reading Textract responses into invoice fields with candidates, line items and hints.

Accepts AnalyzeExpense / GetExpenseAnalysis and AnalyzeDocument / GetDocumentAnalysis
(FORMS + TABLES) responses: one response, the pages of a paginated result in order, or
both kinds for the same document (OCR_MODE=both). The input is trusted for nothing: a
missing key, a wrong type or a relationship to a block that is not there becomes a
warning, never an exception.

The parts, in the order they run:
- `textract`: tolerant access to the JSON, and sorting the responses by API;
- `forms` and `expense`: the two readers; every reading of a field becomes a candidate
  (`candidates.Reading`) with its evidence;
- `from_text`: readings from the printed lines, for fields neither reader found;
- `hints`: what the document as a whole says (receivers are not the vendor, currency,
  day/month order, credit note, document type);
- `amounts`: every amount read again in the document's currency and decimal mark;
- `choosing`: the best reading of each field by the weights of `evidence.WEIGHTS`; the
  others are kept as alternatives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from docuflow.extraction import amounts, from_text, hints
from docuflow.extraction.candidates import Findings, Reading
from docuflow.extraction.choosing import choose, rank, score
from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.expense import read_expense
from docuflow.extraction.forms import read_document
from docuflow.extraction.result import (
    FIELD_NAMES,
    DocumentType,
    ExtractedField,
    LineItem,
    OtherField,
    ReviewReason,
)
from docuflow.extraction.textract import split_responses


class ParsedDocument(BaseModel):
    """What the parser read, before checks: chosen fields, line items and hints."""

    model_config = ConfigDict(extra="forbid")

    document_type: DocumentType
    pages: Annotated[int, Field(ge=0)]
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    line_items: list[LineItem] = Field(default_factory=list)
    other_fields: list[OtherField] = Field(default_factory=list)
    warnings: Annotated[
        list[str], Field(description="Things the parser could not read, in words")
    ] = Field(default_factory=list)
    review_hints: Annotated[
        list[ReviewReason],
        Field(description="Doubts found while reading (ambiguous date, shared '$' symbol)"),
    ] = Field(default_factory=list)
    credit_note: Annotated[
        bool,
        Field(description="Titled a credit note (Credit note, Gutschrift, Avoir, Creditnota)"),
    ] = False


def parse_responses(responses: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> ParsedDocument:
    """Read one document's Textract responses into a ParsedDocument.

    `responses` is one response or the pages of a paginated Get* result in order; expense
    and document responses may be mixed (OCR_MODE=both) and their candidates are pooled.
    Raises UnreadableResponse when the input is not Textract output at all; anything
    else it cannot read becomes a warning and a review hint.
    """
    batch = split_responses(responses)
    findings = Findings(page_count=batch.declared_pages, warnings=batch.warnings, hints=batch.hints)
    if batch.document_blocks:
        read_document(findings, batch.document_blocks)
    seen_lines: set[str] = set()
    for response in batch.expense:
        # With both APIs the document's LINEs are already read; the expense ones repeat them
        # (and newer expense responses repeat them per ExpenseDocument too, hence the ids).
        read_expense(findings, response, seen_lines, with_lines=not batch.document_blocks)
    return _finish(findings, findings.pages)


def _named_by_a_reader(readings: list[Reading]) -> bool:
    """Whether a Textract reading names the field (a type or a printed label), not only a
    fallback such as the amount due offered as the total: then the text finder's readings
    are not needed."""
    return any(score(reading) >= WEIGHTS.printed_label for reading in readings)


def _finish(findings: Findings, pages: int) -> ParsedDocument:
    for name, offered in from_text.fields_from_lines(findings.lines, pages).items():
        if name in FIELD_NAMES and not _named_by_a_reader(findings.candidates.get(name, [])):
            findings.candidates.setdefault(name, []).extend(offered)
    hints.drop_receivers_as_vendor(findings)
    hints.currency_from_lines(findings)
    currency = rank("currency", findings.candidates.get("currency", []), pages)
    code = currency[0].value if currency else None
    mark = amounts.settle_amounts(findings, code)
    hints.settle_dates(findings, code)
    fields: dict[str, ExtractedField] = {}
    for name in FIELD_NAMES:
        readings = findings.candidates.get(name)
        if readings:
            fields[name], chosen = choose(name, readings, pages, findings.candidates)
            for doubt in (
                hints.ambiguous_date_hint(name, chosen),
                amounts.ambiguous_amount_hint(name, chosen),
            ):
                if doubt is not None:
                    findings.hints.append(doubt)
    hints.currency_hints(findings, fields)
    hints.multiple_invoices_hint(findings)
    # With both APIs the expense line items and the table rows are the same items: the
    # expense ones are kept, being typed by Textract itself.
    line_items, doubts = amounts.read_items(
        findings.expense_items or findings.table_items, code, mark
    )
    findings.hints.extend(doubts)
    credit_note = hints.is_credit_note(findings)
    return ParsedDocument(
        document_type=hints.document_type(findings, fields, line_items, credit_note=credit_note),
        credit_note=credit_note,
        pages=pages,
        fields=fields,
        line_items=line_items,
        other_fields=findings.other_fields,
        warnings=findings.warnings,
        review_hints=findings.hints,
    )
