"""Header fields from printed lines: labels in four languages, positions, honest confidences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.from_text import fields_from_lines
from docuflow.extraction.lines import TextLine
from docuflow.extraction.result import (
    DATE_FIELDS,
    FIELD_NAMES,
    MONEY_FIELDS,
    BoundingBox,
    FieldSource,
)
from docuflow_tools.offline_ocr import analyze_document_bytes
from docuflow_tools.samples import make_invoice, render_pdf


def line(
    text: str, left: float, top: float, *, size: float = 0.011, page: int = 1, conf: float = 99.5
) -> TextLine:
    width = 0.0055 * len(text) * size / 0.011
    return TextLine(
        text=text,
        page=page,
        confidence=conf,
        bbox=BoundingBox(left=left, top=top, width=width, height=size),
    )


def values(found: dict[str, Any]) -> dict[str, str]:
    return {name: candidates[0].value for name, candidates in found.items()}


def test_an_english_invoice_reads_its_header_and_totals() -> None:
    lines = [
        line("Northwind Supplies Ltd", 0.08, 0.05, size=0.02),
        line("12 Harbour Road", 0.08, 0.08),
        line("Leeds, LS1 4AP", 0.08, 0.093),
        line("INVOICE", 0.7, 0.05, size=0.03),
        line("Invoice No: INV-2024-0042", 0.6, 0.12),
        line("Invoice Date:", 0.6, 0.135),
        line("14 March 2024", 0.75, 0.135),
        line("Bill To:", 0.08, 0.2),
        line("Globex Retail Ltd", 0.08, 0.213, size=0.025),
        line("Description", 0.08, 0.3),
        line("Amount", 0.85, 0.3),
        line("Consulting", 0.08, 0.32),
        line("1,000.00", 0.85, 0.32),
        line("Subtotal", 0.65, 0.5),
        line("1,000.00", 0.85, 0.5),
        line("VAT 20%", 0.65, 0.515),
        line("200.00", 0.85, 0.515),
        line("Total", 0.65, 0.53),
        line("£1,200.00", 0.85, 0.53),
    ]
    found = fields_from_lines(lines, 1)
    got = values(found)
    assert got["vendor_name"] == "Northwind Supplies Ltd"
    assert got["vendor_address"] == "12 Harbour Road, Leeds, LS1 4AP"
    assert got["invoice_number"] == "INV-2024-0042"
    assert got["document_date"] == "2024-03-14"
    assert got["subtotal"] == "1000.00"
    assert got["tax_amount"] == "200.00"
    assert got["total_amount"] == "1200.00"
    assert got["currency"] == "GBP"
    for candidates in found.values():
        for candidate in candidates:
            assert candidate.source is FieldSource.TEXT
            assert candidate.confidence <= WEIGHTS.text_max_confidence
            assert candidate.page == 1 and candidate.bbox is not None


def test_the_vendor_is_never_taken_from_the_bill_to_block() -> None:
    lines = [
        line("RECHNUNG", 0.08, 0.05, size=0.03),
        line("Blauwal Technik GmbH", 0.6, 0.05, size=0.018),
        line("Rechnungsadresse:", 0.08, 0.15),
        # Bigger and higher-looking than the letterhead, but the customer's.
        line("Acme Holdings AG", 0.08, 0.165, size=0.024),
        line("Hauptstraße 5", 0.08, 0.19),
    ]
    found = fields_from_lines(lines, 1)
    names = [c.value for c in found["vendor_name"]]
    assert names[0] == "Blauwal Technik GmbH"
    assert "Acme Holdings AG" not in names


def test_small_sender_line_above_the_address_window_is_not_the_vendor() -> None:
    lines = [
        line("Zeewind Advies B.V.", 0.6, 0.05, size=0.018),
        line("Zeewind Advies B.V. · Dorpsstraat 3 · 3511 LX Utrecht", 0.08, 0.16, size=0.007),
        line("Factuuradres:", 0.08, 0.18),
        line("Hooli Systems N.V.", 0.08, 0.195),
    ]
    found = fields_from_lines(lines, 1)
    assert found["vendor_name"][0].text == "Zeewind Advies B.V."


@pytest.mark.parametrize(
    ("label_line", "number"),
    [
        ("Rechnungsnummer: R-2024-77", "R-2024-77"),
        ("Rechnung Nr.: 4711", "4711"),
        ("Facture n° 2024396", "2024396"),
        ("Numéro de facture : F-88/2024", "F-88/2024"),
        ("Factuurnummer: 2024.118", "2024.118"),
        ("Invoice # 000135", "000135"),
    ],
)
def test_invoice_number_labels_in_four_languages(label_line: str, number: str) -> None:
    found = fields_from_lines([line(label_line, 0.55, 0.12)], 1)
    assert found["invoice_number"][0].value == number


@pytest.mark.parametrize(
    ("label", "value", "field", "expected"),
    [
        ("Fälligkeitsdatum:", "23.04.2025", "due_date", "2025-04-23"),
        ("Échéance :", "7 mai 2025", "due_date", "2025-05-07"),
        ("Vervaldatum:", "2025-06-30", "due_date", "2025-06-30"),
        ("Gesamtbetrag", "1.190,00 €", "total_amount", "1190.00"),
        ("Montant TTC", "1 234,56 €", "total_amount", "1234.56"),
        ("Totaal", "€ 99,95", "total_amount", "99.95"),
        ("Zwischensumme", "1.000,00", "subtotal", "1000.00"),
        ("Montant HT", "-86 680,64 €", "subtotal", "-86680.64"),
        ("MwSt. 19%", "190,00 EUR", "tax_amount", "190.00"),
        ("TVA (20 %)", "17 336,13 €", "tax_amount", "17336.13"),
        ("BTW 21%", "21,00", "tax_amount", "21.00"),
        ("Bestellnummer:", "PO-55123", "purchase_order", "PO-55123"),
        ("IBAN:", "DE89 3704 0044 0532 0130 00", "bank_account", "DE89 3704 0044 0532 0130 00"),
        ("E-Mail:", "billing@zeewind.example", "remittance_email", "billing@zeewind.example"),
        ("Währung:", "CHF", "currency", "CHF"),
    ],
)
def test_value_to_the_right_of_its_label(label: str, value: str, field: str, expected: str) -> None:
    found = fields_from_lines([line(label, 0.55, 0.6), line(value, 0.8, 0.6)], 1)
    assert found[field][0].value == expected


def test_value_below_its_label_for_header_fields_but_not_for_amounts() -> None:
    lines = [
        line("Factuurnummer", 0.08, 0.25, size=0.009),
        line("2025-0042", 0.08, 0.262),
        line("Total", 0.6, 0.25, size=0.009),
        line("1,234.00", 0.6, 0.262),
    ]
    found = fields_from_lines(lines, 1)
    assert found["invoice_number"][0].value == "2025-0042"
    # A column header "Total" over a figure is a table, not the invoice total.
    assert "total_amount" not in found


def test_the_total_at_the_foot_of_the_last_page_wins() -> None:
    lines = [
        line("Total", 0.6, 0.4),
        line("100.00", 0.85, 0.4),
        line("Total", 0.6, 0.3, page=2),
        line("1,500.00", 0.85, 0.3, page=2),
    ]
    found = fields_from_lines(lines, 2)
    assert found["total_amount"][0].value == "1500.00"
    assert [c.value for c in found["total_amount"]] == ["1500.00", "100.00"]


def test_a_day_first_date_elsewhere_settles_an_ambiguous_one() -> None:
    lines = [
        line("Invoice Date:", 0.55, 0.1),
        line("04/03/2025", 0.75, 0.1),
        line("Due Date:", 0.55, 0.12),
        line("18/03/2025", 0.75, 0.12),
    ]
    found = fields_from_lines(lines, 1)
    assert found["document_date"][0].value == "2025-03-04"


def test_confidence_follows_the_evidence() -> None:
    clear = fields_from_lines([line("Invoice No: 4711", 0.5, 0.1)], 1)["invoice_number"][0]
    scanned = fields_from_lines([line("Invoice No: 4711", 0.5, 0.1, conf=80.0)], 1)[
        "invoice_number"
    ][0]
    generic = fields_from_lines([line("Date:", 0.5, 0.1), line("2025-03-14", 0.7, 0.1)], 1)[
        "document_date"
    ][0]
    assert scanned.confidence < clear.confidence <= WEIGHTS.text_max_confidence
    assert generic.confidence < clear.confidence


def test_nothing_printed_means_nothing_found() -> None:
    assert fields_from_lines([], 0) == {}
    assert fields_from_lines([line("Thank you for your business", 0.3, 0.9)], 1) == {}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 6, 7, 8, 9])
def test_generated_invoices_read_through_the_engine(seed: int) -> None:
    invoice = make_invoice(seed)
    response = analyze_document_bytes(render_pdf(invoice))
    lines = [
        TextLine(
            text=b["Text"],
            page=b["Page"],
            confidence=b["Confidence"],
            bbox=BoundingBox(
                left=b["Geometry"]["BoundingBox"]["Left"],
                top=b["Geometry"]["BoundingBox"]["Top"],
                width=b["Geometry"]["BoundingBox"]["Width"],
                height=b["Geometry"]["BoundingBox"]["Height"],
            ),
        )
        for b in response["Blocks"]
        if b["BlockType"] == "LINE"
    ]
    got = values(fields_from_lines(lines, response["DocumentMetadata"]["Pages"]))
    truth = invoice.ground_truth_fields()
    for name in (
        "vendor_name",
        "invoice_number",
        "document_date",
        "total_amount",
        "subtotal",
        "tax_amount",
    ):
        assert got.get(name) == truth[name], name


_words = st.sampled_from(
    [
        "Invoice",
        "No:",
        "Total",
        "Rechnung",
        "Datum:",
        "12.03.2025",
        "1.234,56",
        "€",
        "EUR",
        "Bill",
        "To:",
        "MwSt.",
        "19%",
        "IBAN:",
        "DE89",
        "3704",
        "Net",
        "30",
        "Facture",
        "n°",
        "Échéance",
        ":",
        "x",
        "-",
        "(",
        ")",
    ]
)
_lines = st.builds(
    lambda words, page, conf, left, top, height: TextLine(
        text=" ".join(words),
        page=page,
        confidence=conf,
        bbox=BoundingBox(left=left, top=top, width=0.01 * len(words), height=height),
    ),
    st.lists(_words, min_size=1, max_size=6),
    st.integers(min_value=1, max_value=3),
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=0.95),
    st.floats(min_value=0, max_value=0.98),
    st.floats(min_value=0.001, max_value=0.05),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_lines, max_size=40))
def test_any_lines_give_normalized_candidates_and_never_crash(lines: list[TextLine]) -> None:
    found = fields_from_lines(lines, 3)
    for name, candidates in found.items():
        assert name in FIELD_NAMES
        assert candidates, name
        for candidate in candidates:
            assert 0 <= candidate.confidence <= WEIGHTS.text_max_confidence
            if name in MONEY_FIELDS:
                Decimal(candidate.value)
            if name in DATE_FIELDS:
                dt.date.fromisoformat(candidate.value)


def _currency_confidence(*totals: tuple[str, str]) -> float:
    lines = [line("Alpine Tools AG", 0.08, 0.05, size=0.02)]
    for number, (label, value) in enumerate(totals):
        top = 0.6 + 0.02 * number
        lines += [line(label, 0.6, top), line(value, 0.8, top)]
    return fields_from_lines(lines, 1)["currency"][0].confidence


def test_a_currency_beside_several_agreeing_amounts_is_surer_than_beside_one() -> None:
    one = _currency_confidence(("Subtotal", "CHF 1'000.00"))
    agreeing = _currency_confidence(
        ("Subtotal", "CHF 1'000.00"), ("VAT 8.1%", "CHF 81.00"), ("Total", "CHF 1'081.00")
    )
    conflicting = _currency_confidence(("Subtotal", "CHF 1'000.00"), ("Total", "EUR 1'081.00"))
    assert one < agreeing <= WEIGHTS.text_max_confidence
    assert conflicting <= one


def test_a_row_of_labels_over_a_row_of_values_pairs_as_surely_as_beside() -> None:
    band = fields_from_lines(
        [
            line("Invoice No", 0.08, 0.30),
            line("Invoice Date", 0.36, 0.30),
            line("Due Date", 0.64, 0.30),
            line("H66/6441", 0.08, 0.313),
            line("2024-10-31", 0.36, 0.313),
            line("2024-11-14", 0.64, 0.313),
        ],
        1,
    )
    single = fields_from_lines([line("Invoice No", 0.08, 0.30), line("H66/6441", 0.08, 0.313)], 1)
    assert values(band) == {
        "invoice_number": "H66/6441",
        "document_date": "2024-10-31",
        "due_date": "2024-11-14",
    }
    assert band["invoice_number"][0].confidence > single["invoice_number"][0].confidence
    assert band["invoice_number"][0].confidence >= 80  # the default review threshold


def test_the_next_label_in_a_row_is_never_taken_as_a_value() -> None:
    found = fields_from_lines(
        [
            line("Terms", 0.6, 0.20),
            line("Currency", 0.75, 0.20),
            line("Net 60", 0.6, 0.213),
            line("CHF", 0.75, 0.213),
        ],
        1,
    )
    read = values(found)
    assert (read["payment_terms"], read["currency"]) == ("Net 60", "CHF")
