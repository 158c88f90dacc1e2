"""The forms and tables reader: AnalyzeDocument / GetDocumentAnalysis (FORMS + TABLES).

Key-value pairs are read by their printed label (`Findings.add_labelled`); tables whose
header row names line-item columns (or that continue such a table on the next page)
become line items; every LINE is kept for the text finder and the document hints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from docuflow.extraction.candidates import Findings, Where
from docuflow.extraction.labels import column_roles, field_for_label
from docuflow.extraction.normalize import clean_text
from docuflow.extraction.result import MONEY_FIELDS, BoundingBox, FieldSource
from docuflow.extraction.textract import (
    as_list,
    bbox_of,
    child_ids,
    confidence_of,
    page_of,
    related_ids,
    text_lines,
    union,
    words_lines,
    words_text,
)

# A table cell: its text, confidence, box and whether Textract marked it a column header.
_Cell = tuple[str, float, BoundingBox | None, bool]


@dataclass(slots=True)
class _Blocks:
    """The blocks of every page by id, the printed line of each word, and the ids that
    relationships point to but no block has."""

    by_id: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    line_of_word: dict[str, int] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def text(self, ids: Sequence[str]) -> str:
        return words_text(ids, self.by_id, self.missing)


def read_document(findings: Findings, blocks: list[Mapping[str, Any]]) -> None:
    """FORMS key-value pairs, TABLES and LINEs of every document response page."""
    index = _Blocks()
    keys: list[Mapping[str, Any]] = []
    tables: list[Mapping[str, Any]] = []
    line_blocks: list[Mapping[str, Any]] = []
    for block in blocks:
        block_id = block.get("Id")
        if isinstance(block_id, str):
            index.by_id[block_id] = block
        kind = block.get("BlockType")
        if kind == "KEY_VALUE_SET":
            if "KEY" in as_list(block.get("EntityTypes")):
                keys.append(block)
        elif kind == "TABLE":
            tables.append(block)
        elif kind == "LINE":
            line_blocks.append(block)
    for number, line in enumerate(line_blocks):
        for word_id in child_ids(line):
            index.line_of_word[word_id] = number
    findings.add_lines(text_lines(line_blocks, set()))
    header_words = _read_tables(findings, tables, index)
    for key in keys:
        _read_key(findings, key, index, header_words)
    if index.missing:
        findings.warnings.append(
            f"{len(index.missing)} relationship(s) point to blocks that are not in the response; "
            "the text they hold is missing."
        )


def _read_key(
    findings: Findings, key: Mapping[str, Any], index: _Blocks, header_words: set[str]
) -> None:
    key_words = child_ids(key)
    label = index.text(key_words)
    value_blocks: list[Mapping[str, Any]] = []
    for value_id in related_ids(key, "VALUE"):
        block = index.by_id.get(value_id)
        if block is None:
            index.missing.add(value_id)
        else:
            value_blocks.append(block)
    value_words = [word for block in value_blocks for word in child_ids(block)]
    lines = words_lines(value_words, index.by_id, index.line_of_word, index.missing)
    page = page_of(key.get("Page")) or 1
    findings.note_page(page)
    where = Where(
        min(
            [confidence_of(key.get("Confidence"))]
            + [confidence_of(block.get("Confidence")) for block in value_blocks]
        ),
        page,
        union([bbox_of(block.get("Geometry")) for block in value_blocks])
        or bbox_of(key.get("Geometry")),
        FieldSource.FORMS,
    )
    text = "\n".join(lines)
    if key_words and header_words.issuperset(key_words):
        # FORMS pairs a line-item table's column header with the first row ("Sub Total"
        # -> the first line's amount): that is not the invoice's field, keep it as is.
        findings.add_other(clean_text(label) or label or "Unlabelled", text, where)
        return
    findings.add_labelled(label, text, where, lines)


def _read_tables(
    findings: Findings, tables: Sequence[Mapping[str, Any]], index: _Blocks
) -> set[str]:
    """Line items from tables whose header row names the columns; returns header words."""
    header_words: set[str] = set()
    previous_roles: dict[int, str] | None = None
    previous_page = 0
    for table in tables:
        page = page_of(table.get("Page")) or 1
        rows: dict[int, dict[int, _Cell]] = {}
        cell_words: dict[tuple[int, int], list[str]] = {}
        for cell_id in child_ids(table):
            cell = index.by_id.get(cell_id)
            if cell is None:
                index.missing.add(cell_id)
                continue
            if cell.get("BlockType") != "CELL":
                continue
            row, column = page_of(cell.get("RowIndex")), page_of(cell.get("ColumnIndex"))
            if row is None or column is None:
                continue
            words = child_ids(cell)
            cell_words[(row, column)] = words
            rows.setdefault(row, {})[column] = (
                index.text(words),
                confidence_of(cell.get("Confidence")),
                bbox_of(cell.get("Geometry")),
                "COLUMN_HEADER" in as_list(cell.get("EntityTypes")),
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
            _table_row(findings, rows[row], roles, page)
        previous_roles, previous_page = roles, page
    return header_words


def _table_row(
    findings: Findings, cells: Mapping[int, _Cell], roles: Mapping[int, str], page: int
) -> None:
    parts = {role: cells[col][0] for col, role in roles.items() if col in cells and cells[col][0]}
    if not parts or not ({"amount", "unit_price", "quantity"} & parts.keys()):
        return
    if _is_totals_row(parts):
        return
    confidence = min(cell[1] for cell in cells.values())
    bbox = union([cell[2] for cell in cells.values()])
    findings.note_page(page)
    findings.table_items.append(
        findings.line_item(parts, confidence, page, bbox, FieldSource.TABLES)
    )


def _is_totals_row(parts: Mapping[str, str]) -> bool:
    """A "Subtotal" / "Total" / "zuzüglich 19% MwSt." row at the foot of the items table:
    not an item. Its label stands under the description (and it counts nothing) or under
    a figure column, where an item has a number."""

    def is_label(role: str) -> bool:
        return bool(parts.get(role)) and field_for_label(parts[role])[0] in MONEY_FIELDS

    return (is_label("description") and not parts.get("quantity")) or any(
        is_label(role) for role in ("quantity", "unit_price")
    )


def _column_roles(headers: Mapping[int, str]) -> dict[int, str] | None:
    columns = sorted(headers)
    roles = {
        column: role
        for column, role in zip(columns, column_roles([headers[c] for c in columns]), strict=True)
        if role is not None
    }
    found = set(roles.values())
    if ("description" in found and len(found) >= 2) or {"quantity", "amount"} <= found:
        return roles
    return None
