"""Hybrid PDFs (Factur-X): the XML inside is the invoice; the picture is checked against it.
Material made here: the sample generator's PDF with factur-x embedding CII XML."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject

from docuflow import einvoice
from docuflow.extraction.result import FieldSource
from docuflow_tools.cli import main
from docuflow_tools.samples import SyntheticInvoice, make_invoice, render_pdf
from tests.einvoice_samples import hybrid_of, make_xml


@pytest.fixture(scope="module")
def invoice() -> SyntheticInvoice:
    return make_invoice(3, language="de", currency="EUR", credit_note=False)


def test_a_hybrid_pdf_is_detected_and_read_from_its_xml(invoice: SyntheticInvoice) -> None:
    pdf = hybrid_of(invoice)
    detection = einvoice.detect(pdf)
    assert detection is not None
    assert (detection.container, detection.attachment) == ("pdf", "factur-x.xml")
    result = einvoice.analyze(pdf)
    assert result.fields["invoice_number"].value == invoice.invoice_number
    assert result.fields["total_amount"].value == f"{invoice.total_amount:.2f}"
    assert result.fields["total_amount"].source is FieldSource.EINVOICE
    assert result.pages >= 1
    assert result.einvoice is not None and result.einvoice.attachment == "factur-x.xml"
    assert result.checks["pdf_matches_xml"].status == "pass"
    assert result.routing.status == "COMPLETED", result.routing.reasons


def test_a_picture_that_disagrees_with_its_xml_goes_to_review(invoice: SyntheticInvoice) -> None:
    # Given a PDF that prints a total a cent higher than its (consistent) XML says
    shown = invoice.model_copy(update={"total_amount": invoice.total_amount + Decimal("0.01")})
    result = einvoice.analyze(hybrid_of(invoice, shown=shown))
    # Then the XML's values stand, and a person is told what the PDF shows
    assert result.fields["total_amount"].value == f"{invoice.total_amount:.2f}"
    reasons = [r for r in result.routing.reasons if r.code == "PDF_XML_MISMATCH"]
    assert len(reasons) == 1 and reasons[0].field == "total_amount"
    assert f"the XML says {invoice.total_amount:.2f}" in reasons[0].message
    assert "The PDF shows" in reasons[0].message
    assert result.checks["pdf_matches_xml"].status == "fail"
    assert [r.code for r in result.routing.reasons] == ["PDF_XML_MISMATCH"]


def test_a_picture_with_another_invoice_number_goes_to_review(invoice: SyntheticInvoice) -> None:
    shown = invoice.model_copy(update={"invoice_number": "X-99999"})
    result = einvoice.analyze(hybrid_of(invoice, shown=shown))
    assert {r.field for r in result.routing.reasons if r.code == "PDF_XML_MISMATCH"} == {
        "invoice_number"
    }


def test_a_plain_pdf_is_no_e_invoice(invoice: SyntheticInvoice) -> None:
    assert einvoice.detect(render_pdf(invoice)) is None


def _with_attachment(pdf: bytes, name: str, content: bytes) -> bytes:
    writer = PdfWriter(clone_from=BytesIO(pdf))
    writer.add_attachment(name, content)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_hostile_attachment_leaves_the_pdf_to_ocr(invoice: SyntheticInvoice) -> None:
    # Given a PDF whose factur-x.xml is an entity bomb: the picture is still a document
    hostile = _with_attachment(
        render_pdf(invoice), "factur-x.xml", b'<!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>'
    )
    assert einvoice.detect(hostile) is None


def test_an_xml_declared_only_through_af_is_found(invoice: SyntheticInvoice) -> None:
    # Given a PDF/A-3 whose invoice XML has another name but is associated with the document
    pdf = _with_attachment(render_pdf(invoice), "rechnung.xml", make_xml("ubl"))
    writer = PdfWriter(clone_from=BytesIO(pdf))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]  # type: ignore[index]
    spec = names[1].indirect_reference or writer._add_object(names[1])  # type: ignore[union-attr]
    writer.root_object[NameObject("/AF")] = ArrayObject([spec])
    out = BytesIO()
    writer.write(out)
    with_af = out.getvalue()
    assert einvoice.detect(pdf) is None  # by name alone it is no invoice
    detection = einvoice.detect(with_af)
    assert detection is not None and detection.attachment == "rechnung.xml"


def test_docuflow_extract_prints_the_pipeline_result(
    invoice: SyntheticInvoice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, xml = tmp_path / "hybrid.pdf", tmp_path / "invoice.xml"
    pdf.write_bytes(hybrid_of(invoice))
    xml.write_bytes(make_xml("ubl"))
    assert main(["extract", str(xml)]) == 0
    single = json.loads(capsys.readouterr().out)
    assert single["fields"]["invoice_number"]["source"] == "einvoice"
    assert single["einvoice"]["syntax"] == "UBL 2.1 Invoice"
    assert main(["extract", str(pdf), str(xml)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["fields"]["invoice_number"]["value"] for line in lines] == [
        invoice.invoice_number,
        "RE-2025-0042",
    ]


def test_docuflow_extract_ocr_only_reads_the_picture(
    invoice: SyntheticInvoice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "hybrid.pdf"
    pdf.write_bytes(hybrid_of(invoice))
    assert main(["extract", "--ocr-only", str(pdf)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result.get("einvoice") is None
    assert result["fields"]["invoice_number"]["source"] != "einvoice"
    assert result["fields"]["invoice_number"]["value"] == invoice.invoice_number


def test_docuflow_extract_names_a_refused_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bomb.xml"
    bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>')
    assert main(["extract", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bomb.xml" in err and "DTD" in err
