"""Tables on one page, read from the positions of their words.

Line-item tables are read the way invoices print them, in every language the parser's
column vocabulary knows (`docuflow.extraction.labels.column_roles`):

- **Header**: a row of short labels, possibly set over two or three tight lines ("Unit" over
  "Price", "Prix" over "unitaire"), whose columns name line-item roles: a description and
  at least one figure, or a quantity and an amount.
- **Columns**: each header label's x-range. A body line is cut where a clear gap falls
  between two columns, and each piece goes to the column it lies under.
- **Rows**: a body row with a number in the amount column (without one, the rightmost
  price or quantity column) starts an item; its figures are that row's. A figure elsewhere
  alone (a discount under the unit price) is a detail of the item above.
- **Wrapped text**: a line under an item's text, set at the table's line spacing, continues
  that cell ("Stadtfahrt - 2,00 Euro je" / "gefahrene Kilometer"); after a larger step
  (a paragraph of details: article numbers, a gross price, notes) the cell is complete.
- **End**: a totals row (a label naming the subtotal, tax, total or amount due), another
  header row, text running across the table, or several blank lines.

Other grids (a tax breakdown, a payment schedule) are kept as tables too, so their figures
are not mistaken for labelled values: a row of at least three short header cells and the
rows beneath it whose cells fall into the header's columns and hold a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from statistics import median

from docuflow.extraction.labels import column_roles, field_for_label
from docuflow.extraction.result import MONEY_FIELDS
from docuflow_tools.offline_ocr.layout import Box, Line, Word

HAS_LETTER = re.compile(r"[^\W\d_]")
NUMERIC = re.compile(r"^[-+(]?[$€£]?\s?[\d.,' ]+\d[)]?\s?(%|[A-Z]{3}|€|£|\$)?$")
# A quantity as printed in its column: a number, perhaps with its unit ("1.000 kWh", "28 Std").
_QUANTITY = re.compile(r"^[-+]?\d[\d.,' ]*(\s?[^\W\d_]{1,6}\.?)?$")
# A header cell without letters: a sign standing for its column ("#", "%", "№").
_SYMBOL_HEADER = re.compile(r"^[#%№°*]$")
_FIGURE_ROLES = frozenset({"quantity", "unit_price", "amount"})
_MAX_HEADER_WORDS = 6
_MAX_HEADER_LINES = 3
# Vertical distances in line heights.
_HEADER_LINE_GAP = 0.6  # between the lines of a header set over several lines
_END_GAP = 5.0  # this much blank space under a table ends it
_STAGGER = 0.8  # rows whose tops are this close are one row set unevenly
# A gap between two words wider than this (in line heights) may separate two columns.
_COLUMN_GAP = 0.5
# A wrapped line follows the previous one at the table's line spacing; allow this much more.
_WRAP_SLACK = 1.3
_WRAP_MIN = 1.5  # ... and at least this many line heights (OCR boxes vary with the glyphs)


@dataclass(frozen=True)
class Column:
    """A header cell: its lines (one or more, top to bottom) and the role they name."""

    lines: tuple[Line, ...]
    role: str | None = None

    @cached_property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for line in self.lines for w in line.words)

    @cached_property
    def box(self) -> Box:
        return Box.union([line.box for line in self.lines])

    @cached_property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Table:
    """A header row and the rows under it, as words per cell."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[tuple[Word, ...], ...], ...]  # rows x columns x words

    def words(self) -> Iterator[Word]:
        for column in self.columns:
            yield from column.words
        for row in self.rows:
            for cell in row:
                yield from cell


def find_tables(lines: Sequence[Line], *, aspect: float) -> list[Table]:
    """Every table on the page, top to bottom (see the module docstring).

    `aspect` is the page's height / width, so gaps across the page (fractions of its
    width) can be compared with line heights (fractions of its height).
    """
    rows = _merge_staggered(_rows(lines))
    tables: list[Table] = []
    index = 0
    while index < len(rows):
        header = _item_header(rows, index, aspect)
        if header is not None:
            columns, body = header
            items, end = _read_items(rows, body, columns, aspect)
            if items is not None:
                tables.append(items)
                index = end
                continue
        grid = _read_grid(rows, index)
        if grid is not None:
            tables.append(grid[0])
            index = grid[1]
            continue
        index += 1
    return tables


# -- rows ---------------------------------------------------------------------------------


def _rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines side by side on the page, top to bottom, each row left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: (line.box.top, line.box.left)):
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


def _merge_staggered(rows: list[list[Line]]) -> list[list[Line]]:
    """Rows whose tops are closer than most of a line height are one row set a little
    unevenly (a two-line description cell starting above the figures beside it)."""
    merged: list[list[Line]] = []
    for row in rows:
        if merged:
            previous = merged[-1]
            height = min(line.box.height for line in (*previous, *row))
            top_gap = min(line.box.top for line in row) - max(line.box.top for line in previous)
            if top_gap < _STAGGER * height:
                previous.extend(row)
                previous.sort(key=lambda line: line.box.left)
                continue
        merged.append(list(row))
    return merged


def _top(row: Sequence[Line]) -> float:
    return min(line.box.top for line in row)


def _bottom(row: Sequence[Line]) -> float:
    return max(line.box.bottom for line in row)


def _height(lines: Sequence[Line]) -> float:
    return median(line.box.height for line in lines)


# -- line-item tables ---------------------------------------------------------------------


def _header_cell(line: Line) -> bool:
    return (
        len(line.words) <= _MAX_HEADER_WORDS
        and (
            HAS_LETTER.search(line.text) is not None or _SYMBOL_HEADER.match(line.text) is not None
        )
        and not NUMERIC.match(line.text)
        and not line.text.endswith(":")
    )


def _item_header(
    rows: list[list[Line]], index: int, aspect: float
) -> tuple[list[Column], int] | None:
    """The columns of a line-item header starting at `rows[index]` (over up to three
    tight lines) and the index of the first body row; None if the row is not one."""
    first = rows[index]
    if len(first) < 2 or not all(_header_cell(line) for line in first):
        return None
    band = [first]
    height = _height(first)
    cursor = index + 1
    while (
        cursor < len(rows)
        and len(band) < _MAX_HEADER_LINES
        and all(_header_cell(line) for line in rows[cursor])
        and _top(rows[cursor]) - _bottom(band[-1]) < _HEADER_LINE_GAP * height
    ):
        band.append(rows[cursor])
        cursor += 1
    # A header set over several lines first; failing that, its first line alone.
    for size in sorted({len(band), 1}, reverse=True):
        columns = _header_columns(
            [cell for row in band[:size] for line in row for cell in _cut(line, aspect)]
        )
        if columns is not None:
            return columns, index + size
    return None


def _cut(line: Line, aspect: float) -> list[Line]:
    """The line cut where a clear gap separates two header labels ("VAT %   Line Amount"
    set close enough to be read as one line)."""
    gap_needed = _COLUMN_GAP * line.box.height * aspect
    cells: list[list[Word]] = [[line.words[0]]]
    for previous, word in zip(line.words, line.words[1:], strict=False):
        if word.box.left - previous.box.right >= gap_needed:
            cells.append([])
        cells[-1].append(word)
    return [Line(tuple(cell)) for cell in cells] if len(cells) > 1 else [line]


def _header_columns(lines: list[Line]) -> list[Column] | None:
    """Header lines standing over one another form one column; the columns' roles must
    name a line-item table (as the parser's forms reader requires)."""
    groups: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: line.box.left):
        for group in groups:
            box = Box.union([member.box for member in group])
            if min(box.right, line.box.right) - max(box.left, line.box.left) > 0:
                group.append(line)
                break
        else:
            groups.append([line])
    if len(groups) < 2:
        return None
    unnamed = [
        Column(tuple(sorted(group, key=lambda line: line.box.top)))
        for group in sorted(groups, key=lambda group: min(line.box.left for line in group))
    ]
    roles = column_roles([column.text for column in unnamed])
    columns = [Column(column.lines, role) for column, role in zip(unnamed, roles, strict=True)]
    taken = {role for role in roles if role is not None}
    if ("description" in taken and len(taken) >= 2) or {"quantity", "amount"} <= taken:
        return columns
    return None


@dataclass(frozen=True)
class _Piece:
    """Words of one line that stand under one column."""

    words: tuple[Word, ...]
    column: int

    @cached_property
    def box(self) -> Box:
        return Box.union([w.box for w in self.words])

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class _Item:
    cells: list[list[_Piece]]
    # Per column: the top of the cell's last line, which a wrapped line may follow (None
    # once the cell is complete).
    reach: list[float | None]


class _Grid:
    """The header's columns as x-ranges, and which column a word or piece stands under."""

    def __init__(self, columns: list[Column], aspect: float) -> None:
        self.columns = columns
        self.aspect = aspect
        boxes = [column.box for column in columns]
        self.bounds = [
            (boxes[i - 1].right + box.left) / 2 if i else float("-inf")
            for i, box in enumerate(boxes)
        ]

    def column_of(self, box: Box) -> int:
        overlaps = [
            min(box.right, column.box.right) - max(box.left, column.box.left)
            for column in self.columns
        ]
        best = max(range(len(overlaps)), key=overlaps.__getitem__)
        if overlaps[best] > 0:
            return best
        center = box.left + box.width / 2
        return max(i for i, bound in enumerate(self.bounds) if bound <= center)

    def pieces(self, row: Sequence[Line]) -> list[_Piece]:
        """The row's lines cut where a clear gap separates text under different columns
        ("4260331811362 (GLN)" under References, "1250032 D. Muster" under Description)."""
        pieces: list[_Piece] = []
        for line in row:
            gap_needed = _COLUMN_GAP * line.box.height * self.aspect
            chunks: list[list[Word]] = [[line.words[0]]]
            for previous, word in zip(line.words, line.words[1:], strict=False):
                if word.box.left - previous.box.right >= gap_needed:
                    chunks.append([])
                chunks[-1].append(word)
            line_pieces = [self._piece(chunk) for chunk in chunks]
            merged = [line_pieces[0]]
            for piece in line_pieces[1:]:
                if piece.column == merged[-1].column:
                    merged[-1] = self._piece([*merged[-1].words, *piece.words])
                else:
                    merged.append(piece)
            pieces.extend(merged)
        return pieces

    def _piece(self, words: list[Word]) -> _Piece:
        return _Piece(tuple(words), self.column_of(Box.union([w.box for w in words])))

    def spanned(self, piece: _Piece) -> int:
        """How many columns' headers the piece runs under."""
        return sum(
            1
            for column in self.columns
            if min(piece.box.right, column.box.right) > max(piece.box.left, column.box.left)
        )


def _anchor_column(columns: list[Column]) -> int:
    """The column whose figure marks an item's row: the amount, else the rightmost price
    or quantity column."""
    roles = [column.role for column in columns]
    if "amount" in roles:
        return roles.index("amount")
    return max(i for i, role in enumerate(roles) if role in _FIGURE_ROLES)


def _is_figure(piece: _Piece, role: str | None) -> bool:
    if role == "quantity":
        return _QUANTITY.match(piece.text) is not None
    return NUMERIC.match(piece.text) is not None


def _is_totals_label(text: str) -> bool:
    label = " ".join(word for word in text.split() if not NUMERIC.match(word))
    return bool(label) and field_for_label(label)[0] in MONEY_FIELDS


def _is_totals_row(by_column: list[list[_Piece]], roles: list[str | None], anchor: int) -> bool:
    """A row labelled as a subtotal, tax or total that counts nothing: an item's own notes
    ("(Net): 60,00" under its unit price) stand beside its quantity."""
    counted = "quantity" in roles and any(
        _is_figure(piece, "quantity") for piece in by_column[roles.index("quantity")]
    )
    return not counted and any(
        _is_totals_label(piece.text)
        for column, cell in enumerate(by_column)
        if column != anchor
        for piece in cell
    )


def _read_items(
    rows: list[list[Line]], start: int, columns: list[Column], aspect: float
) -> tuple[Table | None, int]:
    """The items under a line-item header (rows from `start`); returns the table (None
    without items) and the index of the row where it ended."""
    grid = _Grid(columns, aspect)
    roles = [column.role for column in columns]
    anchor = _anchor_column(columns)
    body_lines = [line for row in rows[start:] for line in row]
    if not body_lines:
        return None, start
    height = _height([line for row in rows[start - 1 : start] for line in row] + body_lines[:20])
    wrap = max(_WRAP_MIN * height, _WRAP_SLACK * _line_spacing(rows, start, height))
    items: list[_Item] = []
    previous_bottom = _bottom(rows[start - 1])
    cursor = start
    while cursor < len(rows):
        row = rows[cursor]
        if _top(row) - previous_bottom > _END_GAP * height or _item_header(rows, cursor, aspect):
            break
        if _grid_header(row):
            break
        pieces = grid.pieces(row)
        by_column: list[list[_Piece]] = [[] for _ in columns]
        for piece in pieces:
            by_column[piece.column].append(piece)
        _one_figure_per_column(by_column, columns)
        if _is_totals_row(by_column, roles, anchor):
            break
        if _is_item_row(by_column, roles, anchor):
            row_top = min(p.box.top for p in pieces)
            items.append(
                _Item(
                    [list(cell) for cell in by_column],
                    [max((p.box.top for p in cell), default=row_top) for cell in by_column],
                )
            )
        elif any(grid.spanned(p) >= 3 for p in pieces):
            break  # a sentence running across the table: not part of it
        elif items:
            _continue_item(items[-1], by_column, roles, wrap)
        previous_bottom = _bottom(row)
        cursor += 1
    if not items:
        return None, start
    table = Table(
        tuple(columns),
        tuple(
            tuple(
                tuple(w for piece in sorted(cell, key=lambda p: p.box.top) for w in piece.words)
                for cell in item.cells
            )
            for item in items
        ),
    )
    return table, cursor


def _one_figure_per_column(by_column: list[list[_Piece]], columns: list[Column]) -> None:
    """A figure column holds one figure per row: the one set under its header's right
    edge, as figures are aligned. Another figure beside it belongs to a column the header
    does not set apart ("VAT %  Line Amount" printed as one label over "19" and "573.00")."""
    for column, cell in zip(columns, by_column, strict=True):
        if column.role not in _FIGURE_ROLES:
            continue
        figures = [piece for piece in cell if _is_figure(piece, column.role)]
        if len(figures) < 2:
            continue
        keep = min(figures, key=lambda p: (abs(p.box.right - column.box.right), p.box.top))
        cell[:] = [piece for piece in cell if piece is keep or piece not in figures]


def _is_item_row(by_column: list[list[_Piece]], roles: list[str | None], anchor: int) -> bool:
    """A figure in the anchor column on a row that fills at least two columns. A figure
    elsewhere alone (a discount under the unit price) is a detail of the item above."""
    return sum(1 for cell in by_column if cell) >= 2 and any(
        _is_figure(p, roles[anchor]) for p in by_column[anchor]
    )


def _text_role(role: str | None) -> bool:
    return role not in _FIGURE_ROLES


def _continue_item(
    item: _Item, by_column: list[list[_Piece]], roles: list[str | None], wrap: float
) -> None:
    """Join a row's text to the item above where it continues a cell at the table's line
    spacing; a cell is complete once a larger step has passed under it. Figures are the
    item row's only."""
    row_top = min(p.box.top for pieces in by_column for p in pieces)
    for column, pieces in enumerate(by_column):
        reach = item.reach[column]
        if reach is None or not _text_role(roles[column]):
            continue
        top = min((p.box.top for p in pieces), default=row_top)
        if top - reach > wrap:
            item.reach[column] = None
        elif pieces:
            item.cells[column].extend(pieces)
            item.reach[column] = max(p.box.top for p in pieces)


def _line_spacing(rows: list[list[Line]], start: int, height: float) -> float:
    """The table's single line spacing: the smallest step from one row to the next (at
    least most of a line height, so unevenly set pieces of one row do not count)."""
    steps = [
        _top(rows[i + 1]) - _top(rows[i])
        for i in range(start, min(len(rows) - 1, start + 60))
        if _top(rows[i + 1]) - _top(rows[i]) >= _STAGGER * height
    ]
    return min(steps, default=1.2 * height)


# -- other grids --------------------------------------------------------------------------


def _grid_header(row: Sequence[Line]) -> bool:
    return len(row) >= 3 and all(
        len(line.words) <= 4 and HAS_LETTER.search(line.text) and not NUMERIC.match(line.text)
        for line in row
    )


def _read_grid(rows: list[list[Line]], index: int) -> tuple[Table, int] | None:
    """A grid under a header row of short cells (see the module docstring)."""
    header = rows[index]
    if not _grid_header(header):
        return None
    bounds = _column_bounds(header)
    body: list[tuple[tuple[Word, ...], ...]] = []
    previous_bottom = _bottom(header)
    height = max(line.box.height for line in header)
    cursor = index + 1
    while cursor < len(rows):
        row = rows[cursor]
        cells = _assign(row, bounds)
        if cells is None or _top(row) - previous_bottom > 2.5 * height:
            break
        filled = sum(1 for cell in cells if cell)
        numeric = sum(1 for cell in cells[1:] if cell and all(NUMERIC.match(c.text) for c in cell))
        if filled < 2 or numeric < 1:
            break
        body.append(tuple(tuple(w for line in cell for w in line.words) for cell in cells))
        previous_bottom = _bottom(row)
        cursor += 1
    if not body:
        return None
    columns = tuple(Column((line,)) for line in header)
    return Table(columns, tuple(body)), cursor


def _column_bounds(header: Sequence[Line]) -> list[tuple[float, float]]:
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


def _assign(row: Sequence[Line], bounds: list[tuple[float, float]]) -> list[list[Line]] | None:
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
    return cells
