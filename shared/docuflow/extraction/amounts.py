"""Reading a document's amounts by its currency and its own printed convention.

A lone "." or "," before three digits (`1.234`, `100.125`) is a decimal mark in one
document and a thousands separator in another. Readers keep what was printed; once the
document's currency is known, every amount of it is read again (`settle_amounts`) by,
in this order, the decimal mark its other amounts prove (`1.234,56` elsewhere on the page
makes `1.234` a thousand), then the currency's ISO 4217 minor units (BHD has three
decimals, EUR two, JPY none). An amount neither settles is read as thousands and reported
(`ambiguous_amount_hint`, `read_items`): a review reason, never a silent guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from docuflow.extraction.candidates import Findings, PrintedItem, Reading, human
from docuflow.extraction.normalize import (
    clean_text,
    decimal_convention,
    normalize_money,
    normalize_quantity,
)
from docuflow.extraction.result import MONEY_FIELDS, LineItem, ReviewReason

_ITEM_AMOUNTS = ("unit_price", "amount")


def settle_amounts(findings: Findings, currency: str | None) -> str | None:
    """Read every amount reading again in the document's `currency` and decimal mark;
    returns that mark ("." or ","; None when the amounts prove none)."""
    readings = [r for name in sorted(MONEY_FIELDS) for r in findings.candidates.get(name, [])]
    items = [*findings.expense_items, *findings.table_items]
    mark = decimal_convention(
        [r.text for r in readings]
        + [item.parts[role] for item in items for role in _ITEM_AMOUNTS if role in item.parts]
    )
    for reading in readings:
        reading.money = normalize_money(reading.text, currency=currency, decimal_mark=mark)
        reading.value = reading.money.value
    return mark


def ambiguous_amount_hint(name: str, chosen: Reading) -> ReviewReason | None:
    """The review reason for a chosen amount whose decimal mark is still in doubt."""
    money = chosen.money
    if money is None or not money.ambiguous:
        return None
    return ReviewReason(
        code="AMOUNT_AMBIGUOUS",
        field=name,
        message=f"The {human(name)} {chosen.text.strip()!r} could be {money.value} or "
        f"{money.alternative}: neither the currency nor the document's other amounts say "
        "whether its mark is a decimal point or a thousands separator.",
    )


def read_items(
    printed: Sequence[PrintedItem], currency: str | None, mark: str | None
) -> tuple[list[LineItem], list[ReviewReason]]:
    """The line items, their numbers read in the document's `currency` and decimal
    `mark`, and a review reason if an amount among them is still in doubt."""
    items: list[LineItem] = []
    doubts: list[str] = []
    for item in printed:
        values: dict[str, str | None] = dict.fromkeys(("quantity", *_ITEM_AMOUNTS))
        for role, text in item.parts.items():
            if role == "quantity":
                values[role] = normalize_quantity(text, decimal_mark=mark)
            elif role in _ITEM_AMOUNTS:
                money = normalize_money(text, currency=currency, decimal_mark=mark)
                values[role] = money.value
                if money.ambiguous:
                    doubts.append(
                        f"{human(role)} {text.strip()!r} ({money.value} or {money.alternative})"
                    )
        description = item.parts.get("description")
        items.append(
            LineItem(
                description=clean_text(description) if description else None,
                quantity=values["quantity"],
                unit_price=values["unit_price"],
                amount=values["amount"],
                page=item.page,
                confidence=item.confidence,
                bbox=item.bbox,
                source=item.source,
            )
        )
    if not doubts:
        return items, []
    return items, [
        ReviewReason(
            code="AMOUNT_AMBIGUOUS",
            field="line_items",
            message="Line item amounts could be read two ways, a decimal point or a thousands "
            "separator, and nothing on the document says which: " + "; ".join(doubts) + ".",
        )
    ]
