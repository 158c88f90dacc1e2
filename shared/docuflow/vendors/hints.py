"""Learning from corrections (ADR 0026): what a reviewer chose for a vendor's invoice
becomes a hint the parser's result follows on that vendor's next invoices.

- a corrected vendor name becomes the vendor's canonical name;
- a corrected invoice number that was printed under a label the parser also read (one of
  the field's alternatives, or another key-value pair) teaches that label.

A value chosen by a hint is `source: vendor_hint`, keeps the printed text, page, box and
confidence of the reading it stands on, and keeps what the parser had chosen among its
alternatives.
"""

from __future__ import annotations

from collections.abc import Mapping

from docuflow.extraction.parser import ParsedDocument
from docuflow.extraction.result import (
    Candidate,
    ExtractedField,
    ExtractionResult,
    FieldSource,
)
from docuflow.vendors.model import VendorHints


def _same(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def _label_of(result: ExtractionResult, name: str, value: str) -> str | None:
    """The printed label of a reading of `value` the parser had seen for field `name`."""
    field = result.fields.get(name)
    for candidate in field.alternatives if field else []:
        if candidate.label and _same(candidate.value, value):
            return candidate.label
    for other in result.other_fields:
        if _same(other.value, value):
            return other.key
    return None


def learn(
    hints: VendorHints,
    result: ExtractionResult,
    corrections: Mapping[str, str],
    *,
    job_id: str,
) -> VendorHints:
    """The hints after a reviewer approved `result` with `corrections` (field -> value)."""
    update: dict[str, object] = {}
    if "vendor_name" in corrections:
        update["vendor_name"] = corrections["vendor_name"]
    number = corrections.get("invoice_number")
    label = _label_of(result, "invoice_number", number) if number else None
    if label:
        update["invoice_number_label"] = label
    if not update:
        return hints
    return hints.model_copy(update={**update, "learned_from": [*hints.learned_from, job_id]})


def _as_candidate(field: ExtractedField) -> Candidate:
    return Candidate(
        value=field.value,
        text=field.text,
        confidence=field.confidence,
        page=field.page,
        bbox=field.bbox,
        source=field.source,
        label=field.label,
    )


def _hinted(field: ExtractedField, value: str, *, text: str, label: str | None) -> ExtractedField:
    alternatives = [_as_candidate(field), *(c for c in field.alternatives if c.value != value)]
    return field.model_copy(
        update={
            "value": value,
            "text": text,
            "source": FieldSource.VENDOR_HINT,
            "label": label,
            "alternatives": alternatives,
        }
    )


def _invoice_number_under(parsed: ParsedDocument, label: str) -> ExtractedField | None:
    """The invoice number read under `label`, if the parser saw one there."""
    field = parsed.fields.get("invoice_number")
    if field is None:
        return None
    if field.label and _same(field.label, label):
        return None  # already the one the reviewer chose
    for candidate in field.alternatives:
        if candidate.label and _same(candidate.label, label):
            return _hinted(
                field.model_copy(
                    update={
                        "page": candidate.page,
                        "bbox": candidate.bbox,
                        "confidence": candidate.confidence,
                    }
                ),
                candidate.value,
                text=candidate.text,
                label=f"vendor hint: the invoice number sits under {label!r}",
            )
    for other in parsed.other_fields:
        if _same(other.key, label):
            return _hinted(
                field.model_copy(
                    update={"page": other.page, "bbox": other.bbox, "confidence": other.confidence}
                ),
                other.value,
                text=other.value,
                label=f"vendor hint: the invoice number sits under {label!r}",
            )
    return None


def apply_hints(parsed: ParsedDocument, hints: VendorHints) -> ParsedDocument:
    """`parsed` with the vendor's hints followed (unchanged when none applies)."""
    fields = dict(parsed.fields)
    name = fields.get("vendor_name")
    if hints.vendor_name and name is not None and name.value != hints.vendor_name:
        fields["vendor_name"] = _hinted(
            name,
            hints.vendor_name,
            text=name.text,
            label="vendor hint: the name a reviewer gave this vendor",
        )
    if hints.invoice_number_label:
        number = _invoice_number_under(parsed, hints.invoice_number_label)
        if number is not None:
            fields["invoice_number"] = number
    if fields == parsed.fields:
        return parsed
    return parsed.model_copy(update={"fields": fields})
