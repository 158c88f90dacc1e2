"""E-invoice values as numbers and dates: exact decimals, ISO dates, the code lists."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from docuflow.einvoice.model import EInvoice, Term
from docuflow.einvoice.syntax import Syntax

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CII_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ZZ+-])")


def decimal_of(term: Term | None) -> Decimal | None:
    """The term as an exact decimal; None when absent or not a plain decimal number."""
    if term is None or not _DECIMAL.fullmatch(term.text):
        return None
    try:
        return Decimal(term.text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def date_of(term: Term | None) -> date | None:
    """The term as a date: CII's `102` format (20250131) or ISO (2025-01-31, with a time
    after it in Svefaktura); None when absent or not a real date."""
    if term is None:
        return None
    match = _CII_DATE.fullmatch(term.text) or _ISO_DATE.match(term.text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


CREDIT_NOTE_TYPES: Final = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)
"""UNTDID 1001 codes of credit notes (EN 16931 code list for BT-3)."""

CORRECTED_INVOICE_TYPES: Final = frozenset({"384"})

INVOICE_TYPES: Final = (
    frozenset(
        {
            "71", "80", "82", "84", "102", "130", "202", "203", "204", "211", "218", "219",
            "295", "325", "326", "331", "380", "382", "383", "385", "386", "387", "388",
            "389", "390", "393", "394", "395", "456", "457", "527", "553", "575", "623",
            "633", "751", "780", "817", "870", "875", "876", "877", "935",
        }
    )
    | CREDIT_NOTE_TYPES
    | CORRECTED_INVOICE_TYPES
)  # fmt: skip
"""Every UNTDID 1001 code EN 16931 admits as an invoice type (BT-3, rule BR-CL-01)."""

VAT_CATEGORIES: Final = frozenset({"S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B"})
"""UNTDID 5305 codes EN 16931 admits as VAT category (BT-95, BT-102, BT-118, BT-151)."""


def is_credit_note(invoice: EInvoice) -> bool:
    """A UBL CreditNote, or any syntax with a credit note's type code (BT-3)."""
    type_code = invoice.terms.get("BT-3")
    if type_code is not None and type_code.text in INVOICE_TYPES:
        return type_code.text in CREDIT_NOTE_TYPES
    return invoice.syntax is Syntax.UBL_CREDIT_NOTE
