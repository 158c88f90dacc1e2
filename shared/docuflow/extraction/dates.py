"""Printed dates read as ISO-8601 dates, saying when day and month could be swapped.

An invoice prints `03/04/2026` and means the 3rd of April or the 4th of March; these
functions read both, settle the order from the document's own unambiguous dates when they
can (`settled_day_first`), and report an ambiguous reading with its alternative otherwise
(`DateReading`); the currency's usual order is only a tie-breaker (`likely_day_first`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


def _words(text: str) -> list[str]:
    return text.split()


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


class DateReading(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

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
