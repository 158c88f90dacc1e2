"""Reading Textract JSON tolerantly: values, geometry, pages, relationships, job status.

The input is trusted for nothing: a missing key or a wrong type reads as absent, a
relationship to a block that is not there is collected in `missing` for one warning.
`split_responses` sorts the responses of one document (pages of a paginated result, and
both APIs for OCR_MODE=both) into what the readers read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from docuflow.domain.errors import UnreadableResponse
from docuflow.extraction.lines import TextLine
from docuflow.extraction.result import BoundingBox, ReviewReason

# ---------------------------------------------------------------- values


def as_map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def as_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def as_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def confidence_of(value: object) -> float:
    """A confidence clamped to 0-100."""
    # A reading without a confidence is treated as unsure (0), so it cannot pass a threshold.
    number = as_number(value)
    return 0.0 if number is None else min(100.0, max(0.0, number))


def page_of(value: object) -> int | None:
    """A page number (or any 1-based index: rows, columns); None unless a positive int."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if value >= 1 else None


# ---------------------------------------------------------------- geometry


def bbox_of(geometry: object) -> BoundingBox | None:
    """The BoundingBox of a Geometry object, or None when it is missing or has no area."""
    box = as_map(as_map(geometry).get("BoundingBox"))
    left, top = as_number(box.get("Left")), as_number(box.get("Top"))
    width, height = as_number(box.get("Width")), as_number(box.get("Height"))
    if left is None or top is None or width is None or height is None:
        return None
    if width <= 0 or height <= 0:
        # A box without area locates nothing (and breaks ratios downstream): treat as missing.
        return None
    return BoundingBox(left=left, top=top, width=width, height=height)


def union(boxes: Sequence[BoundingBox | None]) -> BoundingBox | None:
    """The smallest box around the given ones (None when none is known)."""
    present = [box for box in boxes if box is not None]
    if not present:
        return None
    left = min(box.left for box in present)
    top = min(box.top for box in present)
    right = max(box.left + box.width for box in present)
    bottom = max(box.top + box.height for box in present)
    return BoundingBox(left=left, top=top, width=right - left, height=bottom - top)


# ---------------------------------------------------------------- blocks and relationships


def child_ids(block: Mapping[str, Any]) -> list[str]:
    return related_ids(block, "CHILD")


def related_ids(block: Mapping[str, Any], kind: str) -> list[str]:
    """The ids of a block's relationships of one type (CHILD, VALUE), in order."""
    ids: list[str] = []
    for relationship in as_list(block.get("Relationships")):
        rel = as_map(relationship)
        if rel.get("Type") == kind:
            ids.extend(value for value in as_list(rel.get("Ids")) if isinstance(value, str))
    return ids


def _word_text(block: Mapping[str, Any]) -> str:
    if block.get("BlockType") == "SELECTION_ELEMENT":
        return "[x]" if block.get("SelectionStatus") == "SELECTED" else "[ ]"
    return as_text(block.get("Text"))


def words_text(
    ids: Sequence[str], by_id: Mapping[str, Mapping[str, Any]], missing: set[str]
) -> str:
    """The text of the WORD (and selection) blocks `ids`, space-separated."""
    words: list[str] = []
    for word_id in ids:
        block = by_id.get(word_id)
        if block is None:
            missing.add(word_id)
            continue
        text = _word_text(block)
        if text:
            words.append(text)
    return " ".join(words)


def words_lines(
    ids: Sequence[str],
    by_id: Mapping[str, Mapping[str, Any]],
    line_of_word: Mapping[str, int],
    missing: set[str],
) -> list[str]:
    """The words `ids` grouped by the printed LINE each belongs to, in order."""
    lines: list[list[str]] = []
    current: int | None = -1
    for word_id in ids:
        block = by_id.get(word_id)
        if block is None:
            missing.add(word_id)
            continue
        text = _word_text(block)
        if not text:
            continue
        line = line_of_word.get(word_id)
        if line != current or line is None or not lines:
            lines.append([])
            current = line
        lines[-1].append(text)
    return [" ".join(words) for words in lines]


def text_lines(blocks: Sequence[Any], seen: set[str]) -> list[TextLine]:
    """The LINE blocks among `blocks` not seen before (by Id), as text lines."""
    lines: list[TextLine] = []
    for raw in blocks:
        block = as_map(raw)
        if block.get("BlockType") != "LINE":
            continue
        block_id = as_text(block.get("Id"))
        if block_id:
            if block_id in seen:
                continue
            seen.add(block_id)
        lines.append(
            TextLine(
                text=as_text(block.get("Text")),
                page=page_of(block.get("Page")) or 1,
                confidence=confidence_of(block.get("Confidence")),
                bbox=bbox_of(block.get("Geometry")),
            )
        )
    return lines


# ---------------------------------------------------------------- responses


@dataclass(slots=True)
class Responses:
    """One document's Textract responses, sorted for reading."""

    # AnalyzeExpense / GetExpenseAnalysis responses (pages of a result), in order.
    expense: list[Mapping[str, Any]] = field(default_factory=list)
    # The blocks of every AnalyzeDocument / GetDocumentAnalysis page, in order.
    document_blocks: list[Mapping[str, Any]] = field(default_factory=list)
    # The most pages any response declares (DocumentMetadata.Pages).
    declared_pages: int = 0
    warnings: list[str] = field(default_factory=list)
    hints: list[ReviewReason] = field(default_factory=list)


def split_responses(responses: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> Responses:
    """Sort one response, or the pages of a paginated Get* result, by API.

    Job status problems become warnings and hints; a response of a job that did not
    succeed is skipped. Raises UnreadableResponse when the input is not Textract output.
    """
    if isinstance(responses, Mapping):
        responses = [responses]
    if isinstance(responses, str | bytes) or not isinstance(responses, Sequence):
        raise UnreadableResponse("Expected Textract response JSON objects.")
    if not responses:
        raise UnreadableResponse("No Textract response was given.")
    out = Responses()
    for number, response in enumerate(responses, start=1):
        if not isinstance(response, Mapping):
            raise UnreadableResponse(f"Response {number} is not a JSON object.")
        kind = _response_kind(response)
        if kind is None:
            raise UnreadableResponse(
                f"Response {number} is not a Textract response "
                "(it has no Blocks, ExpenseDocuments or JobStatus)."
            )
        if not _read_status(response, out):
            continue
        if kind == "expense":
            out.expense.append(response)
        else:
            out.document_blocks.extend(
                block for block in as_list(response.get("Blocks")) if isinstance(block, Mapping)
            )
    return out


def _response_kind(response: Mapping[str, Any]) -> Literal["expense", "document", "status"] | None:
    if isinstance(response.get("ExpenseDocuments"), list):
        return "expense"
    if isinstance(response.get("Blocks"), list):
        return "document"
    if "JobStatus" in response or isinstance(response.get("DocumentMetadata"), Mapping):
        return "status"
    return None


def _read_status(response: Mapping[str, Any], out: Responses) -> bool:
    """Record job status problems; False when the response has nothing to read."""
    status = as_text(response.get("JobStatus"))
    for warning in as_list(response.get("Warnings")):
        entry = as_map(warning)
        pages = ", ".join(str(p) for p in as_list(entry.get("Pages")))
        out.warnings.append(
            f"Textract warned {as_text(entry.get('ErrorCode')) or 'something'}"
            + (f" on pages {pages}" if pages else "")
            + "."
        )
    if status in ("FAILED", "IN_PROGRESS"):
        message = as_text(response.get("StatusMessage"))
        out.warnings.append(
            f"The Textract job is {status}"
            + (f" ({message})" if message else "")
            + "; the response holds no text to read."
        )
        out.hints.append(
            ReviewReason(
                code="OCR_NOT_SUCCEEDED",
                field=None,
                message=f"Text recognition did not finish (status {status}), "
                "so nothing could be read from the document.",
            )
        )
        return False
    if status == "PARTIAL_SUCCESS":
        out.hints.append(
            ReviewReason(
                code="OCR_PARTIAL",
                field=None,
                message="Text recognition read only part of the document.",
            )
        )
    declared = page_of(as_map(response.get("DocumentMetadata")).get("Pages"))
    if declared is not None:
        out.declared_pages = max(out.declared_pages, declared)
    return True
