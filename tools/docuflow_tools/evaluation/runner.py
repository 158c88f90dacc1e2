"""Run the offline OCR engine -> parse -> routing over labelled documents and measure the result.

Figures: per-field accuracy (right / present in the truth), fields found that the truth
does not have, the header fields' accuracy, line-item recall, the share of documents
completed automatically and how many of those had a wrong field, the same per folder, and
how well confidence predicts a right value (`calibration`). Figures only: `floor` judges
them against a checked-in bar.

Every truth file under the folder counts, in subfolders too. With `scans=True` each PDF is
first turned into a degraded scan (`scans.degrade_pdf`), so the Tesseract path is measured.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field

from docuflow.domain.errors import DocuflowError
from docuflow.extraction import ScoringSettings
from docuflow.extraction.result import FIELD_NAMES, ExtractionResult, LineItem
from docuflow_tools.evaluation.scans import degrade_pdf
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


HEADER_FIELDS: tuple[str, ...] = (
    "vendor_name",
    "invoice_number",
    "document_date",
    "due_date",
    "total_amount",
    "currency",
)
"""The fields a person needs to pay an invoice: the headline figure of a run."""


class DocumentReport(BaseModel):
    name: str
    folder: Annotated[str, Field(description="Subfolder of the evaluated folder ('.' for it)")]
    scan: Annotated[str | None, Field(description="How the scan was degraded (with --scans)")] = (
        None
    )
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


class Summary(BaseModel):
    """The headline figures of a set of documents (a run, or one folder of it)."""

    documents: int
    header_field_accuracy: float | None
    header_fields_expected: int
    overall_field_accuracy: float | None
    line_item_recall: float | None
    line_items_expected: int
    line_items_matched: int
    completed_automatically: int
    completed_with_wrong_field: int


class FolderReport(Summary):
    folder: str


class Calibration(BaseModel):
    """How often a field's values were right, at or above its confidence threshold (the
    ones that may complete a document automatically) and below it."""

    field: str
    threshold: float
    above: int
    above_right: int
    below: int
    below_right: int

    @property
    def above_precision(self) -> float | None:
        return self.above_right / self.above if self.above else None

    @property
    def below_precision(self) -> float | None:
        return self.below_right / self.below if self.below else None


class EvalReport(BaseModel):
    directory: str
    mode: Annotated[str, Field(description="text_layer (as given) or scans (degraded scans)")]
    documents: int
    failed_documents: int
    pages: int
    seconds: float
    fields: list[FieldAccuracy]
    header_field_accuracy: float | None
    overall_field_accuracy: float | None
    line_item_recall: float | None
    line_items_expected: int
    line_items_matched: int
    completed_automatically: int
    completed_share: float | None
    completed_with_wrong_field: int
    folders: list[FolderReport]
    calibration: list[Calibration]
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
    """Every truth file under `directory`, subfolders included, in a stable order."""
    return sorted(path for path in directory.rglob(f"*{TRUTH_SUFFIX}") if path.is_file())


def evaluate(
    directory: Path,
    *,
    reader: Reader = _default_reader,
    analyzer: Analyzer = _default_analyzer,
    scans: bool = False,
    seed: int = 0,
    workers: int = 1,
) -> EvalReport:
    """Evaluate every document with a truth file under `directory` (subfolders too).

    `scans`: read a degraded scan of each PDF instead of the PDF (`scans.degrade_pdf`,
    seeded by `seed`); `workers`: documents read side by side (Tesseract runs as its own
    process, so two workers keep two cores busy on one-page scans).
    Raises TruthError for a truth file that cannot be used (fix it rather than skip it) and
    FileNotFoundError when there is no truth file at all.
    """
    paths = truth_files(directory)
    if not paths:
        raise FileNotFoundError(f"No *{TRUTH_SUFFIX} files in {directory}")
    started = time.perf_counter()
    jobs = [(path, load_truth(path)) for path in paths]

    def one(job: tuple[Path, Truth]) -> DocumentReport:
        path, truth = job
        folder = path.parent.relative_to(directory).as_posix()
        return _evaluate_one(path, truth, folder, reader, analyzer, scans=scans, seed=seed)

    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            reports = list(pool.map(one, jobs))
    else:
        reports = [one(job) for job in jobs]
    mode = "scans" if scans else "text_layer"
    return _summarize(directory, mode, reports, time.perf_counter() - started)


def _evaluate_one(
    path: Path,
    truth: Truth,
    folder: str,
    reader: Reader,
    analyzer: Analyzer,
    *,
    scans: bool,
    seed: int,
) -> DocumentReport:
    document = document_for(path, truth)
    started = time.perf_counter()
    name = document.name
    try:
        data = document.read_bytes()
    except OSError as exc:
        raise TruthError(
            f"{path.name}: its document {document.name} cannot be read ({exc})"
        ) from exc
    scan: str | None = None
    if scans and document.suffix.lower() == ".pdf":
        data, how = degrade_pdf(data, f"{folder}/{name}", seed=seed)
        pages = "+".join(str(page + 1) for page in how.pages)
        scan = f"{how.dpi} dpi, {how.tilt:+.2f} deg, JPEG q{how.jpeg_quality}, pages {pages}"
    try:
        result = analyzer(reader(data))
    except DocuflowError as exc:
        outcomes = [
            FieldOutcome(field=f, expected=v, actual=None, outcome="missing")
            for f, v in truth.fields.items()
        ]
        return DocumentReport(
            name=name,
            folder=folder,
            scan=scan,
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
        folder=folder,
        scan=scan,
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


def _summary(reports: Sequence[DocumentReport]) -> Summary:
    outcomes = [o for r in reports for o in r.fields if o.outcome != "extra"]
    header = [o for o in outcomes if o.field in HEADER_FIELDS]
    items_expected = sum(r.line_items_expected for r in reports)
    items_matched = sum(r.line_items_matched for r in reports)
    completed = [r for r in reports if r.routing == "COMPLETED"]
    return Summary(
        documents=len(reports),
        header_field_accuracy=_share(header),
        header_fields_expected=len(header),
        overall_field_accuracy=_share(outcomes),
        line_item_recall=items_matched / items_expected if items_expected else None,
        line_items_expected=items_expected,
        line_items_matched=items_matched,
        completed_automatically=len(completed),
        completed_with_wrong_field=sum(1 for r in completed if r.wrong_fields),
    )


def _share(outcomes: Sequence[FieldOutcome]) -> float | None:
    if not outcomes:
        return None
    return sum(1 for o in outcomes if o.outcome == "right") / len(outcomes)


def _calibration(reports: Sequence[DocumentReport]) -> list[Calibration]:
    settings = ScoringSettings()
    rows: list[Calibration] = []
    for field in FIELD_NAMES:
        found = [
            o
            for r in reports
            for o in r.fields
            if o.field == field and o.outcome in ("right", "wrong") and o.confidence is not None
        ]
        if not found:
            continue
        threshold = settings.threshold_for(field)
        above = [o for o in found if o.confidence is not None and o.confidence >= threshold]
        below = [o for o in found if o.confidence is not None and o.confidence < threshold]
        rows.append(
            Calibration(
                field=field,
                threshold=threshold,
                above=len(above),
                above_right=sum(1 for o in above if o.outcome == "right"),
                below=len(below),
                below_right=sum(1 for o in below if o.outcome == "right"),
            )
        )
    return rows


def _summarize(
    directory: Path, mode: str, reports: list[DocumentReport], seconds: float
) -> EvalReport:
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
    total = _summary(reports)
    folders = []
    for folder in sorted({r.folder for r in reports}):
        summary = _summary([r for r in reports if r.folder == folder])
        folders.append(FolderReport(folder=folder, **summary.model_dump()))
    return EvalReport(
        directory=str(directory),
        mode=mode,
        documents=len(reports),
        failed_documents=sum(1 for r in reports if r.error),
        pages=sum(r.pages for r in reports),
        seconds=round(seconds, 3),
        fields=per_field,
        header_field_accuracy=total.header_field_accuracy,
        overall_field_accuracy=total.overall_field_accuracy,
        line_item_recall=total.line_item_recall,
        line_items_expected=total.line_items_expected,
        line_items_matched=total.line_items_matched,
        completed_automatically=total.completed_automatically,
        completed_share=total.completed_automatically / len(reports) if reports else None,
        completed_with_wrong_field=total.completed_with_wrong_field,
        folders=folders,
        calibration=_calibration(reports),
        per_document=reports,
    )
