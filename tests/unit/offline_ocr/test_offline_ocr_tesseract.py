"""What the engine makes of Tesseract's output: tilted scans set level, and the output cache
of `docuflow eval`. Tesseract's program is replaced by a recorded TSV answer here (the
engine tests run the real one)."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from docuflow_tools.offline_ocr import tesseract
from docuflow_tools.offline_ocr.layout import group_lines

SIZE = (2000, 2800)
CAP = tesseract.Capability(True, "/usr/bin/tesseract", ("eng",), (), "test")
HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def tsv(lines: list[list[str]], *, tilt_degrees: float) -> str:
    """Tesseract's TSV for `lines` of words printed on a page turned by `tilt_degrees`."""
    slope = math.tan(math.radians(tilt_degrees))
    rows = [HEADER]
    for number, words in enumerate(lines, start=1):
        x = 200
        for index, text in enumerate(words, start=1):
            width = 40 * len(text)
            top = round(400 + 120 * number + slope * x)
            rows.append(f"5\t1\t1\t1\t{number}\t{index}\t{x}\t{top}\t{width}\t40\t95.0\t{text}")
            x += width + (400 if index == 2 else 30)
    return "\n".join(rows) + "\n"


ANSWER = tsv(
    [
        ["Invoice", "No:", "4711", "for", "services"],
        ["Invoice", "Date:", "14", "March", "2025"],
        ["Total", "due:", "1,190.00", "EUR", "net"],
    ],
    tilt_degrees=1.5,
)


def fake_run(answers: list[str]) -> object:
    def run(cap: tesseract.Capability, args: list[str]) -> subprocess.CompletedProcess[str]:
        if args == ["--version"]:
            return subprocess.CompletedProcess(args, 0, "tesseract 5.3.0\n", "")
        answers.append(args[0])
        return subprocess.CompletedProcess(args, 0, ANSWER, "")

    return run


def test_a_tilted_scan_is_set_level_so_its_rows_stay_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tesseract, "_run", fake_run([]))
    words, turned = tesseract.recognize(Image.new("L", SIZE, 255), 1, cap=CAP)
    assert turned == 0
    lines = group_lines(words, aspect=SIZE[1] / SIZE[0])
    assert [line.text for line in lines] == [
        "Invoice No:",
        "4711 for services",
        "Invoice Date:",
        "14 March 2025",
        "Total due:",
        "1,190.00 EUR net",
    ]
    # Tilted by 1.5 degrees, a value lies half a line lower than its label across the
    # gap; set level, label and value stand at one height again.
    for label, value in zip(lines[::2], lines[1::2], strict=True):
        assert abs(label.box.top - value.box.top) < 0.1 * label.box.height


def test_the_eval_cache_answers_for_the_same_image_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(tesseract, "_run", fake_run(calls))
    monkeypatch.setattr(tesseract, "_cache", None)
    tesseract.use_cache(tesseract.OutputCache(tmp_path))
    blank, specked = Image.new("L", SIZE, 255), Image.new("L", SIZE, 255)
    specked.paste(0, (5, 5, 9, 9))  # a mark (a lone pixel is despeckled away)

    first, _ = tesseract.recognize(blank, 1, cap=CAP)
    again, _ = tesseract.recognize(blank, 1, cap=CAP)
    assert len(calls) == 1 and again == first
    tesseract.recognize(specked, 1, cap=CAP)
    assert len(calls) == 2
    assert len(list(tmp_path.rglob("*.tsv"))) == 2
