"""Turning printed values into normalized ones: decimal money, ISO 4217, IBANs, and values
a reviewer types (dates are read in `docuflow.extraction.dates`).

Invoices print amounts in every local convention. These functions read the common ones
and say when a reading is ambiguous (a currency symbol several currencies share, a
"1.234" that is a thousand in one currency and one and a bit in another) instead of
guessing silently. Amounts are read and written
in their currency's ISO 4217 minor units (`MINOR_UNITS`: JPY 0, EUR 2, BHD 3, CLF 4).

Values a reviewer types are read strictly instead (`normalize_field_value`): one plain
decimal, one ISO date, one currency code; never a reading of whatever text was sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Annotated

from iso4217 import Currency
from pydantic import BaseModel, ConfigDict, Field

from docuflow.extraction.result import DATE_FIELDS, MONEY_FIELDS

# Codes ISO 4217 withdrew lately that invoices still being paid print, with the minor
# units its list of historic denominations gives them: BGN (Bulgaria adopted the euro on
# 2026-01-01), ANG (replaced by XCG in 2025), ZWL (replaced by ZWG in 2024).
_WITHDRAWN_MINOR_UNITS: dict[str, int] = {"ANG": 2, "BGN": 2, "ZWL": 2}

MINOR_UNITS: Mapping[str, int] = MappingProxyType(
    {
        **{
            currency.code: currency.exponent
            for currency in Currency
            if currency.exponent is not None
        },
        **_WITHDRAWN_MINOR_UNITS,
    }
)
"""The ISO 4217 minor units (decimals) of every currency an invoice can be priced in: JPY
0, EUR 2, BHD 3, CLF 4. From the `iso4217` package, which ships ISO's own published table;
codes without minor units (gold XAU, the test code XTS, XDR) are left out."""

ISO_4217: frozenset[str] = frozenset(MINOR_UNITS)
# The most decimals any currency has (CLF, UYW): the limit for an amount in no known one.
MAX_MINOR_UNITS = max(MINOR_UNITS.values())
# How many decimals an amount shows while its currency is unknown.
_UNKNOWN_MINOR_UNITS = 2


def minor_units(currency: str | None) -> int | None:
    """How many decimals amounts in `currency` have (ISO 4217); None when it is unknown."""
    return MINOR_UNITS.get(currency) if currency else None


# Symbols that name exactly one currency. Longer symbols first so "US$" wins over "$".
_UNIQUE_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("US$", "USD"),
    ("AU$", "AUD"),
    ("A$", "AUD"),
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("MX$", "MXN"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₱", "PHP"),
    ("₽", "RUB"),
    ("₺", "TRY"),
    ("₪", "ILS"),
    ("₫", "VND"),
    ("฿", "THB"),
    ("₦", "NGN"),
    ("₴", "UAH"),
    ("zł", "PLN"),
    ("Kč", "CZK"),
    ("Ft", "HUF"),
    ("RM", "MYR"),
    ("Rp", "IDR"),
    ("Fr.", "CHF"),
)

# Symbols several currencies share: on their own they do not say which one is meant.
AMBIGUOUS_SYMBOLS: dict[str, tuple[str, ...]] = {
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"),
    "¥": ("JPY", "CNY"),
    "￥": ("JPY", "CNY"),
    "元": ("CNY", "TWD"),
    "kr": ("SEK", "NOK", "DKK", "ISK"),
}


# Where a currency's country conventionally prints dates month first or day first. Not
# proof of how one document prints them (a Swiss vendor may print US dates): only which
# reading of an ambiguous date to show first, the date staying a review reason.
class _Reading(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MoneyReading(_Reading):
    """A printed amount read as a decimal string."""

    value: Annotated[
        str,
        Field(
            description="Decimal string in the currency's minor units (two decimals while "
            "the currency is unknown); digits printed past them are kept"
        ),
    ]
    ambiguous: Annotated[
        bool,
        Field(
            description="A lone '.' or ',' before three digits (1.234) could be a decimal "
            "mark or a thousands separator and nothing settled which"
        ),
    ] = False
    alternative: Annotated[
        str | None,
        Field(description="When ambiguous, the reading as decimals (value reads thousands)"),
    ] = None
    currency: Annotated[str | None, Field(description="ISO 4217 code named by the text")] = None
    currency_options: Annotated[
        tuple[str, ...],
        Field(description="Currencies an ambiguous symbol could mean (e.g. '$')"),
    ] = ()
    symbol: Annotated[str | None, Field(description="Currency symbol or code as printed")] = None
    negative: bool = False


# ---------------------------------------------------------------- money

# Digits with optional thousands groups (",", ".", "'", spaces) and a decimal part.
_AMOUNT = re.compile(
    r"\d{1,3}(?:[,.'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,4})?(?!\d)|\d+(?:[.,]\d{1,4})?(?!\d)"
)
_ISO_TOKEN = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
# A minus (hyphen, U+2212 minus sign or en dash) right before the number, perhaps with a
# currency symbol or code between: "-12.00", "-$12.00", "USD -12.00".
_MINUS_BEFORE = re.compile("[-\u2212\u2013]\\s*(?:[A-Z]{3}|[^\\w\\s]{1,3})?\\s*$")
_CREDIT_SUFFIX = re.compile(r"^\s*(?:CR|Cr|cr|CREDIT|Credit)\b")
# Thousands separators that are never a decimal mark: apostrophes and spaces.
_NEVER_DECIMAL = str.maketrans("", "", "'\u00a0\u202f ")


# No invoice amount has more digits than this; longer runs are account or card numbers,
# and Decimal arithmetic (28 significant digits) must not overflow on them.
_MAX_INTEGER_DIGITS = 15

# What the "." or "," of a printed number is.
_DECIMAL, _THOUSANDS, _EITHER = "decimal", "thousands", "either"


def _mark_of(compact: str) -> tuple[str | None, str]:
    """The last "." or "," of a number (apostrophes and spaces removed) and what it is.

    Both marks: the later one is the decimal mark (1,234.56 and 1.234,56). One mark, more
    than once: thousands (1,234,567). Once, before anything but exactly three digits, or
    after a leading zero or more than three digits (12.5, 12,50, 0.125, 1234,567): the
    decimal mark. Once, before exactly three digits after one to three digits (1.234,
    100,125): either, and only the currency or the document's other amounts can say.
    """
    last_dot, last_comma = compact.rfind("."), compact.rfind(",")
    if last_dot < 0 and last_comma < 0:
        return None, _DECIMAL
    if last_dot >= 0 and last_comma >= 0:
        return ("." if last_dot > last_comma else ","), _DECIMAL
    mark = "." if last_dot >= 0 else ","
    if compact.count(mark) > 1:
        return mark, _THOUSANDS
    integer, _, fraction = compact.partition(mark)
    if len(fraction) != 3 or len(integer) > 3 or integer.startswith("0"):
        return mark, _DECIMAL
    return mark, _EITHER


def _as_decimal(compact: str, decimal_mark: str | None, printed: str) -> Decimal:
    """`compact` with `decimal_mark` as its decimal point and every other mark a separator."""
    digits = compact
    for separator in {".", ","} - {decimal_mark}:
        digits = digits.replace(separator, "")
    if decimal_mark is not None:
        digits = digits.replace(decimal_mark, ".")
    if len(digits.partition(".")[0].lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValueError(f"{printed!r} is too large to be an amount.")
    try:
        return Decimal(digits)
    except InvalidOperation as exc:
        raise ValueError(f"{printed!r} is not an amount.") from exc


def _readings(number: str, as_decimal: bool | None) -> tuple[Decimal, Decimal | None]:
    """The value of a printed number and, when its lone mark could be either a decimal
    mark or a thousands separator and `as_decimal` does not say, the other reading.

    The first reading takes the mark as a thousands separator (1.234 -> 1234)."""
    compact = number.translate(_NEVER_DECIMAL)
    mark, role = _mark_of(compact)
    if role == _DECIMAL:
        return _as_decimal(compact, mark, number), None
    if role == _THOUSANDS or as_decimal is False:
        return _as_decimal(compact, None, number), None
    if as_decimal:
        return _as_decimal(compact, mark, number), None
    return _as_decimal(compact, None, number), _as_decimal(compact, mark, number)


def decimal_mark_of(text: str) -> str | None:
    """The decimal mark the amount printed in `text` proves: "." for 1,234.56, 12.50,
    0.125 or 1,234,567; "," for 1.234,56, 12,5 or 1.234.567. None for 1,234, 1.234 or
    1234, which prove nothing."""
    matches = list(_AMOUNT.finditer(text))
    if not matches:
        return None
    mark, role = _mark_of(matches[-1][0].translate(_NEVER_DECIMAL))
    if mark is None or role == _EITHER:
        return None
    if role == _THOUSANDS:
        return "," if mark == "." else "."
    return mark


def decimal_convention(texts: Iterable[str]) -> str | None:
    """The decimal mark ("." or ",") every amount in `texts` that proves one agrees on:
    one document's printed convention. None when none proves one, or they disagree."""
    proven = {mark for text in texts if (mark := decimal_mark_of(text)) is not None}
    return proven.pop() if len(proven) == 1 else None


def _three_decimals(minor: int | None) -> bool | None:
    """Whether a lone mark before three digits is a decimal mark in a currency of `minor`
    units: yes with three (BHD 100.125); no with fewer, three decimals being no amount
    of it (EUR 1.234 is 1234); None with four (CLF 1.234) or an unknown currency."""
    if minor is None or minor > 3:
        return None
    return minor == 3


def _currency_rule(code: str | None, options: tuple[str, ...]) -> tuple[bool | None, int]:
    """How `code` (or, without it, every currency a shared symbol could mean) reads a lone
    mark before three digits, and how many decimals its amounts have (2 when unknown)."""
    minor = minor_units(code)
    if minor is not None:
        return _three_decimals(minor), minor
    minors = {MINOR_UNITS[option] for option in options if option in MINOR_UNITS}
    rules = {_three_decimals(units) for units in minors}
    return (
        rules.pop() if len(rules) == 1 else None,
        minors.pop() if len(minors) == 1 else _UNKNOWN_MINOR_UNITS,
    )


def _format(amount: Decimal, places: int) -> str:
    if amount == 0:
        amount = Decimal(0)  # never "-0.00"
    quantum = Decimal(1).scaleb(-places)
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: built from digits
    if exponent > -places:
        amount = amount.quantize(quantum)
    elif exponent < -places:
        # Zeros past the minor units say nothing; any other digit is kept, never rounded.
        trimmed = amount.normalize()
        trimmed_exponent = trimmed.as_tuple().exponent
        assert isinstance(trimmed_exponent, int)
        amount = trimmed if trimmed_exponent < -places else amount.quantize(quantum)
    return format(amount, "f")


def format_amount(amount: Decimal, currency: str | None = None) -> str:
    """An amount as a decimal string in `currency`'s minor units (JPY `1000`, EUR `93.50`,
    BHD `100.125`; two decimals when the currency is unknown). Digits past the minor units
    are kept (a unit price of EUR `0.125`), never rounded away."""
    places = minor_units(currency)
    return _format(amount, _UNKNOWN_MINOR_UNITS if places is None else places)


def _currency_in(text: str) -> tuple[str | None, tuple[str, ...], str | None]:
    for symbol, code in _UNIQUE_SYMBOLS:
        if symbol in text:
            return code, (), symbol
    for token in _ISO_TOKEN.findall(text):
        if token in ISO_4217:
            return token, (), token
    for symbol, options in AMBIGUOUS_SYMBOLS.items():
        if symbol in text:
            return None, options, symbol
    return None, (), None


def normalize_money(
    text: str, *, currency: str | None = None, decimal_mark: str | None = None
) -> MoneyReading:
    """Read a printed amount: `$1,234.56`, `1.234,56 EUR`, `BHD 100.125`, `(12.00)`, `12.00 CR`.

    The last number in the text is the amount (receipts add item counts and tax flags
    around it). Parentheses, a leading or trailing minus and a CR (credit) suffix make it
    negative. A lone "." or "," before three digits (`1.234`) is a decimal mark or a
    thousands separator as, in this order, the document's `decimal_mark` (the mark its
    other amounts prove, `decimal_convention`), the currency's ISO 4217 minor units (the
    one the text names, else `currency`, the document's) say; when neither does, the
    reading is `ambiguous` with both values. The value has the currency's minor units.
    Raises ValueError when the text holds no number.
    """
    matches = list(_AMOUNT.finditer(text))
    if not matches:
        raise ValueError(f"{text!r} is not an amount.")
    match = matches[-1]
    named, options, symbol = _currency_in(text)
    three_decimals, places = _currency_rule(named or currency, () if named else options)
    number = match[0].strip()
    if decimal_mark is not None and _mark_of(number.translate(_NEVER_DECIMAL))[1] == _EITHER:
        three_decimals = decimal_mark in number
    amount, alternative = _readings(number, three_decimals)
    before, after = text[: match.start()], text[match.end() :]
    negative = (
        bool(_MINUS_BEFORE.search(before))
        or after.lstrip().startswith(("-", "\u2212"))
        or ("(" in before and ")" in after)
        or bool(_CREDIT_SUFFIX.match(after))
    )
    if negative:
        amount = -amount
        alternative = None if alternative is None else -alternative
    return MoneyReading(
        value=_format(amount, places),
        ambiguous=alternative is not None,
        alternative=None if alternative is None else _format(alternative, places),
        currency=named,
        currency_options=options,
        symbol=symbol,
        negative=negative and amount != 0,
    )


def normalize_quantity(text: str, *, decimal_mark: str | None = None) -> str:
    """A quantity as a decimal string, as precise as printed (`4.5`, `1.00`, `2`).

    A lone mark before three digits (`1.500`) follows the document's `decimal_mark` when
    its amounts prove one, and is a thousands separator otherwise."""
    match = list(_AMOUNT.finditer(text))
    if not match:
        raise ValueError(f"{text!r} is not a quantity.")
    number = match[0][0].strip()
    quantity, _ = _readings(number, decimal_mark is not None and decimal_mark in number)
    return format(quantity, "f")


def normalize_currency(text: str) -> str | None:
    """The ISO 4217 code `text` names (`usd`, `€`, `US$`, `EUR 12.00`), else None.

    None also for a symbol several currencies share (`$`, `¥`, `kr`): see
    `currency_options` for what it could mean.
    """
    stripped = text.strip()
    if stripped.upper() in ISO_4217 and len(stripped) == 3:
        return stripped.upper()
    code, _, _ = _currency_in(stripped)
    return code


def currency_options(text: str) -> tuple[str, ...]:
    """The currencies an ambiguous symbol in `text` could mean; () when none or unique."""
    code, options, _ = _currency_in(text.strip())
    return () if code else options


# ---------------------------------------------------------------- bank accounts

# Country code, two check digits, then 11-30 letters and digits (ISO 13616).
# The letter O in the check digits is let through: it is the mix-up the check is for.
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[\dO]{2}[A-Z0-9]{11,30}")


def iban_checksum_ok(text: str) -> bool | None:
    """Whether an IBAN's check digits are right (ISO 7064 mod 97-10); None when `text`
    does not look like an IBAN at all (a US account number, say), so there is no check.

    A failed check catches OCR mix-ups such as the letter O read for the digit 0.
    """
    compact = re.sub(r"[\s.-]", "", text).upper()
    if not _IBAN_SHAPE.fullmatch(compact):
        return None
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


# ---------------------------------------------------------------- text fields and typed values

_SPACES = re.compile(r"\s+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def clean_text(text: str) -> str:
    """Printed text as one line: lines joined, runs of spaces collapsed, stray dashes and
    label punctuation at the ends dropped (Textract reads a rule under a name as `-`)."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and any(ch.isalnum() for ch in line)]
    return _SPACES.sub(" ", " ".join(kept)).strip(" -:;,|*")


# A reviewer's amount: digits, perhaps a minus and a point with decimals. Nothing else.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_ISO_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def plain_amount(text: str, currency: str | None) -> str:
    """A typed amount (`1234.50`, `-12`, `100.125`) in `currency`'s minor units, or
    ValueError saying what is wrong.

    Exactly one plain decimal: no thousands separators, symbols, exponents or words, and
    at most the currency's minor units (any currency's most, four, when it is unknown),
    so what a reviewer types is the amount stored, never a reading of it.
    """
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a plain decimal amount: write digits with a point before the "
            "decimals, e.g. 1234.50 (no thousands separators, currency or other text)."
        )
    decimals = len(text.partition(".")[2])
    places = minor_units(currency)
    if places is not None and decimals > places:
        allowed = "no decimals" if places == 0 else f"at most {places} decimals"
        raise ValueError(f"{text!r} has {decimals} decimals; {currency} amounts have {allowed}.")
    if places is None and decimals > MAX_MINOR_UNITS:
        raise ValueError(
            f"{text!r} has {decimals} decimals; no currency has more than {MAX_MINOR_UNITS}."
        )
    if len(text.lstrip("-").partition(".")[0].lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValueError(f"{text!r} is too large to be an amount.")
    return format_amount(Decimal(text), currency)


def plain_decimal(text: str, *, max_places: int, what: str) -> str:
    """A typed quantity, unit price or rate (`2`, `-1.5`, `12.3456`): one plain decimal with
    at most `max_places` decimals, returned as typed; ValueError naming `what` otherwise."""
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a plain decimal {what}: write digits with a point before the "
            "decimals, e.g. 1234.5 (no thousands separators, units or other text)."
        )
    if len(text.partition(".")[2]) > max_places:
        raise ValueError(f"{text!r} has more than {max_places} decimals; a {what} has at most.")
    if len(text.lstrip("-").partition(".")[0].lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValueError(f"{text!r} is too large to be a {what}.")
    return text


def tax_rate(text: str) -> str:
    """A typed tax rate in percent (`19`, `7.5`): a plain decimal from 0 to 100, at most
    four decimals; ValueError otherwise."""
    rate = plain_decimal(text, max_places=4, what="tax rate")
    if not 0 <= Decimal(rate) <= 100:
        raise ValueError(f"{text!r} is not a tax rate in percent (0 to 100).")
    return rate


def iso_date(text: str) -> str:
    """A typed date, exactly `YYYY-MM-DD` and a real day of the calendar, or ValueError."""
    if not _ISO_DATE_ONLY.fullmatch(text):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD (ISO 8601).")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid calendar date.") from exc


def currency_code(text: str) -> str:
    """A typed currency: an ISO 4217 code (any case) or a symbol only one currency uses
    (`€`, `US$`), nothing around it; ValueError saying what is wrong otherwise."""
    if text.upper() in ISO_4217:
        return text.upper()
    for symbol, code in _UNIQUE_SYMBOLS:
        if text == symbol:
            return code
    options = AMBIGUOUS_SYMBOLS.get(text)
    if options:
        raise ValueError(f"{text!r} could be any of {', '.join(options)}; give the ISO 4217 code.")
    raise ValueError(f"{text!r} is not an ISO 4217 currency code.")


def normalize_field_value(name: str, text: str, *, currency: str | None = None) -> str:
    """The value a reviewer typed for field `name`, normalized, or ValueError saying what
    is wrong. Typed values are read strictly, never guessed at as printed ones are:

    - dates: `YYYY-MM-DD` only (`iso_date`);
    - money: one plain decimal with at most `currency`'s minor units (`plain_amount`);
    - currency: an ISO 4217 code or a symbol only one currency uses (`currency_code`);
    - text fields: one line, not empty; an e-mail address must be one.
    """
    if name in DATE_FIELDS:
        return iso_date(text)
    if name in MONEY_FIELDS:
        return plain_amount(text, currency)
    if name == "currency":
        return currency_code(text)
    value = clean_text(text)
    if not value:
        raise ValueError(f"A value for {name} is required.")
    if name == "remittance_email" and not EMAIL.fullmatch(value):
        raise ValueError(f"{text!r} is not an e-mail address.")
    return value
