"""Parties in printed lines: the vendor, its address, remit-to and bill-to blocks.

Part of the text finder (`from_text`). The vendor's name is read wherever invoices print
it, and the places that agree make it surer (`text_vendor_agreement`):
- a seller block: a heading ("Seller", "Verkäufer", "Vendeur", "From", "Provided by")
  with the name on its first line or in its "Name:" row;
- the sender line above the address window ("Acme GmbH • Hauptstr. 1 • 12345 Berlin");
- the letterhead: the most prominent line of page 1's top that is not a title, a label,
  small print, a currency code or part of a buyer block;
- the footer: a company name with its legal form, beside VAT ID and IBAN.
A buyer block (a heading "Bill to", "Käufer", "Client", or the address window under a
sender line) is never the vendor, also when the document has no seller block at all:
`receiver_lines` marks its lines. Remit-to name and address are the lines under a
remit-to or bank-details label; an e-mail address printed without a label is offered as
the remittance e-mail. How sure each reading is comes from the `text_*` factors of
`evidence.WEIGHTS`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.labels import (
    field_for_label,
    is_bank_details_label,
    label_key,
    party_for_label,
)
from docuflow.extraction.lines import TextFinding, TextLine
from docuflow.extraction.normalize import EMAIL, clean_text, normalize_currency
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
_LEGAL_FORMS = (
    r"GmbH|AG|KG|UG|OHG|GbR|e\.\s?K|SE|Ltd|Limited|LLC|L\.L\.C|Inc|Incorporated|Corp|"
    r"Corporation|Co|Company|SARL|SAS|SASU|EURL|SA|S\.A|SRL|S\.r\.l|B\.?V|N\.?V|"
    r"V\.?O\.?F|PLC|LLP|LP|Pty|S\.?p\.?A|Oy|AB|AS|A/S|ApS|S\.L|sp\.\s?z\s?o\.\s?o|S\.?C"
)
_COMPANY_SUFFIX = re.compile(rf"\b({_LEGAL_FORMS})\b\.?", re.IGNORECASE)
# A name that ends in its legal form ("Papoo Software & Media GmbH", "Acme Ltd.").
_COMPANY_NAME = re.compile(
    rf"^(?P<name>[^\W\d_][^:;]{{1,60}}?\b(?:{_LEGAL_FORMS})(?:\s?&\s?Co\.?\s?KG)?\.?)$"
)
# Separators between the parts of a sender line or a footer line.
_DASHES = "\u2013\u2014-"  # en dash, em dash, hyphen
# How OCR reads a small bullet set between spaces: "+", "«", "»", "*".
_BULLETS_AS_READ = "+«»*"
_SEGMENTS = re.compile(rf"\s+[•·|{_BULLETS_AS_READ}{_DASHES}]\s+|\s*[•·|]\s*")
_FOOTER_SEGMENTS = re.compile(rf"\s+[•·|{_BULLETS_AS_READ}{_DASHES}]\s+|\s*[•·|,;]\s*")
# Lines of a footer: the bottom of the page.
_FOOTER_TOP = 0.82
# Rows of a party block: "Name:" introduces the party's name.
_NAME_LABELS = frozenset(
    label_key(text)
    for text in (
        "name",
        "company",
        "company name",
        "firma",
        "firmenname",
        "nom",
        "raison sociale",
        "naam",
        "bedrijfsnaam",
        "nazwa",
    )
)
# Words of a title or a copy mark, never a company's name ("Tax Invoice / Receipt", "Original").
_TITLE_WORDS = frozenset(
    [
        "invoice",
        "tax",
        "receipt",
        "original",
        "copy",
        "duplicate",
        "rechnung",
        "quittung",
        "facture",
        "factuur",
        "reçu",
        "proforma",
        "pro",
        "forma",
        "credit",
        "note",
        "gutschrift",
        "avoir",
        "creditnota",
        "bill",
        "statement",
        "payment",
        "confirmation",
        "kopie",
        "copie",
    ]
)


def receiver_lines(lines: list[TextLine]) -> set[int]:
    """Lines that belong to a buyer block (bill-to, ship-to, "Käufer", the address window
    under a sender line): never the vendor."""
    out: set[int] = set()
    for index, line in enumerate(lines):
        if party_for_label(line.text.split(":")[0]) != "receiver":
            continue
        out.add(id(line))
        out.update(id(member) for member in _block_under(line, index, lines, limit=6))
    for heading, members in party_sections(lines):
        if party_for_label(_heading_text(heading)) == "receiver":
            out.add(id(heading))
            out.update(id(member) for member in members)
    sender = _sender_line(lines)
    if sender is not None:
        out.update(id(member) for member in _address_window(sender, lines))
    return out


def _heading_text(line: TextLine) -> str:
    return line.text.split(":")[0]


def party_sections(lines: list[TextLine]) -> list[tuple[TextLine, list[TextLine]]]:
    """Party headings alone on their line ("Verkäufer", "BILLED TO:", "Seller") with the
    lines of their block: under the heading, in its column (up to the next heading to its
    right on the same row), until a wide gap or the next heading."""
    headings = [
        line
        for line in lines
        if line.bbox is not None
        and party_for_label(_heading_text(line)) is not None
        and len(_heading_text(line).split()) <= 5
    ]
    heading_ids = {id(line) for line in headings}
    sections: list[tuple[TextLine, list[TextLine]]] = []
    for heading in headings:
        assert heading.bbox is not None
        box = heading.bbox
        right = min(
            (
                other.bbox.left
                for other in headings
                if other is not heading
                and other.page == heading.page
                and other.bbox is not None
                and other.bbox.left > box.left + box.width
                and _same_row(other.bbox, box)
            ),
            default=1.0,
        )
        members: list[TextLine] = []
        bottom = box.top + box.height
        for other in sorted(
            (o for o in lines if o.page == heading.page and o.bbox is not None),
            key=lambda o: o.bbox.top if o.bbox else 0.0,
        ):
            ob = other.bbox
            assert ob is not None
            if other is heading or ob.top < box.top + 0.5 * box.height:
                continue
            if not (box.left - 0.02 <= ob.left < right - 0.005):
                continue
            if id(other) in heading_ids:
                break
            allowed = (3.5 if not members else 2.2) * max(ob.height, box.height)
            if ob.top - bottom > allowed or len(members) >= 14:
                break
            members.append(other)
            bottom = max(bottom, ob.top + ob.height)
        sections.append((heading, members))
    return sections


def _same_row(a: BoundingBox, b: BoundingBox) -> bool:
    overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height, b.height)


def _section_name(members: list[TextLine]) -> TextLine | None:
    """The party's name in its block: the value of its "Name:" row, else its first line
    that reads as a name (not a label row, an e-mail, a number)."""
    for member in members:
        head, _, rest = member.text.partition(":")
        if label_key(head) in _NAME_LABELS:
            if rest.strip():
                return member.model_copy(update={"text": rest.strip()})
            beside = [
                other
                for other in members
                if other is not member
                and other.bbox is not None
                and member.bbox is not None
                and other.bbox.left > member.bbox.left
                and _same_row(other.bbox, member.bbox)
            ]
            if beside:
                return min(beside, key=lambda o: o.bbox.left if o.bbox else 0.0)
    row_labels = [m for m in members if m.text.rstrip().endswith(":")]
    for member in members:
        text = member.text.strip()
        if ":" in text or not _reads_as_name(text):
            continue
        if any(
            member.bbox is not None
            and label.bbox is not None
            and _same_row(member.bbox, label.bbox)
            for label in row_labels
        ):
            return None  # a block of "label: value" rows without a name row
        return member
    return None


def _reads_as_name(text: str) -> bool:
    if not re.search(r"[^\W\d_]{2}", text) or EMAIL.search(text) or "www." in text.lower():
        return False
    if sum(ch.isdigit() for ch in text) > 2 or normalize_currency(text) is not None:
        return False
    words = label_key(text).split()
    if not words or set(words) <= _TITLE_WORDS:
        return False
    return field_for_label(text)[0] is None and party_for_label(text) is None


def _sender_line(lines: list[TextLine]) -> tuple[TextLine, str] | None:
    """The return-address line above a window envelope's address ("Acme GmbH • Hauptstr.
    1 • 12345 Berlin") and the sender's name (its first part)."""
    for line in lines:
        if line.page != 1 or line.bbox is None or line.bbox.top > 0.45:
            continue
        parts = [part.strip() for part in _SEGMENTS.split(line.text) if part.strip()]
        if len(parts) < 3 or len(line.text.split()) > 18:
            continue
        if not _reads_as_name(parts[0]) or not any(HAS_DIGIT.search(p) for p in parts[1:]):
            continue
        return line, parts[0]
    return None


def _address_window(sender: tuple[TextLine, str], lines: list[TextLine]) -> list[TextLine]:
    """The addressee's lines under the sender line, in its column."""
    line = sender[0]
    assert line.bbox is not None
    box = line.bbox
    window: list[TextLine] = []
    bottom = box.top + box.height
    for other in lines:
        if other.page != line.page or other.bbox is None or other.bbox.top <= box.top:
            continue
        ob = other.bbox
        if abs(ob.left - box.left) > 0.03:
            continue
        if ob.top - bottom > 2.5 * ob.height or len(window) >= 7:
            break
        window.append(other)
        bottom = ob.top + ob.height
    # A window line that OCR split at a wide gap ("SimFin" and "Analytics GmbH") goes on
    # to its right on the same row.
    taken = {id(member) for member in window}
    rest = [
        other
        for other in lines
        if other.page == line.page
        and other.bbox is not None
        and id(other) not in taken
        and any(
            member.bbox is not None
            and other.bbox.left > member.bbox.left
            and other.bbox.left - (member.bbox.left + member.bbox.width) < 0.1
            and _same_row(other.bbox, member.bbox)
            for member in window
        )
    ]
    return window + rest


def _footer_names(lines: list[TextLine]) -> list[tuple[TextLine, str]]:
    """Company names with their legal form printed in a page footer."""
    out: list[tuple[TextLine, str]] = []
    for line in lines:
        if line.bbox is None or line.bbox.top < _FOOTER_TOP:
            continue
        for part in _FOOTER_SEGMENTS.split(line.text):
            match = _COMPANY_NAME.match(part.strip())
            if match and _reads_as_name(match["name"]) and ":" not in part:
                out.append((line, match["name"]))
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
    """Readings of the vendor's name (and the letterhead's address), from every place that
    prints it; a name printed in several kinds of place is surer."""
    proposals: list[tuple[str, TextFinding]] = []
    for heading, members in party_sections(lines):
        if party_for_label(_heading_text(heading)) != "vendor":
            continue
        inline = heading.text.partition(":")[2].strip()
        name = heading.model_copy(update={"text": inline}) if inline else _section_name(members)
        if name is not None and id(name) not in receivers:
            proposals.append(
                ("section", _name_finding(name, name.text, WEIGHTS.text_vendor_section))
            )
    sender = _sender_line(lines)
    if sender is not None:
        proposals.append(
            ("sender", _name_finding(sender[0], sender[1], WEIGHTS.text_vendor_sender_line))
        )
    for footer, printed in _footer_names(lines):
        if id(footer) not in receivers:
            proposals.append(("footer", _name_finding(footer, printed, WEIGHTS.text_vendor_footer)))
    letterhead = _letterhead(lines, receivers)
    proposals.extend(("letterhead", finding) for finding in letterhead)
    out = _agreeing(proposals)
    if letterhead:
        top = letterhead[0]
        out.extend(_vendor_address(top.line, lines, top.confidence))
    return out


def _name_finding(line: TextLine, name: str, points: float) -> TextFinding:
    suffix = WEIGHTS.text_letterhead_company_suffix if _COMPANY_SUFFIX.search(name) else 0.0
    # The OCR's confidence in the line scales how sure the place makes the name (it does
    # not replace it: on a scan, a seller block read at 84% still outranks a heading read
    # at 89% that only the letterhead rule offers).
    confidence = (points + suffix / 2) * line.confidence / 100
    return TextFinding("vendor_name", clean_text(name), name, confidence, line, None, line.bbox)


def _agreeing(proposals: list[tuple[str, TextFinding]]) -> list[TextFinding]:
    """One reading per name: the surest place it is printed, plus `text_vendor_agreement`
    for each further kind of place that prints it too."""
    groups: dict[str, list[tuple[str, TextFinding]]] = {}
    for kind, finding in proposals:
        key = label_key(finding.value)
        if key:
            groups.setdefault(key, []).append((kind, finding))
    out: list[TextFinding] = []
    for group in groups.values():
        best = max(group, key=lambda pair: pair[1].confidence)[1]
        kinds = {kind for kind, _ in group}
        bonus = WEIGHTS.text_vendor_agreement * (len(kinds) - 1)
        confidence = min(best.confidence + bonus, WEIGHTS.text_max_confidence)
        out.append(replace(best, confidence=confidence))
    return sorted(out, key=lambda finding: finding.confidence, reverse=True)


def _letterhead(lines: list[TextLine], receivers: set[int]) -> list[TextFinding]:
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
        if label_key(text) in _TITLES or not _reads_as_name(text) or len(text.split()) > 8:
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
        confidence = evidence * line.confidence / 100
        name = clean_text(line.text)
        out.append(TextFinding("vendor_name", name, line.text, confidence, line, None, line.bbox))
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
