"""Re-scoring a stored result with corrections runs the pipeline's own checks and routing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from docuflow import einvoice
from docuflow.extraction import DuplicateEvidence, ScoringSettings, analyze
from docuflow.extraction.rescore import rescore
from docuflow.extraction.result import ExtractionResult, FieldSource, LineItem
from docuflow_tools.paths import textract_fixtures_dir
from tests.einvoice_samples import invoice_data, make_xml

ALL_FIXTURES = sorted(
    str(path.relative_to(textract_fixtures_dir()))
    for path in textract_fixtures_dir().glob("*/*.json")
)
SETTINGS = ScoringSettings()
NO_DUPLICATES = DuplicateEvidence()


def _stored(result: ExtractionResult) -> ExtractionResult:
    # What the pipeline writes to results/{job_id}.json and the API reads back.
    return ExtractionResult.model_validate(
        json.loads(json.dumps(result.model_dump(mode="json", exclude_none=True)))
    )


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_rescoring_without_corrections_gives_the_pipelines_answer(
    name: str, load_fixture: Callable[[str], Any]
) -> None:
    # Given a recorded document scored by the pipeline and stored
    result = analyze(load_fixture(name), SETTINGS, NO_DUPLICATES)
    # When it is re-scored with no correction
    again = rescore(_stored(result), SETTINGS, NO_DUPLICATES, fields={}, line_items=None)
    # Then every check and every reason is the same
    assert again.checks == result.checks
    assert again.routing == result.routing


def _first_with(load_fixture: Callable[[str], Any], check: str, status: str) -> ExtractionResult:
    for name in ALL_FIXTURES:
        result = analyze(load_fixture(name), SETTINGS, NO_DUPLICATES)
        if result.checks[check].status == status:
            return _stored(result)
    pytest.fail(f"no fixture whose {check} is {status}")


def test_a_correction_that_breaks_the_totals_fails_them(
    load_fixture: Callable[[str], Any],
) -> None:
    # Given a document whose totals add up
    result = _first_with(load_fixture, "totals_add_up", "pass")
    total = result.fields["total_amount"].value
    # When the reviewer types a total one unit larger
    wrong = f"{float(total) + 1:.2f}"
    again = rescore(
        result, SETTINGS, NO_DUPLICATES, fields={"total_amount": wrong}, line_items=None
    )
    # Then the totals check fails, and the job would need review for it
    assert again.checks["totals_add_up"].status == "fail"
    assert "TOTALS_MISMATCH" in {r.code for r in again.routing.reasons}


def test_a_corrected_field_is_no_longer_low_confidence(
    load_fixture: Callable[[str], Any],
) -> None:
    # Given a document with a field read below the threshold
    strict = ScoringSettings(confidence_threshold=99.99)
    for name in ALL_FIXTURES:
        result = _stored(analyze(load_fixture(name), strict, NO_DUPLICATES))
        low = [r.field for r in result.routing.reasons if r.code == "LOW_CONFIDENCE" and r.field]
        if low and low[0] != "line_items":
            break
    else:
        pytest.fail("no fixture with a low-confidence field")
    field = low[0]
    # When the reviewer confirms its value
    again = rescore(
        result,
        strict,
        NO_DUPLICATES,
        fields={field: result.fields[field].value},
        line_items=None,
    )
    # Then that field's low-confidence reason is gone, the others stay
    remaining = {(r.code, r.field) for r in again.routing.reasons}
    assert ("LOW_CONFIDENCE", field) not in remaining
    assert {("LOW_CONFIDENCE", f) for f in low[1:]} <= remaining


def test_corrected_lines_are_summed_in_place_of_the_read_ones(
    load_fixture: Callable[[str], Any],
) -> None:
    # Given a document whose line items add up to its subtotal
    result = _first_with(load_fixture, "line_items_sum", "pass")
    first = result.line_items[0]
    assert first.amount is not None
    bigger = f"{float(first.amount) + 10:.2f}"
    lines = [
        first.model_copy(update={"amount": bigger, "quantity": None, "unit_price": None}),
        *result.line_items[1:],
    ]
    # When a line's amount is corrected to 10 more
    again = rescore(result, SETTINGS, NO_DUPLICATES, fields={}, line_items=lines)
    # Then the line items no longer add up; deleting the added line again restores it
    assert again.checks["line_items_sum"].status == "fail"
    restored = rescore(result, SETTINGS, NO_DUPLICATES, fields={}, line_items=result.line_items)
    assert restored.checks["line_items_sum"].status == "pass"
    added = LineItem(amount="0.00", confidence=100, source=FieldSource.REVIEWER)
    with_zero = rescore(
        result, SETTINGS, NO_DUPLICATES, fields={}, line_items=[*result.line_items, added]
    )
    assert with_zero.checks["line_items_sum"].status == "pass"


def test_an_einvoice_keeps_its_own_checks_until_a_value_they_concern_is_corrected() -> None:
    # Given an e-invoice read by its own reader (EN 16931 rules)
    result = _stored(einvoice.analyze(make_xml("ubl", invoice_data()), SETTINGS, NO_DUPLICATES))
    assert result.einvoice is not None
    # When re-scored without corrections, Then nothing changes
    same = rescore(result, SETTINGS, NO_DUPLICATES, fields={}, line_items=None)
    assert same.checks == result.checks
    assert same.routing == result.routing
    # When the total is corrected so that it no longer adds up
    again = rescore(
        result, SETTINGS, NO_DUPLICATES, fields={"total_amount": "9999.00"}, line_items=None
    )
    # Then the shared totals check runs on the corrected values and fails
    assert again.checks["totals_add_up"].status == "fail"
    assert again.einvoice == result.einvoice


def test_a_doubt_about_a_corrected_field_is_settled() -> None:
    # Given a stored result whose parser doubted the invoice date
    base = _stored(analyze({"Blocks": []}, SETTINGS, NO_DUPLICATES))
    doubt = {"code": "DATE_AMBIGUOUS", "field": "document_date", "message": "03/04 or 04/03?"}
    stored = ExtractionResult.model_validate(
        {
            **base.model_dump(mode="json"),
            "routing": {"status": "NEEDS_REVIEW", "reasons": [doubt]},
        }
    )
    kept = rescore(stored, SETTINGS, NO_DUPLICATES, fields={}, line_items=None)
    assert "DATE_AMBIGUOUS" in {r.code for r in kept.routing.reasons}
    # When the reviewer types the date, Then the doubt is gone
    settled = rescore(
        stored, SETTINGS, NO_DUPLICATES, fields={"document_date": "2026-04-03"}, line_items=None
    )
    assert "DATE_AMBIGUOUS" not in {r.code for r in settled.routing.reasons}
