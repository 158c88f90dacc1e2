"""Values printed inside a title line or a sentence, not beside a label of their own.

Part of the text finder (`from_text`):
- the document's title line often carries its number and date: "Rechnung Nr. 2024-117
  vom 12.02.2024", "Invoice #4471", "Facture n° FA-12", "Handelsrechnung (380) Nr. 471102
  vom 15.11.2024"; a title alone on its line ("INVOICE:") may have the number under it;
- payment terms name the due date in a sentence: "Zahlbar bis 15.12.2024", "Payment due
  by March 3, 2025", "à payer avant le 30/04/2025", "te betalen voor 01-05-2025";
- a German or French letter dates itself at the top right, after the place and without a
  label ("Reichenschwand  04.07.2023"): the one date in the header that no label claims
  is the issue date, weakly.
How sure each reading is comes from the `text_*` factors of `evidence.WEIGHTS`.
"""

from __future__ import annotations

import re

from docuflow.extraction.dates import normalize_date
from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.labels import field_for_label, label_key
from docuflow.extraction.lines import TextFinding, TextLine

# A document title, possibly a German compound ("Schlussrechnung", "Handelsrechnung").
_TITLE = re.compile(
    r"^\s*(?P<title>[\w-]*rechnung|tax invoice|commercial invoice|invoice|facture|factuur|"
    r"faktura(?: vat)?|factura|fattura|credit note|credit memo|gutschrift|avoir|creditnota|"
    r"receipt|quittung|reçu)(?![\w])(?P<rest>.*)$",
    re.IGNORECASE,
)
# What stands between the title and its number: a type code "(380)", "Nr.", "No", "n°", "#".
_NUMBER_LABEL = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:n°|nº|#)\s*|(?:nr|no|num|number|nummer|numéro|numero|n)\b"
    r"\.?\s*:?\s*|:\s*)*",
    re.IGNORECASE,
)
_QUALIFIED = re.compile(
    r"^(?:\s+[^\W\d_]{2,}){1,2}(?=\s*(?:\(\d+\)\s*)?(?:nr|no|n°|nº|number|nummer|#)\b)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?P<number>[A-Za-z0-9][\w\-/.]*\w|\d)")
# Words that introduce the date after the number: "vom", "du", "dated", "of", "van".
_DATE_AFTER = re.compile(
    r"^\W*(?:vom|from|du|dated|date|of|van|z dnia|le|issued(?: on)?)\b\.?:?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
# "Page 1 of 2", "Seite 1 von 4": a count, not a number.
_COUNT_AFTER = re.compile(r"^\s*(?:of|von|de|van|/)\s*\d", re.IGNORECASE)
_DATE_LIKE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.?\s+[^\W\d_]{3,}\.?\s+\d{4}"
    r"|[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}"
)
# A sentence of payment terms with the day the payment is due.
_DUE_SENTENCE = re.compile(
    r"\b(?:zahlbar|fällig|payable|due|pay|payment|à payer|a payer|payer|réglable|te betalen|"
    r"betalen|betaling|płatne|płatność|zapłaty)\b[^.;]*?\b(?:bis(?: zum)?|by|on|before|until|"
    r"avant le|au plus tard le|le|voor|uiterlijk op|uiterlijk|do|dnia)\s+(?P<date>"
    + _DATE_LIKE.pattern
    + ")",
    re.IGNORECASE,
)
# Words in a label that say which date follows (a delivery date, a period): not the issue date.
_DATE_LABEL_WORDS = re.compile(
    r"dat|fecha|zeitraum|period|liefer|leistung|delivery|livraison|levering|"
    r"\b(?:von|bis|from|to|du|au|vom)\b",
    re.IGNORECASE,
)


def title_fields(lines: list[TextLine]) -> list[TextFinding]:
    """The invoice number (and date) printed in a title line of the first page."""
    out: list[TextFinding] = []
    for index, line in enumerate(lines):
        if line.page != 1 or len(line.text.split()) > 12:
            continue
        match = _TITLE.match(line.text)
        if match is None:
            continue
        rest = match["rest"]
        # "Schlussrechnung Bau (877) Nr. 210113": a word or two may qualify the title
        # before its number's label.
        qualified = _QUALIFIED.match(rest)
        if qualified is not None:
            rest = rest[qualified.end() :]
        after_label = _NUMBER_LABEL.sub("", rest, count=1)
        number = _NUMBER.match(after_label)
        if number is None and not rest.strip(" :#"):
            below = _number_under(line, lines[index + 1 : index + 4])
            if below is not None:
                out.append(_finding("invoice_number", below[0], below[1], match["title"], 0.97))
            continue
        if number is None or not _is_number(number["number"], after_label[number.end() :]):
            continue
        confidence = line.confidence * WEIGHTS.text_labelled * WEIGHTS.text_title_line
        value = number["number"].rstrip(".")
        label = (match["title"] + rest[: len(rest) - len(after_label)]).strip()
        out.append(TextFinding("invoice_number", value, value, confidence, line, label, line.bbox))
        dated = _DATE_AFTER.match(after_label[number.end() :])
        if dated is not None:
            found = _date_in(dated["date"])
            if found is not None:
                out.append(
                    TextFinding("document_date", found, found, confidence, line, label, line.bbox)
                )
    return out


def _is_number(token: str, after: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    if digits == 0 or len(token) < 2 or _COUNT_AFTER.match(after):
        return False
    return _DATE_LIKE.fullmatch(token) is None  # "Invoice 12.02.2024" is dated, not numbered


def _number_under(title: TextLine, following: list[TextLine]) -> tuple[str, TextLine] | None:
    """A lone number printed right under a title that ends in a colon ("INVOICE:")."""
    if title.bbox is None:
        return None
    bottom = title.bbox.top + title.bbox.height
    for other in following:
        if other.page != title.page or other.bbox is None:
            continue
        if other.bbox.top - bottom > 1.5 * title.bbox.height:
            return None
        text = other.text.strip().lstrip("#№").strip()
        if len(text.split()) == 1 and _is_number(text, "") and not field_for_label(text)[0]:
            return text, other
    return None


def _finding(name: str, value: str, line: TextLine, title: str, pairing: float) -> TextFinding:
    confidence = line.confidence * WEIGHTS.text_labelled * WEIGHTS.text_title_line * pairing
    return TextFinding(name, value, value, confidence, line, title, line.bbox)


def _date_in(text: str) -> str | None:
    match = _DATE_LIKE.search(text)
    if match is None:
        return None
    try:
        return normalize_date(match[0]).value
    except ValueError:
        return None


def due_in_terms(lines: list[TextLine]) -> list[TextFinding]:
    """The due date named in a sentence of payment terms ("Zahlbar ... bis 15.12.2024")."""
    out: list[TextFinding] = []
    for line in lines:
        match = _DUE_SENTENCE.search(line.text)
        if match is None:
            continue
        try:
            date = normalize_date(match["date"])
        except ValueError:
            continue
        confidence = line.confidence * WEIGHTS.text_labelled * WEIGHTS.text_due_in_sentence
        out.append(
            TextFinding("due_date", date.value, match["date"], confidence, line, None, line.bbox)
        )
    return out


def letter_date(lines: list[TextLine], claimed: set[int]) -> list[TextFinding]:
    """The header's one date that no label claims (a letter's "place, date"), as the issue
    date; `claimed` are the lines already read as some label's value."""
    for line in lines:
        if line.page != 1 or line.bbox is None or line.bbox.top > 0.4 or id(line) in claimed:
            continue
        text = line.text.strip()
        if len(text.split()) > 4 or _DATE_LIKE.search(text) is None:
            continue
        try:
            date = normalize_date(text)
        except ValueError:
            continue
        if date.ambiguous or _labelled_on_its_row(line, lines):
            continue
        confidence = line.confidence * WEIGHTS.text_labelled * WEIGHTS.text_letter_date
        return [TextFinding("document_date", date.value, text, confidence, line, None, line.bbox)]
    return []


def _labelled_on_its_row(line: TextLine, lines: list[TextLine]) -> bool:
    """Whether a label stands left of `line` on its row ("Lieferdatum", "Period:")."""
    assert line.bbox is not None
    box = line.bbox
    for other in lines:
        if other is line or other.page != line.page or other.bbox is None:
            continue
        ob = other.bbox
        overlap = min(ob.top + ob.height, box.top + box.height) - max(ob.top, box.top)
        if overlap <= 0.5 * min(ob.height, box.height) or ob.left >= box.left:
            continue
        text = other.text.strip()
        if (
            text.endswith(":")
            or field_for_label(text)[0]
            or _DATE_LABEL_WORDS.search(label_key(text))
        ):
            return True
    return False
