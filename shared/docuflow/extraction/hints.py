"""What the document as a whole says: its type, credit note, currency, dates, parties.

Each function reads the findings of one document (its readings, printed lines and
labels) and either adjusts the readings before a value is chosen (receivers are not the
vendor, an ISO code settles a shared symbol, the document's own dates settle day and
month) or adds a review hint after.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from docuflow.extraction.candidates import Findings, Reading, Where, human, kinds
from docuflow.extraction.choosing import score
from docuflow.extraction.dates import (
    DateReading,
    date_separator,
    likely_day_first,
    normalize_date,
    settled_day_first,
)
from docuflow.extraction.evidence import WEIGHTS, Evidence
from docuflow.extraction.labels import label_key
from docuflow.extraction.result import (
    DATE_FIELDS,
    MONEY_FIELDS,
    DocumentType,
    ExtractedField,
    FieldSource,
    LineItem,
    ReviewReason,
)

_INVOICE_WORDS = re.compile(
    r"\b(?:invoice|rechnung|facture|factura|fattura|faktura|factuur|nota fiscal)\b"
)
# A credit note is an invoice that credits the buyer: titled as one, or numbered as one.
_CREDIT_NOTE_WORDS = re.compile(
    r"\b(?:credit note|credit memo|gutschrift|gutschriftsnummer|creditnota|creditnotanummer|"
    r"creditfactuur|note de crédit|nota de crédito|nota di credito)\b"
)
# "Avoir" is also a common French verb: a credit note only as a title or its number's label.
_AVOIR = re.compile(r"^(?:avoir(?: n\b.*)?|num[ée]ro d avoir\b.*)$")
_RECEIPT_WORDS = re.compile(
    r"\b(?:receipt|change due|tend|cash|visa|mastercard|items sold|thank you for shopping|"
    r"kassenbon|quittung|ticket de caisse|recibo)\b"
)
_ISO_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])")

# ---------------------------------------------------------------- parties

_PARTY_FIELDS = (
    "vendor_name",
    "vendor_address",
    "remit_to_name",
    "remit_to_address",
    "remittance_email",
    "remittance_phone",
)


def drop_receivers_as_vendor(findings: Findings) -> None:
    """Never take the bill-to / ship-to party as the vendor, whichever source offered it.

    Textract's own vendor readings are dropped when they equal a receiver's name; text
    readings (weaker evidence) also when they appear anywhere in a receiver's block, e.g.
    the customer's e-mail under "To:" offered as the remittance e-mail.
    """
    if not findings.receiver_names and not findings.receiver_texts:
        return
    for name in _PARTY_FIELDS:
        readings = findings.candidates.get(name)
        if readings:
            findings.candidates[name] = [r for r in readings if not _is_receivers(findings, r)]


def _is_receivers(findings: Findings, reading: Reading) -> bool:
    key = label_key(reading.value)
    if len(key) < 4:  # "CA" or "1" would be found in any address
        return False
    if reading.field in ("vendor_name", "remit_to_name") and key in findings.receiver_names:
        return True
    return reading.source is FieldSource.TEXT and any(
        key in text for text in findings.receiver_texts
    )


# ---------------------------------------------------------------- currency


def currency_from_lines(findings: Findings) -> None:
    """An ISO code printed anywhere ("All amounts in AUD") settles an ambiguous symbol."""
    if findings.candidates.get("currency") or not findings.ambiguous_symbols:
        return
    options = {code for codes in findings.ambiguous_symbols.values() for code in codes}
    for line in findings.lines:
        for token in _ISO_CODE.findall(line.text):
            if token in options:
                where = Where(line.confidence, line.page, line.bbox, FieldSource.TEXT)
                findings.add(
                    Reading.at(
                        "currency",
                        token,
                        line.text,
                        where,
                        label=None,
                        evidence=kinds(Evidence.CURRENCY_CODE_IN_TEXT),
                    )
                )


def currency_hints(findings: Findings, fields: Mapping[str, ExtractedField]) -> None:
    """A shared symbol nothing settles, or several currencies named surely, is a hint."""
    chosen = fields.get("currency")
    if chosen is None and findings.ambiguous_symbols:
        symbols = ", ".join(f"'{symbol}'" for symbol in findings.ambiguous_symbols)
        options = sorted({code for codes in findings.ambiguous_symbols.values() for code in codes})
        findings.hints.append(
            ReviewReason(
                code="CURRENCY_AMBIGUOUS",
                field="currency",
                message=f"Amounts are printed with {symbols}, which several currencies use "
                f"({', '.join(options)}), and nothing else on the document says which one.",
            )
        )
    elif chosen is not None:
        strong = {
            r.value
            for r in findings.candidates.get("currency", [])
            if score(r) >= WEIGHTS.strong_currency_min_score
        }
        if len(strong) > 1:
            findings.hints.append(
                ReviewReason(
                    code="CURRENCY_CONFLICT",
                    field="currency",
                    message="The document names more than one currency: "
                    + ", ".join(sorted(strong))
                    + ".",
                )
            )


# ---------------------------------------------------------------- dates


def settle_dates(findings: Findings, currency: str | None) -> None:
    """Settle the day/month order of ambiguous numeric dates from the document's own
    unambiguous dates printed the same way (`07/06/2025` beside `21/06/2025`).

    Nothing else settles it. An unsettled date stays ambiguous (a review reason offering
    both readings); the currency's usual order only decides which reading is shown first,
    since it is no proof: a Swiss vendor may print US dates.
    """
    dated = [r for name in DATE_FIELDS for r in findings.candidates.get(name, [])]
    if not any(r.date is not None and r.date.ambiguous for r in dated):
        return
    texts = [r.text for r in dated] + [line.text for line in findings.lines]
    for reading in dated:
        if reading.date is None or not reading.date.ambiguous:
            continue
        day_first = settled_day_first(texts, date_separator(reading.text))
        if day_first is not None:
            reading.date = normalize_date(reading.text, day_first=day_first)
        elif likely_day_first(currency) and reading.date.alternative is not None:
            reading.date = DateReading(
                value=reading.date.alternative,
                order="DMY",
                ambiguous=True,
                alternative=reading.date.value,
            )
        reading.value = reading.date.value


def ambiguous_date_hint(name: str, chosen: Reading) -> ReviewReason | None:
    """The review reason for a chosen date whose day and month can still be swapped."""
    if chosen.date is None or not chosen.date.ambiguous:
        return None
    return ReviewReason(
        code="DATE_AMBIGUOUS",
        field=name,
        message=f"The {human(name)} {chosen.text.strip()!r} could be {chosen.date.value} or "
        f"{chosen.date.alternative} (day and month can be swapped) and nothing else on the "
        "document settles it.",
    )


# ---------------------------------------------------------------- the document


def multiple_invoices_hint(findings: Findings) -> None:
    """Expense documents with different invoice numbers: several invoices in one file."""
    ids = {i for ids in findings.invoice_ids_by_expense_doc.values() for i in ids if i}
    if len(findings.invoice_ids_by_expense_doc) > 1 and len(ids) > 1:
        findings.hints.append(
            ReviewReason(
                code="MULTIPLE_INVOICES",
                field="invoice_number",
                message=f"The file seems to hold {len(ids)} different invoices; their fields "
                "were read as one.",
            )
        )


def is_credit_note(findings: Findings) -> bool:
    """Whether the document calls itself a credit note (in its title or a number's label)."""
    texts = [line.text for line in findings.lines] + findings.label_texts
    words = " ".join(texts).casefold()
    return bool(_CREDIT_NOTE_WORDS.search(words)) or any(
        _AVOIR.match(label_key(text)) for text in texts
    )


def document_type(
    findings: Findings,
    fields: Mapping[str, ExtractedField],
    line_items: Sequence[LineItem],
    *,
    credit_note: bool,
) -> DocumentType:
    """Expense responses carry no document type: decide from what was read.

    A credit note is an invoice document (one that credits the buyer), whether it says
    so or only its negative total and invoice number show it.
    """
    words = " ".join([line.text for line in findings.lines] + findings.label_texts).casefold()
    if _INVOICE_WORDS.search(words) or "due_date" in fields or "payment_terms" in fields:
        return DocumentType.INVOICE
    if credit_note:
        return DocumentType.INVOICE
    total = fields.get("total_amount") or fields.get("amount_due")
    if _is_negative(total) and "invoice_number" in fields and not _RECEIPT_WORDS.search(words):
        return DocumentType.INVOICE
    has_money = bool(MONEY_FIELDS & fields.keys())
    if (has_money and (findings.saw_expense or _RECEIPT_WORDS.search(words))) or (
        findings.saw_expense and line_items
    ):
        return DocumentType.RECEIPT
    if "invoice_number" in fields and "total_amount" in fields:
        return DocumentType.INVOICE
    return DocumentType.OTHER


def _is_negative(field: ExtractedField | None) -> bool:
    try:
        return field is not None and Decimal(field.value) < 0
    except InvalidOperation:
        return False
