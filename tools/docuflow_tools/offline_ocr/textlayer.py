"""Reading a born-digital PDF's text layer with pdfplumber (MIT): exact words and positions."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from docuflow.domain.errors import OcrFailed
from docuflow_tools.offline_ocr.layout import Box, PageText, Word

# Words from the text layer are what the PDF says, not a recognition: Textract reports
# near-certain confidences for such text, and so do we.
TEXT_LAYER_CONFIDENCE = 99.5
# A page whose characters are mostly unmapped glyph codes ("(cid:12)") has no usable text.
_MAX_UNMAPPED_SHARE = 0.3
_DECORATION_GLYPHS = frozenset(".\u2026\u00b7-\u2013\u2014_")


def read_text_layer(data: bytes) -> list[PageText | None]:
    """Per page: its words, or None where the page has no usable text layer.

    A page is unusable (None) when it carries no text or is displayed rotated, so the
    caller reads it from its rendered image instead.
    """
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages: list[PageText | None] = []
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(_read_page(page, number))
            return pages
    except PdfminerException as exc:
        raise OcrFailed(f"The PDF could not be read: {_describe(exc)}") from exc


def _read_page(page: pdfplumber.page.Page, number: int) -> PageText | None:
    rotation = int(page.rotation or 0) % 360
    if rotation:
        return None
    chars = page.chars
    unmapped = sum(1 for c in chars if str(c.get("text", "")).startswith("(cid:"))
    if chars and unmapped > _MAX_UNMAPPED_SHARE * len(chars):
        # Glyphs without a Unicode mapping (a Type 3 or subset font with a custom
        # encoding): the text layer says nothing readable, so the page is read as an image.
        return None
    width, height = float(page.width), float(page.height)
    # Text set at an angle (a "PAID" stamp, a diagonal watermark) is not part of any line;
    # it is left out of the lines and counted, instead of being merged into the rows it
    # crosses.
    slanted = [c for c in chars if not _horizontal(c)]
    decoration = _decoration(chars)
    if slanted or decoration:
        page = page.filter(
            lambda obj: (
                obj.get("object_type") != "char"
                or (_horizontal(obj) and _char_key(obj) not in decoration)
            )
        )
    words: list[Word] = []
    for raw in page.extract_words(
        x_tolerance=1.5, keep_blank_chars=False, use_text_flow=False, extra_attrs=["upright"]
    ):
        text = str(raw["text"]).strip()
        if not text or not raw.get("upright", True):
            continue
        x0, x1 = max(0.0, float(raw["x0"])), min(width, float(raw["x1"]))
        top, bottom = max(0.0, float(raw["top"])), min(height, float(raw["bottom"]))
        if bottom <= top:
            continue
        if x1 - x0 < 0.2 * (bottom - top):
            # pdfminer knows no width for some glyphs of the standard fonts (the euro sign
            # in Helvetica among them): give such a word the width of a typical character.
            x1 = min(width, x0 + 0.55 * (bottom - top))
        box = Box(x0 / width, top / height, (x1 - x0) / width, (bottom - top) / height)
        words.append(Word(text, number, TEXT_LAYER_CONFIDENCE, box))
    if not words:
        return None
    return PageText(number, width, height, tuple(words), "text_layer", skipped_chars=len(slanted))


def _char_key(char: dict[str, Any]) -> tuple[float, float, str]:
    return (round(float(char["x0"]), 2), round(float(char["top"]), 2), str(char["text"]))


def _decoration(chars: list[dict[str, Any]]) -> set[tuple[float, float, str]]:
    """Dots, dashes and rules drawn over letters (leader dots behind a label, a strike
    line): they overlap the letters of their row, so they are drawing, not text."""
    letters: dict[int, list[tuple[float, float]]] = {}
    for char in chars:
        if str(char["text"]).isalnum():
            letters.setdefault(int(float(char["top"]) // 2), []).append(
                (float(char["x0"]), float(char["x1"]))
            )
    out: set[tuple[float, float, str]] = set()
    for char in chars:
        if str(char["text"]) not in _DECORATION_GLYPHS:
            continue
        x0, x1 = float(char["x0"]), float(char["x1"])
        width = max(x1 - x0, 0.01)
        bucket = int(float(char["top"]) // 2)
        for near in (bucket - 1, bucket, bucket + 1):
            if any(
                min(x1, right) - max(x0, left) > 0.4 * width
                for left, right in letters.get(near, ())
            ):
                out.add(_char_key(char))
                break
    return out


def _horizontal(char: dict[str, Any]) -> bool:
    matrix = char.get("matrix") or (1, 0, 0, 1, 0, 0)
    return abs(float(matrix[1])) < 1e-6 and abs(float(matrix[2])) < 1e-6


def _describe(exc: PdfminerException) -> str:
    cause = exc.args[0] if exc.args else None
    name = type(cause).__name__ if isinstance(cause, BaseException) else ""
    if "Password" in name or "Encrypt" in name:
        return "it is encrypted (password-protected)"
    text = str(cause or exc).strip()
    return text or "the file is damaged"
