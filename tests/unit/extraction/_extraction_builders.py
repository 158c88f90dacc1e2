"""Hand-built Textract responses for edge cases the recorded fixtures do not cover.

Shapes follow the AnalyzeExpense and AnalyzeDocument API references; each builder makes
the smallest response that exercises one rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

_ids = itertools.count(1)


def _geometry(left: float, top: float, width: float = 0.2, height: float = 0.02) -> dict[str, Any]:
    return {"BoundingBox": {"Left": left, "Top": top, "Width": width, "Height": height}}


def expense_field(
    kind: str,
    value: str,
    *,
    label: str | None = None,
    confidence: float = 99.0,
    page: int = 1,
    groups: Sequence[str] = (),
    currency: str | None = None,
    top: float = 0.1,
) -> dict[str, Any]:
    field: dict[str, Any] = {
        "Type": {"Text": kind, "Confidence": confidence},
        "ValueDetection": {
            "Text": value,
            "Confidence": confidence,
            "Geometry": _geometry(0.5, top),
        },
        "PageNumber": page,
    }
    if label is not None:
        field["LabelDetection"] = {
            "Text": label,
            "Confidence": confidence,
            "Geometry": _geometry(0.3, top),
        }
    if groups:
        field["GroupProperties"] = [{"Types": list(groups), "Id": f"group-{next(_ids)}"}]
    if currency:
        field["Currency"] = {"Code": currency}
    return field


def expense_item(
    description: str,
    amount: str | None,
    *,
    quantity: str | None = None,
    unit_price: str | None = None,
    page: int = 1,
) -> dict[str, Any]:
    fields = [expense_field("ITEM", description, page=page)]
    if quantity is not None:
        fields.append(expense_field("QUANTITY", quantity, page=page))
    if unit_price is not None:
        fields.append(expense_field("UNIT_PRICE", unit_price, page=page))
    if amount is not None:
        fields.append(expense_field("PRICE", amount, page=page))
    return {"LineItemExpenseFields": fields}


def expense_response(
    *documents: Sequence[dict[str, Any]],
    items: Sequence[dict[str, Any]] = (),
    pages: int = 1,
) -> dict[str, Any]:
    """One AnalyzeExpense response; each positional argument is one ExpenseDocument."""
    return {
        "DocumentMetadata": {"Pages": pages},
        "ExpenseDocuments": [
            {
                "ExpenseIndex": index,
                "SummaryFields": list(summary),
                "LineItemGroups": [{"LineItemGroupIndex": 1, "LineItems": list(items)}]
                if index == 1 and items
                else [],
            }
            for index, summary in enumerate(documents, start=1)
        ],
    }


class DocumentBuilder:
    """Blocks of an AnalyzeDocument (FORMS + TABLES) response."""

    def __init__(self, pages: int = 1) -> None:
        self.pages = pages
        self.blocks: list[dict[str, Any]] = []
        self._top: dict[int, float] = {}

    def _id(self) -> str:
        return f"block-{next(_ids)}"

    def line(self, text: str, *, page: int = 1, left: float = 0.1) -> list[str]:
        """A LINE and its WORDs; returns the word ids."""
        top = self._top.get(page, 0.05)
        self._top[page] = top + 0.03
        word_ids = []
        for word in text.split():
            word_id = self._id()
            word_ids.append(word_id)
            self.blocks.append(
                {
                    "BlockType": "WORD",
                    "Id": word_id,
                    "Text": word,
                    "Confidence": 99.0,
                    "Page": page,
                    "Geometry": _geometry(left, top),
                }
            )
        self.blocks.append(
            {
                "BlockType": "LINE",
                "Id": self._id(),
                "Text": text,
                "Confidence": 99.0,
                "Page": page,
                "Geometry": _geometry(left, top, 0.5),
                "Relationships": [{"Type": "CHILD", "Ids": word_ids}],
            }
        )
        return word_ids

    def key_value(
        self, key: str, value_lines: Sequence[str], *, page: int = 1, confidence: float = 95.0
    ) -> None:
        key_words = self.line(key, page=page)
        value_words = [word for text in value_lines for word in self.line(text, page=page)]
        key_id, value_id = self._id(), self._id()
        top = self._top[page]
        self.blocks.append(
            {
                "BlockType": "KEY_VALUE_SET",
                "Id": key_id,
                "EntityTypes": ["KEY"],
                "Confidence": confidence,
                "Page": page,
                "Geometry": _geometry(0.1, top),
                "Relationships": [
                    {"Type": "VALUE", "Ids": [value_id]},
                    {"Type": "CHILD", "Ids": key_words},
                ],
            }
        )
        self.blocks.append(
            {
                "BlockType": "KEY_VALUE_SET",
                "Id": value_id,
                "EntityTypes": ["VALUE"],
                "Confidence": confidence,
                "Page": page,
                "Geometry": _geometry(0.4, top),
                "Relationships": [{"Type": "CHILD", "Ids": value_words}],
            }
        )

    def table(self, rows: Sequence[Sequence[str]], *, page: int = 1, header: bool = True) -> None:
        cell_ids = []
        for row_number, row in enumerate(rows, start=1):
            for column_number, text in enumerate(row, start=1):
                words = self.line(text, page=page) if text else []
                cell_id = self._id()
                cell_ids.append(cell_id)
                cell: dict[str, Any] = {
                    "BlockType": "CELL",
                    "Id": cell_id,
                    "RowIndex": row_number,
                    "ColumnIndex": column_number,
                    "Confidence": 90.0,
                    "Page": page,
                    "Geometry": _geometry(0.1 * column_number, self._top[page]),
                    "Relationships": [{"Type": "CHILD", "Ids": words}] if words else [],
                }
                if header and row_number == 1:
                    cell["EntityTypes"] = ["COLUMN_HEADER"]
                self.blocks.append(cell)
        self.blocks.append(
            {
                "BlockType": "TABLE",
                "Id": self._id(),
                "Confidence": 90.0,
                "Page": page,
                "Geometry": _geometry(0.1, 0.4, 0.8, 0.3),
                "Relationships": [{"Type": "CHILD", "Ids": cell_ids}],
            }
        )

    def response(self) -> dict[str, Any]:
        pages = [
            {"BlockType": "PAGE", "Id": self._id(), "Page": page, "Geometry": _geometry(0, 0, 1, 1)}
            for page in range(1, self.pages + 1)
        ]
        return {"DocumentMetadata": {"Pages": self.pages}, "Blocks": pages + self.blocks}
