"""Header fields found from printed lines and their positions (labels in several languages).

Owned by the offline-OCR work (issue 6); the parser calls `fields_from_lines` for every
document and uses what it returns only for fields no Textract reading names.

How a field is found:
- a label the one label table knows (`labels.field_for_label`), with its value after a
  colon on the same line, in the line to its right, or (for non-money fields) in the
  line under it;
- readings are ranked by the parser's one rule (`choosing.rank`), so totals prefer the
  label-value pair lowest on the last page and header fields the one highest on the first;
- parties (`text_parties`): the vendor is the most prominent line of page 1's
  letterhead that is not a title, a label, or part of a bill-to / ship-to block; its
  address is the lines under it; remit-to name and address are the lines under a
  remit-to label.

Confidences are deliberately below what Textract reports for the same evidence (at most
85, less for a weaker pairing, a generic label or an ambiguous date: the `text_*` factors
of `evidence.WEIGHTS`), so a field read this way only completes a document when its
evidence is strong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from docuflow.extraction.candidates import Reading, found_in_lines
from docuflow.extraction.choosing import rank
from docuflow.extraction.dates import DateReading, date_separator, normalize_date, settled_day_first
from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.labels import field_for_label
from docuflow.extraction.lines import TextFinding, TextLine
from docuflow.extraction.normalize import EMAIL, clean_text, normalize_currency, normalize_money
from docuflow.extraction.result import DATE_FIELDS, MONEY_FIELDS, FieldSource
from docuflow.extraction.text_parties import (
    HAS_DIGIT,
    IBAN,
    receiver_lines,
    remit_to,
    unlabelled_contacts,
    vendor,
)
from docuflow.extraction.text_titles import due_in_terms, letter_date, title_fields

_RATE = re.compile(r"\(?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*\)?")
_PAGE_COUNT = re.compile(r"^\s*\d+\s*(?:of|von|de|van|/)\s*\d+\s*$", re.IGNORECASE)
_PO_BOX = re.compile(r"^(box|bus|postfach)\b", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d ()./-]{6,}$")
_VENDOR_OWN = frozenset({"vendor_tax_id", "remittance_email", "remittance_phone", "bank_account"})
_STARTS_LIKE_VALUE = re.compile(r"^[-\u2212(+]?\s*(?:[$€£]|[A-Z]{3}\s)?\s*\d")


def fields_from_lines(lines: Sequence[TextLine], page_count: int) -> dict[str, list[Reading]]:
    """Readings per normalized field name found in `lines` (source `text`), best first by
    `choosing.rank`, one per value."""
    ordered = sorted(lines, key=lambda line: (line.page, _top(line), _left(line)))
    texts = tuple(line.text for line in ordered)
    found: list[TextFinding] = []
    receivers = receiver_lines(ordered)
    for index, line in enumerate(ordered):
        found.extend(_labelled(line, index, ordered, texts))
    # The buyer's own tax id and contacts, printed in its block, are not the vendor's.
    found = [f for f in found if not (f.field in _VENDOR_OWN and id(f.line) in receivers)]
    found.extend(title_fields(ordered))
    found.extend(due_in_terms(ordered))
    found.extend(letter_date(ordered, {id(f.line) for f in found}))
    found.extend(vendor(ordered, receivers))
    found.extend(remit_to(ordered))
    found.extend(unlabelled_contacts(ordered, {id(f.line) for f in found}))
    found = _corroborated_currency(found)
    result: dict[str, list[Reading]] = {}
    for name in sorted({f.field for f in found}):
        readings = [_as_reading(f) for f in found if f.field == name]
        seen: set[str] = set()
        distinct: list[Reading] = []
        for reading in rank(name, readings, page_count):
            if reading.value not in seen:
                seen.add(reading.value)
                distinct.append(reading)
        result[name] = distinct
    return result


def receiver_texts(lines: Sequence[TextLine]) -> list[str]:
    """The text of every buyer block the text finder sees (never the vendor's), so that
    other readers' vendor readings can be checked against them too."""
    ordered = sorted(lines, key=lambda line: (line.page, _top(line), _left(line)))
    receivers = receiver_lines(ordered)
    return [line.text for line in ordered if id(line) in receivers]


def _as_reading(found: TextFinding) -> Reading:
    confidence = round(max(0.0, min(found.confidence, WEIGHTS.text_max_confidence)), 2)
    return Reading(
        found.field,
        found.value,
        found.text,
        confidence,
        found.line.page,
        found.bbox,
        FieldSource.TEXT,
        found.label,
        found_in_lines(confidence),
        _date_reading(found),
    )


def _date_reading(found: TextFinding) -> DateReading | None:
    """The unsettled reading of a date, so that the parser settles it (or reports it as
    ambiguous) by the same rule as every other date reading."""
    if found.field not in DATE_FIELDS:
        return None
    try:
        return normalize_date(found.text)
    except ValueError:
        return None


# ------------------------------------------------------------------ labels and values


def _field_for(label: str) -> tuple[str | None, float]:
    """The field a label names and how surely (0-1): the shared label table's answer."""
    return field_for_label(label)


def _split_label(text: str) -> tuple[str, str] | None:
    """("Label", "value") when `text` starts with a known label, else None."""
    head, colon, rest = text.partition(":")
    if colon and 0 < len(head.split()) <= 6:
        field, _ = _field_for(head)
        if field is not None:
            return head.strip(), rest.strip()
    words = text.split()
    for size in range(min(6, len(words) - 1), 0, -1):
        label, value = " ".join(words[:size]), " ".join(words[size:])
        field, _ = _field_for(label)
        if field is None:
            continue
        if colon and not HAS_DIGIT.search(value.partition(":")[0]):
            # The words up to the colon are the label ("N° de facture associée : F2018"
            # names another invoice's number): a known label's prefix is not enough.
            continue
        if field in MONEY_FIELDS:
            if not _STARTS_LIKE_VALUE.match(_RATE.sub(" ", value).strip()):
                continue
        elif not HAS_DIGIT.search(value) and field not in ("payment_terms", "remittance_email"):
            continue
        return label, value
    return None


def _labelled(
    line: TextLine, index: int, lines: list[TextLine], texts: Sequence[str]
) -> list[TextFinding]:
    text = line.text.strip()
    if text.endswith(";"):
        # OCR reads a label's colon as a semicolon ("FACTURE N° ;"): no label ends in one.
        text = text[:-1].rstrip() + ":"
    split = _split_label(text)
    if split is not None:
        label, value_text = split
        if value_text:
            return _reading(
                label, value_text, line, line, pairing=WEIGHTS.text_value_inline, texts=texts
            )
    if text.endswith(":") or _field_for(text)[0] is not None:
        label = text.rstrip(" :")
        field, _ = _field_for(label)
        if field is None:
            return []
        beside = _beside(line, lines)
        if beside is not None:
            found = _reading(
                label, beside.text, line, beside, pairing=WEIGHTS.text_value_beside, texts=texts
            )
            if found:
                return found
        # Under a row of labels (a header band) the values sit a little further down. An
        # amount under its label is a table column, unless the labels stand in a band of
        # totals ("TOTAL HT  TOTAL TVA  TOTAL TTC") over one row of amounts.
        band = _labels_beside(line, lines)
        if field not in MONEY_FIELDS or _totals_band(line, lines):
            below = _below(line, index, lines, max_gap=3.5 if band else 2.0)
            if below is not None and field in MONEY_FIELDS:
                after = _below(below, lines.index(below), lines, max_gap=3.5)
                if after is not None and _amounts_on_row(after, lines) > 1:
                    below = None  # more rows of amounts follow: a table's columns
            if below is not None:
                # A row of labels over a row of values (a header band) pairs each value
                # with the label right above it as surely as a value beside its label.
                pairing = (
                    WEIGHTS.text_value_in_band
                    if _in_band(line, below, lines)
                    else WEIGHTS.text_value_below
                )
                return _reading(label, below.text, line, below, pairing=pairing, texts=texts)
    return []


def _in_band(label: TextLine, value: TextLine, lines: list[TextLine]) -> bool:
    """Whether `label` is one of a row of labels and `value` sits right under it."""
    if label.bbox is None or value.bbox is None:
        return False
    box = label.bbox
    if value.bbox.top - (box.top + box.height) > 3.0 * box.height:
        return False
    return _labels_beside(label, lines)


def _amounts_on_row(line: TextLine, lines: list[TextLine]) -> int:
    """How many lines on `line`'s row (itself included) start like an amount."""
    if line.bbox is None:
        return 0
    box = line.bbox
    count = 0
    for other in lines:
        if other.page != line.page or other.bbox is None:
            continue
        ob = other.bbox
        overlap = min(ob.top + ob.height, box.top + box.height) - max(ob.top, box.top)
        if overlap > 0.5 * min(ob.height, box.height) and _STARTS_LIKE_VALUE.match(other.text):
            count += 1
    return count


def _totals_band(label: TextLine, lines: list[TextLine]) -> bool:
    """Whether `label` stands in a row of labels that all name amounts ("TOTAL HT  TOTAL
    TVA  TOTAL TTC"); a row that also names other fields is a header band or a table."""
    row = _row_of(label, lines)
    fields = [_field_for(other.text.rstrip(" :"))[0] for other in row]
    return len(row) >= 2 and all(field in MONEY_FIELDS for field in fields)


def _row_of(line: TextLine, lines: list[TextLine]) -> list[TextLine]:
    if line.bbox is None:
        return [line]
    box = line.bbox
    return [
        other
        for other in lines
        if other.page == line.page
        and other.bbox is not None
        and min(other.bbox.top + other.bbox.height, box.top + box.height)
        - max(other.bbox.top, box.top)
        > 0.5 * min(other.bbox.height, box.height)
    ]


def _labels_beside(label: TextLine, lines: list[TextLine]) -> bool:
    """Whether other labels stand on `label`'s row (a header band of labels)."""
    if label.bbox is None:
        return False
    box = label.bbox
    for other in lines:
        if other is label or other.page != label.page or other.bbox is None:
            continue
        ob = other.bbox
        overlap = min(ob.top + ob.height, box.top + box.height) - max(ob.top, box.top)
        if overlap > 0.5 * min(ob.height, box.height) and _field_for(other.text.rstrip(" :"))[0]:
            return True
    return False


def _reading(
    label: str,
    value_text: str,
    label_line: TextLine,
    value_line: TextLine,
    *,
    pairing: float,
    texts: Sequence[str],
) -> list[TextFinding]:
    """The field(s) `label` names, read from `value_text` (nothing if it does not parse)."""
    field, sureness = _field_for(label)
    if field is None:
        return []
    if value_line is not label_line and _field_for(value_text.strip().rstrip(" :"))[0]:
        return []  # the next label of a row of labels ("Terms" beside "Currency") is no value
    generic = WEIGHTS.text_generic_label if sureness < WEIGHTS.label_specific else 1.0
    base = (
        min(label_line.confidence, value_line.confidence)
        * WEIGHTS.text_labelled
        * pairing
        * generic
    )
    try:
        readings = _values(field, value_text.strip(), texts, checked_by_form=sureness < 1)
    except ValueError:
        return []
    return [
        TextFinding(name, value, text, base * factor, value_line, label, value_line.bbox)
        for name, value, text, factor in readings
    ]


_Reading = tuple[str, str, str, float]  # field, normalized value, text, confidence factor


def _values(
    field: str, text: str, texts: Sequence[str], *, checked_by_form: bool
) -> list[_Reading]:
    """What a value's text reads as for `field` (ValueError or [] when it does not);
    `texts` are the document's lines, whose unambiguous dates settle an ambiguous one."""
    if field in MONEY_FIELDS:
        return _money_values(field, text)
    if field in DATE_FIELDS:
        date = normalize_date(text, day_first=settled_day_first(texts, date_separator(text)))
        return [(field, date.value, text, WEIGHTS.text_ambiguous_date if date.ambiguous else 1.0)]
    # An e-mail address or a phone number after a contact label checks itself by its
    # form, so it is as sure as a specific label.
    factor = 1 / WEIGHTS.text_generic_label if checked_by_form else 1.0
    return _TEXT_READERS.get(field, _plain_value)(field, text, factor)


def _corroborated_currency(found: list[TextFinding]) -> list[TextFinding]:
    """A currency printed beside several amounts, always the same, is as sure as they are:
    the discount for reading it beside one amount no longer applies."""
    readings = [f for f in found if f.field == "currency"]
    if len({f.value for f in readings}) != 1 or len({id(f.line) for f in readings}) < 2:
        return found
    return [
        replace(f, confidence=f.confidence / WEIGHTS.text_currency_beside_amount)
        if f.field == "currency"
        else f
        for f in found
    ]


def _money_values(field: str, text: str) -> list[_Reading]:
    # A rate ("MwSt. 19%", "TVA (20 %)") is not an amount; what follows it may be.
    text = _RATE.sub(" ", text).strip()
    if not HAS_DIGIT.search(text):
        return []
    money = normalize_money(text)
    out = [(field, money.value, text, 1.0)]
    if money.currency:
        out.append(
            (
                "currency",
                money.currency,
                money.symbol or money.currency,
                WEIGHTS.text_currency_beside_amount,
            )
        )
    return out


def _currency_value(field: str, text: str, factor: float) -> list[_Reading]:
    code = normalize_currency(text)
    return [(field, code, text, factor)] if code else []


def _email_value(field: str, text: str, factor: float) -> list[_Reading]:
    match = EMAIL.search(re.sub(r"\s*@\s*", "@", text))  # OCR spaces around the @
    return [(field, match[0], match[0], factor)] if match else []


def _phone_value(field: str, text: str, factor: float) -> list[_Reading]:
    looks_like_phone = _PHONE.match(text) and sum(ch.isdigit() for ch in text) >= 7
    return [(field, text, text, factor)] if looks_like_phone else []


def _bank_value(field: str, text: str, factor: float) -> list[_Reading]:
    iban = IBAN.search(text.upper())
    value = iban[0] if iban else clean_text(text)
    return [(field, value, text, factor)] if HAS_DIGIT.search(value) else []


def _reference_value(field: str, text: str, factor: float) -> list[_Reading]:
    if field == "purchase_order" and _PO_BOX.match(text):
        return []  # "PO Box 9012" is a postal address, not a purchase order
    if _PAGE_COUNT.match(text):
        return []  # "Invoice 1 of 2": a page count under the title, not a number
    text = text.lstrip("#№ ")
    token = next((t.strip(".,;") for t in text.split() if HAS_DIGIT.search(t)), None)
    return [(field, token, token, factor)] if token else []


def _plain_value(field: str, text: str, factor: float) -> list[_Reading]:
    value = clean_text(text)
    return [(field, value, text, factor)] if value else []


_TEXT_READERS = {
    "currency": _currency_value,
    "remittance_email": _email_value,
    "remittance_phone": _phone_value,
    "bank_account": _bank_value,
    "invoice_number": _reference_value,
    "purchase_order": _reference_value,
    "vendor_tax_id": _reference_value,
}


def _beside(label: TextLine, lines: list[TextLine]) -> TextLine | None:
    """The nearest line to the right of `label` on the same row."""
    if label.bbox is None:
        return None
    box = label.bbox
    best: TextLine | None = None
    for other in lines:
        if other is label or other.page != label.page or other.bbox is None:
            continue
        ob = other.bbox
        overlap = min(ob.top + ob.height, box.top + box.height) - max(ob.top, box.top)
        gap = ob.left - (box.left + box.width)
        same_row = overlap > 0.5 * min(ob.height, box.height) and -0.005 <= gap < 0.45
        if same_row and (best is None or best.bbox is None or ob.left < best.bbox.left):
            best = other
    return best


def _below(
    label: TextLine, index: int, lines: list[TextLine], *, max_gap: float = 2.0
) -> TextLine | None:
    """The line just under `label`, starting in the same column."""
    if label.bbox is None:
        return None
    box = label.bbox
    for other in lines[index + 1 : index + 12]:
        if other.page != label.page or other.bbox is None:
            continue
        ob = other.bbox
        if ob.top < box.top + box.height * 0.5:
            continue
        if ob.top - (box.top + box.height) > max_gap * box.height:
            return None
        centre = ob.left + ob.width / 2
        if abs(ob.left - box.left) < 0.015 or (
            max_gap > 2.0 and box.left <= centre <= box.left + box.width
        ):
            return other  # left-aligned, or (in a band) centred under the label
    return None


# ------------------------------------------------------------------ helpers


def _top(line: TextLine) -> float:
    return line.bbox.top if line.bbox else 0.5


def _left(line: TextLine) -> float:
    return line.bbox.left if line.bbox else 0.0
