"""Third-party e-invoices read in place from ../shared/corpus (DOCUFLOW_SHARED_DIR):
every valid one matches INDEX.json's invoice number, issue date, currency and amount due,
every invalid one gives a result rather than a crash, and every hybrid PDF whose truth
came from its XML gives exactly that truth."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docuflow.extraction.checks import ScoringSettings
from docuflow.extraction.result import DocumentType
from docuflow_tools.extract import extract
from docuflow_tools.paths import shared_dir

CORPUS = shared_dir() / "corpus"
INDEX = CORPUS / "einvoice" / "INDEX.json"


def _index() -> list[dict[str, Any]]:
    if not INDEX.is_file():
        return []
    files: list[dict[str, Any]] = json.loads(INDEX.read_text(encoding="utf-8"))["files"]
    return files


def _hybrids() -> list[Path]:
    found = []
    for truth in sorted((CORPUS / "invoices").glob("*/*.truth.json")):
        if "issuer XML" in json.loads(truth.read_text(encoding="utf-8")).get("label_source", ""):
            found.append(truth)
    return found


ENTRIES = _index()
HYBRIDS = _hybrids()


def test_the_corpus_is_there() -> None:
    # Given the shared corpus beside the checkout, Then it holds what INDEX.json says
    assert INDEX.is_file(), f"no e-invoice corpus at {INDEX}; set DOCUFLOW_SHARED_DIR"
    assert len(ENTRIES) == json.loads(INDEX.read_text(encoding="utf-8"))["count"] > 400
    assert len(HYBRIDS) > 20


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if e["validity"] == "valid"], ids=lambda e: e["path"]
)
def test_a_valid_e_invoice_matches_its_index_entry(entry: dict[str, Any]) -> None:
    data = (CORPUS / "einvoice" / entry["path"]).read_bytes()
    result = extract(data, ScoringSettings())
    fields = {name: field.value for name, field in result.fields.items()}
    assert fields["invoice_number"] == entry["invoice_number"]
    # INDEX keeps xs:date as written (2015-04-24+01:00); DocuFlow stores the ISO date.
    assert fields["document_date"] == entry["issue_date"][:10]
    assert fields["currency"] == entry["currency"]
    # Credit notes carry negative amounts, as OCR'd credit notes do.
    sign = -1 if result.document_type is DocumentType.CREDIT_NOTE else 1
    assert Decimal(fields["amount_due"]) == sign * Decimal(entry["payable_amount"])
    assert len(result.line_items) <= entry["line_count"]
    assert result.einvoice is not None


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if e["validity"] == "invalid"], ids=lambda e: e["path"]
)
def test_an_invalid_e_invoice_gives_a_result_not_a_crash(entry: dict[str, Any]) -> None:
    data = (CORPUS / "einvoice" / entry["path"]).read_bytes()
    result = extract(data, ScoringSettings())
    assert result.einvoice is not None
    for reason in result.routing.reasons:
        assert reason.message


def test_most_invalid_e_invoices_are_sent_to_review() -> None:
    # The rules DocuFlow checks catch what EN 16931 and XRechnung say is wrong; national
    # rules (Dutch SI-UBL, Singapore, Turkey) it does not check are the ones left.
    invalid = [e for e in ENTRIES if e["validity"] == "invalid"]
    routed = [
        extract((CORPUS / "einvoice" / e["path"]).read_bytes(), ScoringSettings()).routing.status
        for e in invalid
    ]
    assert routed.count("NEEDS_REVIEW") >= 30, routed


@pytest.mark.parametrize("truth_path", HYBRIDS, ids=lambda p: p.name)
def test_a_hybrid_pdf_gives_the_truth_of_its_xml(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pdf = truth_path.with_name(truth["document"]) if truth.get("document") else None
    if pdf is None or not pdf.is_file():
        pdf = truth_path.with_name(truth_path.name.removesuffix(".truth.json") + ".pdf")
    result = extract(pdf.read_bytes(), ScoringSettings())
    assert result.einvoice is not None and result.einvoice.attachment
    fields = {name: field.value for name, field in result.fields.items()}
    assert {name: fields.get(name) for name in truth["fields"]} == truth["fields"]
    assert result.checks["pdf_matches_xml"].status == "pass"
