"""Words with positions, grouped into lines the way Textract groups them.

Both readers (the PDF text layer and Tesseract) produce `Word`s; `group_lines` turns them
into `Line`s: words on the same row, split where a wide gap separates two columns (Textract
reports "Invoice No:   12345" across a wide gap as two LINE blocks, not one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from statistics import median


@dataclass(frozen=True)
class Box:
    """Left, top, width, height as fractions of the page."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def middle(self) -> float:
        return self.top + self.height / 2

    @staticmethod
    def union(boxes: list[Box]) -> Box:
        left = min(b.left for b in boxes)
        top = min(b.top for b in boxes)
        right = max(b.right for b in boxes)
        bottom = max(b.bottom for b in boxes)
        return Box(left, top, right - left, bottom - top)


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    confidence: float
    box: Box


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    # Cached: the layout rules compare every line with its neighbours, so a box recomputed
    # from the words on each look made reading a page quadratic in its words.
    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @cached_property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words)

    @cached_property
    def box(self) -> Box:
        return Box.union([w.box for w in self.words])


@dataclass(frozen=True)
class PageText:
    """One page's words and how they were read."""

    page: int
    width: float
    height: float
    words: tuple[Word, ...]
    method: str  # "text_layer" or "tesseract"
    rotation: int = 0
    skipped_chars: int = 0  # text-layer characters set at an angle (stamps), not read


# A gap wider than this many line heights starts a new LINE (a column break).
COLUMN_GAP = 1.6


def group_lines(words: list[Word], *, aspect: float) -> list[Line]:
    """Words of one page -> lines in reading order (top to bottom, then left to right).

    `aspect` is the page's height / width, so horizontal gaps (fractions of the width) and
    word heights (fractions of the height) can be compared.
    """
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.top, w.box.left)):
        placed = False
        for row in reversed(rows[-4:]):
            anchor = row[0].box
            overlap = min(anchor.bottom, word.box.bottom) - max(anchor.top, word.box.top)
            if overlap > 0.5 * min(anchor.height, word.box.height):
                row.append(word)
                placed = True
                break
        if not placed:
            rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.box.left)
        height = median(w.box.height for w in row) * aspect  # in fractions of the width
        current = [row[0]]
        for word in row[1:]:
            gap = word.box.left - current[-1].box.right
            if gap > COLUMN_GAP * height:
                lines.append(Line(tuple(current)))
                current = [word]
            else:
                current.append(word)
        lines.append(Line(tuple(current)))
    return lines
