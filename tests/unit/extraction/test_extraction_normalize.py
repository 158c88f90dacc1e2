"""Table-driven tests of reading printed dates, amounts and currencies."""

from __future__ import annotations

import pytest

from docuflow.extraction import (
    normalize_currency,
    normalize_date,
    normalize_field_value,
    normalize_money,
)
from docuflow.extraction.dates import numeric_date_order, settled_day_first
from docuflow.extraction.normalize import clean_text, currency_options, iban_checksum_ok


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("01/31/2021", "2021-01-31"),
        ("31/01/2021", "2021-01-31"),
        ("01-Jan-2021", "2021-01-01"),
        ("12 March 2020", "2020-03-12"),
        ("Thursday, 26 March 2020", "2020-03-26"),
        ("2021-01-31", "2021-01-31"),
        ("2021/01/31", "2021-01-31"),
        ("13.01.2017", "2017-01-13"),
        ("January 25, 2016", "2016-01-25"),
        ("Jan 5 2016", "2016-01-05"),
        ("March 12th, 2020", "2020-03-12"),
        ("1st of March 2020", "2020-03-01"),
        ("5. Januar 2021", "2021-01-05"),
        ("3 février 2022", "2022-02-03"),
        ("12 dic 2019", "2019-12-12"),
        ("31/12/99", "1999-12-31"),
        ("12/31/21", "2021-12-31"),
        ("Date: 12/31/2021 10:15 AM", "2021-12-31"),
        ("05.05.2020", "2020-05-05"),
    ],
)
def test_dates_as_invoices_print_them(printed: str, expected: str) -> None:
    reading = normalize_date(printed)
    assert reading.value == expected
    assert not reading.ambiguous


@pytest.mark.parametrize(
    ("printed", "month_first", "day_first"),
    [
        ("03/04/2021", "2021-03-04", "2021-04-03"),
        ("12/07/2019", "2019-12-07", "2019-07-12"),
        ("1-2-2020", "2020-01-02", "2020-02-01"),
    ],
)
def test_swappable_day_and_month_is_flagged_not_guessed(
    printed: str, month_first: str, day_first: str
) -> None:
    reading = normalize_date(printed)
    assert reading.ambiguous
    assert {reading.value, reading.alternative} == {month_first, day_first}
    # Given the document's convention, the same text reads one way without doubt.
    assert normalize_date(printed, day_first=True).value == day_first
    assert normalize_date(printed, day_first=False).value == month_first
    assert not normalize_date(printed, day_first=True).ambiguous


@pytest.mark.parametrize("printed", ["", "not a date", "32/13/2020", "2021-02-30", "Feb 2021"])
def test_unreadable_dates_raise_value_error(printed: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        normalize_date(printed)


@pytest.mark.parametrize(
    ("printed", "order"),
    [("31/01/2021", "DMY"), ("01/31/2021", "MDY"), ("03/04/2021", None), ("2021-01-31", None)],
)
def test_numeric_date_order_proves_only_what_the_numbers_prove(
    printed: str, order: str | None
) -> None:
    assert numeric_date_order(printed) == order


@pytest.mark.parametrize(
    ("texts", "separator", "day_first"),
    [
        (["Due: 21/06/2025"], "/", True),
        (["Due: 06/21/2025"], "/", False),
        # Proof printed with another separator (or ISO) says nothing about "/" dates.
        (["Delivered 21.06.2025"], "/", None),
        (["Delivered 2025-06-21"], "/", None),
        (["Delivered 21.06.2025"], ".", True),
        # No proof, or proof both ways: unsettled.
        (["07/06/2025", "Total 1,081.00 CHF"], "/", None),
        (["21/06/2025", "06/22/2025"], "/", None),
        (["21/06/2025"], None, None),
    ],
)
def test_only_same_format_dates_on_the_document_settle_the_order(
    texts: list[str], separator: str | None, day_first: bool | None
) -> None:
    assert settled_day_first(texts, separator) is day_first


@pytest.mark.parametrize(
    ("account", "valid"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("de89370400440532013000", True),
        ("FR14 2004 1010 0505 0001 3M02 606", True),
        ("DE89 37O4 0044 0532 0130 00", False),  # letter O for a zero
        ("DEO9 3704 0044 0532 0130 00", False),  # ... in the check digits too
        ("DE98 3704 0044 0532 0130 00", False),  # check digits swapped
        ("123456789", None),
        ("Account 4711", None),
        ("", None),
    ],
)
def test_iban_check_digits(account: str, valid: bool | None) -> None:
    assert iban_checksum_ok(account) is valid


@pytest.mark.parametrize(
    ("printed", "value", "currency", "options"),
    [
        ("1,234.56", "1234.56", None, ()),
        ("1.234,56", "1234.56", None, ()),
        ("$5,715.00", "5715.00", None, ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN")),
        ("US$ 12", "12.00", "USD", ()),
        ("€1.234,56", "1234.56", "EUR", ()),
        ("1 234,56 EUR", "1234.56", "EUR", ()),
        ("CHF 1'234.50", "1234.50", "CHF", ()),
        ("£0.99", "0.99", "GBP", ()),
        ("¥1,200", "1200.00", None, ("JPY", "CNY")),
        ("250 kr", "250.00", None, ("SEK", "NOK", "DKK", "ISK")),
        ("-12.00", "-12.00", None, ()),
        ("(12.00)", "-12.00", None, ()),
        ("12.00-", "-12.00", None, ()),
        ("12.00 CR", "-12.00", None, ()),
        ("-$1,000.00", "-1000.00", None, ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN")),
        ("USD -45.10", "-45.10", "USD", ()),
        ("$899.99 S", "899.99", None, ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN")),
        ("P21.50/Unit", "21.50", None, ()),
        ("0.125", "0.125", None, ()),
        ("85", "85.00", None, ()),
        ("1,000,000", "1000000.00", None, ()),
        ("0.00", "0.00", None, ()),
    ],
)
def test_money_with_symbols_codes_conventions_and_negatives(
    printed: str, value: str, currency: str | None, options: tuple[str, ...]
) -> None:
    reading = normalize_money(printed)
    assert reading.value == value
    assert reading.currency == currency
    assert reading.currency_options == options
    assert reading.negative == value.startswith("-")


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("", "not an amount"),
        ("N/A", "not an amount"),
        ("total", "not an amount"),
        ("$", "not an amount"),
        ("1" * 40, "too large"),
        ("1,111,111,111,111,111,111.00", "too large"),
    ],
)
def test_text_that_is_not_an_amount_raises_value_error(printed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_money(printed)


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("usd", "USD"),
        ("EUR", "EUR"),
        ("€", "EUR"),
        ("US$", "USD"),
        ("A$", "AUD"),
        ("£ 10", "GBP"),
        ("₹", "INR"),
        ("R$ 10,00", "BRL"),
        ("$", None),
        ("¥", None),
        ("kr", None),
        ("XYZ", None),
        ("", None),
    ],
)
def test_currency_codes_and_symbols(printed: str, code: str | None) -> None:
    assert normalize_currency(printed) == code


def test_shared_symbols_list_what_they_could_mean() -> None:
    assert "USD" in currency_options("$") and "CAD" in currency_options("$")
    assert currency_options("¥") == ("JPY", "CNY")
    assert currency_options("€") == ()


@pytest.mark.parametrize(
    ("name", "printed", "value"),
    [
        ("due_date", "2021-03-04", "2021-03-04"),
        ("total_amount", "1234.5", "1234.50"),
        ("tax_amount", "-3.00", "-3.00"),
        ("currency", "eur", "EUR"),
        ("currency", "£", "GBP"),
        ("vendor_name", "  ACME   Ltd.\n-", "ACME Ltd."),
        ("invoice_number", "INV-001", "INV-001"),
        ("remittance_email", " ap@example.com ", "ap@example.com"),
    ],
)
def test_corrected_values_are_normalized(name: str, printed: str, value: str) -> None:
    assert normalize_field_value(name, printed) == value


@pytest.mark.parametrize(
    ("name", "printed", "message"),
    [
        ("document_date", "03/04/2021", "YYYY-MM-DD"),
        ("due_date", "soon", "YYYY-MM-DD"),
        ("total_amount", "lots", "not a plain decimal"),
        ("currency", "$", "could be any of"),
        ("currency", "dollars", "not an ISO 4217"),
        ("vendor_name", "   ", "required"),
        ("remittance_email", "pay us", "not an e-mail"),
    ],
)
def test_bad_corrected_values_raise_a_clear_message(name: str, printed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_field_value(name, printed)


@pytest.mark.parametrize(
    ("printed", "cleaned"),
    [("META\n-", "META"), ("Invoice No:", "Invoice No"), ("  a \n\n b  ", "a b"), ("-", "")],
)
def test_clean_text(printed: str, cleaned: str) -> None:
    assert clean_text(printed) == cleaned
