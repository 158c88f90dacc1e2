"""Page images made ready for Tesseract (`offline_ocr.preprocess`): specks out, low
resolutions up to 300 dpi, and a degraded 150-dpi scan read better for it (real Tesseract)."""

from __future__ import annotations

import io
import random
from collections import Counter

import pytest
from PIL import Image, ImageChops, ImageDraw

from docuflow_tools.evaluation.scans import ScanSettings, degrade_image
from docuflow_tools.offline_ocr import tesseract
from docuflow_tools.offline_ocr.preprocess import despeckle, prepare_page, upscale_factor
from docuflow_tools.samples import layout_invoice, make_invoice, render_image

A4_300 = (2480, 3508)
A4_150 = (1240, 1754)


def test_isolated_specks_go_and_strokes_stay() -> None:
    page = Image.new("L", (60, 40), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(5, 20), (50, 20)], fill=0)  # a one-pixel stroke
    draw.rectangle([(40, 5), (41, 6)], fill=0)  # a 2x2 dot (an i's dot, a full stop)
    for speck in [(10, 5), (30, 33), (55, 35)]:
        page.putpixel(speck, 0)
    page.putpixel((20, 8), 0)  # a pair of dark pixels side by side is still dust
    page.putpixel((21, 8), 0)

    cleaned = despeckle(page)

    for speck in [(10, 5), (30, 33), (55, 35), (20, 8), (21, 8)]:
        assert cleaned.getpixel(speck) == 255, speck
    assert all(cleaned.getpixel((x, 20)) == 0 for x in range(6, 50))
    assert all(cleaned.getpixel(p) == 0 for p in [(40, 5), (41, 5), (40, 6), (41, 6)])


def test_a_clean_page_is_left_as_it_is() -> None:
    page = Image.new("L", (80, 40), 255)
    ImageDraw.Draw(page).rectangle([(10, 10), (30, 25)], fill=90)
    assert ImageChops.difference(despeckle(page), page).getbbox() is None


@pytest.mark.parametrize(
    ("size", "declared", "factor"),
    [
        (A4_150, 150.0, 2.0),  # a 150-dpi scan that says so
        (A4_150, None, 2.0),  # the same without a dpi: estimated from an A4 page's pixels
        ((1700, 2200), 200.0, 1.5),  # Letter at 200 dpi
        (A4_300, 300.0, 1.0),
        (A4_300, 72.0, 1.0),  # a 300-dpi scan labelled 72 dpi (a 48-inch page): not believed
        ((2000, 2800), 240.0, 1.25),
        ((300, 200), None, 4.0),  # a thumbnail: at most four times
    ],
)
def test_pages_below_250_dpi_are_brought_to_300(
    size: tuple[int, int], declared: float | None, factor: float
) -> None:
    assert upscale_factor(size, declared) == pytest.approx(factor, rel=0.01)


def test_prepare_page_upscales_by_the_declared_dpi_and_keeps_a_300_dpi_page() -> None:
    low = Image.new("L", A4_150, 255)
    low.info["dpi"] = (150, 150)
    assert prepare_page(low).size == A4_300
    high = Image.new("RGB", A4_300, "white")
    high.info["dpi"] = (300, 300)
    prepared = prepare_page(high)
    assert prepared.size == A4_300 and prepared.mode == "L"


def test_a_speckled_150_dpi_scan_reads_more_of_its_words_when_prepared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cap = tesseract.require()
    invoice = make_invoice(11, language="de", n_items=4)
    printed = Counter(
        word.text
        for line in layout_invoice(invoice).printed()
        if line.page == 1
        for word in line.words
        if len(word.text) >= 2
    )
    clean = Image.open(io.BytesIO(render_image(invoice, "png", dpi=150))).convert("L")
    settings = ScanSettings(dpi=150, tilt=0.4, jpeg_quality=40, pages=(0,))
    scan = degrade_image(clean, settings, random.Random(7))
    scan.info["dpi"] = (150, 150)

    def recall(read: Counter[str]) -> float:
        return sum((printed & read).values()) / sum(printed.values())

    def read() -> Counter[str]:
        return Counter(word.text for word in tesseract.recognize(scan, 1, cap=cap)[0])

    prepared = recall(read())
    monkeypatch.setattr(tesseract, "prepare_page", lambda page: page.convert("L"))
    raw = recall(read())
    assert prepared > raw + 0.05, (raw, prepared)
