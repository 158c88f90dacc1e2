"""The offline OCR engine: text layer, Tesseract, structure, and a clear message for each error."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from docuflow.domain.errors import OcrFailed, UnsupportedDocument
from docuflow_tools.offline_ocr import analyze_document_bytes, capability, cli
from docuflow_tools.offline_ocr.engine import analyze
from docuflow_tools.paths import textract_fixtures_dir
from docuflow_tools.samples import layout_invoice, make_invoice, render_image, render_pdf

# Unambiguous content: a named-month date and an invoice number that is one clear token.
CLEAR = {
    "language": "en",
    "currency": "EUR",
    "currency_style": "code_after",
    "date_style": "iso",
    "n_items": 3,
}


def _by_type(response: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for b in response["Blocks"] if b["BlockType"] == kind]


def _text_of(response: dict[str, Any], block: dict[str, Any]) -> str:
    by_id = {b["Id"]: b for b in response["Blocks"]}
    ids = [
        i for rel in block.get("Relationships", []) if rel["Type"] == "CHILD" for i in rel["Ids"]
    ]
    return " ".join(by_id[i]["Text"] for i in ids)


def _pairs(response: dict[str, Any]) -> dict[str, str]:
    by_id = {b["Id"]: b for b in response["Blocks"]}
    out = {}
    for block in _by_type(response, "KEY_VALUE_SET"):
        if "KEY" in block["EntityTypes"]:
            value_id = next(r["Ids"][0] for r in block["Relationships"] if r["Type"] == "VALUE")
            out[_text_of(response, block)] = _text_of(response, by_id[value_id])
    return out


def _all_text(response: dict[str, Any]) -> str:
    return "\n".join(b["Text"] for b in _by_type(response, "LINE"))


# ------------------------------------------------------------------ text layer


def test_born_digital_pdf_is_read_from_its_text_layer_with_exact_positions() -> None:
    invoice = make_invoice(31, **CLEAR)
    response = analyze_document_bytes(render_pdf(invoice), content_type="application/pdf")
    assert response["DocumentMetadata"] == {"Pages": 1}
    assert response["DocuflowEngine"]["pages"][0]["method"] == "text_layer"
    words = {w["Text"]: w for w in _by_type(response, "WORD")}
    printed = next(p for p in layout_invoice(invoice).printed() if p.key == "invoice_number")
    word = words[invoice.invoice_number]
    assert word["Confidence"] >= 99
    box = word["Geometry"]["BoundingBox"]
    assert box["Left"] == pytest.approx(printed.left, abs=0.003)
    assert box["Top"] == pytest.approx(printed.top, abs=0.006)
    assert box["Width"] == pytest.approx(printed.width, abs=0.003)
    assert len(word["Geometry"]["Polygon"]) == 4
    for item in invoice.items:
        assert item.description in _all_text(response)


def test_lines_are_children_of_their_page_and_words_of_their_line() -> None:
    response = analyze_document_bytes(render_pdf(make_invoice(32, **CLEAR)))
    page = _by_type(response, "PAGE")[0]
    page_children = set(page["Relationships"][0]["Ids"])
    for line in _by_type(response, "LINE"):
        assert line["Id"] in page_children
        assert _text_of(response, line) == line["Text"]


def test_label_value_lines_become_key_value_pairs() -> None:
    invoice = make_invoice(33, **CLEAR, meta_style="aligned", label_variant=0)
    pairs = _pairs(analyze_document_bytes(render_pdf(invoice)))
    assert pairs["Invoice No:"] == invoice.invoice_number
    assert pairs["Invoice Date:"] == invoice.document_date.isoformat()


def test_line_item_rows_under_a_header_become_a_table() -> None:
    invoice = make_invoice(34, **CLEAR)
    response = analyze_document_bytes(render_pdf(invoice))
    tables = _by_type(response, "TABLE")
    assert len(tables) == 1
    cells = _by_type(response, "CELL")
    rows = {c["RowIndex"] for c in cells}
    assert len(rows) == 1 + len(invoice.items)
    header = [c for c in cells if c["RowIndex"] == 1]
    assert all(c["EntityTypes"] == ["COLUMN_HEADER"] for c in header)
    first_row = {c["ColumnIndex"]: _text_of(response, c) for c in cells if c["RowIndex"] == 2}
    assert first_row[1] == invoice.items[0].description


def test_multi_page_pdf_reports_every_page() -> None:
    invoice = make_invoice(35, **{**CLEAR, "n_items": 60})
    response = analyze_document_bytes(render_pdf(invoice))
    pages = layout_invoice(invoice).pages
    assert pages >= 2
    assert response["DocumentMetadata"]["Pages"] == pages
    assert {b["Page"] for b in _by_type(response, "LINE")} == set(range(1, pages + 1))
    assert invoice.items[-1].description in _all_text(response)


# ------------------------------------------------------------------ Tesseract


def test_png_is_recognized_by_tesseract_and_finds_the_invoice_number() -> None:
    invoice = make_invoice(36, **CLEAR)
    response = analyze_document_bytes(render_image(invoice, "png", dpi=150))
    assert response["DocuflowEngine"]["pages"][0]["method"] == "tesseract"
    assert invoice.invoice_number in _all_text(response)
    assert invoice.vendor.name.split()[0] in _all_text(response)


def test_a_page_turned_a_quarter_is_set_upright() -> None:
    invoice = make_invoice(37, **CLEAR)
    response = analyze_document_bytes(render_image(invoice, "jpeg", dpi=150, rotate=90))
    assert response["DocuflowEngine"]["pages"][0]["rotation"] in (90, 270)
    assert invoice.invoice_number in _all_text(response)


def test_multi_frame_tiff_gives_one_page_per_frame() -> None:
    invoice = make_invoice(38, **{**CLEAR, "n_items": 50})
    response = analyze_document_bytes(render_image(invoice, "tiff", dpi=120))
    assert response["DocumentMetadata"]["Pages"] == layout_invoice(invoice).pages == 2
    assert {b["Page"] for b in _by_type(response, "PAGE")} == {1, 2}


def test_scanned_pdf_without_a_text_layer_goes_through_tesseract() -> None:
    invoice = make_invoice(39, **CLEAR)
    picture = Image.open(io.BytesIO(render_image(invoice, "png", dpi=150)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    response = analyze_document_bytes(buffer.getvalue())
    assert response["DocuflowEngine"]["pages"][0]["method"] == "tesseract"
    assert invoice.invoice_number in _all_text(response)


def test_pdf_page_displayed_turned_is_read_upright() -> None:
    # Given a born-digital page shown with /Rotate 90 (its text layer reads sideways)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setPageRotation(90)
    pdf.setFont("Helvetica", 14)
    for row, text in enumerate(
        ["Invoice No: RX-48213", "Total: 1,190.00 EUR", "Thank you for your business"]
    ):
        pdf.drawString(72, 500 - 24 * row, text)
    pdf.showPage()
    pdf.save()
    # When the engine reads it, Then it renders the page and Tesseract reads it upright
    response = analyze_document_bytes(buffer.getvalue())
    page = response["DocuflowEngine"]["pages"][0]
    assert page["method"] == "tesseract"
    assert "Invoice No: RX-48213" in _all_text(response).splitlines()


# ------------------------------------------------------------------ errors


def _pdf(draw: bool = True, encrypt: str | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if draw:
        pdf.drawString(100, 700, "Invoice No: 12345")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_empty_file_is_refused() -> None:
    with pytest.raises(OcrFailed, match="empty"):
        analyze_document_bytes(b"")


def test_unknown_content_is_unsupported() -> None:
    with pytest.raises(UnsupportedDocument, match="Not a PDF"):
        analyze_document_bytes(b"PK\x03\x04 this is a zip file", content_type="application/pdf")


def test_corrupt_pdf_is_a_clear_error() -> None:
    damaged = _pdf()[:300]
    with pytest.raises(OcrFailed, match="damaged"):
        analyze_document_bytes(damaged)


def test_encrypted_pdf_is_a_clear_error() -> None:
    with pytest.raises(OcrFailed, match="encrypted"):
        analyze_document_bytes(_pdf(encrypt="secret"))


def test_pdf_without_any_text_is_a_clear_error() -> None:
    with pytest.raises(OcrFailed, match="No text found"):
        analyze_document_bytes(_pdf(draw=False))


def test_blank_image_is_a_clear_error() -> None:
    buffer = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(buffer, format="PNG")
    with pytest.raises(OcrFailed, match="No text found"):
        analyze_document_bytes(buffer.getvalue())


def test_corrupt_image_is_a_clear_error() -> None:
    with pytest.raises(OcrFailed, match="damaged"):
        analyze_document_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20)


def test_missing_tesseract_is_reported_with_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    found = capability()
    assert not found.available
    assert "apt-get install tesseract-ocr" in found.message
    png = render_image(make_invoice(40, **CLEAR), "png", dpi=40)
    with pytest.raises(OcrFailed, match="not installed"):
        analyze_document_bytes(png)
    # The text layer needs no Tesseract.
    assert analyze_document_bytes(render_pdf(make_invoice(40, **CLEAR)))["Blocks"]


def test_tesseract_is_installed_here_with_the_four_languages() -> None:
    found = capability()
    assert found.available, found.message
    assert found.missing_languages == ()


# ------------------------------------------------------------------ command line


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(argv))


def test_cli_prints_the_response(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "invoice.pdf"
    document.write_bytes(render_pdf(make_invoice(41, **CLEAR)))
    assert _run_cli([str(document), "--compact"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["JobStatus"] == "SUCCEEDED"


def test_cli_error_is_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "broken.pdf"
    document.write_bytes(_pdf()[:300])
    assert _run_cli([str(document)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err
    assert _run_cli([str(tmp_path / "missing.pdf")]) == 1


# ------------------------------------------------------------------ the stand-in's entry point


def test_expense_shape_carries_pairs_line_items_and_lines() -> None:
    invoice = make_invoice(42, **CLEAR, label_variant=0, meta_style="aligned", credit_note=False)
    response = analyze(render_pdf(invoice), "expense")
    assert response["JobStatus"] == "SUCCEEDED"
    document = response["ExpenseDocuments"][0]
    labels = {
        f["LabelDetection"]["Text"]: f["ValueDetection"]["Text"] for f in document["SummaryFields"]
    }
    assert labels["Invoice No:"] == invoice.invoice_number
    assert all(f["Type"]["Text"] == "OTHER" for f in document["SummaryFields"])
    items = document["LineItemGroups"][0]["LineItems"]
    assert len(items) == len(invoice.items)
    first = {
        f["Type"]["Text"]: f["ValueDetection"]["Text"] for f in items[0]["LineItemExpenseFields"]
    }
    assert first["ITEM"] == invoice.items[0].description
    assert {"PRICE", "QUANTITY", "EXPENSE_ROW"} <= set(first)
    assert {b["BlockType"] for b in document["Blocks"]} == {"PAGE", "LINE", "WORD"}


def test_both_shapes_parse_to_the_same_fields() -> None:
    from docuflow.extraction import analyze as parse

    pdf = render_pdf(make_invoice(43, **CLEAR))
    by_expense = parse(analyze(pdf, "expense"))
    by_document = parse(analyze(pdf, "document"))
    assert {k: v.value for k, v in by_expense.fields.items()} == {
        k: v.value for k, v in by_document.fields.items()
    }
    assert len(by_expense.line_items) == len(by_document.line_items) == 3


def test_unknown_api_is_refused() -> None:
    with pytest.raises(ValueError, match="expense or document"):
        analyze(b"%PDF-1.4", "receipts")  # type: ignore[arg-type]


# ------------------------------------------------------------------ against real Textract


def test_real_invoice_text_and_positions_agree_with_textract() -> None:
    # Given the shared sample invoice and Textract's own AnalyzeDocument response for it
    fixtures = textract_fixtures_dir()
    real = json.loads((fixtures / "analyze_document" / "sample-invoice.json").read_text())
    document = (fixtures / "documents" / "sample-invoice.pdf").read_bytes()
    # When the engine reads the PDF
    mine = analyze_document_bytes(document)

    # Then it finds the same words at the same places (as fractions of the page)
    def words(response: dict[str, Any]) -> dict[str, list[dict[str, float]]]:
        out: dict[str, list[dict[str, float]]] = {}
        for block in _by_type(response, "WORD"):
            out.setdefault(block["Text"], []).append(block["Geometry"]["BoundingBox"])
        return out

    theirs, ours = words(real), words(mine)
    unique = [
        text for text, boxes in theirs.items() if len(boxes) == 1 and len(ours.get(text, [])) == 1
    ]
    assert len(unique) >= 0.9 * len([t for t, b in theirs.items() if len(b) == 1])
    for text in unique:
        a, b = theirs[text][0], ours[text][0]
        assert abs(a["Left"] - b["Left"]) < 0.005, text
        assert abs(a["Top"] - b["Top"]) < 0.005, text
        assert abs(a["Width"] - b["Width"]) < 0.005, text
    # The diagonal "PAID" stamp is left out of the lines, and said so.
    assert mine["DocuflowEngine"]["pages"][0]["slanted_chars_skipped"] == 4
    # And the parser reads the invoice from it
    from docuflow.extraction import analyze as parse

    result = parse(mine)
    assert result.fields["invoice_number"].value == "INV-3337"
    assert result.fields["total_amount"].value == "93.50"
    assert [item.amount for item in result.line_items] == ["85.00"]
