"""An AnalyzeExpense-shaped response for a synthetic invoice, made from its ground truth.

This is what Textract would ideally return for the PDF `render_pdf` draws: every value at
the place it was printed, high confidences. It lets the local cloud complete an invoice
end to end without AWS. The response says it is generated (`"DocuflowGenerated": true`)
so nobody mistakes it for a real Textract recording.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from docuflow_tools.samples.model import SyntheticInvoice
from docuflow_tools.samples.render import Printed, layout_invoice

# Ground-truth field -> Textract summary field type.
_SUMMARY_TYPES: dict[str, str] = {
    "invoice_number": "INVOICE_RECEIPT_ID",
    "document_date": "INVOICE_RECEIPT_DATE",
    "due_date": "DUE_DATE",
    "purchase_order": "PO_NUMBER",
    "payment_terms": "PAYMENT_TERMS",
    "subtotal": "SUBTOTAL",
    "tax_amount": "TAX",
    "total_amount": "TOTAL",
    "amount_due": "AMOUNT_DUE",
    "remittance_phone": "VENDOR_PHONE",
}
_MONEY_KEYS = frozenset({"subtotal", "tax_amount", "total_amount", "amount_due"})


def expense_recording(inv: SyntheticInvoice) -> dict[str, Any]:
    """A GetExpenseAnalysis-shaped response (JobStatus SUCCEEDED) for `render_pdf(inv)`."""
    layout = layout_invoice(inv)
    printed = layout.printed()
    rng = random.Random(f"expense-{inv.seed}")  # noqa: S311 - made-up confidences
    ids = _Ids(inv.seed)
    by_key: dict[str, list[Printed]] = {}
    for item in printed:
        if item.key:
            by_key.setdefault(item.key, []).append(item)

    def confidence() -> float:
        return round(rng.uniform(95.0, 99.9), 3)

    def detection(key: str, text: str | None = None) -> dict[str, Any] | None:
        parts = by_key.get(key)
        if not parts:
            return None
        return {
            "Text": text if text is not None else "\n".join(p.text for p in parts),
            "Geometry": _geometry(parts),
            "Confidence": confidence(),
        }

    def summary(
        type_: str,
        key: str,
        *,
        label_key: str | None = None,
        group: tuple[str, str] | None = None,
        currency: bool = False,
    ) -> dict[str, Any] | None:
        value = detection(key)
        if value is None:
            return None
        field: dict[str, Any] = {"Type": {"Text": type_, "Confidence": confidence()}}
        label = detection(label_key) if label_key else None
        if label is not None:
            field["LabelDetection"] = label
        field["ValueDetection"] = value
        field["PageNumber"] = by_key[key][0].page
        if currency:
            field["Currency"] = {"Code": inv.currency, "Confidence": confidence()}
        if group is not None:
            field["GroupProperties"] = [{"Types": [group[0]], "Id": group[1]}]
        return field

    vendor_group = ("VENDOR", ids.next())
    bill_to_group = ("RECEIVER_BILL_TO", ids.next())
    remit_group = ("VENDOR_REMIT_TO", ids.next())
    tax_id_type = (
        "TAX_PAYER_ID" if inv.vendor.tax_id and "-" in inv.vendor.tax_id else "VENDOR_VAT_NUMBER"
    )
    specs: list[dict[str, Any] | None] = [
        summary("VENDOR_NAME", "vendor_name"),
        summary("NAME", "vendor_name", group=vendor_group),
        summary("VENDOR_ADDRESS", "vendor_address"),
        summary("ADDRESS", "vendor_address", group=vendor_group),
        summary(tax_id_type, "vendor_tax_id", label_key="label:vendor_tax_id"),
        summary("RECEIVER_NAME", "bill_to_name"),
        summary("NAME", "bill_to_name", label_key="label:bill_to", group=bill_to_group),
        summary("RECEIVER_ADDRESS", "bill_to_address"),
        summary("ADDRESS", "bill_to_address", group=bill_to_group),
        summary("NAME", "remit_to_name", label_key="label:remit_to", group=remit_group),
        summary("ADDRESS", "remit_to_address", group=remit_group),
        summary("OTHER", "remittance_email", label_key="label:remittance_email"),
        summary("OTHER", "bank_account", label_key="label:bank_account"),
        summary("OTHER", "bic", label_key="label:bic"),
    ]
    for key, type_ in _SUMMARY_TYPES.items():
        specs.append(summary(type_, key, label_key=f"label:{key}", currency=key in _MONEY_KEYS))
    summary_fields = [spec for spec in specs if spec is not None]

    line_items: list[dict[str, Any]] = []
    for index in range(len(inv.items)):
        fields: list[dict[str, Any]] = []
        for type_, column in (
            ("ITEM", "description"),
            ("QUANTITY", "quantity"),
            ("UNIT_PRICE", "unit_price"),
            ("PRICE", "amount"),
        ):
            label_key = "label:item" if column == "description" else f"label:{column}"
            spec = summary(type_, f"item:{index}:{column}", label_key=label_key)
            if spec is not None:
                spec.pop("PageNumber", None)
                spec["PageNumber"] = by_key[f"item:{index}:{column}"][0].page
                fields.append(spec)
        row_parts = [
            p
            for column in ("description", "quantity", "unit_price", "amount")
            for p in by_key.get(f"item:{index}:{column}", [])
        ]
        fields.append(
            {
                "Type": {"Text": "EXPENSE_ROW", "Confidence": confidence()},
                "ValueDetection": {
                    "Text": " ".join(p.text for p in row_parts),
                    "Geometry": _geometry(row_parts),
                    "Confidence": confidence(),
                },
                "PageNumber": row_parts[0].page,
            }
        )
        line_items.append({"LineItemExpenseFields": fields})

    return {
        "DocuflowGenerated": True,
        "DocumentMetadata": {"Pages": layout.pages},
        "JobStatus": "SUCCEEDED",
        "AnalyzeExpenseModelVersion": "1.0",
        "ExpenseDocuments": [
            {
                "ExpenseIndex": 1,
                "SummaryFields": summary_fields,
                "LineItemGroups": [{"LineItemGroupIndex": 1, "LineItems": line_items}],
                "Blocks": _blocks(printed, layout.pages, ids),
            }
        ],
    }


class _Ids:
    """Deterministic block ids (uuid5), so a recording is reproducible byte for byte."""

    def __init__(self, seed: int) -> None:
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"docuflow:generated:{seed}")
        self._count = 0

    def next(self) -> str:
        self._count += 1
        return str(uuid.uuid5(self._namespace, str(self._count)))


def _box(left: float, top: float, width: float, height: float) -> dict[str, Any]:
    return {
        "BoundingBox": {"Width": width, "Height": height, "Left": left, "Top": top},
        "Polygon": [
            {"X": left, "Y": top},
            {"X": left + width, "Y": top},
            {"X": left + width, "Y": top + height},
            {"X": left, "Y": top + height},
        ],
    }


def _geometry(parts: list[Printed]) -> dict[str, Any]:
    same_page = [p for p in parts if p.page == parts[0].page]
    left = min(p.left for p in same_page)
    top = min(p.top for p in same_page)
    right = max(p.left + p.width for p in same_page)
    bottom = max(p.top + p.height for p in same_page)
    return _box(left, top, right - left, bottom - top)


def _blocks(printed: list[Printed], pages: int, ids: _Ids) -> list[dict[str, Any]]:
    """PAGE, LINE and WORD blocks: one LINE per printed string, in reading order."""
    blocks: list[dict[str, Any]] = []
    rng = random.Random(f"blocks-{ids.next()}")  # noqa: S311 - made-up confidences
    for page in range(1, pages + 1):
        page_block: dict[str, Any] = {
            "BlockType": "PAGE",
            "Geometry": _box(0.0, 0.0, 1.0, 1.0),
            "Id": ids.next(),
            "Page": page,
        }
        blocks.append(page_block)
        line_ids: list[str] = []
        on_page = sorted(
            (p for p in printed if p.page == page), key=lambda p: (round(p.top, 3), p.left)
        )
        for item in on_page:
            word_confidences = [round(rng.uniform(98.8, 99.95), 3) for _ in item.words]
            word_blocks: list[dict[str, Any]] = [
                {
                    "BlockType": "WORD",
                    "Confidence": confidence,
                    "Text": word.text,
                    "TextType": "PRINTED",
                    "Geometry": _box(word.left, word.top, word.width, word.height),
                    "Id": ids.next(),
                    "Page": page,
                }
                for word, confidence in zip(item.words, word_confidences, strict=True)
            ]
            line_id = ids.next()
            line_block: dict[str, Any] = {
                "BlockType": "LINE",
                "Confidence": min(word_confidences, default=99.0),
                "Text": item.text,
                "Geometry": _box(item.left, item.top, item.width, item.height),
                "Id": line_id,
                "Relationships": [{"Type": "CHILD", "Ids": [w["Id"] for w in word_blocks]}],
                "Page": page,
            }
            line_ids.append(line_id)
            blocks.append(line_block)
            blocks.extend(word_blocks)
        page_block["Relationships"] = [{"Type": "CHILD", "Ids": line_ids}]
    return blocks
