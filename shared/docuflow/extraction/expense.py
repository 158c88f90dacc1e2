"""The expense reader: AnalyzeExpense / GetExpenseAnalysis responses into findings.

Summary fields become readings of the field their Textract type names (checked against
the printed label), OTHER fields with a label are read by their label, the receiver's
fields are kept apart (never the vendor), line item groups become line items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from docuflow.extraction.candidates import Findings, Reading, Where, kinds
from docuflow.extraction.evidence import WEIGHTS, Evidence
from docuflow.extraction.labels import (
    EXPENSE_GROUP_FIELDS,
    EXPENSE_TYPES,
    RECEIVER_EXPENSE_TYPES,
    RELATED_EXPENSE_TYPES,
    field_for_label,
    label_key,
)
from docuflow.extraction.normalize import ISO_4217, clean_text
from docuflow.extraction.result import BoundingBox, FieldSource
from docuflow.extraction.textract import (
    as_list,
    as_map,
    as_text,
    bbox_of,
    confidence_of,
    page_of,
    text_lines,
)

# Line item field types -> line item parts.
_ITEM_ROLES = {
    "ITEM": "description",
    "DESCRIPTION": "description",
    "QUANTITY": "quantity",
    "UNIT_PRICE": "unit_price",
    "PRICE": "amount",  # Textract's PRICE is the line's total, not the unit price
}


def read_expense(
    findings: Findings, response: Mapping[str, Any], seen_lines: set[str], *, with_lines: bool
) -> None:
    """SummaryFields, LineItemGroups and (unless already read) the LINEs of a response."""
    findings.saw_expense = True
    for position, document in enumerate(as_list(response.get("ExpenseDocuments"))):
        doc = as_map(document)
        index = page_of(doc.get("ExpenseIndex")) or position + 1
        for summary in as_list(doc.get("SummaryFields")):
            _read_summary_field(findings, as_map(summary), index)
        for group in as_list(doc.get("LineItemGroups")):
            for item in as_list(as_map(group).get("LineItems")):
                _read_line_item(findings, as_map(item))
        if with_lines:
            findings.add_lines(text_lines(as_list(doc.get("Blocks")), seen_lines))
    if with_lines:
        findings.add_lines(text_lines(as_list(response.get("Blocks")), seen_lines))


@dataclass(frozen=True, slots=True)
class _Summary:
    """One summary field: Textract's type, the printed label and value, its party groups."""

    type_text: str
    label_text: str
    value_text: str
    groups: frozenset[str]
    where: Where

    @classmethod
    def read(cls, summary: Mapping[str, Any], page: int | None) -> _Summary:
        kind = as_map(summary.get("Type"))
        label = as_map(summary.get("LabelDetection"))
        detection = as_map(summary.get("ValueDetection"))
        where = Where(
            # Type confidence is how sure Textract is of what the value means: count it too.
            min(confidence_of(kind.get("Confidence")), confidence_of(detection.get("Confidence"))),
            page,
            bbox_of(detection.get("Geometry")) or bbox_of(label.get("Geometry")),
            FieldSource.EXPENSE,
        )
        groups = frozenset(
            as_text(kind_name)
            for group in as_list(summary.get("GroupProperties"))
            for kind_name in as_list(as_map(group).get("Types"))
        )
        return cls(
            as_text(kind.get("Text")).upper(),
            as_text(label.get("Text")),
            as_text(detection.get("Text")),
            groups,
            where,
        )

    @property
    def is_receivers(self) -> bool:
        return self.type_text in RECEIVER_EXPENSE_TYPES or any(
            group.startswith("RECEIVER") for group in self.groups
        )

    def keep_as_other(self, findings: Findings) -> None:
        described = " ".join(
            part for part in (" ".join(sorted(self.groups)), self.type_text) if part
        )
        key = (
            clean_text(self.label_text) or described.replace("_", " ").capitalize() or "Unlabelled"
        )
        findings.add_other(key, self.value_text.strip(), self.where)


def _read_summary_field(findings: Findings, raw: Mapping[str, Any], expense_index: int) -> None:
    page = page_of(raw.get("PageNumber")) or (1 if findings.page_count <= 1 else None)
    findings.note_page(page)
    summary = _Summary.read(raw, page)
    _read_currency(findings, raw, summary)
    if summary.label_text:
        findings.label_texts.append(summary.label_text)
    if summary.is_receivers:
        if summary.type_text in ("RECEIVER_NAME", "NAME") and summary.value_text.strip():
            findings.receiver_names.add(label_key(clean_text(summary.value_text)))
        findings.receiver_texts.append(label_key(summary.value_text))
        summary.keep_as_other(findings)
        return
    typed_as = _field_of_type(summary.type_text, summary.groups)
    if typed_as is None:
        if summary.label_text and summary.type_text == "OTHER":
            findings.add_labelled(summary.label_text, summary.value_text, summary.where)
        else:
            summary.keep_as_other(findings)
        return
    name, typed = typed_as
    if name == "invoice_number" and summary.value_text.strip():
        findings.invoice_ids_by_expense_doc.setdefault(expense_index, set()).add(
            label_key(summary.value_text)
        )
    if summary.type_text == "VENDOR_PHONE" and not summary.label_text:
        # Keep where the value came from visible to a reviewer: the vendor's phone.
        summary = replace(summary, label_text="Vendor phone")
    _read_typed(findings, summary, name, typed)


def _read_typed(findings: Findings, summary: _Summary, name: str, typed: Evidence) -> None:
    """A summary field whose type names field `name`, checked against its printed label."""
    label_text, value_text, where = summary.label_text, summary.value_text, summary.where
    label_name, sureness = field_for_label(label_text) if label_text else (None, 0.0)
    evidence = kinds(typed)
    if label_name is not None and label_name != name and sureness >= WEIGHTS.label_specific:
        # The printed label disagrees with Textract's type (a SUBTOTAL printed as
        # "Total", a TOTAL printed as "Subtotal"): the specific printed label is the
        # better reading, the type stays as a weaker alternative.
        findings.add_candidate(
            label_name,
            value_text,
            where,
            label=label_text,
            evidence=kinds(Evidence.LABEL_OVERRULES_TYPE),
        )
        evidence = kinds(Evidence.TYPE_OVERRULED_BY_LABEL)
    elif label_name == name:
        evidence = kinds(typed, Evidence.LABEL_AGREES_WITH_TYPE)
    if not findings.add_candidate(
        name, value_text, where, label=label_text or None, evidence=evidence
    ):
        summary.keep_as_other(findings)
    elif name == "amount_due":
        findings.add_candidate(
            "total_amount",
            value_text,
            where,
            label=label_text,
            evidence=kinds(Evidence.AMOUNT_DUE_AS_TOTAL),
        )


def _field_of_type(type_text: str, groups: frozenset[str]) -> tuple[str, Evidence] | None:
    """The field an expense type names (VENDOR_NAME), or a NAME/ADDRESS in a party group,
    with the kind of evidence that is."""
    name = EXPENSE_TYPES.get(type_text)
    if name is not None:
        typed = (
            Evidence.EXPENSE_RELATED_TYPE
            if type_text in RELATED_EXPENSE_TYPES
            else Evidence.EXPENSE_TYPE
        )
        return name, typed
    base = "ADDRESS" if type_text in ("ADDRESS", "ADDRESS_BLOCK") else type_text
    for group in sorted(groups):
        name = EXPENSE_GROUP_FIELDS.get((group, base))
        if name is not None:
            if type_text == "ADDRESS_BLOCK":
                return name, Evidence.EXPENSE_GROUP_ADDRESS_BLOCK
            return name, Evidence.EXPENSE_GROUP
    return None


def _read_currency(findings: Findings, raw: Mapping[str, Any], summary: _Summary) -> None:
    code = as_text(as_map(raw.get("Currency")).get("Code")).upper()
    if not code:
        return
    if code in ISO_4217:
        findings.add(
            Reading.at(
                "currency",
                code,
                summary.value_text or code,
                summary.where,
                label=summary.label_text,
                evidence=kinds(Evidence.CURRENCY_CODE_OF_AMOUNT),
            )
        )
    else:
        findings.warnings.append(f"Textract reported an unknown currency code {code!r}.")


def _read_line_item(findings: Findings, item: Mapping[str, Any]) -> None:
    parts: dict[str, str] = {}
    confidences: list[float] = []
    page: int | None = None
    bbox: BoundingBox | None = None
    for entry in as_list(item.get("LineItemExpenseFields")):
        expense_field = as_map(entry)
        type_text = as_text(as_map(expense_field.get("Type")).get("Text")).upper()
        detection = as_map(expense_field.get("ValueDetection"))
        text = as_text(detection.get("Text"))
        page = page or page_of(expense_field.get("PageNumber"))
        if type_text == "EXPENSE_ROW":
            bbox = bbox_of(detection.get("Geometry"))
            continue
        role = _ITEM_ROLES.get(type_text)
        if role is None or not text.strip() or role in parts:
            continue
        parts[role] = text
        confidences.append(confidence_of(detection.get("Confidence")))
    if not parts:
        return
    page = page or (1 if findings.page_count <= 1 else None)
    findings.note_page(page)
    findings.expense_items.append(
        findings.line_item(parts, min(confidences), page, bbox, FieldSource.EXPENSE)
    )
