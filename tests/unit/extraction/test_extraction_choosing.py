"""The chooser and its one weights table, on readings built by hand (no Textract JSON).

Each test gives readings with the evidence the readers attach and checks which one
`choose` takes, so a change to a weight that reverses one of these choices fails here.
"""

from __future__ import annotations

import dataclasses

import pytest

from docuflow.extraction.candidates import Reading, found_in_lines, kinds, labelled
from docuflow.extraction.choosing import choose, position_bonus, rank, score
from docuflow.extraction.evidence import WEIGHTS, Evidence, EvidenceWeights
from docuflow.extraction.result import BoundingBox, FieldSource

Weighted = tuple[tuple[Evidence, float], ...]


def reading(
    name: str,
    value: str,
    evidence: Weighted,
    *,
    confidence: float = 95.0,
    page: int = 1,
    top: float | None = 0.5,
    label: str | None = None,
    source: FieldSource = FieldSource.EXPENSE,
) -> Reading:
    bbox = None if top is None else BoundingBox(left=0.6, top=top, width=0.2, height=0.02)
    return Reading(name, value, value, confidence, page, bbox, source, label, evidence)


def chosen(name: str, *readings: Reading, pages: int = 1) -> str:
    field, _ = choose(name, readings, pages, {name: list(readings)})
    return field.value


def test_the_total_printed_as_total_beats_a_total_printed_as_subtotal() -> None:
    # Given Textract typed two amounts TOTAL, one printed "Total" and one printed "Subtotal"
    # (the label overrules the type: that one is read as the subtotal, and only weakly as
    # the total); the subtotal one is printed lower and read more surely.
    total = reading(
        "total_amount",
        "120.00",
        kinds(Evidence.EXPENSE_TYPE, Evidence.LABEL_AGREES_WITH_TYPE),
        confidence=90.0,
        top=0.5,
        label="Total",
    )
    subtotal_as_total = reading(
        "total_amount",
        "100.00",
        kinds(Evidence.TYPE_OVERRULED_BY_LABEL),
        confidence=99.9,
        top=0.9,
        label="Subtotal",
    )
    # When the total is chosen, then the one printed "Total" is it, the other an alternative.
    field, _ = choose("total_amount", [subtotal_as_total, total], 1, {})
    assert field.value == "120.00"
    assert [alt.value for alt in field.alternatives] == ["100.00"]


def test_a_specific_label_beats_a_generic_one_wherever_they_are_printed() -> None:
    # "Grand total" at the top of page 1 (the worst place for a total), "Total" at the foot
    # of the last page (the best), the generic one read more surely.
    specific = reading(
        "total_amount", "250.00", labelled(WEIGHTS.label_specific), top=0.0, confidence=80.0
    )
    generic = reading(
        "total_amount",
        "200.00",
        labelled(WEIGHTS.label_generic),
        page=3,
        top=1.0,
        confidence=100.0,
    )
    assert chosen("total_amount", generic, specific, pages=3) == "250.00"


def test_a_labelled_total_beats_the_amount_due_offered_as_total() -> None:
    printed_total = reading("total_amount", "120.00", labelled(WEIGHTS.label_generic), top=0.2)
    amount_due = reading("total_amount", "80.00", kinds(Evidence.AMOUNT_DUE_AS_TOTAL), top=0.95)
    assert chosen("total_amount", amount_due, printed_total) == "120.00"


def test_the_total_that_adds_up_wins_among_equally_named_totals() -> None:
    # Two "Total" labels: the one better placed is the subtotal repeated in the items table.
    repeated = reading("total_amount", "100.00", labelled(1.0), top=0.9, confidence=99.9)
    real = reading("total_amount", "119.00", labelled(1.0), top=0.6, confidence=90.0)
    subtotal = reading("subtotal", "100.00", labelled(1.0))
    tax = reading("tax_amount", "19.00", labelled(1.0))
    pool = {"total_amount": [repeated, real], "subtotal": [subtotal], "tax_amount": [tax]}
    assert rank("total_amount", [repeated, real], 1)[0] is repeated
    field, _ = choose("total_amount", [repeated, real], 1, pool)
    assert field.value == "119.00"


def test_adding_up_never_promotes_the_amount_due_fallback() -> None:
    total = reading("total_amount", "100.00", labelled(WEIGHTS.label_generic))
    due_as_total = reading("total_amount", "119.00", kinds(Evidence.AMOUNT_DUE_AS_TOTAL))
    pool = {
        "total_amount": [total, due_as_total],
        "subtotal": [reading("subtotal", "100.00", labelled(1.0))],
        "tax_amount": [reading("tax_amount", "19.00", labelled(1.0))],
    }
    field, _ = choose("total_amount", [total, due_as_total], 1, pool)
    assert field.value == "100.00"


def test_the_same_value_is_reported_where_it_was_read_most_surely() -> None:
    # An invoice number in the header of both pages: page 1 wins the rank, page 2 was
    # read more surely; a third reading of it, much weaker, is not considered.
    first = reading("invoice_number", "INV-7", labelled(1.0), page=1, confidence=90.0)
    second = reading("invoice_number", "INV-7", labelled(1.0), page=2, confidence=97.0)
    weak = reading("invoice_number", "INV-7", kinds(Evidence.TEXT_FINDER), page=2, confidence=99.0)
    field, used = choose("invoice_number", [weak, first, second], 2, {})
    assert rank("invoice_number", [weak, first, second], 2)[0] is first
    assert used is second
    assert (field.page, field.confidence, field.alternatives) == (2, 97.0, [])


@pytest.mark.parametrize(
    ("name", "better", "worse"),
    [
        # Totals sit at the foot of the last page ...
        ("total_amount", (2, 0.3), (1, 0.9)),
        ("total_amount", (1, 0.8), (1, 0.2)),
        # ... header fields at the top of the first.
        ("invoice_number", (1, 0.3), (2, 0.3)),
        ("invoice_number", (1, 0.1), (1, 0.6)),
        ("vendor_name", (1, 0.05), (1, 0.3)),
    ],
)
def test_the_position_rule(name: str, better: tuple[int, float], worse: tuple[int, float]) -> None:
    assert position_bonus(name, *better, pages=2) > position_bonus(name, *worse, pages=2)


def test_an_unplaced_reading_counts_as_the_middle_of_page_one() -> None:
    assert position_bonus("total_amount", None, None, 1) == position_bonus(
        "total_amount", 1, 0.5, 1
    )
    assert position_bonus("due_date", None, None, 3) == position_bonus("due_date", 1, 0.5, 3)


def test_position_and_confidence_only_break_ties_between_label_strengths() -> None:
    # The most position and confidence can add, against the least they can: less than
    # the gap between a specific and a generic label.
    best = position_bonus("total_amount", 4, 1.0, 4) + 100 * WEIGHTS.confidence
    worst = position_bonus("total_amount", 1, 0.0, 4) + 0 * WEIGHTS.confidence
    label_gap = score(reading("total_amount", "1", labelled(WEIGHTS.label_specific))) - score(
        reading("total_amount", "1", labelled(WEIGHTS.label_generic))
    )
    assert best - worst < label_gap


def test_text_readings_rank_by_how_sure_the_text_finder_is_before_position() -> None:
    # Two letterhead lines offered as the vendor: the surer one is printed lower.
    surer = reading(
        "vendor_name",
        "Northwind Ltd",
        found_in_lines(66.3),
        confidence=66.3,
        top=0.25,
        source=FieldSource.TEXT,
    )
    higher = dataclasses.replace(
        surer,
        value="Thank you",
        evidence=found_in_lines(64.0),
        confidence=64.0,
        bbox=BoundingBox(left=0.6, top=0.16, width=0.2, height=0.02),
    )
    assert chosen("vendor_name", higher, surer) == "Northwind Ltd"
    # Equally sure, the higher one wins.
    level = dataclasses.replace(higher, evidence=surer.evidence, confidence=surer.confidence)
    assert chosen("vendor_name", surer, level) == "Thank you"


def test_a_score_is_the_sum_of_its_evidence_weights() -> None:
    agreeing = reading(
        "total_amount", "1", kinds(Evidence.EXPENSE_TYPE, Evidence.LABEL_AGREES_WITH_TYPE)
    )
    assert score(agreeing) == pytest.approx(WEIGHTS.expense_type + WEIGHTS.label_agrees_with_type)
    generic = reading("total_amount", "1", labelled(WEIGHTS.label_generic))
    assert score(generic) == pytest.approx(
        WEIGHTS.printed_label + WEIGHTS.label_match * WEIGHTS.label_generic
    )


def test_every_kind_of_evidence_has_a_weight_in_the_table() -> None:
    names = {f.name for f in dataclasses.fields(EvidenceWeights)}
    missing = [kind for kind in Evidence if kind.value not in names]
    assert missing == []
    assert all(isinstance(WEIGHTS.of(kind), float) for kind in Evidence)
