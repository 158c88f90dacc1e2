"""Choosing among candidates, settling dates and currencies, line items from tables.

Built responses (see _extraction_builders) isolate one rule each.
"""

from __future__ import annotations

import pytest
from _extraction_builders import (
    DocumentBuilder,
    expense_field,
    expense_item,
    expense_response,
)

from docuflow.extraction import analyze, parse_responses
from docuflow.extraction.candidates import Reading, found_in_lines
from docuflow.extraction.result import FieldSource


def text_reading(name: str, value: str, confidence: float) -> Reading:
    """A reading as the text finder offers it, on page 1."""
    return Reading(
        name, value, value, confidence, 1, None, FieldSource.TEXT, None, found_in_lines(confidence)
    )


def test_receiver_and_bill_to_names_never_become_the_vendor() -> None:
    response = expense_response(
        [
            # Textract sometimes types the customer's name as a VENDOR_NAME as well.
            expense_field("VENDOR_NAME", "Big Customer Inc", confidence=99.9, top=0.3),
            expense_field("RECEIVER_NAME", "Big Customer Inc", label="Bill To:"),
            expense_field("NAME", "Ship Place LLC", groups=["RECEIVER_SHIP_TO"]),
            expense_field("VENDOR_NAME", "Real Supplier GmbH", confidence=90.0, top=0.05),
        ]
    )
    parsed = parse_responses(response)
    vendor = parsed.fields["vendor_name"]
    assert vendor.value == "Real Supplier GmbH"
    assert [alt.value for alt in vendor.alternatives] == []
    assert {"Big Customer Inc", "Ship Place LLC"} <= {o.value for o in parsed.other_fields}


def test_forms_bill_to_block_is_not_the_vendor() -> None:
    doc = DocumentBuilder()
    doc.key_value("Bill To:", ["Customer Corp", "1 Main St"])
    doc.key_value("From:", ["Supplier Ltd", "9 High St", "billing@supplier.test"])
    parsed = parse_responses(doc.response())
    assert parsed.fields["vendor_name"].value == "Supplier Ltd"
    assert parsed.fields["vendor_address"].value == "9 High St"
    assert ("From e-mail", "billing@supplier.test") in {
        (o.key, o.value) for o in parsed.other_fields
    }
    assert "Customer Corp" in {o.value.splitlines()[0] for o in parsed.other_fields}


@pytest.mark.parametrize(
    ("kind", "label", "field"),
    [
        ("TOTAL", "Subtotal", "subtotal"),
        ("SUBTOTAL", "Grand Total", "total_amount"),
        ("TOTAL", "VAT", "tax_amount"),
    ],
)
def test_printed_label_wins_over_a_contradicting_type(kind: str, label: str, field: str) -> None:
    response = expense_response([expense_field(kind, "100.00", label=label)])
    parsed = parse_responses(response)
    assert parsed.fields[field].value == "100.00"
    assert parsed.fields[field].label == label


def test_the_total_that_adds_up_is_chosen_among_several() -> None:
    response = expense_response(
        [
            expense_field("SUBTOTAL", "100.00", label="Subtotal"),
            expense_field("TAX", "20.00", label="VAT"),
            # The higher-confidence "TOTAL" is the subtotal repeated in the items table.
            expense_field("TOTAL", "100.00", label="Total", confidence=99.9, top=0.5),
            expense_field("TOTAL", "120.00", label="Total", confidence=95.0, top=0.8),
        ]
    )
    result = analyze(response)
    assert result.fields["total_amount"].value == "120.00"
    assert [alt.value for alt in result.fields["total_amount"].alternatives] == ["100.00"]
    assert result.checks["totals_add_up"].status == "pass"


def test_day_month_ambiguity_is_a_review_reason_with_both_readings() -> None:
    response = expense_response(
        [
            expense_field("INVOICE_RECEIPT_DATE", "03/04/2021", label="Invoice date"),
            expense_field("TOTAL", "10.00", label="Total", currency=None),
        ]
    )
    result = analyze(response)
    date = result.fields["document_date"]
    assert date.value == "2021-03-04"
    assert [alt.value for alt in date.alternatives] == ["2021-04-03"]
    reasons = {(r.code, r.field) for r in result.routing.reasons}
    assert ("DATE_AMBIGUOUS", "document_date") in reasons
    assert result.routing.status == "NEEDS_REVIEW"


@pytest.mark.parametrize(
    ("other_date", "currency", "expected", "flagged"),
    [
        ("25/04/2021", None, "2021-04-03", False),  # another date proves day first
        ("04/25/2021", None, "2021-03-04", False),  # another date proves month first
        ("04/25/2021", "CHF", "2021-03-04", False),  # the document's dates beat the currency
        # A date printed another way proves nothing about how "03/04/2021" was meant.
        ("25.04.2021", None, "2021-03-04", True),
        ("2021-04-25", None, "2021-03-04", True),
        # The currency is no proof (a Swiss vendor may print US dates): its usual order
        # only picks the reading shown first, and the date stays a review reason.
        (None, "EUR", "2021-04-03", True),
        (None, "CHF", "2021-04-03", True),
        (None, "USD", "2021-03-04", True),
    ],
)
def test_only_the_documents_own_dates_settle_day_and_month(
    other_date: str | None, currency: str | None, expected: str, flagged: bool
) -> None:
    fields = [expense_field("INVOICE_RECEIPT_DATE", "03/04/2021", label="Invoice date")]
    if other_date:
        fields.append(expense_field("DUE_DATE", other_date, label="Due date"))
    fields.append(expense_field("TOTAL", "$10.00", label="Total", currency=currency))
    result = analyze(expense_response(fields))
    assert result.fields["document_date"].value == expected
    reasons = {(r.code, r.field) for r in result.routing.reasons}
    assert (("DATE_AMBIGUOUS", "document_date") in reasons) is flagged
    if flagged:
        assert result.routing.status == "NEEDS_REVIEW"
        other = "2021-04-03" if expected == "2021-03-04" else "2021-03-04"
        assert other in {alt.value for alt in result.fields["document_date"].alternatives}


def test_a_us_date_on_a_swiss_franc_invoice_is_not_completed_with_day_and_month_swapped() -> None:
    # Given the eval's case: "07/06/2025" printed US style (July 6) on an invoice in CHF,
    # with nothing else on the page proving the order.
    doc = DocumentBuilder()
    doc.line("Alpine Tools AG")
    doc.line("INVOICE")
    doc.key_value("Invoice No:", ["INV-7"])
    doc.key_value("Invoice Date:", ["07/06/2025"])
    doc.key_value("Subtotal", ["1,000.00 CHF"])
    doc.key_value("VAT 8.1%", ["81.00 CHF"])
    doc.key_value("Total", ["1,081.00 CHF"])
    # When it is parsed and scored
    result = analyze(doc.response())
    # Then the date is a review reason offering both readings, never a silent guess.
    assert result.fields["currency"].value == "CHF"
    date = result.fields["document_date"]
    assert {date.value, *(alt.value for alt in date.alternatives)} >= {"2025-07-06", "2025-06-07"}
    assert ("DATE_AMBIGUOUS", "document_date") in {
        (r.code, r.field) for r in result.routing.reasons
    }
    assert result.routing.status == "NEEDS_REVIEW"


def test_conflicting_date_clues_leave_the_date_flagged() -> None:
    doc = DocumentBuilder()
    doc.key_value("Invoice Date", ["03/04/2021"])
    doc.line("Delivered 25/04/2021, ordered 04/26/2021")
    result = analyze(doc.response())
    assert "DATE_AMBIGUOUS" in {r.code for r in result.routing.reasons}


def test_an_iso_code_anywhere_settles_a_shared_dollar_sign() -> None:
    doc = DocumentBuilder()
    doc.key_value("Total", ["$110.00"])
    doc.line("All amounts in AUD")
    parsed = parse_responses(doc.response())
    assert parsed.fields["currency"].value == "AUD"
    assert parsed.fields["currency"].source is FieldSource.TEXT
    assert "CURRENCY_AMBIGUOUS" not in {hint.code for hint in parsed.review_hints}


@pytest.mark.parametrize(
    ("printed", "currency"), [("€ 1.234,56", "EUR"), ("1 234,56 SEK", "SEK"), ("£12.00", "GBP")]
)
def test_unique_symbols_and_codes_give_the_currency(printed: str, currency: str) -> None:
    doc = DocumentBuilder()
    doc.key_value("Total", [printed])
    result = analyze(doc.response())
    assert result.fields["currency"].value == currency
    assert result.checks["currency_known"].status == "pass"


@pytest.mark.parametrize(("symbol", "code"), [("¥", "JPY"), ("kr", "SEK"), ("$", "USD")])
def test_shared_symbols_without_a_clue_are_flagged(symbol: str, code: str) -> None:
    doc = DocumentBuilder()
    doc.key_value("Total", [f"{symbol} 100"])
    result = analyze(doc.response())
    assert "currency" not in result.fields
    check = result.checks["currency_known"]
    assert check.status == "fail"
    assert symbol in check.message and code in check.message


def test_credit_note_amounts_stay_negative() -> None:
    doc = DocumentBuilder()
    doc.line("CREDIT NOTE")
    doc.key_value("Invoice Number", ["CN-7"])
    doc.key_value("Subtotal", ["(100.00)"])
    doc.key_value("VAT", ["20.00-"])
    doc.key_value("Total", ["120.00 CR"])
    result = analyze(doc.response())
    assert result.fields["subtotal"].value == "-100.00"
    assert result.fields["tax_amount"].value == "-20.00"
    assert result.fields["total_amount"].value == "-120.00"
    assert result.checks["totals_add_up"].status == "pass"


def test_line_items_from_a_table_with_german_headers() -> None:
    doc = DocumentBuilder()
    doc.line("Rechnung")
    doc.table(
        [
            ["Pos", "Bezeichnung", "Menge", "Einzelpreis", "Betrag"],
            ["1", "Beratung", "2", "100,00 €", "200,00 €"],
            ["2", "Reisekosten", "1", "50,00 €", "50,00 €"],
            ["", "Zwischensumme", "", "", "250,00 €"],
        ]
    )
    result = analyze(doc.response())
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in result.line_items] == [
        ("Beratung", "2", "100.00", "200.00"),
        ("Reisekosten", "1", "50.00", "50.00"),
    ]
    assert all(item.source is FieldSource.TABLES for item in result.line_items)
    assert result.document_type.value == "invoice"


def test_a_table_continued_on_the_next_page_without_header() -> None:
    doc = DocumentBuilder(pages=2)
    doc.table([["Description", "Qty", "Amount"], ["Widget", "1", "10.00"]], page=1)
    doc.table([["Gadget", "2", "30.00"]], page=2, header=False)
    parsed = parse_responses(doc.response())
    assert [(item.description, item.page) for item in parsed.line_items] == [
        ("Widget", 1),
        ("Gadget", 2),
    ]


def test_tables_without_item_headers_give_no_line_items() -> None:
    doc = DocumentBuilder()
    doc.table([["Start Date", "End Date", "Employer Name"], ["1/15/2009", "6/30/2011", "Any"]])
    assert parse_responses(doc.response()).line_items == []


def test_expense_line_items_check_quantity_times_price() -> None:
    response = expense_response(
        [expense_field("SUBTOTAL", "70.00", label="Subtotal")],
        items=[
            expense_item("A", "40.00", quantity="2", unit_price="20.00"),
            expense_item("B", "30.00", quantity="3", unit_price="9.00"),
        ],
    )
    result = analyze(response)
    check = result.checks["line_items_sum"]
    assert check.status == "fail"
    assert "3 x 9.00" in check.message


def test_several_invoices_in_one_file_are_flagged() -> None:
    response = expense_response(
        [expense_field("INVOICE_RECEIPT_ID", "A-1", label="Invoice No")],
        [expense_field("INVOICE_RECEIPT_ID", "B-2", label="Invoice No", page=2)],
        pages=2,
    )
    parsed = parse_responses(response)
    assert "MULTIPLE_INVOICES" in {hint.code for hint in parsed.review_hints}
    assert {parsed.fields["invoice_number"].value} | {
        alt.value for alt in parsed.fields["invoice_number"].alternatives
    } == {"A-1", "B-2"}


def test_unreadable_values_are_kept_and_flagged() -> None:
    response = expense_response(
        [
            expense_field("TOTAL", "see attached", label="Total"),
            expense_field("DUE_DATE", "upon receipt", label="Due"),
        ]
    )
    parsed = parse_responses(response)
    assert "total_amount" not in parsed.fields
    assert "due_date" not in parsed.fields
    assert {(h.code, h.field) for h in parsed.review_hints} == {
        ("UNREADABLE_VALUE", "total_amount"),
        ("UNREADABLE_VALUE", "due_date"),
    }
    assert {o.value for o in parsed.other_fields} == {"see attached", "upon receipt"}


def test_relationships_to_missing_blocks_become_a_warning() -> None:
    doc = DocumentBuilder()
    doc.key_value("Invoice Number", ["INV-1"])
    response = doc.response()
    response["Blocks"] = [b for b in response["Blocks"] if b.get("Text") != "INV-1"]
    result = analyze(response)
    assert "invoice_number" not in result.fields
    assert any("not in the response" in warning for warning in result.warnings)
    assert result.routing.status == "NEEDS_REVIEW"


def test_text_candidates_fill_only_fields_textract_left_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docuflow.extraction import from_text

    seen: dict[str, object] = {}

    def fake_fields_from_lines(lines: object, page_count: int) -> dict[str, list[Reading]]:
        seen["lines"], seen["pages"] = lines, page_count
        return {
            name: [text_reading(name, value, 90)]
            for name, value in (("invoice_number", "TXT-9"), ("purchase_order", "PO-TXT"))
        }

    monkeypatch.setattr(from_text, "fields_from_lines", fake_fields_from_lines)
    doc = DocumentBuilder()
    doc.key_value("Invoice Number", ["INV-1"])
    doc.line("Some other line")
    parsed = parse_responses(doc.response())
    assert parsed.fields["invoice_number"].value == "INV-1"
    assert parsed.fields["purchase_order"].value == "PO-TXT"
    assert parsed.fields["purchase_order"].source is FieldSource.TEXT
    assert seen["pages"] == 1
    assert "Some other line" in [line.text for line in seen["lines"]]  # type: ignore[attr-defined]


def test_text_candidates_from_the_bill_to_block_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docuflow.extraction import from_text

    def fake_fields_from_lines(lines: object, page_count: int) -> dict[str, list[Reading]]:
        return {
            name: [text_reading(name, value, 85)]
            for name, value in (
                ("vendor_name", "Test Business"),
                ("remittance_email", "test@test.com"),
                ("remittance_phone", "+1 555 0100"),
            )
        }

    monkeypatch.setattr(from_text, "fields_from_lines", fake_fields_from_lines)
    doc = DocumentBuilder()
    doc.key_value("To:", ["Test Business", "123 Somewhere St", "test@test.com"])
    parsed = parse_responses(doc.response())
    # The customer's name and e-mail are not the vendor's; an unrelated phone is kept.
    assert set(parsed.fields) == {"remittance_phone"}


@pytest.mark.parametrize(
    ("fields", "value", "label"),
    [
        # The vendor's phone is the contact for remittance; where it came from stays visible.
        ([expense_field("VENDOR_PHONE", "+49 30 1234 567")], "+49 30 1234 567", "Vendor phone"),
        (
            [expense_field("VENDOR_PHONE", "+49 30 1234 567", label="Tel.:")],
            "+49 30 1234 567",
            "Tel.:",
        ),
        # A phone printed as the remittance phone is surer than the vendor's own.
        (
            [
                expense_field("VENDOR_PHONE", "+49 30 1234 567"),
                expense_field("OTHER", "+49 30 9999 000", label="Remittance phone"),
            ],
            "+49 30 9999 000",
            "Remittance phone",
        ),
        # The customer's phone never, and a fragment is no phone number.
        ([expense_field("RECEIVER_PHONE", "+1 555 0100 200")], None, None),
        ([expense_field("VENDOR_PHONE", "+1")], None, None),
    ],
)
def test_the_vendor_phone_is_the_remittance_phone_with_its_label_kept(
    fields: list[dict[str, object]], value: str | None, label: str | None
) -> None:
    parsed = parse_responses(expense_response(fields))
    phone = parsed.fields.get("remittance_phone")
    if value is None:
        assert phone is None
        return
    assert phone is not None
    assert (phone.value, phone.label, phone.source) == (value, label, FieldSource.EXPENSE)


def test_a_column_named_plainly_wins_its_role_over_a_unit_of_measure_column() -> None:
    doc = DocumentBuilder()
    doc.table([["Description", "Unit", "Qty", "Amount"], ["Paper", "box", "3", "30.00"]])
    result = analyze(doc.response())
    assert [(i.description, i.quantity, i.amount) for i in result.line_items] == [
        ("Paper", "3", "30.00")
    ]


def test_a_totals_label_under_a_figure_column_is_not_an_item() -> None:
    doc = DocumentBuilder()
    doc.table(
        [
            ["Pos.", "Artikelbeschreibung", "Menge", "Preis", "Betrag"],
            ["1", "Superdrachen", "2", "20,00", "40,00"],
            ["", "", "Rechnungssumme netto", "", "40,00"],
            ["", "", "zuzüglich 19% MwSt.", "", "7,60"],
        ]
    )
    result = analyze(doc.response())
    assert [(i.description, i.quantity, i.amount) for i in result.line_items] == [
        ("Superdrachen", "2", "40.00")
    ]
