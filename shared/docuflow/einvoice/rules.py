"""EN 16931's rules that DocuFlow checks: required terms, arithmetic, code lists, decimals.

Each rule that fails becomes a `Finding`: the rule's id, the business terms it concerns
and a sentence naming them. Amounts are compared exactly, as the standard does: every
amount EN 16931 sums has at most two decimals (BR-DEC), so a sum that differs by a cent
is wrong, not rounded. Only a VAT amount computed from a rate may differ from the
rounded product, by less than one unit of currency, as in CEN's own schematron.

Checked: BR-01 to BR-16 and BR-21 to BR-27 (required terms, per invoice and per line),
BR-CO-25 (due date or payment terms when something is due), BR-45 to BR-48 (each VAT
breakdown complete), BR-CO-10 to BR-CO-16 (the totals), BR-S/Z/E/AE/K/G/O/L/M-08 and -09
(taxable amount and VAT per category and rate), BR-CL-01 (type code), BR-CL-04/05
(currencies), BR-CL-18 (VAT categories), BR-DEC-09 to -18 (two decimals in totals).
An e-invoice that does not claim EN 16931 is held to less (see `is_core`); an XRechnung
also to its German rules BR-DE-1, -3 to -9, -15, -16, -23 to -26.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from docuflow.einvoice import arithmetic
from docuflow.einvoice.findings import NAMES, Finding, Group, is_compliant, is_core, named
from docuflow.einvoice.model import EInvoice, Line
from docuflow.einvoice.terms import BUYER_ADDRESS, CHARGE_TERMS, SELLER_ADDRESS
from docuflow.einvoice.values import (
    INVOICE_TYPES,
    VAT_CATEGORIES,
    date_of,
    decimal_of,
    is_credit_note,
)
from docuflow.extraction.normalize import ISO_4217

_CENT: Final = Decimal("0.01")
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


def check(invoice: EInvoice) -> list[Finding]:
    """Every rule `invoice` breaks, in the order a reviewer would fix them."""
    findings: list[Finding] = []
    findings += _values(invoice)
    findings += _required(invoice)
    findings += _xrechnung(invoice)
    findings += _code_lists(invoice)
    findings += arithmetic.totals(invoice)
    findings += arithmetic.line_sums(invoice)
    findings += arithmetic.vat(invoice)
    return findings


# --- required business terms ---------------------------------------------------------

_REQUIRED: Final[tuple[tuple[str, str], ...]] = (
    ("BR-01", "BT-24"),
    ("BR-02", "BT-1"),
    ("BR-03", "BT-2"),
    ("BR-04", "BT-3"),
    ("BR-05", "BT-5"),
    ("BR-06", "BT-27"),
    ("BR-07", "BT-44"),
    ("BR-09", "BT-40"),
    ("BR-11", "BT-55"),
    ("BR-12", "BT-106"),
    ("BR-13", "BT-109"),
    ("BR-14", "BT-112"),
    ("BR-15", "BT-115"),
)
# What every e-invoice must say, whatever its profile: the rest may be left out below
# EN 16931 (MINIMUM has no lines and no buyer address, Svefaktura no specification id).
_ALWAYS: Final = frozenset({"BT-1", "BT-2", "BT-5", "BT-27", "BT-112", "BT-115"})


def _missing(rule: str, term: str, where: str = "") -> Finding:
    return Finding(
        rule=rule,
        group=Group.REQUIRED,
        terms=(term,),
        message=f"{rule}: the e-invoice has no {NAMES.get(term, term)} ({term}){where}.",
    )


def _required(invoice: EInvoice) -> list[Finding]:
    core = is_core(invoice)
    terms = invoice.terms
    found: list[Finding] = []
    for rule, term in _REQUIRED:
        if term in terms or (term == "BT-27" and "BT-28" in terms and not core):
            continue  # formats outside EN 16931 may name the seller by trading name only
        if core or term in _ALWAYS:
            found.append(_missing(rule, term))
    if core and not any(term in terms for term in SELLER_ADDRESS):
        found.append(_missing("BR-08", "BG-5"))
    if core and not any(term in terms for term in BUYER_ADDRESS):
        found.append(_missing("BR-10", "BG-8"))
    if core and not invoice.lines:
        found.append(
            Finding(
                rule="BR-16",
                group=Group.REQUIRED,
                terms=("BG-25",),
                message="BR-16: the e-invoice has no invoice line (BG-25).",
            )
        )
    amount_due = decimal_of(terms.get("BT-115"))
    due = amount_due is not None and amount_due > 0 and not is_credit_note(invoice)
    if core and due and not ({"BT-9", "BT-20"} & terms.keys()):
        found.append(
            Finding(
                rule="BR-CO-25",
                group=Group.REQUIRED,
                terms=("BT-9", "BT-20"),
                message=f"BR-CO-25: {terms['BT-115'].text} is due (BT-115), but the e-invoice "
                "gives neither a due date (BT-9) nor payment terms (BT-20).",
            )
        )
    if core:
        found += _line_terms(invoice.lines)
    return found


_LINE_REQUIRED: Final = (
    ("BR-21", "BT-126"),
    ("BR-22", "BT-129"),
    ("BR-23", "BT-130"),
    ("BR-24", "BT-131"),
    ("BR-25", "BT-153"),
    ("BR-26", "BT-146"),
)


def _line_terms(lines: list[Line]) -> list[Finding]:
    found: list[Finding] = []
    for rule, term in _LINE_REQUIRED:
        numbers = [str(n) for n, line in enumerate(lines, start=1) if term not in line.terms]
        if numbers:
            found.append(_missing(rule, term, f" on line {_list(numbers)}"))
    negative = [
        str(n)
        for n, line in enumerate(lines, start=1)
        if (price := decimal_of(line.terms.get("BT-146"))) is not None and price < 0
    ]
    if negative:
        found.append(
            Finding(
                rule="BR-27",
                group=Group.REQUIRED,
                terms=("BT-146",),
                message=f"BR-27: the net price (BT-146) is negative on line {_list(negative)}.",
            )
        )
    return found


def _list(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


# --- XRechnung (Germany's CIUS): its own required terms ---------------------------------

_XRECHNUNG_REQUIRED: Final = (
    ("BR-DE-1", "BT-81", "payment means code"),
    ("BR-DE-3", "BT-37", "seller city"),
    ("BR-DE-4", "BT-38", "seller post code"),
    ("BR-DE-5", "BT-41", "seller contact point"),
    ("BR-DE-6", "BT-42", "seller contact telephone number"),
    ("BR-DE-7", "BT-43", "seller contact e-mail address"),
    ("BR-DE-8", "BT-52", "buyer city"),
    ("BR-DE-9", "BT-53", "buyer post code"),
    ("BR-DE-15", "BT-10", "buyer reference"),
)
# BR-DE-23/24/25: what each kind of payment needs (UNTDID 4461 payment means codes).
_PAYMENT_NEEDS: Final = (
    ("BR-DE-23", frozenset({"30", "58"}), ("BT-84",), "a credit transfer needs the IBAN"),
    ("BR-DE-24", frozenset({"48", "54", "55"}), ("BT-87",), "a card payment needs the card"),
    (
        "BR-DE-25",
        frozenset({"59"}),
        ("BT-89", "BT-91"),
        "a direct debit needs the mandate reference and the debited account",
    ),
)
_VAT_ID_CATEGORIES: Final = frozenset({"S", "Z", "E", "AE", "K", "G", "L", "M"})


def _xrechnung(invoice: EInvoice) -> list[Finding]:
    specification = invoice.terms.get("BT-24")
    if specification is None or "xrechnung" not in specification.text:
        return []
    terms = invoice.terms
    found = [
        Finding(
            rule=rule,
            group=Group.REQUIRED,
            terms=(term,),
            message=f"{rule}: an XRechnung must name the {name} ({term}).",
        )
        for rule, term, name in _XRECHNUNG_REQUIRED
        if term not in terms
    ]
    code = terms["BT-81"].text if "BT-81" in terms else None
    for rule, codes, needed, what in _PAYMENT_NEEDS:
        missing = [term for term in needed if term not in terms]
        if code in codes and missing:
            found.append(
                Finding(
                    rule=rule,
                    group=Group.REQUIRED,
                    terms=tuple(missing),
                    message=f"{rule}: payment means {code} is set, and {what} "
                    f"({', '.join(needed)}); missing: {', '.join(missing)}.",
                )
            )
    categories = {b.terms["BT-118"].text for b in invoice.vat_breakdown if "BT-118" in b.terms}
    if categories & _VAT_ID_CATEGORIES and not {"BT-31", "BT-32", "BT-63"} & terms.keys():
        found.append(
            Finding(
                rule="BR-DE-16",
                group=Group.REQUIRED,
                terms=("BT-31", "BT-32", "BT-63"),
                message="BR-DE-16: with VAT category "
                + ", ".join(sorted(categories & _VAT_ID_CATEGORIES))
                + " the seller's VAT id (BT-31), tax number (BT-32) or tax representative's "
                "VAT id (BT-63) is required.",
            )
        )
    type_code = terms.get("BT-3")
    if type_code is not None and type_code.text == "384" and "BT-25" not in terms:
        found.append(
            Finding(
                rule="BR-DE-26",
                group=Group.REQUIRED,
                terms=("BT-25",),
                message="BR-DE-26: a corrected invoice (type code 384) must name the invoice "
                "it corrects (BT-25).",
            )
        )
    return found


# --- values: dates and amounts that can be read at all ---------------------------------

_DATES: Final = ("BT-2", "BT-9", "BT-72")
_TOTALS_TERMS: Final = (
    "BT-106",
    "BT-107",
    "BT-108",
    "BT-109",
    "BT-110",
    "BT-112",
    "BT-113",
    "BT-114",
    "BT-115",
)
# BR-DEC-09 ... BR-DEC-23: the document totals carry at most two decimals.
_DECIMAL_RULES: Final = {
    "BT-106": "BR-DEC-09",
    "BT-107": "BR-DEC-10",
    "BT-108": "BR-DEC-11",
    "BT-109": "BR-DEC-12",
    "BT-110": "BR-DEC-13",
    "BT-112": "BR-DEC-14",
    "BT-113": "BR-DEC-16",
    "BT-114": "BR-DEC-17",
    "BT-115": "BR-DEC-18",
}


def _values(invoice: EInvoice) -> list[Finding]:
    found: list[Finding] = []
    for term in _DATES:
        value = invoice.terms.get(term)
        if value is not None and date_of(value) is None:
            found.append(
                Finding(
                    rule="format",
                    group=Group.VALUES,
                    terms=(term,),
                    message=f"{named(term).capitalize()} is {value.text!r}, which is not a date.",
                )
            )
    for term in _TOTALS_TERMS:
        value = invoice.terms.get(term)
        if value is None:
            continue
        amount = decimal_of(value)
        if amount is None:
            found.append(
                Finding(
                    rule="format",
                    group=Group.VALUES,
                    terms=(term,),
                    message=f"{named(term).capitalize()} is {value.text!r}, which is not an "
                    "amount.",
                )
            )
        elif _exponent(amount) < -2:
            rule = _DECIMAL_RULES[term]
            found.append(
                Finding(
                    rule=rule,
                    group=Group.VALUES,
                    terms=(term,),
                    message=f"{rule}: {named(term)} is {value.text}, with more than two decimals.",
                )
            )
    return found


def _exponent(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


# --- code lists ------------------------------------------------------------------------


def _code_lists(invoice: EInvoice) -> list[Finding]:
    found: list[Finding] = []
    terms = invoice.terms
    compliant = is_compliant(invoice)
    type_code = terms.get("BT-3")
    if compliant and type_code is not None and type_code.text not in INVOICE_TYPES:
        found.append(
            Finding(
                rule="BR-CL-01",
                group=Group.TYPE_CODE,
                terms=("BT-3",),
                message=f"BR-CL-01: the invoice type code (BT-3) {type_code.text!r} is not an "
                "invoice or credit note type of UNTDID 1001.",
            )
        )
    for rule, term in (("BR-CL-04", "BT-5"), ("BR-CL-05", "BT-6")):
        currency = terms.get(term)
        if currency is not None and currency.text not in ISO_4217:
            found.append(
                Finding(
                    rule=rule,
                    group=Group.CURRENCY,
                    terms=(term,),
                    message=f"{rule}: {named(term)} {currency.text!r} is not an ISO 4217 "
                    "currency code.",
                )
            )
    if not compliant:
        return found
    categories = [(b.terms.get("BT-118"), "BT-118", "BR-CL-18") for b in invoice.vat_breakdown]
    categories += [(line.terms.get("BT-151"), "BT-151", "BR-CL-18") for line in invoice.lines]
    categories += [
        (item.terms.get("BT-95"), CHARGE_TERMS["BT-95"] if item.charge else "BT-95", "BR-CL-18")
        for item in invoice.allowances_charges
    ]
    unknown = sorted(
        {(v.text, term, rule) for v, term, rule in categories if v and v.text not in VAT_CATEGORIES}
    )
    for text, term, rule in unknown:
        found.append(
            Finding(
                rule=rule,
                group=Group.VAT,
                terms=(term,),
                message=f"{rule}: the VAT category code {text!r} ({term}) is not one of "
                "UNTDID 5305's codes for EN 16931 (S, Z, E, AE, K, G, O, L, M, B).",
            )
        )
    return found
