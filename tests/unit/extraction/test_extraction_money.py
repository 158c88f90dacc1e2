"""Money is exact: printed amounts read by ISO 4217 minor units and the document's own
convention, typed amounts read strictly, and formatting and reading back never drift.

Tables cover every minor-unit class (0: JPY KRW ISK CLP; 2: EUR USD GBP CHF; 3: BHD KWD
OMR JOD TND LYD IQD; 4: CLF UYW), both decimal conventions (1,234.56 and 1.234,56),
thousands groups, negatives and credit notes, and the amounts only context can settle.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docuflow.extraction import normalize_field_value, normalize_money
from docuflow.extraction.normalize import (
    ISO_4217,
    MAX_MINOR_UNITS,
    MINOR_UNITS,
    currency_code,
    decimal_convention,
    decimal_mark_of,
    format_amount,
    iso_date,
    minor_units,
    normalize_quantity,
    plain_amount,
)
from docuflow_tools.samples.conventions import (
    CURRENCY_STYLES,
    NUMBER_STYLES,
    CurrencyStyle,
    NumberStyle,
    format_money,
)

# ---------------------------------------------------------------- ISO 4217 minor units


@pytest.mark.parametrize(
    ("currencies", "units"),
    [
        ("JPY KRW ISK CLP VND XAF XOF UGX", 0),
        ("EUR USD GBP CHF SEK INR CNY MXN", 2),
        ("BHD KWD OMR JOD TND LYD IQD", 3),
        ("CLF UYW", 4),
        # Withdrawn lately but still on invoices being paid.
        ("BGN ANG ZWL", 2),
    ],
)
def test_minor_units_come_from_iso_4217(currencies: str, units: int) -> None:
    for code in currencies.split():
        assert minor_units(code) == units, code
        assert code in ISO_4217


@pytest.mark.parametrize("code", ["XAU", "XTS", "XXX", "XDR", "ABC", "", None])
def test_codes_without_minor_units_are_no_currency_to_price_an_invoice_in(
    code: str | None,
) -> None:
    assert minor_units(code) is None
    assert code not in ISO_4217


def test_the_largest_minor_units_of_any_currency_are_four() -> None:
    assert MAX_MINOR_UNITS == 4 == max(MINOR_UNITS.values())


# ---------------------------------------------------------------- printed amounts


@pytest.mark.parametrize(
    ("printed", "currency", "value"),
    [
        # --- 0 minor units: a lone mark before three digits is a thousands separator
        ("¥1,234", "JPY", "1234"),
        ("JPY 1.234", None, "1234"),
        ("1,234,567 KRW", None, "1234567"),
        ("1.234.567 ISK", None, "1234567"),
        ("CLP 1.234.567", None, "1234567"),
        ("1 234 567", "JPY", "1234567"),
        ("JPY 1,000", None, "1000"),
        ("1,234.00", "JPY", "1234"),  # printed zeros past the minor units say nothing
        ("-1,000", "JPY", "-1000"),
        ("(1.234) JPY", None, "-1234"),
        ("0", "JPY", "0"),
        # --- 2 minor units, both conventions
        ("1,234.56", "USD", "1234.56"),
        ("1.234,56", "EUR", "1234.56"),
        ("€1.234,56", None, "1234.56"),
        ("1 234,56 EUR", None, "1234.56"),
        ("CHF 1'234.50", None, "1234.50"),
        ("1,234,567.89 GBP", None, "1234567.89"),
        ("1.234.567,89 EUR", None, "1234567.89"),
        ("EUR 1.234", None, "1234.00"),
        ("1,234 USD", None, "1234.00"),
        ("$1,234", None, "1234.00"),  # every dollar has cents
        ("93.5 EUR", None, "93.50"),
        ("93,5 EUR", None, "93.50"),
        ("EUR 12.5000", None, "12.50"),
        ("0.125", "EUR", "0.125"),  # a unit price finer than a cent is kept, not rounded
        ("0,125 €", None, "0.125"),
        ("-1.234,56 EUR", None, "-1234.56"),
        ("1.234,56- EUR", None, "-1234.56"),
        ("(1,234.56) USD", None, "-1234.56"),
        ("1,234.56 CR", "USD", "-1234.56"),
        ("-$1,000.00", None, "-1000.00"),
        # --- 3 minor units: a lone mark before three digits is the decimal mark
        ("BHD 100.125", None, "100.125"),
        ("100,125 KWD", None, "100.125"),
        ("KWD 1,100.125", None, "1100.125"),
        ("OMR 1.100,125", None, "1100.125"),
        ("100.125", "JOD", "100.125"),
        ("TND 100", None, "100.000"),
        ("LYD 12.5", None, "12.500"),
        ("IQD 1,234,567", None, "1234567.000"),
        ("-BHD 100.125", None, "-100.125"),
        ("(BHD 1.234)", None, "-1.234"),
        ("KWD 0.500 CR", None, "-0.500"),
        # --- 4 minor units
        ("CLF 1,2345", None, "1.2345"),
        ("CLF 1.234,5678", None, "1234.5678"),
        ("UYW 12.5", None, "12.5000"),
        ("UYW 1,234.5", None, "1234.5000"),
        # --- no currency: only marks that cannot be thousands are read
        ("1,234.56", None, "1234.56"),
        ("1.234,56", None, "1234.56"),
        ("0,125", None, "0.125"),
        ("1234,567", None, "1234.567"),  # four digits before: no thousands group
        ("12,5", None, "12.50"),
        ("1,234,567", None, "1234567.00"),
        ("1 234", None, "1234.00"),
        ("85", None, "85.00"),
    ],
)
def test_printed_amounts_are_read_in_the_currencys_minor_units(
    printed: str, currency: str | None, value: str
) -> None:
    reading = normalize_money(printed, currency=currency)
    assert reading.value == value
    assert not reading.ambiguous and reading.alternative is None
    assert reading.negative == value.startswith("-")


def test_the_currency_printed_with_the_amount_wins_over_the_documents() -> None:
    assert normalize_money("BHD 1.234", currency="EUR").value == "1.234"
    assert normalize_money("EUR 1.234", currency="BHD").value == "1234.00"


@pytest.mark.parametrize(
    ("printed", "currency", "value", "alternative"),
    [
        ("1.234", None, "1234.00", "1.234"),
        ("1,234", None, "1234.00", "1.234"),
        ("100.125", None, "100125.00", "100.125"),
        ("-1,234", None, "-1234.00", "-1.234"),
        ("(999.999)", None, "-999999.00", "-999.999"),
        ("Total 1.234", None, "1234.00", "1.234"),
        # Four minor units: three printed decimals could still be either.
        ("CLF 1.234", None, "1234.0000", "1.2340"),
        ("1,234", "UYW", "1234.0000", "1.2340"),
    ],
)
def test_a_lone_mark_before_three_digits_nothing_settles_is_ambiguous_not_guessed(
    printed: str, currency: str | None, value: str, alternative: str
) -> None:
    reading = normalize_money(printed, currency=currency)
    assert reading.ambiguous
    assert (reading.value, reading.alternative) == (value, alternative)


@pytest.mark.parametrize(
    ("printed", "currency", "mark", "value"),
    [
        # The document's other amounts prove its decimal mark; that settles 1.234 ...
        ("1.234", None, ",", "1234.00"),
        ("1.234", None, ".", "1.234"),
        ("1,234", None, ",", "1.234"),
        ("1,234", None, ".", "1234.00"),
        ("CLF 1.234", None, ",", "1234.0000"),
        ("CLF 1.234", None, ".", "1.2340"),
        # ... before the currency does: a BHD document printing 1.234,500 elsewhere.
        ("1.234", "BHD", ",", "1234.000"),
        # A number whose own marks say it all is read the same in any document.
        ("1,234.56", None, ",", "1234.56"),
        ("12,50", None, ".", "12.50"),
    ],
)
def test_the_documents_own_decimal_mark_settles_a_lone_mark(
    printed: str, currency: str | None, mark: str, value: str
) -> None:
    reading = normalize_money(printed, currency=currency, decimal_mark=mark)
    assert reading.value == value
    assert not reading.ambiguous


@pytest.mark.parametrize(
    ("texts", "mark"),
    [
        (["1.234,56", "100"], ","),
        (["1,234.56", "12.50"], "."),
        (["12,5"], ","),
        (["0.125"], "."),
        (["1,234,567"], "."),  # a repeated mark is the thousands separator
        (["1.234.567"], ","),
        (["1,234", "1.234", "1234", "1 234"], None),  # none proves anything
        (["1.234,56", "12.50"], None),  # they disagree
        ([], None),
        (["Total", "n/a"], None),
    ],
)
def test_a_documents_decimal_mark_is_what_its_amounts_prove(
    texts: list[str], mark: str | None
) -> None:
    assert decimal_convention(texts) == mark


@pytest.mark.parametrize(
    ("printed", "mark"),
    [("1,234.56", "."), ("1.234,56", ","), ("1'234.50", "."), ("1.234", None), ("85", None)],
)
def test_the_decimal_mark_one_amount_proves(printed: str, mark: str | None) -> None:
    assert decimal_mark_of(printed) == mark


@pytest.mark.parametrize(
    ("printed", "mark", "quantity"),
    [
        ("1.500", None, "1500"),
        ("1.500", ",", "1500"),
        ("1,500", ",", "1.500"),
        ("2,5", None, "2.5"),
    ],
)
def test_quantities_follow_the_documents_decimal_mark(
    printed: str, mark: str | None, quantity: str
) -> None:
    assert normalize_quantity(printed, decimal_mark=mark) == quantity


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1000", "JPY", "1000"),
        ("1000.00", "JPY", "1000"),
        ("12.5", "JPY", "12.5"),  # more than JPY has, printed: kept, never rounded
        ("93.5", "EUR", "93.50"),
        ("0.125", "EUR", "0.125"),
        ("0.1250", "EUR", "0.125"),
        ("100.125", "BHD", "100.125"),
        ("100", "BHD", "100.000"),
        ("1.2", "CLF", "1.2000"),
        ("85", None, "85.00"),
        ("-0.00", "EUR", "0.00"),
        ("-0", "BHD", "0.000"),
    ],
)
def test_amounts_are_written_in_the_currencys_minor_units(
    amount: str, currency: str | None, text: str
) -> None:
    assert format_amount(Decimal(amount), currency) == text


# ---------------------------------------------------------------- typed amounts (corrections)


@pytest.mark.parametrize(
    ("typed", "currency", "value"),
    [
        ("100.125", "BHD", "100.125"),
        ("100.1", "BHD", "100.100"),
        ("1000", "JPY", "1000"),
        ("93.5", "EUR", "93.50"),
        ("1234.50", "USD", "1234.50"),
        ("-12.00", "EUR", "-12.00"),
        ("0", "EUR", "0.00"),
        ("-0", "EUR", "0.00"),
        ("1.2345", "CLF", "1.2345"),
        ("007.50", "EUR", "7.50"),
        ("100.125", None, "100.125"),  # no currency known: as typed, up to four decimals
        ("100", None, "100.00"),
    ],
)
def test_a_typed_amount_is_exactly_what_was_typed(
    typed: str, currency: str | None, value: str
) -> None:
    assert plain_amount(typed, currency) == value
    assert normalize_field_value("total_amount", typed, currency=currency) == value


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        # What the tester sent, as text: nothing is read out of it.
        ("1e16", "EUR", "not a plain decimal"),
        ("0.00001", "EUR", "EUR amounts have at most 2 decimals"),
        ("0.00001", None, "no currency has more than 4"),
        ("true", "EUR", "not a plain decimal"),
        ("=1+2", "EUR", "not a plain decimal"),
        ("0x10", "EUR", "not a plain decimal"),
        ("1,234.56 see note 5", "EUR", "not a plain decimal"),
        # Printed forms a reviewer might paste are refused, not read.
        ("1,234.56", "USD", "not a plain decimal"),
        ("1.234,56", "EUR", "not a plain decimal"),
        ("$12.00", "USD", "not a plain decimal"),
        ("12.00 EUR", "EUR", "not a plain decimal"),
        ("(12.00)", "EUR", "not a plain decimal"),
        ("+12", "EUR", "not a plain decimal"),
        (".5", "EUR", "not a plain decimal"),
        ("5.", "EUR", "not a plain decimal"),
        ("1 234", "EUR", "not a plain decimal"),
        ("١٢٣", "EUR", "not a plain decimal"),  # Arabic-Indic digits
        ("NaN", "EUR", "not a plain decimal"),
        ("Infinity", "EUR", "not a plain decimal"),
        ("", "EUR", "not a plain decimal"),
        # More decimals than the currency has.
        ("100.125", "EUR", "EUR amounts have at most 2 decimals"),
        ("1000.5", "JPY", "JPY amounts have no decimals"),
        ("1000.00", "JPY", "JPY amounts have no decimals"),
        ("1.0001", "BHD", "BHD amounts have at most 3 decimals"),
        ("1" * 16, "EUR", "too large"),
    ],
)
def test_a_typed_amount_that_is_not_one_plain_decimal_is_refused(
    typed: str, currency: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plain_amount(typed, currency)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2021-03-04", "2021-03-04"), ("2024-02-29", "2024-02-29")],
)
def test_a_typed_date_is_iso_8601(typed: str, value: str) -> None:
    assert iso_date(typed) == value
    assert normalize_field_value("due_date", typed) == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("03/04/2021", "YYYY-MM-DD"),
        ("12 March 2020", "YYYY-MM-DD"),
        ("20210304", "YYYY-MM-DD"),  # ISO 8601's basic form: not what the API documents
        ("2021-W09-4", "YYYY-MM-DD"),
        ("2021-3-4", "YYYY-MM-DD"),
        ("2021-03-04T10:00", "YYYY-MM-DD"),
        ("2023-02-29", "not a valid calendar date"),
        ("2021-13-01", "not a valid calendar date"),
        ("soon", "YYYY-MM-DD"),
    ],
)
def test_a_typed_date_in_any_other_form_is_refused(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_field_value("document_date", typed)


@pytest.mark.parametrize(
    ("typed", "code"), [("EUR", "EUR"), ("bhd", "BHD"), ("€", "EUR"), ("£", "GBP"), ("US$", "USD")]
)
def test_a_typed_currency_is_a_code_or_a_symbol_of_one_currency(typed: str, code: str) -> None:
    assert currency_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("$", "could be any of"),
        ("kr", "could be any of"),
        ("dollars", "not an ISO 4217"),
        ("EUR 12.00", "not an ISO 4217"),
        ("XAU", "not an ISO 4217"),
        ("", "not an ISO 4217"),
    ],
)
def test_a_typed_currency_that_names_no_one_currency_is_refused(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        currency_code(typed)


# ---------------------------------------------------------------- properties

# Each minor-unit class as often as the others: among some 170 currencies only seven have
# three decimals and two have four, and those are the ones a reader gets wrong.
currencies = st.sampled_from(sorted(set(MINOR_UNITS.values()))).flatmap(
    lambda units: st.sampled_from(sorted(c for c, u in MINOR_UNITS.items() if u == units))
)
# Whole numbers of minor units, both signs: often small enough for a lone "1.234", up to
# ten trillion, as large as any invoice.
minor_amounts = st.one_of(
    st.integers(min_value=-(10**7), max_value=10**7),
    st.integers(min_value=-(10**13), max_value=10**13),
)
# The decimal mark each of the generator's number styles prints.
DECIMAL_MARK: dict[NumberStyle, str] = {
    "comma_dot": ".",
    "dot_comma": ",",
    "space_comma": ",",
    "apostrophe_dot": ".",
}


@given(
    currency=currencies,
    units=minor_amounts,
    number_style=st.sampled_from(NUMBER_STYLES),
    currency_style=st.sampled_from(CURRENCY_STYLES),
)
def test_an_amount_printed_in_its_currency_reads_back_exactly(
    currency: str, units: int, number_style: NumberStyle, currency_style: CurrencyStyle
) -> None:
    # Given an amount in whole minor units of the currency, printed in any convention
    amount = Decimal(units).scaleb(-MINOR_UNITS[currency])
    printed = format_money(amount, currency, currency_style, number_style)
    # When it is read on a document in that currency
    reading = normalize_money(printed, currency=currency)
    # Then it is the same amount, written in the currency's minor units, beyond doubt
    assert reading.value == format_amount(amount, currency), printed
    assert Decimal(reading.value) == amount
    assert not reading.ambiguous


@given(
    currency=currencies,
    units=minor_amounts,
    number_style=st.sampled_from(NUMBER_STYLES),
)
def test_an_amount_read_by_its_documents_decimal_mark_alone_is_exact(
    currency: str, units: int, number_style: NumberStyle
) -> None:
    # Given a plain amount (no currency printed or known) on a document whose other
    # amounts proved its decimal mark
    amount = Decimal(units).scaleb(-MINOR_UNITS[currency])
    printed = format_money(amount, currency, "meta_line", number_style)
    reading = normalize_money(printed, decimal_mark=DECIMAL_MARK[number_style])
    assert Decimal(reading.value) == amount, printed
    assert not reading.ambiguous


@given(currency=currencies, units=minor_amounts)
def test_an_amount_the_api_shows_can_be_typed_back_unchanged(currency: str, units: int) -> None:
    shown = format_amount(Decimal(units).scaleb(-MINOR_UNITS[currency]), currency)
    assert plain_amount(shown, currency) == shown


@given(text=st.text(max_size=30), currency=st.sampled_from([None, "EUR", "JPY", "BHD", "CLF"]))
def test_a_typed_amount_is_refused_or_is_exactly_the_decimal_typed(
    text: str, currency: str | None
) -> None:
    try:
        value = plain_amount(text, currency)
    except ValueError:
        return
    assert Decimal(value) == Decimal(text)
