"""The synthetic invoice generator: deterministic, varied, arithmetically consistent."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from docuflow.extraction.result import FIELD_NAMES, MONEY_FIELDS
from docuflow_tools.samples import make_invoice
from docuflow_tools.samples.conventions import (
    date_is_unambiguous,
    format_date,
    format_money,
    format_number,
    format_quantity,
)


def test_same_seed_gives_the_same_invoice_and_other_seeds_differ() -> None:
    assert make_invoice(7) == make_invoice(7)
    numbers = {make_invoice(seed).invoice_number for seed in range(20)}
    assert len(numbers) > 15


def test_overrides_pin_choices_and_unknown_overrides_are_refused() -> None:
    invoice = make_invoice(3, language="de", currency="EUR", date_style="day_month_name", n_items=2)
    assert (invoice.language, invoice.currency, invoice.date_style) == (
        "de",
        "EUR",
        "day_month_name",
    )
    assert len(invoice.items) == 2
    with pytest.raises(TypeError, match="colour"):
        make_invoice(3, colour="blue")


def test_pinning_one_choice_leaves_the_others_as_drawn() -> None:
    plain = make_invoice(11)
    pinned = make_invoice(11, currency_style="code_after")
    assert pinned.invoice_number == plain.invoice_number
    assert pinned.vendor == plain.vendor


@pytest.mark.parametrize("seed", range(40))
def test_ground_truth_adds_up_and_uses_normalized_values(seed: int) -> None:
    invoice = make_invoice(seed)
    truth = invoice.ground_truth()
    fields = truth["fields"]
    assert set(fields) <= set(FIELD_NAMES)
    for name in ("vendor_name", "invoice_number", "document_date", "total_amount", "currency"):
        assert fields[name]
    for name in MONEY_FIELDS & fields.keys():
        assert re.fullmatch(r"-?\d+\.\d{2}", fields[name]), (name, fields[name])
    dt.date.fromisoformat(fields["document_date"])
    if "due_date" in fields:
        assert dt.date.fromisoformat(fields["due_date"]) >= dt.date.fromisoformat(
            fields["document_date"]
        )
    assert re.fullmatch(r"[A-Z]{3}", fields["currency"])
    items = truth["line_items"]
    assert Decimal(fields["subtotal"]) == sum(Decimal(item["amount"]) for item in items)
    assert Decimal(fields["subtotal"]) + Decimal(fields["tax_amount"]) == Decimal(
        fields["total_amount"]
    )
    for item in items:
        product = Decimal(item["quantity"]) * Decimal(item["unit_price"])
        assert abs(product - Decimal(item["amount"])) <= Decimal("0.005")
    if "bank_account" in fields:
        assert " " not in fields["bank_account"]


def test_credit_notes_have_negative_totals() -> None:
    credit = make_invoice(5, credit_note=True)
    assert credit.total_amount < 0
    assert credit.ground_truth()["fields"]["total_amount"].startswith("-")


def test_the_set_is_varied_across_seeds() -> None:
    invoices = [make_invoice(seed) for seed in range(60)]
    assert {inv.language for inv in invoices} == {"en", "de", "fr", "nl"}
    assert {inv.layout for inv in invoices} == {
        "letterhead_left",
        "letterhead_right",
        "letterhead_top",
    }
    assert len({inv.date_style for inv in invoices}) >= 5
    assert len({inv.number_style for inv in invoices}) >= 3
    assert len({inv.currency for inv in invoices}) >= 4
    assert any(inv.credit_note for inv in invoices)
    assert any(len(inv.items) > 30 for inv in invoices)


def test_number_conventions() -> None:
    value = Decimal("-1234567.5")
    assert format_number(value, "comma_dot") == "-1,234,567.50"
    assert format_number(value, "dot_comma") == "-1.234.567,50"
    assert format_number(value, "space_comma") == "-1 234 567,50"
    assert format_number(value, "apostrophe_dot") == "-1'234'567.50"
    assert format_quantity(Decimal("2.5"), "dot_comma") == "2,5"
    assert format_quantity(Decimal("12"), "dot_comma") == "12"


def test_money_conventions() -> None:
    amount = Decimal("1234.5")
    assert format_money(amount, "EUR", "symbol_after", "dot_comma") == "1.234,50 €"
    assert format_money(amount, "USD", "symbol_before", "comma_dot") == "$1,234.50"
    assert format_money(-amount, "GBP", "symbol_before", "comma_dot") == "-£ 1,234.50"
    # No symbol that names CHF alone: the code is printed instead.
    assert format_money(amount, "CHF", "symbol_before", "apostrophe_dot") == "CHF 1'234.50"
    assert format_money(amount, "SEK", "meta_line", "space_comma") == "1 234,50"


def test_date_conventions() -> None:
    day = dt.date(2025, 3, 4)
    assert format_date(day, "us", "en") == "03/04/2025"
    assert format_date(day, "eu_dot", "de") == "04.03.2025"
    assert format_date(day, "iso", "fr") == "2025-03-04"
    assert format_date(day, "day_month_name", "de") == "4. März 2025"
    assert format_date(day, "day_month_name", "fr") == "4 mars 2025"
    assert format_date(day, "month_name_us", "en") == "March 4, 2025"
    assert not date_is_unambiguous(day, "us")
    assert date_is_unambiguous(dt.date(2025, 3, 14), "us")
    assert date_is_unambiguous(day, "day_month_name")
