"""Property: any well-typed Textract JSON parses without raising and degrades to reasons.

The generated responses have the right JSON types everywhere but random content:
relationships to ids that are not there, missing geometry, odd text, pages out of range.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docuflow.extraction import analyze, parse_responses
from docuflow.extraction.labels import EXPENSE_TYPES
from docuflow.extraction.result import ExtractionResult

IDS = [f"id-{n}" for n in range(12)]
# Relationships also point at ids no block has: Textract output cut short, or a bad page.
RELATED_IDS = [*IDS, "missing-1", "missing-2", "missing-3"]

texts = st.one_of(
    st.text(max_size=24),
    st.sampled_from(
        [
            "$1,234.56",
            "1.234,56 €",
            "(12.00)",
            "12.00 CR",
            "-",
            "12/07/2019",
            "03/04/2021",
            "31.02.2020",
            "Thursday, 26 March 2020",
            "Total",
            "Sub Total",
            "Invoice Number",
            "Due Date",
            "From:",
            "Bill To:",
            "Description",
            "Qty",
            "Amount",
            "¥",
            "kr 10",
            "INV-1",
            "",
            "\n-\n",
            "USD",
            "XXX 10",
            "1e400",
            "123456789012345678901234567890.00",
            "9" * 30,
            "٣٤٥",
            "0.125",
        ]
    ),
)
confidences = st.floats(min_value=-5, max_value=105, allow_nan=False)
geometries = st.fixed_dictionaries(
    {
        "BoundingBox": st.fixed_dictionaries(
            {},
            optional={
                key: st.floats(min_value=-0.5, max_value=1.5, allow_nan=False)
                for key in ("Left", "Top", "Width", "Height")
            },
        )
    }
)
ids = st.sampled_from(IDS)
relationships = st.lists(
    st.fixed_dictionaries(
        {
            "Type": st.sampled_from(["CHILD", "VALUE", "MERGED_CELL", "TITLE", "ANSWER"]),
            "Ids": st.lists(st.sampled_from(RELATED_IDS), max_size=5),
        }
    ),
    max_size=3,
)

blocks = st.fixed_dictionaries(
    {
        "BlockType": st.sampled_from(
            [
                "PAGE",
                "LINE",
                "WORD",
                "KEY_VALUE_SET",
                "TABLE",
                "CELL",
                "MERGED_CELL",
                "SELECTION_ELEMENT",
                "LAYOUT_TEXT",
                "QUERY",
                "SIGNATURE",
            ]
        ),
        "Id": ids,
    },
    optional={
        "Text": texts,
        "Confidence": confidences,
        "Page": st.integers(min_value=-1, max_value=6),
        "Geometry": geometries,
        "Relationships": relationships,
        "EntityTypes": st.lists(
            st.sampled_from(["KEY", "VALUE", "COLUMN_HEADER", "STRUCTURED_TABLE"]), max_size=2
        ),
        "RowIndex": st.integers(min_value=0, max_value=4),
        "ColumnIndex": st.integers(min_value=0, max_value=5),
        "SelectionStatus": st.sampled_from(["SELECTED", "NOT_SELECTED"]),
    },
)

detections = st.fixed_dictionaries(
    {}, optional={"Text": texts, "Confidence": confidences, "Geometry": geometries}
)
expense_types = st.one_of(
    st.sampled_from(
        [
            *EXPENSE_TYPES,
            "NAME",
            "ADDRESS",
            "ADDRESS_BLOCK",
            "OTHER",
            "RECEIVER_NAME",
            "ITEM",
            "PRICE",
            "QUANTITY",
            "UNIT_PRICE",
            "EXPENSE_ROW",
        ]
    ),
    st.text(max_size=8),
)
expense_fields = st.fixed_dictionaries(
    {"Type": st.fixed_dictionaries({"Text": expense_types}, optional={"Confidence": confidences})},
    optional={
        "LabelDetection": detections,
        "ValueDetection": detections,
        "PageNumber": st.integers(min_value=-1, max_value=6),
        "GroupProperties": st.lists(
            st.fixed_dictionaries(
                {
                    "Types": st.lists(
                        st.sampled_from(
                            ["VENDOR", "RECEIVER", "RECEIVER_BILL_TO", "VENDOR_REMIT_TO", "X"]
                        ),
                        max_size=2,
                    ),
                    "Id": ids,
                }
            ),
            max_size=2,
        ),
        "Currency": st.fixed_dictionaries(
            {}, optional={"Code": st.sampled_from(["USD", "EUR", "usd", "???", ""])}
        ),
    },
)
expense_documents = st.fixed_dictionaries(
    {},
    optional={
        "ExpenseIndex": st.integers(min_value=-1, max_value=4),
        "SummaryFields": st.lists(expense_fields, max_size=8),
        "LineItemGroups": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "LineItems": st.lists(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "LineItemExpenseFields": st.lists(expense_fields, max_size=4)
                            },
                        ),
                        max_size=3,
                    )
                },
            ),
            max_size=2,
        ),
        "Blocks": st.lists(blocks, max_size=6),
    },
)
metadata = st.fixed_dictionaries({}, optional={"Pages": st.integers(min_value=-1, max_value=6)})
statuses = st.sampled_from(["SUCCEEDED", "FAILED", "IN_PROGRESS", "PARTIAL_SUCCESS"])

document_responses = st.fixed_dictionaries(
    {"Blocks": st.lists(blocks, max_size=25)},
    optional={
        "DocumentMetadata": metadata,
        "JobStatus": statuses,
        "NextToken": st.text(max_size=4),
    },
)
expense_responses = st.fixed_dictionaries(
    {"ExpenseDocuments": st.lists(expense_documents, max_size=3)},
    optional={
        "DocumentMetadata": metadata,
        "JobStatus": statuses,
        "Blocks": st.lists(blocks, max_size=6),
    },
)
status_responses = st.fixed_dictionaries(
    {"JobStatus": statuses}, optional={"StatusMessage": st.text(max_size=10)}
)
responses = st.lists(
    st.one_of(document_responses, expense_responses, status_responses), min_size=1, max_size=3
)

PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(responses)
def test_parser_never_raises_and_degrades_to_review(generated: list[dict[str, Any]]) -> None:
    parsed = parse_responses(generated)
    result = analyze(generated)
    # The result is always the valid JSON contract.
    assert ExtractionResult.model_validate(json.loads(result.model_dump_json())) == result
    for field in result.fields.values():
        assert 0 <= field.confidence <= 100
        assert field.page is None or field.page >= 1
    # Whatever the parser could not read or doubted keeps the job away from COMPLETED.
    if parsed.warnings or parsed.review_hints:
        assert result.routing.status == "NEEDS_REVIEW"
    if result.routing.status == "COMPLETED":
        assert all(check.status != "fail" for check in result.checks.values())
        assert not result.warnings


@PROPERTY_SETTINGS
@given(st.lists(blocks, max_size=30))
def test_dangling_relationships_never_raise(generated: list[dict[str, Any]]) -> None:
    result = analyze({"Blocks": generated})
    assert result.routing.status in ("COMPLETED", "NEEDS_REVIEW")
    # With random content nothing is a complete, consistent invoice.
    assert result.routing.status == "NEEDS_REVIEW"
