"""Whole documents: every amount read in the document's currency and decimal mark, and
what neither settles routed to review with both readings, never completed as a guess."""

from __future__ import annotations

from typing import Any

import pytest
from _extraction_builders import DocumentBuilder, expense_field, expense_item, expense_response

from docuflow.extraction import analyze
from docuflow.extraction.result import ExtractionResult


def invoice(
    subtotal: str,
    tax: str,
    total: str,
    *,
    currency: str | None,
    items: list[tuple[str, str, str, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """A complete, clean expense response; `currency` is the code Textract reports with
    the total (None: the document names none)."""
    return expense_response(
        [
            expense_field("VENDOR_NAME", "Gulf Supplies W.L.L.", top=0.02),
            expense_field("INVOICE_RECEIPT_ID", "INV-77", label="Invoice No."),
            expense_field("INVOICE_RECEIPT_DATE", "2026-03-01", label="Invoice date"),
            expense_field("SUBTOTAL", subtotal, label="Subtotal", top=0.8),
            expense_field("TAX", tax, label="VAT", top=0.85),
            expense_field("TOTAL", total, label="Total", currency=currency, top=0.9),
        ],
        items=[
            expense_item(name, amount, quantity=quantity, unit_price=price)
            for name, quantity, price, amount in items
        ],
    )


def codes(result: ExtractionResult) -> set[tuple[str, str | None]]:
    return {(reason.code, reason.field) for reason in result.routing.reasons}


def test_a_bahraini_dinar_invoice_is_read_in_fils_not_a_thousand_times_too_high() -> None:
    # Given a clean BHD invoice: three decimals everywhere, the currency named only by
    # Textract's code on the total
    result = analyze(
        invoice(
            "90.000",
            "10.125",
            "100.125",
            currency="BHD",
            items=[("Cable", "2", "20.000", "40.000"), ("Switch", "1", "50.000", "50.000")],
        )
    )
    # Then every amount is in dinars with three decimals, and it completes on its checks
    fields = {name: result.fields[name].value for name in ("subtotal", "tax_amount")}
    assert fields == {"subtotal": "90.000", "tax_amount": "10.125"}
    assert result.fields["total_amount"].value == "100.125"
    assert [(i.unit_price, i.amount) for i in result.line_items] == [
        ("20.000", "40.000"),
        ("50.000", "50.000"),
    ]
    assert result.checks["totals_add_up"].message == (
        "Subtotal 90.000 plus tax 10.125 equals the total 100.125."
    )
    assert result.routing.status == "COMPLETED", result.routing.reasons


def test_a_yen_invoice_has_no_decimals_and_its_thousands_are_thousands() -> None:
    result = analyze(invoice("1,000", "100", "¥1,100", currency="JPY"))
    values = [result.fields[name].value for name in ("subtotal", "tax_amount", "total_amount")]
    assert values == ["1000", "100", "1100"]
    assert result.routing.status == "COMPLETED", result.routing.reasons


def test_checks_allow_one_minor_unit_of_rounding_in_the_documents_currency() -> None:
    # A yen of rounding passes in JPY; a fils over in BHD does not.
    assert analyze(invoice("1,000", "83", "1,084", currency="JPY")).checks[
        "totals_add_up"
    ].status == ("pass")
    assert analyze(invoice("90.000", "10.125", "100.127", currency="BHD")).checks[
        "totals_add_up"
    ].status == ("fail")


def test_amounts_nothing_settles_are_a_review_reason_with_both_readings() -> None:
    # Given amounts that are "digits, one mark, three digits" or have no mark, and no
    # currency at all: read as thousands they add up, so no check would catch a mistake
    result = analyze(
        invoice("1.000", "234", "1.234", currency=None, items=[("Work", "1", "1.000", "1.000")])
    )
    # Then each is a review reason naming the field and both readings, never completed
    assert result.routing.status == "NEEDS_REVIEW"
    reasons = {r.field: r.message for r in result.routing.reasons if r.code == "AMOUNT_AMBIGUOUS"}
    assert set(reasons) == {"subtotal", "total_amount", "line_items"}
    assert "'1.234' could be 1234.00 or 1.234" in reasons["total_amount"]
    assert "'1.000' (1000.00 or 1.00)" in reasons["line_items"]
    assert result.checks["totals_add_up"].status == "pass"


def test_an_amount_that_cannot_be_a_thousands_group_proves_the_decimal_mark() -> None:
    # "0.234" has a leading zero: "." is its decimal mark, and so the document's.
    result = analyze(invoice("1.000", "0.234", "1.234", currency=None))
    values = [result.fields[name].value for name in ("subtotal", "tax_amount", "total_amount")]
    assert values == ["1.00", "0.234", "1.234"]
    assert "AMOUNT_AMBIGUOUS" not in {code for code, _ in codes(result)}


@pytest.mark.parametrize(
    ("subtotal", "total", "value"),
    [
        # Another amount proves "," is the decimal mark: "1.234" is a thousand and more.
        ("1.000,00", "1.234", "1234.00"),
        # Another amount proves "." is the decimal mark: "1.234" has three decimals.
        ("1.00", "1.234", "1.234"),
    ],
)
def test_the_documents_other_amounts_settle_a_lone_mark(
    subtotal: str, total: str, value: str
) -> None:
    result = analyze(invoice(subtotal, "234", total, currency=None))
    assert result.fields["total_amount"].value == value
    assert "AMOUNT_AMBIGUOUS" not in {code for code, _ in codes(result)}


def test_forms_and_table_amounts_are_settled_the_same_way() -> None:
    # Given an AnalyzeDocument invoice in Kuwaiti dinars, named only in the total's text
    doc = DocumentBuilder()
    doc.key_value("Invoice Number:", ["K-1"])
    doc.key_value("Subtotal:", ["1,100.125"])
    doc.key_value("Total:", ["KWD 1,100.125"])
    doc.table(
        [["Description", "Qty", "Unit price", "Amount"], ["Service", "1", "100.125", "100.125"]]
    )
    result = analyze(doc.response())
    assert result.fields["subtotal"].value == "1100.125"
    assert result.fields["total_amount"].value == "1100.125"
    assert [(i.unit_price, i.amount) for i in result.line_items] == [("100.125", "100.125")]
    assert "AMOUNT_AMBIGUOUS" not in {code for code, _ in codes(result)}
