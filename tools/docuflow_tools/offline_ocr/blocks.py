"""Textract-shaped blocks from lines: PAGE, LINE, WORD, and KEY_VALUE_SET / TABLE where clear.

Key-value pairs: "Label: value" on one line, or a line ending in ":" with a value beside it
(or, failing that, right under it). Tables: a row of at least three short header cells and
the rows beneath it whose cells fall into the header's columns. Anything less clear is left
as plain lines; the parser's text finder reads those.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from docuflow_tools.offline_ocr.layout import Box, Line, PageText, Word, group_lines
from docuflow_tools.offline_ocr.tables import HAS_LETTER as _HAS_LETTER
from docuflow_tools.offline_ocr.tables import NUMERIC as _NUMERIC
from docuflow_tools.offline_ocr.tables import Table, find_tables

_MAX_LABEL_WORDS = 5


class BlockIds:
    """Deterministic block ids: the same document gives the same response."""

    def __init__(self, namespace: str) -> None:
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"docuflow:ocr:{namespace}")
        self._count = 0

    def next(self) -> str:
        self._count += 1
        return str(uuid.uuid5(self._namespace, str(self._count)))


def geometry(box: Box) -> dict[str, Any]:
    return {
        "BoundingBox": {"Width": box.width, "Height": box.height, "Left": box.left, "Top": box.top},
        "Polygon": [
            {"X": box.left, "Y": box.top},
            {"X": box.right, "Y": box.top},
            {"X": box.right, "Y": box.bottom},
            {"X": box.left, "Y": box.bottom},
        ],
    }


@dataclass(frozen=True)
class _Pair:
    key: tuple[Word, ...]
    value: tuple[Word, ...]
    certainty: float  # how surely the layout pairs them (scales the confidence)


def page_blocks(page: PageText, ids: BlockIds) -> list[dict[str, Any]]:
    """Every block for one page, PAGE first."""
    lines = group_lines(list(page.words), aspect=page.height / page.width)
    word_ids: dict[int, str] = {}
    blocks: list[dict[str, Any]] = []
    page_block: dict[str, Any] = {
        "BlockType": "PAGE",
        "Geometry": geometry(Box(0.0, 0.0, 1.0, 1.0)),
        "Id": ids.next(),
        "Page": page.page,
    }
    blocks.append(page_block)
    child_ids: list[str] = []
    for line in lines:
        line_id = ids.next()
        words = []
        for word in line.words:
            word_ids[id(word)] = ids.next()
            words.append(
                {
                    "BlockType": "WORD",
                    "Confidence": word.confidence,
                    "Text": word.text,
                    "TextType": "PRINTED",
                    "Geometry": geometry(word.box),
                    "Id": word_ids[id(word)],
                    "Page": page.page,
                }
            )
        blocks.append(
            {
                "BlockType": "LINE",
                "Confidence": line.confidence,
                "Text": line.text,
                "Geometry": geometry(line.box),
                "Id": line_id,
                "Relationships": [{"Type": "CHILD", "Ids": [w["Id"] for w in words]}],
                "Page": page.page,
            }
        )
        blocks.extend(words)
        child_ids.append(line_id)
    tables = find_tables(lines, aspect=page.height / page.width)
    in_tables = {id(word) for table in tables for word in table.words()}
    # A line with words in a table is the table's; its other words are details of a row
    # (article numbers, notes), not labels with values.
    free = [line for line in lines if not any(id(word) in in_tables for word in line.words)]
    for pair in find_pairs(free):
        blocks.extend(_pair_blocks(pair, page.page, ids, word_ids, child_ids))
    for table in tables:
        blocks.extend(_table_blocks(table, page.page, ids, word_ids, child_ids))
    page_block["Relationships"] = [{"Type": "CHILD", "Ids": child_ids}]
    return blocks


def find_pairs(lines: list[Line]) -> list[_Pair]:
    """Key-value pairs the layout makes clear (see the module docstring)."""
    pairs: list[_Pair] = []
    used: set[int] = set()
    for line in lines:
        split = _label_split(line.words)
        if split is not None and split < len(line.words):
            pairs.append(_Pair(line.words[:split], line.words[split:], 0.97))
            used.add(id(line))
    for line in lines:
        if id(line) in used or _label_split(line.words) != len(line.words):
            continue
        beside = _beside(line, lines, used)
        value = beside or _below(line, lines, used)
        if value is not None:
            pairs.append(_Pair(line.words, value.words, 0.93 if beside else 0.85))
            used.update({id(line), id(value)})
    for line in lines:
        # "Subtotal      1,234.56": a short label with an amount beside it, no colon.
        if id(line) in used or len(line.words) > 4 or not _HAS_LETTER.search(line.text):
            continue
        if _NUMERIC.match(line.text):
            continue
        value = _beside(line, lines, used, max_gap=0.5)
        if (
            value is not None
            and _NUMERIC.match(value.text)
            and _nothing_between(line, value, lines)
            and not _more_amounts_after(value, lines)
        ):
            pairs.append(_Pair(line.words, value.words, 0.9))
            used.update({id(line), id(value)})
    return pairs


def _more_amounts_after(value: Line, lines: list[Line]) -> bool:
    """A label followed by several amounts is a table row ("VAT 19%  100.00  19  19.00"),
    not a label and its value: which amount is meant is the table's header's to say."""
    return any(
        other is not value
        and other.box.left >= value.box.right
        and _same_row(other, value)
        and _NUMERIC.match(other.text)
        for other in lines
    )


def _nothing_between(left: Line, right: Line, lines: list[Line]) -> bool:
    return not any(
        other is not left
        and other is not right
        and other.box.left >= left.box.right
        and other.box.right <= right.box.left
        and min(other.box.bottom, left.box.bottom) - max(other.box.top, left.box.top) > 0
        for other in lines
    )


def _label_split(words: tuple[Word, ...]) -> int | None:
    """Index after the label's last word if the line starts with "Label:", else None."""
    for index, word in enumerate(words[:_MAX_LABEL_WORDS]):
        if word.text.endswith(":"):
            label = " ".join(w.text for w in words[: index + 1])
            if _HAS_LETTER.search(label) and not label.lower().startswith(("http", "www")):
                return index + 1
            return None
    return None


def _beside(label: Line, lines: list[Line], used: set[int], *, max_gap: float = 0.3) -> Line | None:
    box = label.box
    candidates = [
        other
        for other in lines
        if other is not label
        and id(other) not in used
        and other.box.left >= box.right
        and other.box.left - box.right < max_gap
        and _same_row(other, label)
        and _label_split(other.words) is None
    ]
    nearest = min(candidates, key=lambda other: other.box.left, default=None)
    # Words with a value of their own further right ("Subtotal   12.00") are the next
    # label, not this one's value.
    if nearest is not None and not any(ch.isdigit() for ch in nearest.text):
        followed = any(o.box.left >= nearest.box.right and _same_row(o, nearest) for o in lines)
        return None if followed else nearest
    return nearest


def _same_row(a: Line, b: Line) -> bool:
    overlap = min(a.box.bottom, b.box.bottom) - max(a.box.top, b.box.top)
    return overlap > 0.5 * min(a.box.height, b.box.height)


def _below(label: Line, lines: list[Line], used: set[int]) -> Line | None:
    box = label.box
    candidates = [
        other
        for other in lines
        if other is not label
        and id(other) not in used
        and 0 <= other.box.top - box.bottom < 1.5 * box.height
        and abs(other.box.left - box.left) < 0.02
        and _label_split(other.words) is None
    ]
    return min(candidates, key=lambda other: other.box.top, default=None)


def _pair_blocks(
    pair: _Pair, page: int, ids: BlockIds, word_ids: dict[int, str], child_ids: list[str]
) -> list[dict[str, Any]]:
    key_id, value_id = ids.next(), ids.next()
    child_ids.extend([key_id, value_id])
    confidence = round(min(w.confidence for w in (*pair.key, *pair.value)) * pair.certainty, 3)
    return [
        {
            "BlockType": "KEY_VALUE_SET",
            "Confidence": confidence,
            "Geometry": geometry(Box.union([w.box for w in pair.key])),
            "Id": key_id,
            "Relationships": [
                {"Type": "VALUE", "Ids": [value_id]},
                {"Type": "CHILD", "Ids": [word_ids[id(w)] for w in pair.key]},
            ],
            "EntityTypes": ["KEY"],
            "Page": page,
        },
        {
            "BlockType": "KEY_VALUE_SET",
            "Confidence": confidence,
            "Geometry": geometry(Box.union([w.box for w in pair.value])),
            "Id": value_id,
            "Relationships": [{"Type": "CHILD", "Ids": [word_ids[id(w)] for w in pair.value]}],
            "EntityTypes": ["VALUE"],
            "Page": page,
        },
    ]


def _table_blocks(
    table: Table, page: int, ids: BlockIds, word_ids: dict[int, str], child_ids: list[str]
) -> list[dict[str, Any]]:
    table_id = ids.next()
    child_ids.append(table_id)
    cells: list[dict[str, Any]] = []
    grid: list[tuple[tuple[Word, ...], ...]] = [
        tuple(column.words for column in table.columns),
        *table.rows,
    ]
    row_boxes = [Box.union([w.box for cell in row for w in cell]) for row in grid]
    for row_index, row in enumerate(grid, start=1):
        row_box = row_boxes[row_index - 1]
        for column_index, (column, cell_words) in enumerate(
            zip(table.columns, row, strict=True), start=1
        ):
            box = (
                Box.union([w.box for w in cell_words])
                if cell_words
                else Box(column.box.left, row_box.top, column.box.width, row_box.height)
            )
            cell: dict[str, Any] = {
                "BlockType": "CELL",
                "Confidence": min((w.confidence for w in cell_words), default=90.0),
                "RowIndex": row_index,
                "ColumnIndex": column_index,
                "RowSpan": 1,
                "ColumnSpan": 1,
                "Geometry": geometry(box),
                "Id": ids.next(),
                "Page": page,
            }
            if cell_words:
                cell["Relationships"] = [
                    {"Type": "CHILD", "Ids": [word_ids[id(w)] for w in cell_words]}
                ]
            if row_index == 1:
                cell["EntityTypes"] = ["COLUMN_HEADER"]
            cells.append(cell)
    table_block = {
        "BlockType": "TABLE",
        "Confidence": min(c["Confidence"] for c in cells),
        "Geometry": geometry(Box.union(row_boxes)),
        "Id": table_id,
        "Relationships": [{"Type": "CHILD", "Ids": [c["Id"] for c in cells]}],
        "EntityTypes": ["STRUCTURED_TABLE"],
        "Page": page,
    }
    return [table_block, *cells]
