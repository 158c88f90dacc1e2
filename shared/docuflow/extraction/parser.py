"""Reading Textract responses into invoice fields with candidates, line items and hints.

Accepts AnalyzeExpense / GetExpenseAnalysis and AnalyzeDocument / GetDocumentAnalysis
(FORMS + TABLES) responses: one response, the pages of a paginated result in order, or
both kinds for the same document (OCR_MODE=both). Every reading of a field becomes a
candidate; the best one is chosen by field type, label, position and confidence and the
others are kept as alternatives. The input is trusted for nothing: a missing key, a
wrong type or a relationship to a block that is not there becomes a warning, never an
exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from docuflow.domain.errors import UnreadableResponse
from docuflow.extraction import from_text
from docuflow.extraction.labels import (
    EXPENSE_GROUP_FIELDS,
    EXPENSE_TYPES,
    RECEIVER_EXPENSE_TYPES,
    WEAK_EXPENSE_TYPES,
    column_role,
    field_for_label,
    label_key,
    party_for_label,
)
from docuflow.extraction.lines import TextLine
from docuflow.extraction.normalize import (
    ISO_4217,
    DateReading,
    clean_text,
    date_separator,
    likely_day_first,
    normalize_currency,
    normalize_date,
    normalize_money,
    normalize_quantity,
    settled_day_first,
)
from docuflow.extraction.result import (
    DATE_FIELDS,
    FIELD_NAMES,
    MONEY_FIELDS,
    BoundingBox,
    Candidate,
    DocumentType,
    ExtractedField,
    FieldSource,
    LineItem,
    OtherField,
    ReviewReason,
)


class ParsedDocument(BaseModel):
    """What the parser read, before checks: chosen fields, line items and hints."""

    model_config = ConfigDict(extra="forbid")

    document_type: DocumentType
    pages: Annotated[int, Field(ge=0)]
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    line_items: list[LineItem] = Field(default_factory=list)
    other_fields: list[OtherField] = Field(default_factory=list)
    warnings: Annotated[
        list[str], Field(description="Things the parser could not read, in words")
    ] = Field(default_factory=list)
    review_hints: Annotated[
        list[ReviewReason],
        Field(description="Doubts found while reading (ambiguous date, shared '$' symbol)"),
    ] = Field(default_factory=list)
    credit_note: Annotated[
        bool,
        Field(description="Titled a credit note (Credit note, Gutschrift, Avoir, Creditnota)"),
    ] = False


# ---------------------------------------------------------------- tolerant access
# Textract JSON is read with these so that a wrong type degrades to "absent".


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _seq(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _confidence(value: object) -> float:
    # A reading without a confidence is treated as unsure (0), so it cannot pass a threshold.
    number = _number(value)
    return 0.0 if number is None else min(100.0, max(0.0, number))


def _page(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if value >= 1 else None


def _bbox(geometry: object) -> BoundingBox | None:
    box = _map(_map(geometry).get("BoundingBox"))
    left, top = _number(box.get("Left")), _number(box.get("Top"))
    width, height = _number(box.get("Width")), _number(box.get("Height"))
    if left is None or top is None or width is None or height is None:
        return None
    if width <= 0 or height <= 0:
        # A box without area locates nothing (and breaks ratios downstream): treat as missing.
        return None
    return BoundingBox(left=left, top=top, width=width, height=height)


def _candidate(
    name: str,
    value: str,
    text: str,
    where: _Where,
    *,
    label: str | None,
    score: float,
    date: DateReading | None = None,
) -> _Candidate:
    return _Candidate(
        name,
        value,
        text,
        where.confidence,
        where.page,
        where.bbox,
        where.source,
        label or None,
        score,
        date,
    )


def _union(boxes: Sequence[BoundingBox | None]) -> BoundingBox | None:
    present = [box for box in boxes if box is not None]
    if not present:
        return None
    left = min(box.left for box in present)
    top = min(box.top for box in present)
    right = max(box.left + box.width for box in present)
    bottom = max(box.top + box.height for box in present)
    return BoundingBox(left=left, top=top, width=right - left, height=bottom - top)


# ---------------------------------------------------------------- candidates

_ADDRESS_FIELDS = frozenset({"vendor_address", "remit_to_address"})
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a reading was printed and how sure Textract was of it."""

    confidence: float
    page: int | None
    bbox: BoundingBox | None
    source: FieldSource


@dataclass(slots=True)
class _Candidate:
    field: str
    value: str
    text: str
    confidence: float
    page: int | None
    bbox: BoundingBox | None
    source: FieldSource
    label: str | None
    score: float
    date: DateReading | None = None

    def to_candidate(self) -> Candidate:
        return Candidate(
            value=self.value,
            text=self.text,
            confidence=self.confidence,
            page=self.page,
            bbox=self.bbox,
            source=self.source,
            label=self.label,
        )


@dataclass(slots=True)
class _Reader:
    """Accumulates what every response says about one document."""

    page_count: int = 0
    candidates: dict[str, list[_Candidate]] = field(default_factory=dict)
    other_fields: list[OtherField] = field(default_factory=list)
    expense_items: list[LineItem] = field(default_factory=list)
    table_items: list[LineItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hints: list[ReviewReason] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    receiver_names: set[str] = field(default_factory=set)
    receiver_texts: list[str] = field(default_factory=list)
    ambiguous_symbols: dict[str, tuple[str, ...]] = field(default_factory=dict)
    invoice_ids_by_expense_doc: dict[int, set[str]] = field(default_factory=dict)
    label_texts: list[str] = field(default_factory=list)
    saw_expense: bool = False
    max_page_seen: int = 0

    # ------------------------------------------------------------ adding readings

    def note_page(self, page: int | None) -> None:
        if page is not None and page > self.max_page_seen:
            self.max_page_seen = page

    def add_other(self, key: str, value: str, where: _Where) -> None:
        self.other_fields.append(
            OtherField(
                key=key,
                value=value,
                confidence=where.confidence,
                page=where.page,
                bbox=where.bbox,
                source=where.source,
            )
        )

    def add_candidate(
        self, name: str, text: str, where: _Where, *, label: str | None, score: float
    ) -> bool:
        """Normalize `text` for field `name` and keep it as a candidate.

        Returns False (with a warning and a review hint) when the text cannot be read as
        that field's kind of value, so the caller keeps it as an other field instead.
        """
        date: DateReading | None = None
        try:
            if name in DATE_FIELDS:
                date = normalize_date(text)
                value = date.value
            elif name in MONEY_FIELDS:
                money = normalize_money(text)
                value = money.value
                if money.currency is not None:
                    self._add(
                        _candidate("currency", money.currency, text, where, label=label, score=2.5)
                    )
                elif money.currency_options and money.symbol is not None:
                    self.ambiguous_symbols[money.symbol] = money.currency_options
            elif name == "currency":
                code = normalize_currency(text)
                if code is None:
                    raise ValueError(f"{text!r} is not an ISO 4217 currency")  # noqa: TRY301
                value = code
            else:
                value = _clean_value(name, text)
                if not value:
                    return False
        except ValueError as exc:
            on_page = f" on page {where.page}" if where.page else ""
            self.warnings.append(f"Could not read {name}{on_page}: {exc}")
            self.hints.append(
                ReviewReason(
                    code="UNREADABLE_VALUE",
                    field=name,
                    message=f"The {_human(name)} printed as {text.strip()!r} could not be read.",
                )
            )
            return False
        self._add(_candidate(name, value, text, where, label=label, score=score, date=date))
        return True

    def _add(self, candidate: _Candidate) -> None:
        self.candidates.setdefault(candidate.field, []).append(candidate)

    def add_labelled(
        self, label: str, text: str, where: _Where, lines: Sequence[str] | None = None
    ) -> None:
        """A printed label with its value (a FORMS key-value pair or an expense OTHER)."""
        self.label_texts.append(label)
        party = party_for_label(label)
        key = clean_text(label) or label.strip() or "Unlabelled"
        value_lines = [line for line in (lines or text.splitlines()) if line.strip()]
        if party in ("vendor", "remit_to") and value_lines:
            # "From:" blocks print the name on the first line and the address below it.
            address = [line for line in value_lines[1:] if not _EMAIL.fullmatch(line.strip())]
            self.add_candidate(f"{party}_name", value_lines[0], where, label=label, score=2.4)
            if address:
                self.add_candidate(
                    f"{party}_address", "\n".join(address), where, label=label, score=2.4
                )
            for line in value_lines[1:]:
                if not _EMAIL.fullmatch(line.strip()):
                    continue
                if party == "remit_to":
                    self.add_candidate("remittance_email", line, where, label=label, score=2.4)
                else:
                    # The vendor's own e-mail has no field of its own: keep it, not drop it.
                    self.add_other(f"{key} e-mail", line.strip(), where)
            return
        if party == "receiver":
            if value_lines:
                self.receiver_names.add(label_key(value_lines[0]))
                self.receiver_texts.append(label_key(" ".join(value_lines)))
            self.add_other(key, "\n".join(value_lines), where)
            return
        name, sureness = field_for_label(label)
        if name == "bank_account" and "*" in text:
            # A masked card number ("**** 3433") is a payment card, not a bank account.
            name = None
        if (
            name is not None
            and text.strip()
            and self.add_candidate(name, text, where, label=label, score=2.0 + 0.5 * sureness)
        ):
            if name == "amount_due":
                # Many invoices print only "Amount Due": a weak total candidate, which
                # totals_add_up checks like any other.
                self.add_candidate("total_amount", text, where, label=label, score=1.2)
            return
        self.add_other(key, text.strip(), where)

    # ------------------------------------------------------------ responses

    def read_status(self, response: Mapping[str, Any]) -> bool:
        """Record job status problems; False when the response has nothing to read."""
        status = _text(response.get("JobStatus"))
        for warning in _seq(response.get("Warnings")):
            entry = _map(warning)
            pages = ", ".join(str(p) for p in _seq(entry.get("Pages")))
            self.warnings.append(
                f"Textract warned {_text(entry.get('ErrorCode')) or 'something'}"
                + (f" on pages {pages}" if pages else "")
                + "."
            )
        if status in ("FAILED", "IN_PROGRESS"):
            message = _text(response.get("StatusMessage"))
            self.warnings.append(
                f"The Textract job is {status}"
                + (f" ({message})" if message else "")
                + "; the response holds no text to read."
            )
            self.hints.append(
                ReviewReason(
                    code="OCR_NOT_SUCCEEDED",
                    field=None,
                    message=f"Text recognition did not finish (status {status}), "
                    "so nothing could be read from the document.",
                )
            )
            return False
        if status == "PARTIAL_SUCCESS":
            self.hints.append(
                ReviewReason(
                    code="OCR_PARTIAL",
                    field=None,
                    message="Text recognition read only part of the document.",
                )
            )
        declared = _page(_map(response.get("DocumentMetadata")).get("Pages"))
        if declared is not None:
            self.page_count = max(self.page_count, declared)
        return True

    def read_expense(
        self, response: Mapping[str, Any], seen_blocks: set[str], *, with_lines: bool
    ) -> None:
        """SummaryFields, LineItemGroups and (unless already read) the LINEs of a response."""
        self.saw_expense = True
        for position, document in enumerate(_seq(response.get("ExpenseDocuments"))):
            doc = _map(document)
            index = _page(doc.get("ExpenseIndex")) or position + 1
            for summary in _seq(doc.get("SummaryFields")):
                self._read_summary_field(_map(summary), index)
            for group in _seq(doc.get("LineItemGroups")):
                for item in _seq(_map(group).get("LineItems")):
                    self._read_expense_item(_map(item))
            if with_lines:
                self.read_lines(_seq(doc.get("Blocks")), seen_blocks)
        if with_lines:
            self.read_lines(_seq(response.get("Blocks")), seen_blocks)

    def _read_summary_field(self, summary: Mapping[str, Any], expense_index: int) -> None:
        kind = _map(summary.get("Type"))
        type_text = _text(kind.get("Text")).upper()
        label = _map(summary.get("LabelDetection"))
        label_text = _text(label.get("Text"))
        detection = _map(summary.get("ValueDetection"))
        value_text = _text(detection.get("Text"))
        page = _page(summary.get("PageNumber")) or (1 if self.page_count <= 1 else None)
        self.note_page(page)
        where = _Where(
            # Type confidence is how sure Textract is of what the value means: count it too.
            min(_confidence(kind.get("Confidence")), _confidence(detection.get("Confidence"))),
            page,
            _bbox(detection.get("Geometry")) or _bbox(label.get("Geometry")),
            FieldSource.EXPENSE,
        )
        groups = {
            _text(kind_name)
            for group in _seq(summary.get("GroupProperties"))
            for kind_name in _seq(_map(group).get("Types"))
        }
        self._expense_currency(summary, value_text, label_text, where)
        if label_text:
            self.label_texts.append(label_text)
        receiver = type_text in RECEIVER_EXPENSE_TYPES or any(
            group.startswith("RECEIVER") for group in groups
        )
        if receiver:
            if type_text in ("RECEIVER_NAME", "NAME") and value_text.strip():
                self.receiver_names.add(label_key(clean_text(value_text)))
            self.receiver_texts.append(label_key(value_text))
            self._other_from_summary(type_text, groups, label_text, value_text, where)
            return
        name, score = _expense_field_name(type_text, groups)
        if name is None:
            if label_text and type_text == "OTHER":
                self.add_labelled(label_text, value_text, where)
            else:
                self._other_from_summary(type_text, groups, label_text, value_text, where)
            return
        if name == "invoice_number" and value_text.strip():
            self.invoice_ids_by_expense_doc.setdefault(expense_index, set()).add(
                label_key(value_text)
            )
        if type_text == "VENDOR_PHONE" and not label_text:
            # Keep where the value came from visible to a reviewer: the vendor's phone.
            label_text = "Vendor phone"
        label_name, sureness = field_for_label(label_text) if label_text else (None, 0.0)
        if label_name is not None and label_name != name and sureness >= 1.0:
            # The printed label disagrees with Textract's type (a SUBTOTAL printed as
            # "Total", a TOTAL printed as "Subtotal"): the specific printed label is the
            # better reading, the type stays as a weaker alternative.
            self.add_candidate(label_name, value_text, where, label=label_text, score=2.9)
            score = 2.2
        elif label_name == name:
            score += 0.3
        if not self.add_candidate(name, value_text, where, label=label_text or None, score=score):
            self._other_from_summary(type_text, groups, label_text, value_text, where)
        elif name == "amount_due":
            self.add_candidate("total_amount", value_text, where, label=label_text, score=1.2)

    def _expense_currency(
        self, summary: Mapping[str, Any], value_text: str, label_text: str, where: _Where
    ) -> None:
        code = _text(_map(summary.get("Currency")).get("Code")).upper()
        if not code:
            return
        # Textract's own currency reading of a money field is the surest currency clue.
        if code in ISO_4217:
            self._add(
                _candidate("currency", code, value_text or code, where, label=label_text, score=3.0)
            )
        else:
            self.warnings.append(f"Textract reported an unknown currency code {code!r}.")

    def _other_from_summary(
        self, type_text: str, groups: set[str], label_text: str, value_text: str, where: _Where
    ) -> None:
        described = " ".join(part for part in (" ".join(sorted(groups)), type_text) if part)
        key = clean_text(label_text) or described.replace("_", " ").capitalize() or "Unlabelled"
        self.add_other(key, value_text.strip(), where)

    def _read_expense_item(self, item: Mapping[str, Any]) -> None:
        parts: dict[str, str] = {}
        confidences: list[float] = []
        page: int | None = None
        bbox: BoundingBox | None = None
        for entry in _seq(item.get("LineItemExpenseFields")):
            expense_field = _map(entry)
            type_text = _text(_map(expense_field.get("Type")).get("Text")).upper()
            detection = _map(expense_field.get("ValueDetection"))
            text = _text(detection.get("Text"))
            page = page or _page(expense_field.get("PageNumber"))
            if type_text == "EXPENSE_ROW":
                bbox = _bbox(detection.get("Geometry"))
                continue
            role = {
                "ITEM": "description",
                "DESCRIPTION": "description",
                "QUANTITY": "quantity",
                "UNIT_PRICE": "unit_price",
                "PRICE": "amount",  # Textract's PRICE is the line's total, not the unit price
            }.get(type_text)
            if role is None or not text.strip() or role in parts:
                continue
            parts[role] = text
            confidences.append(_confidence(detection.get("Confidence")))
        if not parts:
            return
        page = page or (1 if self.page_count <= 1 else None)
        self.note_page(page)
        self.expense_items.append(
            self._line_item(parts, min(confidences), page, bbox, FieldSource.EXPENSE)
        )

    def _line_item(
        self,
        parts: Mapping[str, str],
        confidence: float,
        page: int | None,
        bbox: BoundingBox | None,
        source: FieldSource,
    ) -> LineItem:
        values: dict[str, str | None] = {}
        for role in ("quantity", "unit_price", "amount"):
            text = parts.get(role)
            if text is None:
                values[role] = None
                continue
            try:
                if role == "quantity":
                    values[role] = normalize_quantity(text)
                else:
                    money = normalize_money(text)
                    values[role] = money.value
                    if money.currency_options and money.symbol:
                        self.ambiguous_symbols[money.symbol] = money.currency_options
            except ValueError as exc:
                values[role] = None
                self.warnings.append(f"Could not read a line item's {role}: {exc}")
                self.hints.append(
                    ReviewReason(
                        code="UNREADABLE_VALUE",
                        field="line_items",
                        message=f"A line item's {role.replace('_', ' ')} printed as "
                        f"{text.strip()!r} could not be read.",
                    )
                )
        description = parts.get("description")
        return LineItem(
            description=clean_text(description) if description else None,
            quantity=values["quantity"],
            unit_price=values["unit_price"],
            amount=values["amount"],
            page=page,
            confidence=confidence,
            bbox=bbox,
            source=source,
        )

    def read_lines(self, blocks: Sequence[Any], seen: set[str]) -> None:
        for raw in blocks:
            block = _map(raw)
            if block.get("BlockType") != "LINE":
                continue
            block_id = _text(block.get("Id"))
            if block_id:
                if block_id in seen:
                    continue
                seen.add(block_id)
            page = _page(block.get("Page")) or 1
            self.note_page(page)
            self.lines.append(
                TextLine(
                    text=_text(block.get("Text")),
                    page=page,
                    confidence=_confidence(block.get("Confidence")),
                    bbox=_bbox(block.get("Geometry")),
                )
            )

    # ------------------------------------------------------------ AnalyzeDocument

    def read_document(self, blocks: list[Mapping[str, Any]]) -> None:
        """FORMS key-value pairs, TABLES and LINEs of every document response page."""
        by_id: dict[str, Mapping[str, Any]] = {}
        keys: list[Mapping[str, Any]] = []
        tables: list[Mapping[str, Any]] = []
        line_of_word: dict[str, int] = {}
        line_blocks: list[Mapping[str, Any]] = []
        for block in blocks:
            block_id = block.get("Id")
            if isinstance(block_id, str):
                by_id[block_id] = block
            kind = block.get("BlockType")
            if kind == "KEY_VALUE_SET":
                if "KEY" in _seq(block.get("EntityTypes")):
                    keys.append(block)
            elif kind == "TABLE":
                tables.append(block)
            elif kind == "LINE":
                line_blocks.append(block)
        for number, line in enumerate(line_blocks):
            for word_id in _child_ids(line):
                line_of_word[word_id] = number
        self.read_lines(line_blocks, set())
        missing: set[str] = set()
        header_words = self._read_tables(tables, by_id, missing)
        for key in keys:
            self._read_key(key, by_id, line_of_word, header_words, missing)
        if missing:
            self.warnings.append(
                f"{len(missing)} relationship(s) point to blocks that are not in the response; "
                "the text they hold is missing."
            )

    def _read_key(
        self,
        key: Mapping[str, Any],
        by_id: Mapping[str, Mapping[str, Any]],
        line_of_word: Mapping[str, int],
        header_words: set[str],
        missing: set[str],
    ) -> None:
        key_words = _child_ids(key)
        label = _words_text(key_words, by_id, missing)
        value_blocks: list[Mapping[str, Any]] = []
        for value_id in _related_ids(key, "VALUE"):
            block = by_id.get(value_id)
            if block is None:
                missing.add(value_id)
            else:
                value_blocks.append(block)
        value_words = [word for block in value_blocks for word in _child_ids(block)]
        lines = _words_lines(value_words, by_id, line_of_word, missing)
        page = _page(key.get("Page")) or 1
        self.note_page(page)
        where = _Where(
            min(
                [_confidence(key.get("Confidence"))]
                + [_confidence(block.get("Confidence")) for block in value_blocks]
            ),
            page,
            _union([_bbox(block.get("Geometry")) for block in value_blocks])
            or _bbox(key.get("Geometry")),
            FieldSource.FORMS,
        )
        text = "\n".join(lines)
        if key_words and header_words.issuperset(key_words):
            # FORMS pairs a line-item table's column header with the first row ("Sub Total"
            # -> the first line's amount): that is not the invoice's field, keep it as is.
            self.add_other(clean_text(label) or label or "Unlabelled", text, where)
            return
        self.add_labelled(label, text, where, lines)

    def _read_tables(
        self,
        tables: Sequence[Mapping[str, Any]],
        by_id: Mapping[str, Mapping[str, Any]],
        missing: set[str],
    ) -> set[str]:
        """Line items from tables whose header row names the columns; returns header words."""
        header_words: set[str] = set()
        previous_roles: dict[int, str] | None = None
        previous_page = 0
        for table in tables:
            page = _page(table.get("Page")) or 1
            rows: dict[int, dict[int, tuple[str, float, BoundingBox | None, bool]]] = {}
            cell_words: dict[tuple[int, int], list[str]] = {}
            for cell_id in _child_ids(table):
                cell = by_id.get(cell_id)
                if cell is None:
                    missing.add(cell_id)
                    continue
                if cell.get("BlockType") != "CELL":
                    continue
                row, column = _page(cell.get("RowIndex")), _page(cell.get("ColumnIndex"))
                if row is None or column is None:
                    continue
                words = _child_ids(cell)
                cell_words[(row, column)] = words
                rows.setdefault(row, {})[column] = (
                    _words_text(words, by_id, missing),
                    _confidence(cell.get("Confidence")),
                    _bbox(cell.get("Geometry")),
                    "COLUMN_HEADER" in _seq(cell.get("EntityTypes")),
                )
            if not rows:
                continue
            ordered = sorted(rows)
            header_rows = [row for row in ordered if any(c[3] for c in rows[row].values())]
            header_row = header_rows[-1] if header_rows else ordered[0]
            roles = _column_roles({col: cell[0] for col, cell in rows[header_row].items()})
            if roles is not None:
                first_body = ordered.index(header_row) + 1
                for column in rows[header_row]:
                    header_words.update(cell_words.get((header_row, column), ()))
            elif (
                previous_roles is not None
                and page == previous_page + 1
                and max(previous_roles) <= max(rows[ordered[0]])
            ):
                # A table continued on the next page often repeats no header row.
                roles, first_body = previous_roles, 0
            else:
                continue
            for row in ordered[first_body:]:
                self._table_row(rows[row], roles, page)
            previous_roles, previous_page = roles, page
        return header_words

    def _table_row(
        self,
        cells: Mapping[int, tuple[str, float, BoundingBox | None, bool]],
        roles: Mapping[int, str],
        page: int,
    ) -> None:
        parts = {
            role: cells[col][0] for col, role in roles.items() if col in cells and cells[col][0]
        }
        if not parts or not ({"amount", "unit_price", "quantity"} & parts.keys()):
            return
        description = parts.get("description", "")
        if (
            description
            and field_for_label(description)[0] in MONEY_FIELDS
            and not parts.get("quantity")
        ):
            # A "Subtotal" / "Total" row at the foot of the items table is not an item.
            return
        confidence = min(cell[1] for cell in cells.values())
        bbox = _union([cell[2] for cell in cells.values()])
        self.note_page(page)
        self.table_items.append(self._line_item(parts, confidence, page, bbox, FieldSource.TABLES))


def _expense_field_name(type_text: str, groups: set[str]) -> tuple[str | None, float]:
    """The field an expense type names (VENDOR_NAME), or a NAME/ADDRESS in a party group."""
    name = EXPENSE_TYPES.get(type_text)
    if name is not None:
        return name, WEAK_EXPENSE_TYPES.get(type_text, 3.0)
    base = "ADDRESS" if type_text in ("ADDRESS", "ADDRESS_BLOCK") else type_text
    for group in sorted(groups):
        name = EXPENSE_GROUP_FIELDS.get((group, base))
        if name is not None:
            # Group fields repeat the typed ones; ADDRESS_BLOCK drops the first line.
            return name, 2.8 if type_text != "ADDRESS_BLOCK" else 2.7
    return None, 0.0


def _column_roles(headers: Mapping[int, str]) -> dict[int, str] | None:
    roles: dict[int, str] = {}
    for column, header in headers.items():
        role = column_role(header)
        if role is not None and role not in roles.values():
            roles[column] = role
    found = set(roles.values())
    if ("description" in found and len(found) >= 2) or {"quantity", "amount"} <= found:
        return roles
    return None


def _child_ids(block: Mapping[str, Any]) -> list[str]:
    return _related_ids(block, "CHILD")


def _related_ids(block: Mapping[str, Any], kind: str) -> list[str]:
    ids: list[str] = []
    for relationship in _seq(block.get("Relationships")):
        rel = _map(relationship)
        if rel.get("Type") == kind:
            ids.extend(value for value in _seq(rel.get("Ids")) if isinstance(value, str))
    return ids


def _word_text(block: Mapping[str, Any]) -> str:
    if block.get("BlockType") == "SELECTION_ELEMENT":
        return "[x]" if block.get("SelectionStatus") == "SELECTED" else "[ ]"
    return _text(block.get("Text"))


def _words_text(
    ids: Sequence[str], by_id: Mapping[str, Mapping[str, Any]], missing: set[str]
) -> str:
    words: list[str] = []
    for word_id in ids:
        block = by_id.get(word_id)
        if block is None:
            missing.add(word_id)
            continue
        text = _word_text(block)
        if text:
            words.append(text)
    return " ".join(words)


def _words_lines(
    ids: Sequence[str],
    by_id: Mapping[str, Mapping[str, Any]],
    line_of_word: Mapping[str, int],
    missing: set[str],
) -> list[str]:
    """The value's words grouped by the printed LINE each belongs to, in order."""
    lines: list[list[str]] = []
    current: int | None = -1
    for word_id in ids:
        block = by_id.get(word_id)
        if block is None:
            missing.add(word_id)
            continue
        text = _word_text(block)
        if not text:
            continue
        line = line_of_word.get(word_id)
        if line != current or line is None or not lines:
            lines.append([])
            current = line
        lines[-1].append(text)
    return [" ".join(words) for words in lines]


# The fewest digits a phone number has (a local number without its area code).
_PHONE_DIGITS = 7


def _clean_value(name: str, text: str) -> str:
    if name in _ADDRESS_FIELDS:
        parts = [clean_text(line) for line in text.splitlines()]
        return ", ".join(part for part in parts if part)
    if name == "remittance_email":
        match = _EMAIL.search(text)
        if match is None:
            raise ValueError(f"{text.strip()!r} is not an e-mail address")
        return match[0]
    value = clean_text(text)
    if name == "remittance_phone" and sum(ch.isdigit() for ch in value) < _PHONE_DIGITS:
        # "Tel.:" paired with a fragment ("+1") or with something else: not a phone number,
        # so the pair stays an other field.
        return ""
    if name in ("invoice_number", "purchase_order"):
        value = value.strip("#№ ").removeprefix("No.").removeprefix("No ").strip()
    return value


def _human(name: str) -> str:
    return name.replace("_", " ")


# ---------------------------------------------------------------- parsing


def parse_responses(responses: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> ParsedDocument:
    """Read one document's Textract responses into a ParsedDocument.

    `responses` is one response or the pages of a paginated Get* result in order; expense
    and document responses may be mixed (OCR_MODE=both) and their candidates are pooled.
    Raises UnreadableResponse when the input is not Textract output at all; anything
    else it cannot read becomes a warning and a review hint.
    """
    if isinstance(responses, Mapping):
        responses = [responses]
    if isinstance(responses, str | bytes) or not isinstance(responses, Sequence):
        raise UnreadableResponse("Expected Textract response JSON objects.")
    if not responses:
        raise UnreadableResponse("No Textract response was given.")
    reader = _Reader()
    expense: list[Mapping[str, Any]] = []
    document_blocks: list[Mapping[str, Any]] = []
    for number, response in enumerate(responses, start=1):
        if not isinstance(response, Mapping):
            raise UnreadableResponse(f"Response {number} is not a JSON object.")
        kind = _response_kind(response)
        if kind is None:
            raise UnreadableResponse(
                f"Response {number} is not a Textract response "
                "(it has no Blocks, ExpenseDocuments or JobStatus)."
            )
        if not reader.read_status(response):
            continue
        if kind == "expense":
            expense.append(response)
        else:
            document_blocks.extend(
                block for block in _seq(response.get("Blocks")) if isinstance(block, Mapping)
            )
    if document_blocks:
        reader.read_document(document_blocks)
    seen_lines: set[str] = set()
    for response in expense:
        # With both APIs the document's LINEs are already read; the expense ones repeat them
        # (and newer expense responses repeat them per ExpenseDocument too, hence the ids).
        reader.read_expense(response, seen_lines, with_lines=not document_blocks)
    pages = max(reader.page_count, reader.max_page_seen)
    return _finish(reader, pages)


def _response_kind(response: Mapping[str, Any]) -> str | None:
    if isinstance(response.get("ExpenseDocuments"), list):
        return "expense"
    if isinstance(response.get("Blocks"), list):
        return "document"
    if "JobStatus" in response or isinstance(response.get("DocumentMetadata"), Mapping):
        return "status"
    return None


def _finish(reader: _Reader, pages: int) -> ParsedDocument:
    text_candidates = from_text.fields_from_lines(reader.lines, pages)
    for name, offered in text_candidates.items():
        if name in FIELD_NAMES and not reader.candidates.get(name):
            for rank, candidate in enumerate(offered):
                date = _text_date(name, candidate.text)
                reader.candidates.setdefault(name, []).append(
                    _Candidate(
                        name,
                        date.value if date is not None else candidate.value,
                        candidate.text,
                        candidate.confidence,
                        candidate.page,
                        candidate.bbox,
                        FieldSource.TEXT,
                        candidate.label,
                        1.0 - rank * 0.01,
                        date,
                    )
                )
    _drop_receivers_as_vendor(reader)
    _currency_from_lines(reader)
    currency = _ranked("currency", reader.candidates.get("currency", []), pages)
    _settle_dates(reader, currency[0].value if currency else None)
    fields: dict[str, ExtractedField] = {}
    for name in FIELD_NAMES:
        found = reader.candidates.get(name)
        if found:
            fields[name], chosen = _choose(name, found, pages, reader.candidates)
            if chosen.date is not None and chosen.date.ambiguous:
                reader.hints.append(_ambiguous_date_hint(name, chosen))
    _currency_hints(reader, fields)
    _multiple_invoices_hint(reader)
    line_items = reader.expense_items or reader.table_items
    # With both APIs the expense line items and the table rows are the same items: the
    # expense ones are kept, being typed by Textract itself.
    credit_note = _is_credit_note(reader)
    return ParsedDocument(
        document_type=_document_type(reader, fields, line_items, credit_note=credit_note),
        credit_note=credit_note,
        pages=pages,
        fields=fields,
        line_items=line_items,
        other_fields=reader.other_fields,
        warnings=reader.warnings,
        review_hints=reader.hints,
    )


def _text_date(name: str, text: str) -> DateReading | None:
    """The unsettled reading of a date the text finder found, so that it is settled (or
    reported as ambiguous) by the same rule as every other date candidate."""
    if name not in DATE_FIELDS:
        return None
    try:
        return normalize_date(text)
    except ValueError:
        return None


_PARTY_FIELDS = (
    "vendor_name",
    "vendor_address",
    "remit_to_name",
    "remit_to_address",
    "remittance_email",
    "remittance_phone",
)


def _drop_receivers_as_vendor(reader: _Reader) -> None:
    """Never take the bill-to / ship-to party as the vendor, whichever source offered it.

    Textract's own vendor readings are dropped when they equal a receiver's name; text
    readings (weaker evidence) also when they appear anywhere in a receiver's block, e.g.
    the customer's e-mail under "To:" offered as the remittance e-mail.
    """
    if not reader.receiver_names and not reader.receiver_texts:
        return
    for name in _PARTY_FIELDS:
        found = reader.candidates.get(name)
        if found:
            reader.candidates[name] = [c for c in found if not _is_receivers(reader, c)]


def _is_receivers(reader: _Reader, candidate: _Candidate) -> bool:
    key = label_key(candidate.value)
    if len(key) < 4:  # "CA" or "1" would be found in any address
        return False
    if candidate.field in ("vendor_name", "remit_to_name") and key in reader.receiver_names:
        return True
    return candidate.source is FieldSource.TEXT and any(
        key in text for text in reader.receiver_texts
    )


def _currency_from_lines(reader: _Reader) -> None:
    """An ISO code printed anywhere ("All amounts in AUD") settles an ambiguous symbol."""
    if reader.candidates.get("currency") or not reader.ambiguous_symbols:
        return
    options = {code for codes in reader.ambiguous_symbols.values() for code in codes}
    for line in reader.lines:
        for token in re.findall(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])", line.text):
            if token in options:
                reader.candidates.setdefault("currency", []).append(
                    _Candidate(
                        "currency",
                        token,
                        line.text,
                        line.confidence,
                        line.page,
                        line.bbox,
                        FieldSource.TEXT,
                        None,
                        1.5,
                    )
                )


def _currency_hints(reader: _Reader, fields: Mapping[str, ExtractedField]) -> None:
    chosen = fields.get("currency")
    if chosen is None and reader.ambiguous_symbols:
        symbols = ", ".join(f"'{symbol}'" for symbol in reader.ambiguous_symbols)
        options = sorted({code for codes in reader.ambiguous_symbols.values() for code in codes})
        reader.hints.append(
            ReviewReason(
                code="CURRENCY_AMBIGUOUS",
                field="currency",
                message=f"Amounts are printed with {symbols}, which several currencies use "
                f"({', '.join(options)}), and nothing else on the document says which one.",
            )
        )
    elif chosen is not None:
        strong = {c.value for c in reader.candidates.get("currency", []) if c.score >= 2.5}
        if len(strong) > 1:
            reader.hints.append(
                ReviewReason(
                    code="CURRENCY_CONFLICT",
                    field="currency",
                    message="The document names more than one currency: "
                    + ", ".join(sorted(strong))
                    + ".",
                )
            )


def _multiple_invoices_hint(reader: _Reader) -> None:
    ids = {i for ids in reader.invoice_ids_by_expense_doc.values() for i in ids if i}
    if len(reader.invoice_ids_by_expense_doc) > 1 and len(ids) > 1:
        reader.hints.append(
            ReviewReason(
                code="MULTIPLE_INVOICES",
                field="invoice_number",
                message=f"The file seems to hold {len(ids)} different invoices; their fields "
                "were read as one.",
            )
        )


def _settle_dates(reader: _Reader, currency: str | None) -> None:
    """Settle the day/month order of ambiguous numeric dates from the document's own
    unambiguous dates printed the same way (`07/06/2025` beside `21/06/2025`).

    Nothing else settles it. An unsettled date stays ambiguous (a review reason offering
    both readings); the currency's usual order only decides which reading is shown first,
    since it is no proof: a Swiss vendor may print US dates.
    """
    dated = [c for name in DATE_FIELDS for c in reader.candidates.get(name, [])]
    if not any(c.date is not None and c.date.ambiguous for c in dated):
        return
    texts = [c.text for c in dated] + [line.text for line in reader.lines]
    for candidate in dated:
        if candidate.date is None or not candidate.date.ambiguous:
            continue
        day_first = settled_day_first(texts, date_separator(candidate.text))
        if day_first is not None:
            candidate.date = normalize_date(candidate.text, day_first=day_first)
        elif likely_day_first(currency) and candidate.date.alternative is not None:
            candidate.date = DateReading(
                value=candidate.date.alternative,
                order="DMY",
                ambiguous=True,
                alternative=candidate.date.value,
            )
        candidate.value = candidate.date.value


def _ambiguous_date_hint(name: str, chosen: _Candidate) -> ReviewReason:
    assert chosen.date is not None
    return ReviewReason(
        code="DATE_AMBIGUOUS",
        field=name,
        message=f"The {_human(name)} {chosen.text.strip()!r} could be {chosen.date.value} or "
        f"{chosen.date.alternative} (day and month can be swapped) and nothing else on the "
        "document settles it.",
    )


def _position_bonus(name: str, candidate: _Candidate, pages: int) -> float:
    page = candidate.page or 1
    top = candidate.bbox.top if candidate.bbox else 0.5
    # Tie-breakers only (< 0.1): totals sit at the foot of the last page, header fields
    # at the top of the first.
    if name in MONEY_FIELDS:
        return 0.05 * (page / max(pages, 1)) + 0.04 * top
    return 0.05 * (1 - (page - 1) / max(pages, 1)) + 0.04 * (1 - top)


def _ranked(name: str, found: Sequence[_Candidate], pages: int) -> list[_Candidate]:
    return sorted(
        found,
        key=lambda c: c.score + c.confidence / 1000 + _position_bonus(name, c, pages),
        reverse=True,
    )


def _choose(
    name: str,
    found: Sequence[_Candidate],
    pages: int,
    pool: Mapping[str, Sequence[_Candidate]],
) -> tuple[ExtractedField, _Candidate]:
    """The best candidate as the field, the others (distinct values) as alternatives."""
    ranked = _ranked(name, found, pages)
    chosen = ranked[0]
    if name == "total_amount":
        chosen = _total_that_adds_up(ranked, pool, pages) or chosen
    # The same value read in several places (a header repeated on every page): report the
    # place where Textract was surest of it.
    chosen = max(
        (c for c in ranked if c.value == chosen.value and c.score >= chosen.score - 0.5),
        key=lambda c: c.confidence,
    )
    alternatives: list[Candidate] = []
    seen = {chosen.value}
    for candidate in ranked:
        if candidate.value not in seen:
            seen.add(candidate.value)
            alternatives.append(candidate.to_candidate())
        alternative = candidate.date.alternative if candidate.date else None
        if alternative and alternative not in seen:
            # The other day/month reading of an ambiguous date, so a reviewer can pick it.
            seen.add(alternative)
            alternatives.append(candidate.to_candidate().model_copy(update={"value": alternative}))
    return ExtractedField(
        value=chosen.value,
        text=chosen.text,
        confidence=chosen.confidence,
        page=chosen.page,
        bbox=chosen.bbox,
        source=chosen.source,
        label=chosen.label,
        alternatives=alternatives,
    ), chosen


def _total_that_adds_up(
    ranked: Sequence[_Candidate], pool: Mapping[str, Sequence[_Candidate]], pages: int
) -> _Candidate | None:
    """Among several totals, the one that equals the chosen subtotal plus tax."""
    if len({c.value for c in ranked}) < 2:
        return None
    subtotal = _ranked("subtotal", pool.get("subtotal", []), pages)
    tax = _ranked("tax_amount", pool.get("tax_amount", []), pages)
    if not subtotal:
        return None
    try:
        expected = Decimal(subtotal[0].value) + (Decimal(tax[0].value) if tax else Decimal(0))
        for candidate in ranked:
            if candidate.score >= 2.0 and Decimal(candidate.value) == expected:
                return candidate
    except InvalidOperation:
        return None
    return None


def _is_credit_note(reader: _Reader) -> bool:
    """Whether the document calls itself a credit note (in its title or a number's label)."""
    texts = [line.text for line in reader.lines] + reader.label_texts
    words = " ".join(texts).casefold()
    return bool(_CREDIT_NOTE_WORDS.search(words)) or any(
        _AVOIR.match(label_key(text)) for text in texts
    )


def _is_negative(field: ExtractedField | None) -> bool:
    try:
        return field is not None and Decimal(field.value) < 0
    except InvalidOperation:
        return False


def _document_type(
    reader: _Reader,
    fields: Mapping[str, ExtractedField],
    line_items: Sequence[LineItem],
    *,
    credit_note: bool,
) -> DocumentType:
    """Expense responses carry no document type: decide from what was read.

    A credit note is an invoice document (one that credits the buyer), whether it says
    so or only its negative total and invoice number show it.
    """
    words = " ".join([line.text for line in reader.lines] + reader.label_texts).casefold()
    if _INVOICE_WORDS.search(words) or "due_date" in fields or "payment_terms" in fields:
        return DocumentType.INVOICE
    if credit_note:
        return DocumentType.INVOICE
    total = fields.get("total_amount") or fields.get("amount_due")
    if _is_negative(total) and "invoice_number" in fields and not _RECEIPT_WORDS.search(words):
        return DocumentType.INVOICE
    has_money = bool(MONEY_FIELDS & fields.keys())
    if (has_money and (reader.saw_expense or _RECEIPT_WORDS.search(words))) or (
        reader.saw_expense and line_items
    ):
        return DocumentType.RECEIPT
    if "invoice_number" in fields and "total_amount" in fields:
        return DocumentType.INVOICE
    return DocumentType.OTHER
