"""Textract-shaped blocks from lines: PAGE, LINE, WORD, and KEY_VALUE_SET / TABLE where clear.

Key-value pairs: "Label: value" on one line, or a line ending in ":" with a value beside it
(or, failing that, right under it). Tables: a row of at least three short header cells and
the rows beneath it whose cells fall into the header's columns. Anything less clear is left
as plain lines; the parser's text finder reads those.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from docuflow_tools.offline_ocr.layout import Box, Line, PageText, Word, group_lines

_MAX_LABEL_WORDS = 5
_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMERIC = re.compile(r"^[-+(]?[$€£]?\s?[\d.,' ]+\d[)]?\s?(%|[A-Z]{3}|€|£|\$)?$")


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


@dataclass(frozen=True)
class _Table:
    header: tuple[Line, ...]
    rows: tuple[tuple[tuple[Line, ...], ...], ...]  # rows x columns x lines in the cell


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
    tables = find_tables(lines)
    in_tables = {id(line) for table in tables for line in _table_lines(table)}
    for pair in find_pairs([line for line in lines if id(line) not in in_tables]):
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


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for line in lines:
        if rows:
            anchor = rows[-1][0].box
            overlap = min(anchor.bottom, line.box.bottom) - max(anchor.top, line.box.top)
            if overlap > 0.5 * min(anchor.height, line.box.height):
                rows[-1].append(line)
                continue
        rows.append([line])
    for row in rows:
        row.sort(key=lambda line: line.box.left)
    return rows


def find_tables(lines: list[Line]) -> list[_Table]:
    """Header rows of short cells with aligned rows beneath them."""
    rows = _merge_staggered(_rows(lines))
    tables: list[_Table] = []
    index = 0
    while index < len(rows):
        header = rows[index]
        if not _looks_like_header(header):
            index += 1
            continue
        bounds = _column_bounds(header)
        body: list[tuple[tuple[Line, ...], ...]] = []
        previous_bottom = max(line.box.bottom for line in header)
        height = max(line.box.height for line in header)
        cursor = index + 1
        while cursor < len(rows):
            row = rows[cursor]
            top = min(line.box.top for line in row)
            cells = _assign(row, bounds)
            if cells is None or top - previous_bottom > 2.5 * height:
                break
            filled = sum(1 for cell in cells if cell)
            numeric = sum(
                1 for cell in cells[1:] if cell and all(_NUMERIC.match(c.text) for c in cell)
            )
            if filled < 2 or numeric < 1:
                break
            body.append(cells)
            previous_bottom = max(line.box.bottom for line in row)
            cursor += 1
        if body:
            tables.append(_Table(tuple(header), tuple(body)))
            index = cursor
        else:
            index += 1
    return tables


def _merge_staggered(rows: list[list[Line]]) -> list[list[Line]]:
    """Rows whose tops are closer than a line height are one row set a little unevenly
    (a two-line description cell starting above the figures beside it)."""
    merged: list[list[Line]] = []
    for row in rows:
        if merged:
            previous = merged[-1]
            height = min(line.box.height for line in (*previous, *row))
            top_gap = min(line.box.top for line in row) - max(line.box.top for line in previous)
            if top_gap < 0.8 * height:
                previous.extend(row)
                previous.sort(key=lambda line: line.box.left)
                continue
        merged.append(list(row))
    return merged


def _looks_like_header(row: list[Line]) -> bool:
    return len(row) >= 3 and all(
        len(line.words) <= 4 and _HAS_LETTER.search(line.text) and not _NUMERIC.match(line.text)
        for line in row
    )


def _column_bounds(header: list[Line]) -> list[tuple[float, float]]:
    bounds: list[tuple[float, float]] = []
    for position, line in enumerate(header):
        left = 0.0 if position == 0 else (header[position - 1].box.right + line.box.left) / 2
        right = (
            1.0
            if position == len(header) - 1
            else (line.box.right + header[position + 1].box.left) / 2
        )
        bounds.append((left, right))
    return bounds


def _assign(
    row: list[Line], bounds: list[tuple[float, float]]
) -> tuple[tuple[Line, ...], ...] | None:
    """The row's lines per column, or None if a line straddles two columns."""
    cells: list[list[Line]] = [[] for _ in bounds]
    for line in row:
        center = line.box.left + line.box.width / 2
        for column, (left, right) in enumerate(bounds):
            if left <= center < right:
                if line.box.left < left - 0.01 and column > 0 and line.box.right > right + 0.01:
                    return None
                cells[column].append(line)
                break
    return tuple(tuple(cell) for cell in cells)


def _table_lines(table: _Table) -> list[Line]:
    return [*table.header, *(line for row in table.rows for cell in row for line in cell)]


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
    table: _Table, page: int, ids: BlockIds, word_ids: dict[int, str], child_ids: list[str]
) -> list[dict[str, Any]]:
    table_id = ids.next()
    child_ids.append(table_id)
    cells: list[dict[str, Any]] = []
    grid: list[tuple[tuple[Line, ...], ...]] = [
        tuple((line,) for line in table.header),
        *table.rows,
    ]
    row_boxes = [Box.union([line.box for cell in row for line in cell]) for row in grid]
    column_count = len(table.header)
    for row_index, row in enumerate(grid, start=1):
        for column_index in range(1, column_count + 1):
            cell_lines = row[column_index - 1]
            header_box = table.header[column_index - 1].box
            row_box = row_boxes[row_index - 1]
            box = (
                Box.union([line.box for line in cell_lines])
                if cell_lines
                else Box(header_box.left, row_box.top, header_box.width, row_box.height)
            )
            cell: dict[str, Any] = {
                "BlockType": "CELL",
                "Confidence": min((line.confidence for line in cell_lines), default=90.0),
                "RowIndex": row_index,
                "ColumnIndex": column_index,
                "RowSpan": 1,
                "ColumnSpan": 1,
                "Geometry": geometry(box),
                "Id": ids.next(),
                "Page": page,
            }
            words = [word_ids[id(w)] for line in cell_lines for w in line.words]
            if words:
                cell["Relationships"] = [{"Type": "CHILD", "Ids": words}]
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
