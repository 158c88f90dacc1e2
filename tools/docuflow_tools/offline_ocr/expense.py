"""The engine's reading in AnalyzeExpense's shape, for a stand-in answering GetExpenseAnalysis.

The engine does not type fields the way Textract's expense model does; it hands over what
it saw: each key-value pair as an `OTHER` summary field with its label (the parser reads
those as printed labels), each table whose header names line-item columns as line items
(ITEM, QUANTITY, UNIT_PRICE, PRICE, EXPENSE_ROW), and the PAGE/LINE/WORD blocks (the
parser's text finder reads the rest from them).
"""

from __future__ import annotations

from typing import Any

from docuflow.extraction.labels import column_role

_ROLE_TYPES = {
    "description": "ITEM",
    "quantity": "QUANTITY",
    "unit_price": "UNIT_PRICE",
    "amount": "PRICE",
}


def document_to_expense(response: dict[str, Any]) -> dict[str, Any]:
    """An AnalyzeExpense-shaped response holding what `response` (the engine's) found."""
    blocks: list[dict[str, Any]] = response["Blocks"]
    by_id = {block["Id"]: block for block in blocks}
    summary: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for block in blocks:
        if block["BlockType"] == "KEY_VALUE_SET" and "KEY" in block.get("EntityTypes", []):
            value_ids = _related(block, "VALUE")
            if value_ids:
                summary.append(
                    {
                        "Type": {"Text": "OTHER", "Confidence": block["Confidence"]},
                        "LabelDetection": _detection(block, by_id),
                        "ValueDetection": _detection(by_id[value_ids[0]], by_id),
                        "PageNumber": block["Page"],
                    }
                )
        elif block["BlockType"] == "TABLE":
            items.extend(_table_items(block, by_id))
    return {
        "DocumentMetadata": response["DocumentMetadata"],
        "JobStatus": "SUCCEEDED",
        "AnalyzeExpenseModelVersion": "1.0",
        "ExpenseDocuments": [
            {
                "ExpenseIndex": 1,
                "SummaryFields": summary,
                "LineItemGroups": [{"LineItemGroupIndex": 1, "LineItems": items}] if items else [],
                "Blocks": _text_blocks(blocks),
            }
        ],
        "DocuflowEngine": response.get("DocuflowEngine", {}),
    }


def _related(block: dict[str, Any], kind: str) -> list[str]:
    return [i for rel in block.get("Relationships", []) if rel["Type"] == kind for i in rel["Ids"]]


def _text(block: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str:
    return " ".join(by_id[i]["Text"] for i in _related(block, "CHILD") if "Text" in by_id[i])


def _detection(block: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "Text": _text(block, by_id),
        "Geometry": block["Geometry"],
        "Confidence": block["Confidence"],
    }


def _text_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """PAGE, LINE and WORD blocks; a PAGE keeps only its LINE children."""
    kept = [b for b in blocks if b["BlockType"] in ("PAGE", "LINE", "WORD")]
    line_ids = {b["Id"] for b in kept if b["BlockType"] == "LINE"}
    out = []
    for block in kept:
        if block["BlockType"] == "PAGE":
            children = [i for i in _related(block, "CHILD") if i in line_ids]
            out.append({**block, "Relationships": [{"Type": "CHILD", "Ids": children}]})
        else:
            out.append(block)
    return out


def _table_items(table: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    cells = [by_id[i] for i in _related(table, "CHILD") if by_id[i]["BlockType"] == "CELL"]
    header = {c["ColumnIndex"]: _text(c, by_id) for c in cells if c["RowIndex"] == 1}
    roles = {column: column_role(text) for column, text in header.items()}
    if "amount" not in roles.values() or "description" not in roles.values():
        return []  # not a line-item table (a band of header fields, say)
    rows: dict[int, list[dict[str, Any]]] = {}
    for cell in cells:
        if cell["RowIndex"] > 1:
            rows.setdefault(cell["RowIndex"], []).append(cell)
    items = []
    for _, row in sorted(rows.items()):
        fields = []
        for cell in sorted(row, key=lambda c: c["ColumnIndex"]):
            role = roles.get(cell["ColumnIndex"])
            text = _text(cell, by_id)
            if role is None or not text:
                continue
            fields.append(
                {
                    "Type": {"Text": _ROLE_TYPES[role], "Confidence": cell["Confidence"]},
                    "LabelDetection": {"Text": header[cell["ColumnIndex"]]},
                    "ValueDetection": _detection(cell, by_id),
                    "PageNumber": cell["Page"],
                }
            )
        if fields:
            fields.append(
                {
                    "Type": {
                        "Text": "EXPENSE_ROW",
                        "Confidence": min(c["Confidence"] for c in row),
                    },
                    "ValueDetection": {
                        "Text": " ".join(
                            _text(c, by_id) for c in sorted(row, key=lambda c: c["ColumnIndex"])
                        ),
                        "Geometry": _row_geometry(row),
                        "Confidence": min(c["Confidence"] for c in row),
                    },
                    "PageNumber": row[0]["Page"],
                }
            )
            items.append({"LineItemExpenseFields": fields})
    return items


def _row_geometry(row: list[dict[str, Any]]) -> dict[str, Any]:
    boxes = [c["Geometry"]["BoundingBox"] for c in row]
    left = min(b["Left"] for b in boxes)
    top = min(b["Top"] for b in boxes)
    right = max(b["Left"] + b["Width"] for b in boxes)
    bottom = max(b["Top"] + b["Height"] for b in boxes)
    return {
        "BoundingBox": {"Width": right - left, "Height": bottom - top, "Left": left, "Top": top},
        "Polygon": [
            {"X": left, "Y": top},
            {"X": right, "Y": top},
            {"X": right, "Y": bottom},
            {"X": left, "Y": bottom},
        ],
    }
