"""Header fields found from printed lines and their positions (labels in several languages).

Owned by the offline-OCR work (issue 6); the parser calls `fields_from_lines` for every
document and uses what it returns only where Textract offered nothing better.

How a field is found:
- a label the one label table knows (`labels.field_for_label`), with its value after a
  colon on the same line, in the line to its right, or (for non-money fields) in the
  line under it;
- totals prefer the label-value pair lowest on the last page;
- the vendor is the most prominent line of page 1's letterhead that is not a title, a
  label, or part of a bill-to / ship-to block; its address is the lines under it;
- remit-to name and address are the lines under a remit-to label.

Confidences are deliberately below what Textract reports for the same evidence (at most
85, less for a weaker pairing, a generic label or an ambiguous date), so a field read this
way only completes a document when its evidence is strong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from docuflow.extraction.labels import (
    field_for_label,
    is_bank_details_label,
    label_key,
    party_for_label,
)
from docuflow.extraction.lines import TextLine
from docuflow.extraction.normalize import (
    clean_text,
    date_separator,
    normalize_currency,
    normalize_date,
    normalize_money,
    settled_day_first,
)
from docuflow.extraction.result import (
    DATE_FIELDS,
    MONEY_FIELDS,
    BoundingBox,
    Candidate,
    FieldSource,
)

# The ceiling for anything read from lines: under Textract's typical 95+ for the same text.
MAX_CONFIDENCE = 85.0

_TITLES = frozenset(
    label_key(text)
    for text in (
        "invoice",
        "tax invoice",
        "credit note",
        "credit memo",
        "rechnung",
        "gutschrift",
        "facture",
        "avoir",
        "factuur",
        "creditnota",
        "receipt",
        "quittung",
        "reçu",
        "bon",
    )
)
_COMPANY_SUFFIX = re.compile(
    r"\b(GmbH|AG|KG|Ltd|LLC|Inc|Corp|Co|SARL|SAS|SA|B\.?V|N\.?V|V\.?O\.?F|PLC|LLP|S\.?p\.?A)\b\.?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_HAS_DIGIT = re.compile(r"\d")
_RATE = re.compile(r"\(?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*\)?")
_PO_BOX = re.compile(r"^(box|bus|postfach)\b", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d ()./-]{6,}$")
_STARTS_LIKE_VALUE = re.compile(r"^[-\u2212(+]?\s*(?:[$€£]|[A-Z]{3}\s)?\s*\d")


@dataclass(frozen=True)
class _Found:
    field: str
    value: str
    text: str
    confidence: float
    line: TextLine
    label: str | None
    bbox: BoundingBox | None


def fields_from_lines(lines: Sequence[TextLine], page_count: int) -> dict[str, list[Candidate]]:
    """Candidates per normalized field name found in `lines` (source `text`), best first."""
    ordered = sorted(lines, key=lambda line: (line.page, _top(line), _left(line)))
    texts = tuple(line.text for line in ordered)
    found: list[_Found] = []
    receivers = _receiver_lines(ordered)
    for index, line in enumerate(ordered):
        found.extend(_labelled(line, index, ordered, texts))
    found.extend(_vendor(ordered, receivers))
    found.extend(_remit_to(ordered))
    found.extend(_unlabelled_contacts(ordered, {id(f.line) for f in found}))
    found = _corroborated_currency(found)
    result: dict[str, list[Candidate]] = {}
    for name in sorted({f.field for f in found}):
        ranked = sorted(
            (f for f in found if f.field == name),
            key=lambda f: f.confidence + _position_bonus(name, f.line, page_count),
            reverse=True,
        )
        seen: set[str] = set()
        candidates: list[Candidate] = []
        for item in ranked:
            if item.value in seen:
                continue
            seen.add(item.value)
            candidates.append(
                Candidate(
                    value=item.value,
                    text=item.text,
                    confidence=round(max(0.0, min(item.confidence, MAX_CONFIDENCE)), 2),
                    page=item.line.page,
                    bbox=item.bbox,
                    source=FieldSource.TEXT,
                    label=item.label,
                )
            )
        result[name] = candidates
    return result


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
        if field in MONEY_FIELDS:
            if not _STARTS_LIKE_VALUE.match(_RATE.sub(" ", value).strip()):
                continue
        elif not _HAS_DIGIT.search(value) and field not in ("payment_terms", "remittance_email"):
            continue
        return label, value
    return None


def _labelled(
    line: TextLine, index: int, lines: list[TextLine], texts: Sequence[str]
) -> list[_Found]:
    text = line.text.strip()
    split = _split_label(text)
    if split is not None:
        label, value_text = split
        if value_text:
            return _reading(label, value_text, line, line, pairing=1.0, texts=texts)
    if text.endswith(":") or _field_for(text)[0] is not None:
        label = text.rstrip(" :")
        field, _ = _field_for(label)
        if field is None:
            return []
        beside = _beside(line, lines)
        if beside is not None:
            found = _reading(label, beside.text, line, beside, pairing=0.97, texts=texts)
            if found:
                return found
        if field not in MONEY_FIELDS:
            below = _below(line, index, lines)
            if below is not None:
                # A row of labels over a row of values (a header band) pairs each value
                # with the label right above it as surely as a value beside its label.
                pairing = 0.97 if _in_band(line, below, lines) else 0.92
                return _reading(label, below.text, line, below, pairing=pairing, texts=texts)
    return []


def _in_band(label: TextLine, value: TextLine, lines: list[TextLine]) -> bool:
    """Whether `label` is one of a row of labels and `value` sits right under it."""
    if label.bbox is None or value.bbox is None:
        return False
    box = label.bbox
    if value.bbox.top - (box.top + box.height) > box.height:
        return False
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
) -> list[_Found]:
    """The field(s) `label` names, read from `value_text` (nothing if it does not parse)."""
    field, sureness = _field_for(label)
    if field is None:
        return []
    if value_line is not label_line and _field_for(value_text.strip().rstrip(" :"))[0]:
        return []  # the next label of a row of labels ("Terms" beside "Currency") is no value
    generic = 0.9 if sureness < 1 else 1.0
    base = min(label_line.confidence, value_line.confidence) * 0.85 * pairing * generic
    try:
        readings = _values(field, value_text.strip(), texts, checked_by_form=sureness < 1)
    except ValueError:
        return []
    return [
        _Found(name, value, text, base * factor, value_line, label, value_line.bbox)
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
        return [(field, date.value, text, 0.75 if date.ambiguous else 1.0)]
    # An e-mail address or a phone number after a contact label checks itself by its
    # form, so it is as sure as a specific label.
    factor = 1 / 0.9 if checked_by_form else 1.0
    return _TEXT_READERS.get(field, _plain_value)(field, text, factor)


# A currency code beside an amount is read a little less surely than the amount itself.
_CURRENCY_BESIDE_AMOUNT = 0.95


def _corroborated_currency(found: list[_Found]) -> list[_Found]:
    """A currency printed beside several amounts, always the same, is as sure as they are:
    the discount for reading it beside one amount no longer applies."""
    readings = [f for f in found if f.field == "currency"]
    if len({f.value for f in readings}) != 1 or len({id(f.line) for f in readings}) < 2:
        return found
    return [
        replace(f, confidence=f.confidence / _CURRENCY_BESIDE_AMOUNT)
        if f.field == "currency"
        else f
        for f in found
    ]


def _money_values(field: str, text: str) -> list[_Reading]:
    # A rate ("MwSt. 19%", "TVA (20 %)") is not an amount; what follows it may be.
    text = _RATE.sub(" ", text).strip()
    if not _HAS_DIGIT.search(text):
        return []
    money = normalize_money(text)
    out = [(field, money.value, text, 1.0)]
    if money.currency:
        out.append(
            ("currency", money.currency, money.symbol or money.currency, _CURRENCY_BESIDE_AMOUNT)
        )
    return out


def _currency_value(field: str, text: str, factor: float) -> list[_Reading]:
    code = normalize_currency(text)
    return [(field, code, text, factor)] if code else []


def _email_value(field: str, text: str, factor: float) -> list[_Reading]:
    match = _EMAIL.search(re.sub(r"\s*@\s*", "@", text))  # OCR spaces around the @
    return [(field, match[0], match[0], factor)] if match else []


def _phone_value(field: str, text: str, factor: float) -> list[_Reading]:
    looks_like_phone = _PHONE.match(text) and sum(ch.isdigit() for ch in text) >= 7
    return [(field, text, text, factor)] if looks_like_phone else []


def _bank_value(field: str, text: str, factor: float) -> list[_Reading]:
    iban = _IBAN.search(text.upper())
    value = iban[0] if iban else clean_text(text)
    return [(field, value, text, factor)] if _HAS_DIGIT.search(value) else []


def _reference_value(field: str, text: str, factor: float) -> list[_Reading]:
    if field == "purchase_order" and _PO_BOX.match(text):
        return []  # "PO Box 9012" is a postal address, not a purchase order
    token = next((t.strip(".,;") for t in text.split() if _HAS_DIGIT.search(t)), None)
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


def _below(label: TextLine, index: int, lines: list[TextLine]) -> TextLine | None:
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
        if ob.top - (box.top + box.height) > 2.0 * box.height:
            return None
        if abs(ob.left - box.left) < 0.015:
            return other
    return None


# ------------------------------------------------------------------ parties


def _receiver_lines(lines: list[TextLine]) -> set[int]:
    """Lines that belong to a bill-to / ship-to block (never the vendor)."""
    out: set[int] = set()
    for index, line in enumerate(lines):
        if party_for_label(line.text.split(":")[0]) != "receiver":
            continue
        out.add(id(line))
        out.update(id(member) for member in _block_under(line, index, lines, limit=6))
    return out


def _block_under(
    label: TextLine, index: int, lines: list[TextLine], *, limit: int
) -> list[TextLine]:
    """Lines under `label` in its column, until a gap or another label."""
    if label.bbox is None:
        return []
    block: list[TextLine] = []
    last = label.bbox
    for other in lines[index + 1 :]:
        if len(block) >= limit or other.page != label.page:
            break
        if other.bbox is None:
            continue
        ob = other.bbox
        if abs(ob.left - label.bbox.left) > 0.015:
            continue
        if ob.top - (last.top + last.height) > 1.6 * last.height:
            break
        if ":" in other.text and _field_for(other.text.split(":")[0])[0] is not None:
            break
        block.append(other)
        last = ob
    return block


def _vendor(lines: list[TextLine], receivers: set[int]) -> list[_Found]:
    first = [line for line in lines if line.page == 1 and line.bbox is not None]
    if not first:
        return []
    heights = sorted(line.bbox.height for line in first if line.bbox is not None)
    typical = heights[len(heights) // 2]
    candidates: list[tuple[float, TextLine]] = []
    for line in first:
        assert line.bbox is not None
        text = line.text.strip()
        if line.bbox.top > 0.3 or id(line) in receivers or ":" in text:
            continue
        if label_key(text) in _TITLES or not re.search(r"[^\W\d_]{2}", text):
            continue
        if sum(ch.isdigit() for ch in text) > 2 or _EMAIL.search(text) or "www." in text.lower():
            continue
        if _field_for(text)[0] is not None or party_for_label(text) is not None:
            continue
        if line.bbox.height < 0.8 * typical:
            continue  # small print: a sender line above the address window, a footnote
        prominence = line.bbox.height / typical
        score = prominence + (0.6 if _COMPANY_SUFFIX.search(text) else 0) - line.bbox.top
        candidates.append((score, line))
    if not candidates:
        return []
    candidates.sort(key=lambda pair: pair[0], reverse=True)
    out: list[_Found] = []
    for rank, (_, line) in enumerate(candidates[:2]):
        evidence = 72.0 + (6 if _COMPANY_SUFFIX.search(line.text) else 0) + (4 if rank == 0 else -8)
        confidence = min(evidence, line.confidence * 0.82)
        name = clean_text(line.text)
        out.append(_Found("vendor_name", name, line.text, confidence, line, None, line.bbox))
        if rank == 0:
            out.extend(_vendor_address(line, lines, confidence))
    return out


def _vendor_address(name: TextLine, lines: list[TextLine], confidence: float) -> list[_Found]:
    assert name.bbox is not None
    box = name.bbox
    parts: list[TextLine] = []
    last = box
    for other in lines:
        if other.page != 1 or other.bbox is None or other is name or other.bbox.top <= box.top:
            continue
        ob = other.bbox
        gap = ob.top - (last.top + last.height)
        if gap > 1.8 * ob.height:
            break
        same_column = (
            abs(ob.left - box.left) < 0.015
            or abs((ob.left + ob.width) - (box.left + box.width)) < 0.015
            or abs((ob.left + ob.width / 2) - (box.left + box.width / 2)) < 0.015
        )
        if not same_column or gap < -0.5 * ob.height:
            continue
        text = other.text
        if ":" in text or _EMAIL.search(text) or len(parts) >= 4 or label_key(text) in _TITLES:
            break  # a label, a contact line or the document's title ends the address
        parts.append(other)
        last = ob
    if not parts:
        return []
    text = ", ".join(part.text.replace(" · ", ", ").strip() for part in parts)
    boxes = [p.bbox for p in parts if p.bbox is not None]
    bbox = BoundingBox(
        left=min(b.left for b in boxes),
        top=min(b.top for b in boxes),
        width=max(b.left + b.width for b in boxes) - min(b.left for b in boxes),
        height=max(b.top + b.height for b in boxes) - min(b.top for b in boxes),
    )
    # Lines right under the letterhead name, in its column, that read like an address
    # (house numbers, postcodes): as sure as the name; otherwise a little less.
    looks_like_address = any(_HAS_DIGIT.search(part.text) for part in parts)
    sureness = confidence if looks_like_address else confidence - 6
    return [_Found("vendor_address", clean_text(text), text, sureness, parts[0], None, bbox)]


def _remit_to(lines: list[TextLine]) -> list[_Found]:
    out: list[_Found] = []
    for index, line in enumerate(lines):
        label_text = line.text.split(":")[0]
        if not (party_for_label(label_text) == "remit_to" or is_bank_details_label(label_text)):
            continue
        block = [
            member
            for member in _block_under(line, index, lines, limit=5)
            if ":" not in member.text and not _IBAN.search(member.text.upper())
        ]
        if not block:
            continue
        confidence = min(line.confidence, block[0].confidence) * 0.78
        label = line.text.rstrip(" :")
        out.append(
            _Found(
                "remit_to_name",
                clean_text(block[0].text),
                block[0].text,
                confidence,
                block[0],
                label,
                block[0].bbox,
            )
        )
        if len(block) > 1:
            text = ", ".join(member.text for member in block[1:])
            out.append(
                _Found(
                    "remit_to_address",
                    clean_text(text),
                    text,
                    confidence - 4,
                    block[1],
                    label,
                    block[1].bbox,
                )
            )
    return out


def _unlabelled_contacts(lines: list[TextLine], labelled: set[int]) -> list[_Found]:
    """An email address printed without a label is still the likeliest remittance email."""
    out: list[_Found] = []
    for line in lines:
        if id(line) in labelled:
            continue
        match = _EMAIL.search(line.text)
        if match:
            out.append(
                _Found(
                    "remittance_email",
                    match[0],
                    match[0],
                    line.confidence * 0.7,
                    line,
                    None,
                    line.bbox,
                )
            )
    return out


# ------------------------------------------------------------------ helpers


def _top(line: TextLine) -> float:
    return line.bbox.top if line.bbox else 0.5


def _left(line: TextLine) -> float:
    return line.bbox.left if line.bbox else 0.0


def _position_bonus(name: str, line: TextLine, pages: int) -> float:
    """Totals sit at the foot of the last page, header fields at the top of the first."""
    page_share = line.page / max(pages, 1)
    if name in MONEY_FIELDS:
        return 2.0 * page_share + 2.0 * _top(line)
    return 2.0 * (1 - page_share) + 1.0 * (1 - _top(line))
