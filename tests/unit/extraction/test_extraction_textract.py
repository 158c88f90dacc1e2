"""Tolerant access to Textract JSON: geometry, relationships, lines, sorting responses."""

from __future__ import annotations

from typing import Any

import pytest

from docuflow.domain.errors import UnreadableResponse
from docuflow.extraction.result import BoundingBox
from docuflow.extraction.textract import (
    bbox_of,
    confidence_of,
    related_ids,
    split_responses,
    text_lines,
    union,
    words_lines,
    words_text,
)


def _geometry(**box: object) -> dict[str, Any]:
    return {"BoundingBox": box}


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        "box",
        {},
        _geometry(Left=0.1, Top=0.2, Width=0.3),  # no height
        _geometry(Left=0.1, Top=0.2, Width=0.0, Height=0.1),  # no area
        _geometry(Left=0.1, Top=0.2, Width=0.3, Height=-0.1),
        _geometry(Left="0.1", Top=0.2, Width=0.3, Height=0.1),
        _geometry(Left=float("nan"), Top=0.2, Width=0.3, Height=0.1),
        _geometry(Left=True, Top=0.2, Width=0.3, Height=0.1),
    ],
)
def test_a_box_that_locates_nothing_reads_as_missing(geometry: object) -> None:
    assert bbox_of(geometry) is None


def test_a_box_reads_as_page_fractions() -> None:
    assert bbox_of(_geometry(Left=0.1, Top=0.2, Width=0.3, Height=0.05)) == BoundingBox(
        left=0.1, top=0.2, width=0.3, height=0.05
    )


def test_the_union_of_boxes_skips_unknown_ones() -> None:
    a = BoundingBox(left=0.1, top=0.1, width=0.2, height=0.1)
    b = BoundingBox(left=0.5, top=0.3, width=0.1, height=0.1)
    joined = union([a, None, b])
    assert joined is not None
    assert (joined.left, joined.top) == (0.1, 0.1)
    assert joined.width == pytest.approx(0.5)
    assert joined.height == pytest.approx(0.3)
    assert union([None, None]) is None


@pytest.mark.parametrize(("raw", "expected"), [(97.5, 97.5), (120, 100.0), (-3, 0.0), (None, 0.0)])
def test_confidences_are_clamped_and_missing_ones_are_unsure(raw: object, expected: float) -> None:
    assert confidence_of(raw) == expected


def test_relationships_of_one_type_in_order_ignoring_junk() -> None:
    block = {
        "Relationships": [
            {"Type": "VALUE", "Ids": ["v1"]},
            {"Type": "CHILD", "Ids": ["w1", 7, "w2"]},
            "junk",
            {"Type": "CHILD", "Ids": ["w3"]},
        ]
    }
    assert related_ids(block, "CHILD") == ["w1", "w2", "w3"]
    assert related_ids(block, "VALUE") == ["v1"]
    assert related_ids({"Relationships": "nope"}, "CHILD") == []


def test_words_are_joined_by_line_and_missing_ones_collected() -> None:
    by_id: dict[str, dict[str, Any]] = {
        "a": {"BlockType": "WORD", "Text": "Acme"},
        "b": {"BlockType": "WORD", "Text": "Ltd"},
        "c": {"BlockType": "WORD", "Text": "Leeds"},
        "x": {"BlockType": "SELECTION_ELEMENT", "SelectionStatus": "SELECTED"},
    }
    missing: set[str] = set()
    lines = words_lines(["a", "b", "gone", "c"], by_id, {"a": 0, "b": 0, "c": 1}, missing)
    assert lines == ["Acme Ltd", "Leeds"]
    assert missing == {"gone"}
    assert words_text(["x", "a"], by_id, missing) == "[x] Acme"


def test_lines_already_seen_are_not_read_twice() -> None:
    line = {
        "BlockType": "LINE",
        "Id": "l1",
        "Text": "Total 10.00",
        "Confidence": 99,
        "Page": 2,
    }
    seen: set[str] = set()
    first = text_lines([line, {"BlockType": "WORD", "Id": "w"}, "junk"], seen)
    assert [(x.text, x.page, x.bbox) for x in first] == [("Total 10.00", 2, None)]
    assert text_lines([line], seen) == []


def test_pages_of_both_apis_are_sorted_and_failed_jobs_skipped() -> None:
    expense = {"ExpenseDocuments": [], "DocumentMetadata": {"Pages": 2}}
    page_1 = {"Blocks": [{"Id": "a"}, "junk"], "DocumentMetadata": {"Pages": 3}}
    page_2 = {"Blocks": [{"Id": "b"}], "JobStatus": "PARTIAL_SUCCESS"}
    failed = {"JobStatus": "FAILED", "StatusMessage": "bad file", "Blocks": [{"Id": "c"}]}
    batch = split_responses([expense, page_1, page_2, failed])
    assert batch.expense == [expense]
    assert [block["Id"] for block in batch.document_blocks] == ["a", "b"]
    assert batch.declared_pages == 3
    assert [hint.code for hint in batch.hints] == ["OCR_PARTIAL", "OCR_NOT_SUCCEEDED"]
    assert any("FAILED (bad file)" in warning for warning in batch.warnings)


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ([], "No Textract response"),
        ("{}", "Expected Textract response"),
        ([{"Blocks": []}, 3], "Response 2 is not a JSON object"),
        ([{"Something": "else"}], "Response 1 is not a Textract response"),
    ],
)
def test_input_that_is_not_textract_output_is_refused(responses: Any, message: str) -> None:
    with pytest.raises(UnreadableResponse, match=message):
        split_responses(responses)
