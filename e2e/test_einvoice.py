"""Structured e-invoices through the deployed stack: read from their own XML, never OCR'd.

Documents made by the suite itself: factur-x writes the XML (UBL and CII) and embeds it
in a PDF from the sample generator. The Textract stand-in's job list (by document
SHA-256) proves that no Textract analysis was started for them."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from docuflow_tools.samples import UNAMBIGUOUS, make_invoice
from e2e.client import Api, Control
from tests.einvoice_samples import Syntax, hybrid_of, invoice_data, make_xml

PROCESSING_TIMEOUT = 180


def _textract_jobs_for(control: Control, data: bytes) -> list[dict[str, object]]:
    digest = hashlib.sha256(data).hexdigest()
    return [job for job in control.textract()["jobs"] if job["sha256"] == digest]


@pytest.mark.parametrize(
    ("syntax", "content_type"), [("ubl", "application/xml"), ("cii", "text/xml")]
)
def test_an_xml_e_invoice_completes_without_a_textract_call(
    api: Api, control: Control, syntax: Syntax, content_type: str
) -> None:
    # Given an e-invoice nobody has uploaded before
    data = make_xml(syntax, invoice_data(BT_1=f"E2E-{uuid.uuid4().hex[:10]}"))
    # When a clerk uploads the XML
    job_id = api.upload(data, f"invoice.{syntax}.xml", content_type)
    # Then it completes with the XML's values, read exactly, and Textract never saw it
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "COMPLETED", job
    assert job["read_from"] == "einvoice"
    result = api.result(job_id)
    total = result["fields"]["total_amount"]
    assert (total["value"], total["source"], total["confidence"]) == ("1469.55", "einvoice", 100)
    assert total["xml_path"].endswith(("GrandTotalAmount", "TaxInclusiveAmount"))
    assert result["einvoice"]["label"].startswith("E-invoice (")
    assert len(result["line_items"]) == 3
    assert _textract_jobs_for(control, data) == []
    events = [record["event"] for record in api.audit(job_id)]
    assert "einvoice_read" in events and "ocr_started" not in events


def test_a_hybrid_pdf_is_read_from_its_xml_without_a_textract_call(
    api: Api, control: Control
) -> None:
    invoice = make_invoice(int(uuid.uuid4().int % 2**31), **UNAMBIGUOUS)
    data = hybrid_of(invoice)
    job_id = api.upload(data, "factur-x.pdf", "application/pdf")
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "COMPLETED", job
    result = api.result(job_id)
    assert result["einvoice"]["attachment"] == "factur-x.xml"
    assert result["fields"]["invoice_number"]["value"] == invoice.invoice_number
    assert _textract_jobs_for(control, data) == []


def test_a_hostile_xml_upload_fails_with_a_reason(api: Api) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    job_id = api.upload(bomb, "bomb.xml", "application/xml")
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "FAILED", job
    assert job["failure_reason"].startswith("The e-invoice XML was refused."), job
    assert "DTD" in job["failure_reason"]
