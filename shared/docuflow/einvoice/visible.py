"""A hybrid PDF's picture against its XML: does the page show the same invoice?

The XML is the invoice, but a person may have checked the picture: when the page shows
another total, IBAN or invoice number, the job goes to review with both values named.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

from docuflow.einvoice.model import EInvoice
from docuflow.einvoice.values import decimal_of
from docuflow.extraction.labels import field_for_label
from docuflow.extraction.normalize import normalize_money
from docuflow.extraction.result import Check, ReviewReason

CHECK: Final = "pdf_matches_xml"
REASON: Final = "PDF_XML_MISMATCH"

# Printed amounts: 963,12 / 963.12 / 1.234,56 / 1,234.56 / 1 234,56 / 1'234.56.
_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,' \u00a0\u202f]\d{3})*[.,]\d{2}(?![\d])")
_LABEL_STRENGTH: Final = 0.3
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")


def _printed_amounts(text: str) -> list[tuple[str, Decimal]]:
    found: list[tuple[str, Decimal]] = []
    for match in _AMOUNT.finditer(text):
        try:
            found.append((match[0], abs(Decimal(normalize_money(match[0]).value))))
        except (ValueError, InvalidOperation):
            continue
    return found


_LABELLED: Final = (("total_amount", "BT-112"), ("amount_due", "BT-115"))
_LOOKAHEAD_LINES: Final = 2


def _labelled_amounts(text: str) -> dict[str, list[tuple[str, Decimal]]]:
    """Amounts printed with a total or amount-due label: on its line or the next lines
    (extracted text often puts a label and its value on lines of their own)."""
    lines = text.splitlines()
    found: dict[str, list[tuple[str, Decimal]]] = {}
    for number, line in enumerate(lines):
        label = re.split(r"\d", line, maxsplit=1)[0].strip(" :")
        field, strength = field_for_label(label) if label else (None, 0.0)
        if field not in ("total_amount", "amount_due") or strength < _LABEL_STRENGTH:
            continue
        for candidate in lines[number : number + 1 + _LOOKAHEAD_LINES]:
            amounts = _printed_amounts(candidate)
            if amounts:
                found.setdefault(field, []).append(amounts[0])
                break
    return found


def _amount_reasons(invoice: EInvoice, text: str) -> list[ReviewReason]:
    labelled = _labelled_amounts(text)
    reasons: list[ReviewReason] = []
    for field, term in _LABELLED:
        wanted = decimal_of(invoice.terms.get(term))
        printed = labelled.get(field)
        if wanted is not None and printed and all(value != abs(wanted) for _, value in printed):
            reasons.append(_amount_reason(field, printed, wanted))
    if labelled:
        return reasons
    # No labelled total on the page: the XML's total must at least be printed somewhere.
    total = decimal_of(invoice.terms.get("BT-112"))
    printed = _printed_amounts(text)
    if total is not None and printed and all(value != abs(total) for _, value in printed):
        reasons.append(_amount_reason("total_amount", printed, total))
    return reasons


def _amount_reason(field: str, printed: list[tuple[str, Decimal]], wanted: Decimal) -> ReviewReason:
    shown, _ = min(printed, key=lambda item: abs(item[1] - abs(wanted)))
    what = "total" if field == "total_amount" else "amount due"
    return ReviewReason(
        code=REASON,
        field=field,
        message=f"The PDF shows {shown}, the XML says {format(abs(wanted), 'f')}: the XML "
        f"stands, but the printed {what} differs.",
    )


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def compare(invoice: EInvoice, text: str) -> tuple[Check, list[ReviewReason]]:
    """The check and reasons for a hybrid PDF whose text layer is `text`."""
    if not text.strip():
        return (
            Check(
                status="skipped",
                message="The PDF has no text layer to compare with its XML.",
            ),
            [],
        )
    reasons = _amount_reasons(invoice, text)
    number = invoice.terms.get("BT-1")
    if number is not None and _compact(number.text) not in _compact(text):
        reasons.append(
            ReviewReason(
                code=REASON,
                field="invoice_number",
                message=f"The PDF does not show the XML's invoice number {number.text}.",
            )
        )
    iban = invoice.terms.get("BT-84")
    if iban is not None:
        wanted = _compact(iban.text)
        # Upper case: extracted text keeps the IBAN's letters as printed, not always capitals.
        printed_ibans = {_compact(match) for match in _IBAN.findall(text.upper())}
        if printed_ibans and wanted not in printed_ibans and wanted not in _compact(text):
            reasons.append(
                ReviewReason(
                    code=REASON,
                    field="bank_account",
                    message=f"The PDF shows the IBAN {sorted(printed_ibans)[0]}, the XML says "
                    f"{wanted}.",
                )
            )
    if reasons:
        fields = [reason.field for reason in reasons if reason.field]
        return (
            Check(status="fail", message=" ".join(r.message for r in reasons), fields=fields),
            reasons,
        )
    return (
        Check(
            status="pass",
            message="The PDF shows the same total, invoice number and IBAN as its XML.",
        ),
        [],
    )
