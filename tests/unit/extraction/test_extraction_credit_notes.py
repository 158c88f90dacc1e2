"""Credit notes are invoice documents: titled as one in any language, or negative totals."""

from __future__ import annotations

from typing import Any

import pytest
from _extraction_builders import expense_field, expense_response

from docuflow.extraction import analyze, parse_responses
from docuflow.extraction.result import DocumentType
from docuflow_tools.samples import expense_recording, make_invoice


def with_lines(response: dict[str, Any], *texts: str) -> dict[str, Any]:
    """`response` with printed LINE blocks, as newer AnalyzeExpense responses carry them."""
    response["Blocks"] = [
        {
            "BlockType": "LINE",
            "Id": f"line-{number}",
            "Text": text,
            "Confidence": 99.0,
            "Page": 1,
            "Geometry": {
                "BoundingBox": {"Left": 0.1, "Top": 0.05 * number, "Width": 0.3, "Height": 0.02}
            },
        }
        for number, text in enumerate(texts, start=1)
    ]
    return response


def credit_summary(total: str = "-120.00") -> list[dict[str, Any]]:
    # No due date and no payment terms: nothing but the title says "invoice".
    return [
        expense_field("VENDOR_NAME", "Rheinwerk Logistik GmbH"),
        expense_field("INVOICE_RECEIPT_ID", "CN-42", label="No."),
        expense_field("INVOICE_RECEIPT_DATE", "2025-01-03", label="Date"),
        expense_field("SUBTOTAL", "-100.00", label="Subtotal", currency="EUR"),
        expense_field("TAX", "-20.00", label="Tax", currency="EUR"),
        expense_field("TOTAL", total, label="Total", currency="EUR"),
    ]


@pytest.mark.parametrize(
    "title",
    [
        "CREDIT NOTE",
        "Credit Memo",
        "GUTSCHRIFT",
        "Gutschrift",
        "AVOIR",
        "Avoir n° A-17",
        "Creditnota",
    ],
)
def test_a_titled_credit_note_is_an_invoice_not_a_receipt(title: str) -> None:
    response = with_lines(expense_response(credit_summary()), "Rheinwerk Logistik GmbH", title)
    result = analyze(response)
    assert result.document_type is DocumentType.INVOICE
    assert result.checks["is_invoice"].status == "pass"
    assert result.checks["credit_note"].status == "pass"
    assert "NOT_AN_INVOICE" not in {r.code for r in result.routing.reasons}
    assert result.routing.status == "COMPLETED"


def test_a_negative_total_with_an_invoice_number_is_an_invoice_even_untitled() -> None:
    parsed = parse_responses(expense_response(credit_summary()))
    assert parsed.document_type is DocumentType.INVOICE
    assert not parsed.credit_note


def test_a_positive_total_on_a_titled_credit_note_goes_to_review() -> None:
    response = with_lines(expense_response(credit_summary("120.00")), "Gutschrift")
    result = analyze(response)
    assert result.document_type is DocumentType.INVOICE
    assert "CREDIT_NOTE_NOT_NEGATIVE" in {r.code for r in result.routing.reasons}


def test_avoir_as_a_french_verb_does_not_make_a_receipt_a_credit_note() -> None:
    response = with_lines(
        expense_response([expense_field("TOTAL", "12.00", label="Total", currency="EUR")]),
        "Merci de nous avoir choisis",
        "Carte bancaire",
    )
    parsed = parse_responses(response)
    assert not parsed.credit_note
    assert parsed.document_type is DocumentType.RECEIPT


@pytest.mark.parametrize("language", ["en", "de", "fr", "nl"])
def test_generated_credit_notes_without_a_due_date_read_as_invoices(language: str) -> None:
    # Given the generator's credit note (negative amounts, no due date or terms) as the
    # AnalyzeExpense response Textract would ideally give for it
    invoice = make_invoice(5, language=language, credit_note=True, with_due_date=False)
    result = analyze(expense_recording(invoice))
    # Then it is an invoice document whose negative total is a credit, not a receipt.
    assert result.document_type is DocumentType.INVOICE
    assert result.fields["total_amount"].value == f"{invoice.total_amount:.2f}"
    assert result.checks["credit_note"].status == "pass"
    assert "NOT_AN_INVOICE" not in {r.code for r in result.routing.reasons}
