"""Choosing a field's value among its readings, with the weights of `evidence.WEIGHTS`.

How a value is chosen (the total, for example):
1. Every reading of the field is ranked by `rank`: its evidence score (the sum of its
   evidence weights: what names it, how surely its label does, whether label and type
   agree), plus the one position rule (`position_bonus`: totals at the foot of the last
   page, header fields at the top of the first), plus its OCR confidence. Position (at
   most 0.09) and confidence (at most 0.1) only decide between readings whose scores
   are closer than that, such as two readings named by equally strong labels.
2. The total: among several, the one that equals the chosen subtotal plus tax wins if a
   label or a Textract type names it (`total_adds_up_min_score`).
3. The same value read in several places is reported where it was read most surely.
4. The other values (and the other day/month reading of an ambiguous date) become
   alternatives, best first.

Readings of the Textract path and of the text finder are ranked by this same rule (the
text finder's are offered only for fields no Textract reading names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from docuflow.extraction.candidates import Reading
from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.result import MONEY_FIELDS, Candidate, ExtractedField


def score(reading: Reading) -> float:
    """How strongly the evidence says `reading` is its field: the sum of its weights."""
    return sum(WEIGHTS.of(kind) * strength for kind, strength in reading.evidence)


def position_bonus(name: str, page: int | None, top: float | None, pages: int) -> float:
    """The one position rule: totals sit at the foot of the last page, header fields at
    the top of the first (a missing page is page 1, a missing top the middle)."""
    page = page or 1
    top = 0.5 if top is None else top
    share = max(pages, 1)
    if name in MONEY_FIELDS:
        return WEIGHTS.page_position * (page / share) + WEIGHTS.top_position * top
    return WEIGHTS.page_position * (1 - (page - 1) / share) + WEIGHTS.top_position * (1 - top)


def rank(name: str, readings: Sequence[Reading], pages: int) -> list[Reading]:
    """The readings of field `name`, best first."""
    return sorted(readings, key=lambda r: _rank_key(name, r, pages), reverse=True)


def _rank_key(name: str, reading: Reading, pages: int) -> float:
    top = reading.bbox.top if reading.bbox else None
    return (
        score(reading)
        + reading.confidence * WEIGHTS.confidence
        + position_bonus(name, reading.page, top, pages)
    )


def choose(
    name: str,
    readings: Sequence[Reading],
    pages: int,
    pool: Mapping[str, Sequence[Reading]],
) -> tuple[ExtractedField, Reading]:
    """The best reading as the field, the others (distinct values) as alternatives.

    `pool` holds the readings of every field (the total is checked against the subtotal
    and tax). Returns the field and the reading it was made from.
    """
    ranked = rank(name, readings, pages)
    chosen = ranked[0]
    if name == "total_amount":
        chosen = _total_that_adds_up(ranked, pool, pages) or chosen
    # The same value read in several places (a header repeated on every page): report the
    # place where the OCR was surest of it.
    least = score(chosen) - WEIGHTS.same_value_margin
    chosen = max(
        (r for r in ranked if r.value == chosen.value and score(r) >= least),
        key=lambda r: r.confidence,
    )
    alternatives: list[Candidate] = []
    seen = {chosen.value}
    for reading in ranked:
        if reading.value not in seen:
            seen.add(reading.value)
            alternatives.append(reading.to_candidate())
        alternative = reading.date.alternative if reading.date else None
        if alternative and alternative not in seen:
            # The other day/month reading of an ambiguous date, so a reviewer can pick it.
            seen.add(alternative)
            alternatives.append(reading.to_candidate().model_copy(update={"value": alternative}))
    return ExtractedField(
        value=chosen.value,
        text=chosen.text,
        confidence=chosen.confidence,
        page=chosen.page,
        bbox=chosen.bbox,
        source=chosen.source,
        label=chosen.label,
        alternatives=alternatives,
    ), chosen


def _total_that_adds_up(
    ranked: Sequence[Reading], pool: Mapping[str, Sequence[Reading]], pages: int
) -> Reading | None:
    """Among several totals, the one that equals the chosen subtotal plus tax."""
    if len({r.value for r in ranked}) < 2:
        return None
    subtotal = rank("subtotal", pool.get("subtotal", []), pages)
    tax = rank("tax_amount", pool.get("tax_amount", []), pages)
    if not subtotal:
        return None
    try:
        expected = Decimal(subtotal[0].value) + (Decimal(tax[0].value) if tax else Decimal(0))
        for reading in ranked:
            if score(reading) >= WEIGHTS.total_adds_up_min_score and Decimal(reading.value) == (
                expected
            ):
                return reading
    except InvalidOperation:
        return None
    return None
