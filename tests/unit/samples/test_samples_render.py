"""Rendering: the PDF's text layer says what the ground truth says, where the layout says."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image

from docuflow_tools.samples import (
    UNAMBIGUOUS,
    expense_recording,
    layout_invoice,
    make_invoice,
    render_image,
    render_pdf,
)
from docuflow_tools.samples.cli import add_arguments, run
from docuflow_tools.samples.conventions import format_money

# An invoice whose currency and dates cannot be misread (what the e2e suite uses).
E2E_LIKE = {
    "language": "en",
    "currency": "EUR",
    "currency_style": "symbol_before",
    "date_style": "day_month_name",
    "n_items": 3,
}


def _words(pdf: bytes, page: int = 0) -> list[dict[str, Any]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words: list[dict[str, Any]] = doc.pages[page].extract_words()
        return words


def test_pdf_text_layer_carries_the_printed_values() -> None:
    invoice = make_invoice(21, **E2E_LIKE)
    pdf = render_pdf(invoice)
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert invoice.invoice_number in text
    assert invoice.vendor.name in text
    assert format_money(invoice.total_amount, "EUR", "symbol_before", invoice.number_style) in text
    for item in invoice.items:
        assert item.description in text


def test_recorded_positions_match_the_text_layer() -> None:
    invoice = make_invoice(21, **E2E_LIKE)
    pdf = render_pdf(invoice)
    layout = layout_invoice(invoice)
    printed = next(p for p in layout.printed() if p.key == "invoice_number")
    words = _words(pdf)
    width, height = layout.width, layout.height
    match = next(w for w in words if w["text"] == invoice.invoice_number)
    assert match["x0"] / width == pytest.approx(printed.left, abs=0.003)
    assert match["top"] / height == pytest.approx(printed.top, abs=0.006)
    assert (match["x1"] - match["x0"]) / width == pytest.approx(printed.width, abs=0.003)


def test_many_line_items_flow_over_several_pages() -> None:
    invoice = make_invoice(4, n_items=70)
    pdf = render_pdf(invoice)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        last_page_text = doc.pages[-1].extract_text() or ""
        assert layout_invoice(invoice).pages == len(doc.pages)
    layout = layout_invoice(invoice)
    rows = [
        p
        for p in layout.printed()
        if p.key and p.key.startswith("item:") and p.key.endswith(":amount")
    ]
    assert len(rows) == 70
    assert {p.page for p in rows} >= {1, 2}
    total = format_money(
        invoice.total_amount, invoice.currency, invoice.currency_style, invoice.number_style
    )
    assert total in last_page_text


def test_expense_recording_is_textract_shaped_and_matches_the_truth() -> None:
    invoice = make_invoice(21, **E2E_LIKE)
    response = expense_recording(invoice)
    assert response["DocuflowGenerated"] is True
    assert response["JobStatus"] == "SUCCEEDED"
    assert response["DocumentMetadata"]["Pages"] == 1
    document = response["ExpenseDocuments"][0]
    by_type = {f["Type"]["Text"]: f for f in document["SummaryFields"]}
    assert by_type["INVOICE_RECEIPT_ID"]["ValueDetection"]["Text"] == invoice.invoice_number
    assert by_type["VENDOR_NAME"]["ValueDetection"]["Text"] == invoice.vendor.name
    total = by_type["TOTAL"]
    assert total["ValueDetection"]["Text"] == format_money(
        invoice.total_amount, "EUR", "symbol_before", invoice.number_style
    )
    assert total["Currency"]["Code"] == "EUR"
    assert total["LabelDetection"]["Text"].startswith(("Total", "Invoice Total"))
    for field in document["SummaryFields"]:
        assert 95 <= field["ValueDetection"]["Confidence"] <= 99.9
        box = field["ValueDetection"]["Geometry"]["BoundingBox"]
        assert 0 <= box["Left"] < 1 and 0 <= box["Top"] < 1
        assert box["Left"] + box["Width"] <= 1 and box["Top"] + box["Height"] <= 1
    items = document["LineItemGroups"][0]["LineItems"]
    assert len(items) == 3
    first = {
        f["Type"]["Text"]: f["ValueDetection"]["Text"] for f in items[0]["LineItemExpenseFields"]
    }
    assert first["ITEM"] == invoice.items[0].description
    blocks = document["Blocks"]
    assert {b["BlockType"] for b in blocks} == {"PAGE", "LINE", "WORD"}
    lines = [b["Text"] for b in blocks if b["BlockType"] == "LINE"]
    assert invoice.invoice_number in lines


def test_expense_recording_places_values_where_the_pdf_prints_them() -> None:
    invoice = make_invoice(8, **E2E_LIKE)
    response = expense_recording(invoice)
    field = next(
        f
        for f in response["ExpenseDocuments"][0]["SummaryFields"]
        if f["Type"]["Text"] == "INVOICE_RECEIPT_ID"
    )
    box = field["ValueDetection"]["Geometry"]["BoundingBox"]
    layout = layout_invoice(invoice)
    word = next(w for w in _words(render_pdf(invoice)) if w["text"] == invoice.invoice_number)
    assert box["Left"] == pytest.approx(word["x0"] / layout.width, abs=0.003)
    assert box["Top"] == pytest.approx(word["top"] / layout.height, abs=0.006)


@pytest.mark.parametrize(
    ("fmt", "magic"), [("png", b"\x89PNG"), ("jpeg", b"\xff\xd8\xff"), ("tiff", b"II*\x00")]
)
def test_images_in_each_format(fmt: str, magic: bytes) -> None:
    data = render_image(make_invoice(2, n_items=2), fmt, dpi=60)  # type: ignore[arg-type]
    assert data.startswith(magic)
    image = Image.open(io.BytesIO(data))
    assert image.width > 300


def test_tiff_keeps_every_page_and_png_refuses_several() -> None:
    invoice = make_invoice(4, n_items=70)
    image = Image.open(io.BytesIO(render_image(invoice, "tiff", dpi=40)))
    assert getattr(image, "n_frames", 1) == layout_invoice(invoice).pages
    with pytest.raises(ValueError, match="tiff"):
        render_image(invoice, "png", dpi=40)


def test_rotation_turns_the_page() -> None:
    invoice = make_invoice(2, n_items=2)
    upright = Image.open(io.BytesIO(render_image(invoice, "png", dpi=40)))
    turned = Image.open(io.BytesIO(render_image(invoice, "png", dpi=40, rotate=90)))
    assert (turned.width, turned.height) == (upright.height, upright.width)


def test_generate_command_writes_documents_with_truth_beside_them(tmp_path: Path) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([str(tmp_path), "-n", "10", "--dpi", "50", "--with-recordings"])
    assert run(args) == 0
    truths = sorted(tmp_path.glob("*.truth.json"))
    assert len(truths) == 10
    formats = set()
    for truth_path in truths:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        assert truth["schema"] == "docuflow-truth/1"
        assert truth["docuflow_generated"] is True
        assert (tmp_path / truth["document"]).is_file()
        formats.add(truth["conventions"]["format"])
    assert "pdf" in formats and len(formats) >= 2
    assert len(list(tmp_path.glob("*.expense.json"))) == 8


@pytest.mark.parametrize("seed", range(0, 60, 3))
def test_an_unambiguous_invoice_recording_is_completed_with_its_true_fields(seed: int) -> None:
    # The end-to-end suite relies on this: the ideal Textract response of an invoice that
    # nothing makes doubtful completes automatically, with the values printed on it.
    from docuflow.extraction import analyze
    from docuflow_tools.evaluation import same_value

    invoice = make_invoice(seed, **UNAMBIGUOUS)
    result = analyze(expense_recording(invoice))
    assert result.routing.status == "COMPLETED", result.routing.reasons
    truth = invoice.ground_truth_fields()
    for name in ("vendor_name", "invoice_number", "document_date", "total_amount", "currency"):
        assert same_value(name, truth[name], result.fields[name].value), name
    assert len(result.line_items) == len(invoice.items)
