"""Run the offline OCR engine -> parse -> routing over labelled documents and measure the result.

Figures: per-field accuracy (right / present in the truth), fields found that the truth
does not have, line-item recall, the share of documents completed automatically, and how
many of those had a wrong field. Figures only: nothing here judges them against a bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field

from docuflow.domain.errors import DocuflowError
from docuflow.extraction.result import FIELD_NAMES, ExtractionResult, LineItem
from docuflow_tools.evaluation.truth import (
    TRUTH_SUFFIX,
    Truth,
    TruthError,
    TruthLineItem,
    document_for,
    load_truth,
    same_value,
)


class FieldOutcome(BaseModel):
    field: str
    expected: str | None
    actual: str | None
    confidence: float | None = None
    source: str | None = None
    outcome: Annotated[str, Field(description="right, wrong, missing or extra")]


class DocumentReport(BaseModel):
    name: str
    pages: int = 0
    seconds: float
    error: str | None = None
    routing: str | None = None
    reasons: list[str] = Field(default_factory=list)
    fields: list[FieldOutcome] = Field(default_factory=list)
    line_items_expected: int = 0
    line_items_found: int = 0
    line_items_matched: int = 0

    @property
    def wrong_fields(self) -> list[str]:
        return [f.field for f in self.fields if f.outcome == "wrong"]


class FieldAccuracy(BaseModel):
    field: str
    expected: int
    right: int
    wrong: int
    missing: int
    extra: int
    accuracy: float | None


class EvalReport(BaseModel):
    directory: str
    documents: int
    failed_documents: int
    pages: int
    seconds: float
    fields: list[FieldAccuracy]
    overall_field_accuracy: float | None
    line_item_recall: float | None
    line_items_expected: int
    line_items_matched: int
    completed_automatically: int
    completed_share: float | None
    completed_with_wrong_field: int
    per_document: list[DocumentReport]


Reader = Callable[[bytes], dict[str, Any]]
Analyzer = Callable[[dict[str, Any]], ExtractionResult]


def _default_reader(data: bytes) -> dict[str, Any]:
    from docuflow_tools.offline_ocr import analyze_document_bytes

    return analyze_document_bytes(data)


def _default_analyzer(response: dict[str, Any]) -> ExtractionResult:
    from docuflow.extraction import analyze

    return analyze(response)


def truth_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob(f"*{TRUTH_SUFFIX}") if path.is_file())


def evaluate(
    directory: Path,
    *,
    reader: Reader = _default_reader,
    analyzer: Analyzer = _default_analyzer,
) -> EvalReport:
    """Evaluate every document with a truth file in `directory`.

    Raises TruthError for a truth file that cannot be used (fix it rather than skip it) and
    FileNotFoundError when there is no truth file at all.
    """
    paths = truth_files(directory)
    if not paths:
        raise FileNotFoundError(f"No *{TRUTH_SUFFIX} files in {directory}")
    started = time.perf_counter()
    reports = [_evaluate_one(path, load_truth(path), reader, analyzer) for path in paths]
    return _summarize(directory, reports, time.perf_counter() - started)


def _evaluate_one(path: Path, truth: Truth, reader: Reader, analyzer: Analyzer) -> DocumentReport:
    document = document_for(path, truth)
    started = time.perf_counter()
    name = document.name
    try:
        data = document.read_bytes()
    except OSError as exc:
        raise TruthError(
            f"{path.name}: its document {document.name} cannot be read ({exc})"
        ) from exc
    try:
        result = analyzer(reader(data))
    except DocuflowError as exc:
        outcomes = [
            FieldOutcome(field=f, expected=v, actual=None, outcome="missing")
            for f, v in truth.fields.items()
        ]
        return DocumentReport(
            name=name,
            seconds=time.perf_counter() - started,
            error=f"{type(exc).__name__}: {exc}",
            fields=outcomes,
            line_items_expected=len(truth.line_items or []),
        )
    outcomes = []
    for field in FIELD_NAMES:
        expected = truth.fields.get(field)
        got = result.fields.get(field)
        if expected is None and got is None:
            continue
        actual = got.value if got else None
        if expected is None:
            outcome = "extra"
        elif got is None:
            outcome = "missing"
        else:
            outcome = "right" if same_value(field, expected, actual) else "wrong"
        outcomes.append(
            FieldOutcome(
                field=field,
                expected=expected,
                actual=actual,
                confidence=got.confidence if got else None,
                source=got.source.value if got else None,
                outcome=outcome,
            )
        )
    expected_items = truth.line_items or []
    return DocumentReport(
        name=name,
        pages=result.pages,
        seconds=time.perf_counter() - started,
        routing=result.routing.status,
        reasons=[
            reason.code + (f":{reason.field}" if reason.field else "")
            for reason in result.routing.reasons
        ],
        fields=outcomes,
        line_items_expected=len(expected_items),
        line_items_found=len(result.line_items),
        line_items_matched=match_line_items(expected_items, result.line_items),
    )


def match_line_items(expected: list[TruthLineItem], found: list[LineItem]) -> int:
    """How many expected items have a found item with the same amount and description
    (or, failing the description, the same quantity); each found item counts once."""
    remaining = list(found)
    matched = 0
    for item in expected:
        for index, candidate in enumerate(remaining):
            if not _same_number(item.amount, candidate.amount):
                continue
            same_description = (
                item.description is not None
                and candidate.description is not None
                and same_value("description", item.description, candidate.description)
            )
            if same_description or _same_number(item.quantity, candidate.quantity):
                matched += 1
                del remaining[index]
                break
    return matched


def _same_number(left: str | None, right: str | None) -> bool:
    if left is None or right is None:
        return False
    try:
        return Decimal(left) == Decimal(right)
    except InvalidOperation:
        return False


def _summarize(directory: Path, reports: list[DocumentReport], seconds: float) -> EvalReport:
    per_field: list[FieldAccuracy] = []
    for field in FIELD_NAMES:
        outcomes = [o for r in reports for o in r.fields if o.field == field]
        counts = {
            kind: sum(1 for o in outcomes if o.outcome == kind)
            for kind in ("right", "wrong", "missing", "extra")
        }
        expected = counts["right"] + counts["wrong"] + counts["missing"]
        if not expected and not counts["extra"]:
            continue
        per_field.append(
            FieldAccuracy(
                field=field,
                expected=expected,
                accuracy=counts["right"] / expected if expected else None,
                **counts,
            )
        )
    expected_total = sum(f.expected for f in per_field)
    right_total = sum(f.right for f in per_field)
    items_expected = sum(r.line_items_expected for r in reports)
    items_matched = sum(r.line_items_matched for r in reports)
    completed = [r for r in reports if r.routing == "COMPLETED"]
    return EvalReport(
        directory=str(directory),
        documents=len(reports),
        failed_documents=sum(1 for r in reports if r.error),
        pages=sum(r.pages for r in reports),
        seconds=round(seconds, 3),
        fields=per_field,
        overall_field_accuracy=right_total / expected_total if expected_total else None,
        line_item_recall=items_matched / items_expected if items_expected else None,
        line_items_expected=items_expected,
        line_items_matched=items_matched,
        completed_automatically=len(completed),
        completed_share=len(completed) / len(reports) if reports else None,
        completed_with_wrong_field=sum(1 for r in completed if r.wrong_fields),
        per_document=reports,
    )
