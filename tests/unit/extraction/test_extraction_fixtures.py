"""The recorded Textract responses give their real values (checked against the JSON)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docuflow.domain.errors import UnreadableResponse
from docuflow.extraction import analyze, invoice_key, parse_responses
from docuflow.extraction.result import DocumentType, ExtractionResult, FieldSource
from docuflow_tools.paths import textract_fixtures_dir

ALL_FIXTURES = sorted(
    str(path.relative_to(textract_fixtures_dir()))
    for path in textract_fixtures_dir().glob("*/*.json")
)


def test_the_fixture_set_is_there() -> None:
    # Given the shared fixtures, Then both folders hold responses (an empty glob would
    # make the parametrized test below vacuous).
    assert any(name.startswith("expense/") for name in ALL_FIXTURES)
    assert any(name.startswith("analyze_document/") for name in ALL_FIXTURES)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_parses_and_round_trips(
    name: str, load_fixture: Callable[[str], Any]
) -> None:
    result = analyze(load_fixture(name))
    # The result is the JSON contract: it must survive a dump and a re-validation.
    dumped = result.model_dump(mode="json")
    assert ExtractionResult.model_validate(json.loads(json.dumps(dumped))) == result
    for field in result.fields.values():
        assert 0 <= field.confidence <= 100
        assert field.page is None or 1 <= field.page <= max(result.pages, 1)
    if result.routing.status == "COMPLETED":
        assert all(check.status != "fail" for check in result.checks.values())


def test_sample_invoice_document_analysis(load_fixture: Callable[[str], Any]) -> None:
    result = analyze(load_fixture("analyze_document/sample-invoice.json"))
    values = {name: field.value for name, field in result.fields.items()}
    assert values["vendor_name"] == "DEMO - Sliced Invoices"
    assert values["invoice_number"] == "INV-3337"
    assert values["document_date"] == "2016-01-25"
    assert values["due_date"] == "2016-01-31"
    assert values["purchase_order"] == "12345"
    assert values["subtotal"] == "85.00"
    assert values["tax_amount"] == "8.50"
    assert values["total_amount"] == "93.50"
    assert values["amount_due"] == "93.50"
    assert "Test Business" not in values["vendor_address"]
    assert len(result.line_items) == 1
    item = result.line_items[0]
    assert (item.quantity, item.unit_price, item.amount) == ("1.00", "85.00", "85.00")
    assert item.description is not None and item.description.startswith("Web Design")
    assert item.source is FieldSource.TABLES
    assert result.document_type is DocumentType.INVOICE
    assert result.fields["invoice_number"].source is FieldSource.FORMS
    assert result.fields["invoice_number"].text == "INV-3337"
    assert result.fields["document_date"].text == "January 25, 2016"
    assert result.checks["totals_add_up"].status == "pass"
    assert result.checks["line_items_sum"].status == "pass"
    assert result.checks["due_not_before_issue"].status == "pass"
    # "$" alone does not say which dollar: the clerk is asked instead of a guess.
    assert "currency" not in result.fields
    assert result.checks["currency_known"].status == "fail"
    assert result.routing.status == "NEEDS_REVIEW"
    assert "CURRENCY_UNKNOWN" in [reason.code for reason in result.routing.reasons]
    # Every field Textract read is above the confidence threshold.
    assert not [
        reason
        for reason in result.routing.reasons
        if reason.code == "LOW_CONFIDENCE"
        and result.fields[str(reason.field)].source is not FieldSource.TEXT
    ]
    # The bill-to block ("To:") is kept as an other field, never as the vendor.
    assert any(other.key == "To" for other in result.other_fields)
    bbox = result.fields["total_amount"].bbox
    assert bbox is not None and 0 < bbox.left < 1 and 0 < bbox.top < 1


def test_two_page_expense_invoice_merges_into_one(load_fixture: Callable[[str], Any]) -> None:
    result = analyze(load_fixture("expense/invoice-2-page.json"))
    values = {name: field.value for name, field in result.fields.items()}
    assert values["invoice_number"] == "00000135"
    assert values["document_date"] == "2020-03-12"
    assert values["due_date"] == "2020-03-26"
    assert values["total_amount"] == "5715.00"
    assert values["vendor_name"] == "META"
    assert values["currency"] == "USD"  # Textract's Currency.Code on TOTAL
    assert values["purchase_order"] == "F0016"
    assert values["payment_terms"] == "14 days"
    assert result.pages == 2
    assert result.fields["due_date"].page == 2
    assert result.fields["due_date"].text == "Thursday, 26 March 2020"
    # Line items of both pages, 5 on page 1 and 3 on page 2, adding up to the total.
    assert [item.page for item in result.line_items] == [1] * 5 + [2] * 3
    assert result.checks["line_items_sum"].status == "pass"
    assert result.document_type is DocumentType.INVOICE
    # The receiver is never the vendor, nor one of its alternatives.
    vendor = result.fields["vendor_name"]
    assert "Abstractors" not in vendor.value
    assert all("Abstractors" not in alt.value for alt in vendor.alternatives)
    assert any(other.value == "Abstractors and Design Co." for other in result.other_fields)
    # META is read with 72% confidence at best: below the default threshold of 80.
    assert vendor.confidence == pytest.approx(72.0, abs=0.1)
    assert ("LOW_CONFIDENCE", "vendor_name") in [(r.code, r.field) for r in result.routing.reasons]
    assert result.routing.status == "NEEDS_REVIEW"
    assert invoice_key(result.fields) == "meta|00000135"


@pytest.mark.parametrize(
    ("name", "document_type"),
    [
        ("expense/receipt-costco.json", DocumentType.RECEIPT),
        ("expense/receipt-mega.json", DocumentType.RECEIPT),
        ("expense/receipt-no-summary.json", DocumentType.RECEIPT),
        ("analyze_document/receipt.json", DocumentType.RECEIPT),
        ("analyze_document/employment-application.json", DocumentType.OTHER),
        ("analyze_document/multipage-get-document-analysis.json", DocumentType.OTHER),
        ("analyze_document/sample-invoice.json", DocumentType.INVOICE),
        ("expense/invoice-2-page.json", DocumentType.INVOICE),
    ],
)
def test_document_type(
    name: str, document_type: DocumentType, load_fixture: Callable[[str], Any]
) -> None:
    result = analyze(load_fixture(name))
    assert result.document_type is document_type
    assert (result.checks["is_invoice"].status == "pass") is (document_type is DocumentType.INVOICE)


def test_receipt_date_in_usd_is_still_flagged_as_ambiguous(
    load_fixture: Callable[[str], Any],
) -> None:
    # 12/07/2019 could be 7 December or 12 July. Textract says the amounts are USD, but a
    # currency is no proof of how dates are printed: read month first, and say so.
    result = analyze(load_fixture("expense/receipt-mega.json"))
    assert result.fields["currency"].value == "USD"
    date = result.fields["document_date"]
    assert date.value == "2019-12-07"
    assert "2019-07-12" in {alt.value for alt in date.alternatives}
    assert ("DATE_AMBIGUOUS", "document_date") in {
        (reason.code, reason.field) for reason in result.routing.reasons
    }
    assert result.fields["subtotal"].value == "1699.96"
    assert result.fields["tax_amount"].value == "110.50"
    assert result.fields["total_amount"].value == "1810.46"
    assert {"MEGA MARKET PLUS", "MEGA BIGBOK"} == {
        result.fields["vendor_name"].value,
        *(alt.value for alt in result.fields["vendor_name"].alternatives),
    }
    assert [item.amount for item in result.line_items] == ["899.99", "689.99", "19.99", "89.99"]
    assert result.checks["line_items_sum"].status == "pass"


def test_costco_receipt(load_fixture: Callable[[str], Any]) -> None:
    result = analyze(load_fixture("expense/receipt-costco.json"))
    assert result.fields["total_amount"].value == "38.48"
    assert result.fields["subtotal"].value == "38.48"
    assert result.fields["tax_amount"].value == "0.00"
    assert [item.amount for item in result.line_items] == ["22.10", "5.99", "10.39"]
    assert result.checks["totals_add_up"].status == "pass"
    # "$38.48" with no Currency.Code: the shared dollar sign is flagged.
    assert result.checks["currency_known"].status == "fail"
    assert {"App#", "Merchant ID"} <= {other.key for other in result.other_fields}


def test_employment_application_keeps_every_pair_as_other_fields(
    load_fixture: Callable[[str], Any],
) -> None:
    result = analyze(load_fixture("analyze_document/employment-application.json"))
    others = {other.key: other.value for other in result.other_fields}
    assert others["Full Name"] == "Jane Doe"
    assert others["Phone Number"] == "555-0100"
    assert others["Home Address"] == "123 Any Street, Any Town, USA"
    # Textract offered no invoice field (what the text finder adds is its own business).
    assert {field.source for field in result.fields.values()} <= {FieldSource.TEXT}
    # A work-history table is not a line-item table.
    assert result.line_items == []
    assert result.routing.status == "NEEDS_REVIEW"


def test_missing_geometry_is_read_without_a_box(load_fixture: Callable[[str], Any]) -> None:
    result = analyze(load_fixture("expense/missing-geometry.json"))
    assert [(other.key, other.bbox) for other in result.other_fields] == [("City", None)]
    assert result.document_type is DocumentType.OTHER


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("analyze_document/job-failed.json", "FAILED"),
        ("analyze_document/job-in-progress.json", "IN_PROGRESS"),
    ],
)
def test_unfinished_jobs_give_a_warning_and_nothing_guessed(
    name: str, status: str, load_fixture: Callable[[str], Any]
) -> None:
    parsed = parse_responses([load_fixture(name)])
    assert parsed.fields == {}
    assert parsed.line_items == []
    assert parsed.pages == 0
    assert any(status in warning for warning in parsed.warnings)
    assert [hint.code for hint in parsed.review_hints] == ["OCR_NOT_SUCCEEDED"]
    result = analyze(load_fixture(name))
    assert result.routing.status == "NEEDS_REVIEW"
    assert "OCR_NOT_SUCCEEDED" in {reason.code for reason in result.routing.reasons}


def test_paginated_document_result_merges_like_one_response(
    load_fixture: Callable[[str], Any],
) -> None:
    # Given the sample invoice split into three Get* pages (blocks in order, relationships
    # crossing the split), When parsed as a paginated result, Then it reads the same.
    whole = load_fixture("analyze_document/sample-invoice.json")
    blocks = whole["Blocks"]
    parts = []
    for start in range(0, len(blocks), len(blocks) // 3 + 1):
        part = {key: value for key, value in whole.items() if key != "Blocks"}
        part["Blocks"] = blocks[start : start + len(blocks) // 3 + 1]
        part["JobStatus"] = "SUCCEEDED"
        part["NextToken"] = "token"
        parts.append(part)
    del parts[-1]["NextToken"]
    assert len(parts) == 3
    assert analyze(parts) == analyze(whole)


def test_expense_and_document_responses_for_one_document_are_merged(
    load_fixture: Callable[[str], Any],
) -> None:
    # OCR_MODE=both: the same receipt analysed by both APIs.
    expense = load_fixture("expense/receipt-mega.json")
    document = load_fixture("analyze_document/receipt.json")
    result = analyze([expense, document])
    total = result.fields["total_amount"]
    assert total.value == "1810.46"
    assert total.source is FieldSource.EXPENSE
    assert {alt.source for alt in total.alternatives} <= {FieldSource.FORMS, FieldSource.EXPENSE}
    assert result.fields["currency"].value == "USD"
    assert len(result.line_items) == 4  # expense items, not doubled by table rows
    assert result.pages == 1


def test_expense_pages_of_a_paginated_result_merge(load_fixture: Callable[[str], Any]) -> None:
    whole = load_fixture("expense/invoice-2-page.json")
    first, second = copy.deepcopy(whole), copy.deepcopy(whole)
    first["ExpenseDocuments"] = whole["ExpenseDocuments"][:1]
    first["NextToken"] = "token"
    second["ExpenseDocuments"] = whole["ExpenseDocuments"][1:]
    assert analyze([first, second]) == analyze(whole)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [{"hello": "world"}],
        [["Blocks"]],
        ["not an object"],
        "a string is not responses",
    ],
)
def test_input_that_is_not_textract_raises_unreadable_response(bad: Any) -> None:
    with pytest.raises(UnreadableResponse) as raised:
        parse_responses(bad)
    assert "\n" not in str(raised.value)
    assert str(raised.value)


def test_fixture_dir_comes_from_the_shared_setting(fixtures_dir: Path) -> None:
    assert fixtures_dir == textract_fixtures_dir()
    assert (fixtures_dir / "SOURCES.md").is_file()
