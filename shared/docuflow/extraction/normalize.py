"""Turning printed values into normalized ones: ISO-8601 dates, decimal money, ISO 4217.

Invoices print dates and amounts in every local convention. These functions read the
common ones and say when a reading is ambiguous (a day and month that could be swapped,
a currency symbol several currencies share) instead of guessing silently. They are
used by the parser and by the review API to validate corrected values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from docuflow.extraction.result import DATE_FIELDS, MONEY_FIELDS


def _words(text: str) -> list[str]:
    return text.split()


# Active ISO 4217 codes (funds and precious metals left out: no invoice is priced in XAU).
ISO_4217: frozenset[str] = frozenset(
    _words(
        """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST
    XAF XCD XOF XPF YER ZAR ZMW ZWL
        """
    )
)

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
MONTH_FIRST_CURRENCIES: frozenset[str] = frozenset({"USD", "PHP"})
DAY_FIRST_CURRENCIES: frozenset[str] = frozenset(
    _words(
        """
    EUR GBP AUD NZD INR ZAR BRL CHF SEK NOK DKK ISK PLN CZK HUF RUB TRY MXN ARS CLP COP
    PEN IDR MYR SGD HKD ILS AED SAR EGP NGN KES VND THB UAH RON BGN
        """
    )
)


def likely_day_first(currency: str | None) -> bool | None:
    """The date order usual where `currency` is spent: a tie-breaker, never proof."""
    if currency in MONTH_FIRST_CURRENCIES:
        return False
    if currency in DAY_FIRST_CURRENCIES:
        return True
    return None


class _Reading(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DateReading(_Reading):
    """A printed date read as an ISO-8601 date."""

    value: Annotated[str, Field(description="ISO-8601 date, YYYY-MM-DD")]
    ambiguous: Annotated[
        bool, Field(description="Day and month could be swapped and nothing settled the order")
    ] = False
    alternative: Annotated[
        str | None, Field(description="The other reading when day and month could be swapped")
    ] = None
    order: Annotated[
        str, Field(description="How the printed numbers were read: YMD, DMY, MDY or named")
    ]


class MoneyReading(_Reading):
    """A printed amount read as a decimal string."""

    value: Annotated[str, Field(description="Decimal string, at least two decimals")]
    currency: Annotated[str | None, Field(description="ISO 4217 code named by the text")] = None
    currency_options: Annotated[
        tuple[str, ...],
        Field(description="Currencies an ambiguous symbol could mean (e.g. '$')"),
    ] = ()
    symbol: Annotated[str | None, Field(description="Currency symbol or code as printed")] = None
    negative: bool = False


# ---------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier enero ene gennaio gen januari janeiro jän",
        "february feb februar février fevrier febrero febbraio februari fevereiro fév fev",
        "march mar märz maerz mars marzo maart março mär",
        "april apr avril abril aprile avr abr",
        "may mai mayo maggio mei maio",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet julio luglio julho juil",
        "august aug août aout agosto augustus ago",
        "september sep sept septembre septiembre settembre setembro set",
        "october oct oktober octobre octubre ottobre outubro okt ott out",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dicembre december dez dic déc",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAYS: frozenset[str] = frozenset(
    _words(
        """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag lundi
    mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes
    sábado domingo
        """
    )
)
_FILLER: frozenset[str] = frozenset({"of", "the", "de", "del", "le", "st", "nd", "rd", "th"})

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_WORD_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+")


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        # Two-digit years on invoices are this century unless that would be far future.
        return 2000 + year if year < 70 else 1900 + year
    return year


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def normalize_date(text: str, *, day_first: bool | None = None) -> DateReading:
    """Read a printed date (`01/31/2021`, `01-Jan-2021`, `Thursday, 26 March 2020`, ...).

    `day_first` settles numeric dates such as `03/04/2021` when the caller knows the
    document's convention; without it such a date is read month first and marked
    `ambiguous`, with the day-first reading as `alternative`. Dates printed with dots
    (`13.01.2017`) follow the European day-first convention. Raises ValueError when the
    text holds no date.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("A date is required.")
    iso_match = _ISO_DATE.search(cleaned)
    if iso_match:
        value = _iso(int(iso_match[1]), int(iso_match[2]), int(iso_match[3]))
        if value is None:
            raise ValueError(f"{text!r} is not a valid calendar date.")
        return DateReading(value=value, order="YMD")
    numeric = _NUMERIC_DATE.search(cleaned)
    if numeric:
        return _read_numeric_date(text, numeric, day_first)
    return _read_named_month_date(text)


def _read_numeric_date(text: str, match: re.Match[str], day_first: bool | None) -> DateReading:
    first, separator, second, year_text = int(match[1]), match[2], int(match[3]), match[4]
    year = _full_year(year_text)
    month_first = _iso(year, first, second)
    day_first_value = _iso(year, second, first)
    if month_first is None and day_first_value is None:
        raise ValueError(f"{text!r} is not a valid calendar date.")
    if month_first is None or day_first_value is None or month_first == day_first_value:
        # Only one order gives a real date (or both give the same one): nothing to settle.
        if day_first_value is not None:
            return DateReading(value=day_first_value, order="DMY")
        assert month_first is not None
        return DateReading(value=month_first, order="MDY")
    if day_first is None and separator == ".":
        # 13.01.2017: dotted dates are a day-first convention (DE, FR, NL, RU, ...).
        day_first = True
    if day_first is True:
        return DateReading(value=day_first_value, order="DMY")
    if day_first is False:
        return DateReading(value=month_first, order="MDY")
    return DateReading(value=month_first, order="MDY", ambiguous=True, alternative=day_first_value)


def _read_named_month_date(text: str) -> DateReading:
    month: int | None = None
    numbers: list[str] = []
    for token in _WORD_TOKEN.findall(text.casefold()):
        if token[0].isdigit():
            numbers.append(token)
            continue
        word = token.rstrip(".")
        if word in _MONTHS and month is None:
            month = _MONTHS[word]
        elif word in _WEEKDAYS or word in _FILLER:
            continue
    if month is None or not numbers:
        raise ValueError(f"{text!r} is not a date this parser can read.")
    day: int | None = None
    year: int | None = None
    for number in numbers:
        if len(number) == 4 and year is None:
            year = int(number)
        elif day is None and len(number) <= 2 and 1 <= int(number) <= 31:
            day = int(number)
        elif year is None and len(number) == 2:
            year = _full_year(number)
    if day is None or year is None:
        raise ValueError(f"{text!r} does not give a day, a month and a year.")
    value = _iso(year, month, day)
    if value is None:
        raise ValueError(f"{text!r} is not a valid calendar date.")
    return DateReading(value=value, order="named")


def date_orders(text: str, *, separator: str | None = None) -> frozenset[str]:
    """The orders (`DMY`, `MDY`) the numeric dates in `text` prove: `31/01/2021` proves
    day first. Empty for named months, ISO dates and dates that could be either.

    With `separator`, only dates printed with it count: `13.01.2021` says nothing about
    how the same document prints `07/06/2025`.
    """
    orders: set[str] = set()
    for match in _LOOSE_NUMERIC_DATE.finditer(text):
        if separator is not None and match[2] != separator:
            continue
        first, second = int(match[1]), int(match[3])
        if first > 12 >= second >= 1:
            orders.add("DMY")
        elif second > 12 >= first >= 1:
            orders.add("MDY")
    return frozenset(orders)


def date_separator(text: str) -> str | None:
    """The separator of the first numeric day-month-year date in `text` (`/`, `.`, `-`)."""
    match = _NUMERIC_DATE.search(text)
    return match[2] if match else None


def settled_day_first(texts: Iterable[str], separator: str | None) -> bool | None:
    """Whether the document's own unambiguous dates printed with `separator` prove day
    first (True) or month first (False); None when they prove nothing or both.

    Only dates on the document are proof. The currency is not: a Swiss vendor may print
    US dates, and a wrong guess swaps day and month without anyone noticing.
    """
    if separator is None:
        return None
    proven: set[str] = set()
    for text in texts:
        proven |= date_orders(text, separator=separator)
    if len(proven) == 1:
        return proven == {"DMY"}
    return None


def numeric_date_order(text: str) -> str | None:
    """`DMY` or `MDY` when the numeric dates in `text` prove exactly one order, else None."""
    orders = date_orders(text)
    return next(iter(orders)) if len(orders) == 1 else None


# Not preceded by a digit or separator, so "2021-01-31" is not read as "21-01-31".
_LOOSE_NUMERIC_DATE = re.compile(r"(?<![\d./-])(\d{1,2})([-/.])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")


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


# No invoice amount has more digits than this; longer runs are account or card numbers,
# and Decimal arithmetic (28 significant digits) must not overflow on them.
_MAX_INTEGER_DIGITS = 15


def _decimal_from(number: str) -> Decimal:
    compact = number.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    compact = compact.replace("'", "")
    last_dot, last_comma = compact.rfind("."), compact.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        # Both marks: the later one is the decimal point (1,234.56 or 1.234,56).
        decimal_mark = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        mark = "." if last_dot >= 0 else ","
        integer, _, fraction = compact.rpartition(mark)
        grouped = compact.count(mark) > 1 or (len(fraction) == 3 and integer not in ("0", ""))
        # One mark followed by exactly three digits reads as thousands (1,234 or 1.234).
        decimal_mark = "" if grouped else mark
    else:
        decimal_mark = ""
    thousands = {".", ","} - {decimal_mark}
    for mark in thousands:
        compact = compact.replace(mark, "")
    if decimal_mark:
        compact = compact.replace(decimal_mark, ".")
    if len(compact.partition(".")[0].lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValueError(f"{number!r} is too large to be an amount.")
    return Decimal(compact)


def format_decimal(amount: Decimal) -> str:
    """A decimal string with at least two decimals (`85` -> `85.00`, `0.125` kept)."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(Decimal("0.01"))
    text = format(amount, "f")
    return "0.00" if text in ("-0.00", "-0") else text


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


def normalize_money(text: str) -> MoneyReading:
    """Read a printed amount: `$1,234.56`, `1.234,56 EUR`, `(12.00)`, `12.00-`, `12.00 CR`.

    The last number in the text is the amount (receipts add item counts and tax flags
    around it). Parentheses, a leading or trailing minus and a CR (credit) suffix make it
    negative. Raises ValueError when the text holds no number.
    """
    matches = list(_AMOUNT.finditer(text))
    if not matches:
        raise ValueError(f"{text!r} is not an amount.")
    match = matches[-1]
    try:
        amount = _decimal_from(match[0].strip())
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not an amount.") from exc
    before, after = text[: match.start()], text[match.end() :]
    negative = (
        bool(_MINUS_BEFORE.search(before))
        or after.lstrip().startswith(("-", "\u2212"))
        or ("(" in before and ")" in after)
        or bool(_CREDIT_SUFFIX.match(after))
    )
    if negative:
        amount = -amount
    currency, options, symbol = _currency_in(text)
    return MoneyReading(
        value=format_decimal(amount),
        currency=currency,
        currency_options=options,
        symbol=symbol,
        negative=negative and amount != 0,
    )


def normalize_quantity(text: str) -> str:
    """A quantity as a decimal string, as precise as printed (`4.5`, `1.00`, `2`)."""
    match = list(_AMOUNT.finditer(text))
    if not match:
        raise ValueError(f"{text!r} is not a quantity.")
    try:
        quantity = _decimal_from(match[0][0].strip())
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not a quantity.") from exc
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


# ---------------------------------------------------------------- text fields

_SPACES = re.compile(r"\s+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def clean_text(text: str) -> str:
    """Printed text as one line: lines joined, runs of spaces collapsed, stray dashes and
    label punctuation at the ends dropped (Textract reads a rule under a name as `-`)."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and any(ch.isalnum() for ch in line)]
    return _SPACES.sub(" ", " ".join(kept)).strip(" -:;,|*")


def normalize_field_value(name: str, text: str) -> str:
    """The normalized value of field `name` for `text`, or ValueError saying what is wrong.

    Dates come out ISO-8601 and must not be ambiguous (write 2021-03-04 instead of
    03/04/2021); money comes out as a decimal string; currency as an ISO 4217 code.
    """
    if name in DATE_FIELDS:
        reading = normalize_date(text)
        if reading.ambiguous:
            raise ValueError(
                f"{text!r} could be {reading.value} or {reading.alternative}; "
                "write the date as YYYY-MM-DD."
            )
        return reading.value
    if name in MONEY_FIELDS:
        return normalize_money(text).value
    if name == "currency":
        code = normalize_currency(text)
        if code is None:
            options = currency_options(text)
            if options:
                raise ValueError(
                    f"{text!r} could be any of {', '.join(options)}; give the ISO 4217 code."
                )
            raise ValueError(f"{text!r} is not an ISO 4217 currency code.")
        return code
    value = clean_text(text)
    if not value:
        raise ValueError(f"A value for {name} is required.")
    if name == "remittance_email" and not EMAIL.fullmatch(value):
        raise ValueError(f"{text!r} is not an e-mail address.")
    return value
