"""EN 16931's arithmetic: the totals (BR-CO-10 to BR-CO-16), the line sums and the VAT
breakdown per category and rate (BR-S/Z/E/AE/K/G/O/L/M-08 and -09), compared exactly
(see `docuflow.einvoice.rules`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from docuflow.einvoice.findings import NAMES, Finding, Group, is_core, money, named
from docuflow.einvoice.model import EInvoice, Term, Terms
from docuflow.einvoice.terms import THIRD_PARTY
from docuflow.einvoice.values import decimal_of

_CENT: Final = Decimal("0.01")
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


def _amount(terms: Terms, term: str) -> Decimal | None:
    return decimal_of(terms.get(term))


def _compare(
    terms: Terms,
    rule: str,
    *,
    group: Group,
    target: str,
    expected: Decimal,
    how: str,
    inputs: Iterable[str] = (),
    exact: bool = True,
) -> list[Finding]:
    """A finding when `target` is not `expected` rounded to cents (as CEN's schematron
    rounds sums), or for formats outside EN 16931, when they differ by more than a cent."""
    actual = _amount(terms, target)
    rounded = expected.quantize(_CENT, rounding=ROUND_HALF_UP)
    if actual is None or actual in (expected, rounded):
        return []
    if not exact and abs(actual - rounded) <= _CENT:
        return []
    return [
        Finding(
            rule=rule,
            group=group,
            terms=(target, *inputs),
            message=f"{rule}: {named(target)} is {terms[target].text}, but {how} is "
            f"{money(expected)}.",
        )
    ]


def totals(invoice: EInvoice) -> list[Finding]:
    t = invoice.terms
    exact = is_core(invoice)
    found: list[Finding] = []
    lines_total = _amount(t, "BT-106")
    allowances = _amount(t, "BT-107") or _ZERO
    charges = _amount(t, "BT-108") or _ZERO
    if lines_total is not None:
        found += _compare(
            t,
            "BR-CO-13",
            group=Group.TOTALS,
            target="BT-109",
            expected=lines_total - allowances + charges,
            how="the sum of line net amounts (BT-106) less allowances (BT-107) plus charges "
            "(BT-108)",
            inputs=("BT-106", "BT-107", "BT-108"),
            exact=exact,
        )
    without_vat, vat = _amount(t, "BT-109"), _amount(t, "BT-110") or _ZERO
    if without_vat is not None:
        found += _compare(
            t,
            "BR-CO-15",
            group=Group.TOTALS,
            target="BT-112",
            expected=without_vat + vat,
            how="the total without VAT (BT-109) plus the total VAT (BT-110)",
            inputs=("BT-109", "BT-110"),
            exact=exact,
        )
    total = _amount(t, "BT-112")
    # Below EN 16931 (Factur-X MINIMUM) a prepayment may be left out of the XML while the
    # amount due reflects it: without BT-113 there is nothing to hold BT-115 to.
    if total is not None and (exact or "BT-113" in t):
        paid, rounding = _amount(t, "BT-113") or _ZERO, _amount(t, "BT-114") or _ZERO
        third_party = _amount(t, THIRD_PARTY)
        how = "the total with VAT (BT-112) less the paid amount (BT-113) plus rounding (BT-114)"
        if third_party is not None:
            how += " plus what third parties paid (XRechnung BR-DEX-09)"
        found += _compare(
            t,
            "BR-CO-16",
            group=Group.TOTALS,
            target="BT-115",
            expected=total - paid + rounding + (third_party or _ZERO),
            how=how,
            inputs=("BT-112", "BT-113", "BT-114"),
            exact=exact,
        )
    if invoice.vat_breakdown and "BT-110" in t:
        amounts = [decimal_of(b.terms.get("BT-117")) for b in invoice.vat_breakdown]
        if all(amount is not None for amount in amounts):
            found += _compare(
                t,
                "BR-CO-14",
                group=Group.TOTALS,
                target="BT-110",
                expected=sum((a for a in amounts if a is not None), _ZERO),
                how="the sum of the VAT amounts per category (BT-117)",
                inputs=("BT-117",),
                exact=exact,
            )
    return found


def line_sums(invoice: EInvoice) -> list[Finding]:
    t = invoice.terms
    exact = is_core(invoice)
    found: list[Finding] = []
    if invoice.lines and invoice.sub_lines == 0:
        nets = [decimal_of(line.terms.get("BT-131")) for line in invoice.lines]
        if all(net is not None for net in nets):
            found += _compare(
                t,
                "BR-CO-10",
                group=Group.LINES,
                target="BT-106",
                expected=sum((net for net in nets if net is not None), _ZERO),
                how=f"the sum of the {len(nets)} line net amounts (BT-131)",
                inputs=("BT-131",),
                exact=exact,
            )
    for charge, target, rule in ((False, "BT-107", "BR-CO-11"), (True, "BT-108", "BR-CO-12")):
        items = [item for item in invoice.allowances_charges if item.charge is charge]
        amounts = [decimal_of(item.terms.get("BT-92")) for item in items]
        if not all(amount is not None for amount in amounts):
            continue
        total = sum((a for a in amounts if a is not None), _ZERO)
        if items or _amount(t, target) not in (None, _ZERO):
            kind = "charges (BT-99)" if charge else "allowances (BT-92)"
            found += _compare(
                t,
                rule,
                group=Group.LINES,
                target=target,
                expected=total,
                how=f"the sum of the {len(items)} {kind}",
                inputs=(),
                exact=exact,
            )
    return found


_CATEGORY_RULES: Final = {
    "S": "BR-S",
    "Z": "BR-Z",
    "E": "BR-E",
    "AE": "BR-AE",
    "K": "BR-IC",
    "G": "BR-G",
    "O": "BR-O",
    "L": "BR-AF",
    "M": "BR-AG",
}
# Categories whose VAT is zero by definition (exempt, reverse charge, export, ...).
_ZERO_RATED: Final = frozenset({"Z", "E", "AE", "K", "G", "O"})


_Key = tuple[str, Decimal | None]


def _key(category: Term | None, rate: Term | None) -> _Key:
    value = decimal_of(rate)
    return (category.text if category else "", value.normalize() if value is not None else None)


def vat(invoice: EInvoice) -> list[Finding]:
    found: list[Finding] = []
    if not is_core(invoice):
        return found
    for number, breakdown in enumerate(invoice.vat_breakdown, start=1):
        for rule, term in (("BR-45", "BT-116"), ("BR-46", "BT-117"), ("BR-47", "BT-118")):
            if term not in breakdown.terms:
                found.append(
                    Finding(
                        rule=rule,
                        group=Group.VAT,
                        terms=(term,),
                        message=f"{rule}: VAT breakdown {number} has no {NAMES[term]} ({term}).",
                    )
                )
        category = breakdown.terms.get("BT-118")
        if category is not None and category.text != "O" and "BT-119" not in breakdown.terms:
            found.append(
                Finding(
                    rule="BR-48",
                    group=Group.VAT,
                    terms=("BT-119",),
                    message=f"BR-48: VAT breakdown {number} ({category.text}) has no VAT rate "
                    "(BT-119).",
                )
            )
    if invoice.sub_lines or not invoice.vat_breakdown:
        # Without EN 16931's categories (or with EXTENDED's line hierarchy) the lines
        # cannot be assigned to a breakdown.
        return found
    found += _per_category(invoice)
    return found


def _taxable_by_category(invoice: EInvoice) -> dict[_Key, Decimal] | None:
    """Each category and rate's lines less allowances plus charges (None: unreadable)."""
    taxable: dict[_Key, Decimal] = defaultdict(Decimal)
    for line in invoice.lines:
        net = decimal_of(line.terms.get("BT-131"))
        if net is None:
            return None
        taxable[_key(line.terms.get("BT-151"), line.terms.get("BT-152"))] += net
    for item in invoice.allowances_charges:
        amount = decimal_of(item.terms.get("BT-92"))
        if amount is None:
            return None
        key = _key(item.terms.get("BT-95"), item.terms.get("BT-96"))
        taxable[key] += amount if item.charge else -amount
    return taxable


def _per_category(invoice: EInvoice) -> list[Finding]:
    """BR-x-08 (taxable amount = its lines less allowances plus charges) and BR-x-09
    (VAT = taxable amount x rate, rounded to cents) for each category and rate."""
    taxable = _taxable_by_category(invoice)
    if taxable is None:
        return []
    stated: dict[_Key, Decimal] = defaultdict(Decimal)
    for breakdown in invoice.vat_breakdown:
        basis = decimal_of(breakdown.terms.get("BT-116"))
        if basis is not None:
            # One category and rate may be broken down twice (two exemption reasons).
            stated[_key(breakdown.terms.get("BT-118"), breakdown.terms.get("BT-119"))] += basis
    found: list[Finding] = []
    for breakdown in invoice.vat_breakdown:
        category, rate = breakdown.terms.get("BT-118"), breakdown.terms.get("BT-119")
        basis = decimal_of(breakdown.terms.get("BT-116"))
        prefix = _CATEGORY_RULES.get(category.text) if category else None
        if category is None or basis is None or prefix is None:
            continue
        label = f"{category.text} at {rate.text}%" if rate else category.text
        key = _key(category, rate)
        lines_basis = taxable.get(key)
        expected_basis = (lines_basis or _ZERO).quantize(_CENT, rounding=ROUND_HALF_UP)
        if lines_basis is not None and stated.pop(key, expected_basis) != expected_basis:
            found.append(
                Finding(
                    rule=f"{prefix}-08",
                    group=Group.VAT,
                    terms=("BT-116", "BT-131"),
                    message=f"{prefix}-08: the taxable amount (BT-116) for {label} is "
                    f"{breakdown.terms['BT-116'].text}, but its lines less allowances plus "
                    f"charges come to {money(expected_basis)}.",
                )
            )
        found += _category_vat(breakdown.terms, prefix, label, basis, key)
    return found


def _category_vat(
    terms: Terms, prefix: str, label: str, basis: Decimal, key: _Key
) -> list[Finding]:
    tax = decimal_of(terms.get("BT-117"))
    if tax is None:
        return []
    if key[0] in _ZERO_RATED:
        expected = _ZERO
    elif key[1] is not None:
        expected = (basis * key[1] / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    else:
        return []
    if abs(tax - expected) < _ONE:
        return []
    return [
        Finding(
            rule=f"{prefix}-09",
            group=Group.VAT,
            terms=("BT-117", "BT-116", "BT-119"),
            message=f"{prefix}-09: the VAT amount (BT-117) for {label} is "
            f"{terms['BT-117'].text}, but the taxable amount {money(basis)} at that rate "
            f"gives {money(expected)}.",
        )
    ]
