"""Parties in printed lines: the vendor from the letterhead, remit-to and bill-to blocks.

Part of the text finder (`from_text`): the vendor is the most prominent line of page 1's
letterhead that is not a title, a label, small print or part of a bill-to / ship-to
block, its address the lines under it; remit-to name and address are the lines under a
remit-to or bank-details label; an e-mail address printed without a label is offered as
the remittance e-mail. How sure each reading is comes from the `text_*` factors of
`evidence.WEIGHTS`.
"""

from __future__ import annotations

import re

from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.labels import (
    field_for_label,
    is_bank_details_label,
    label_key,
    party_for_label,
)
from docuflow.extraction.lines import TextFinding, TextLine
from docuflow.extraction.normalize import EMAIL, clean_text
from docuflow.extraction.result import BoundingBox

IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
HAS_DIGIT = re.compile(r"\d")
# Document titles: printed big in the letterhead, never the vendor's name.
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
# A company's legal form: the letterhead line that carries one is likelier the vendor.
_COMPANY_SUFFIX = re.compile(
    r"\b(GmbH|AG|KG|Ltd|LLC|Inc|Corp|Co|SARL|SAS|SA|B\.?V|N\.?V|V\.?O\.?F|PLC|LLP|S\.?p\.?A)\b\.?",
    re.IGNORECASE,
)


def receiver_lines(lines: list[TextLine]) -> set[int]:
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
        if ":" in other.text and field_for_label(other.text.split(":")[0])[0] is not None:
            break
        block.append(other)
        last = ob
    return block


def vendor(lines: list[TextLine], receivers: set[int]) -> list[TextFinding]:
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
        if sum(ch.isdigit() for ch in text) > 2 or EMAIL.search(text) or "www." in text.lower():
            continue
        if field_for_label(text)[0] is not None or party_for_label(text) is not None:
            continue
        if line.bbox.height < 0.8 * typical:
            continue  # small print: a sender line above the address window, a footnote
        prominence = line.bbox.height / typical
        suffix = WEIGHTS.text_letterhead_suffix_prominence if _COMPANY_SUFFIX.search(text) else 0
        score = prominence + suffix - WEIGHTS.text_letterhead_top * line.bbox.top
        candidates.append((score, line))
    if not candidates:
        return []
    candidates.sort(key=lambda pair: pair[0], reverse=True)
    out: list[TextFinding] = []
    for place, (_, line) in enumerate(candidates[:2]):
        evidence = (
            WEIGHTS.text_letterhead_name
            + (WEIGHTS.text_letterhead_company_suffix if _COMPANY_SUFFIX.search(line.text) else 0)
            + (WEIGHTS.text_letterhead_first if place == 0 else WEIGHTS.text_letterhead_second)
        )
        confidence = min(evidence, line.confidence * WEIGHTS.text_letterhead_line)
        name = clean_text(line.text)
        out.append(TextFinding("vendor_name", name, line.text, confidence, line, None, line.bbox))
        if place == 0:
            out.extend(_vendor_address(line, lines, confidence))
    return out


def _vendor_address(name: TextLine, lines: list[TextLine], confidence: float) -> list[TextFinding]:
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
        if ":" in text or EMAIL.search(text) or len(parts) >= 4 or label_key(text) in _TITLES:
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
    looks_like_address = any(HAS_DIGIT.search(part.text) for part in parts)
    sureness = (
        confidence
        if looks_like_address
        else confidence + WEIGHTS.text_letterhead_address_without_digits
    )
    return [TextFinding("vendor_address", clean_text(text), text, sureness, parts[0], None, bbox)]


def remit_to(lines: list[TextLine]) -> list[TextFinding]:
    out: list[TextFinding] = []
    for index, line in enumerate(lines):
        label_text = line.text.split(":")[0]
        if not (party_for_label(label_text) == "remit_to" or is_bank_details_label(label_text)):
            continue
        block = [
            member
            for member in _block_under(line, index, lines, limit=5)
            if ":" not in member.text and not IBAN.search(member.text.upper())
        ]
        if not block:
            continue
        confidence = min(line.confidence, block[0].confidence) * WEIGHTS.text_remit_to
        label = line.text.rstrip(" :")
        out.append(
            TextFinding(
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
                TextFinding(
                    "remit_to_address",
                    clean_text(text),
                    text,
                    confidence + WEIGHTS.text_remit_to_address,
                    block[1],
                    label,
                    block[1].bbox,
                )
            )
    return out


def unlabelled_contacts(lines: list[TextLine], labelled: set[int]) -> list[TextFinding]:
    """An email address printed without a label is still the likeliest remittance email."""
    out: list[TextFinding] = []
    for line in lines:
        if id(line) in labelled:
            continue
        match = EMAIL.search(line.text)
        if match:
            out.append(
                TextFinding(
                    "remittance_email",
                    match[0],
                    match[0],
                    line.confidence * WEIGHTS.text_unlabelled_email,
                    line,
                    None,
                    line.bbox,
                )
            )
    return out
