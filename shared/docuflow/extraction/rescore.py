"""Re-scoring a stored result with a reviewer's corrections: the pipeline's own checks
and routing (`checks.score`), run on the values as corrected.

The stored result is what `score` returned; what `score` read besides the fields and
lines is recovered from it: the parser's doubts are the stored reasons that no shared
check produces (a doubt about a field the reviewer corrected is settled and dropped),
a credit note is a document whose credit-note check ran, and an e-invoice's own checks
(EN 16931 rules on its XML) stand unless the reviewer corrected a value they concern,
in which case the shared check of that name runs on the corrected values instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docuflow.extraction.checks import REASON_CODES, DuplicateEvidence, ScoringSettings, score
from docuflow.extraction.parser import ParsedDocument
from docuflow.extraction.result import (
    MONEY_FIELDS,
    REQUIRED_FIELDS,
    Check,
    ExtractedField,
    ExtractionResult,
    FieldSource,
    LineItem,
    ReviewReason,
)

# A value a person typed is as sure as a value can be.
REVIEWED_CONFIDENCE = 100.0
LINE_ITEMS = "line_items"

# The checks `score` runs itself; any other stored check is the reader's own.
SHARED_CHECKS = frozenset(
    {
        "totals_add_up",
        "line_items_sum",
        "due_not_before_issue",
        "currency_known",
        "required_fields",
        "confidence",
        "possible_duplicate",
        "is_invoice",
        "credit_note",
        "iban_checksum",
    }
)
# The reason codes a shared check gives (the rest of a stored result's reasons are the
# parser's doubts).
_CHECK_CODES = frozenset(
    {
        *REASON_CODES.values(),
        "MISSING_FIELD",
        "LOW_CONFIDENCE",
        "DUPLICATE_INVOICE",
        "DUPLICATE_FILE",
        "UNREADABLE_OCR",
    }
)
# Codes only checks an e-invoice's reader never runs give: always computed afresh.
_RECOMPUTED_CODES = frozenset(
    {
        "DUPLICATE_INVOICE",
        "DUPLICATE_FILE",
        "LOW_CONFIDENCE",
        "UNREADABLE_OCR",
        REASON_CODES["due_not_before_issue"],
        REASON_CODES["is_invoice"],
        REASON_CODES["credit_note"],
    }
)


def corrected_field(found: ExtractedField | None, value: str) -> ExtractedField:
    """A field as the reviewer corrected it: their value, where it was printed."""
    if found is None:
        return ExtractedField(
            value=value, text=value, confidence=REVIEWED_CONFIDENCE, source=FieldSource.REVIEWER
        )
    return found.model_copy(
        update={
            "value": value,
            "text": value,
            "confidence": REVIEWED_CONFIDENCE,
            "source": FieldSource.REVIEWER,
            "alternatives": [],
        }
    )


def rescore(
    result: ExtractionResult,
    settings: ScoringSettings,
    duplicates: DuplicateEvidence | None,
    *,
    fields: Mapping[str, str],
    line_items: Sequence[LineItem] | None,
) -> ExtractionResult:
    """`result` scored again with corrected `fields` (normalized values by name) and, when
    not None, `line_items` in place of the lines read. Nothing is stored."""
    corrected = set(fields) | ({LINE_ITEMS} if line_items is not None else set())
    merged = dict(result.fields)
    for name, value in fields.items():
        merged[name] = corrected_field(result.fields.get(name), value)
    own = _reader_checks(result, corrected)
    parsed = ParsedDocument(
        document_type=result.document_type,
        pages=result.pages,
        fields=merged,
        line_items=list(result.line_items if line_items is None else line_items),
        other_fields=list(result.other_fields),
        warnings=list(result.warnings),
        review_hints=_doubts(result, corrected, own),
        credit_note=_credit_note(result),
    )
    scored = score(parsed, settings, duplicates, reader_checks=own)
    return scored.model_copy(
        update={
            "tax_breakdown": result.tax_breakdown,
            "allowances_charges": result.allowances_charges,
            "einvoice": result.einvoice,
        }
    )


def _reader_checks(result: ExtractionResult, corrected: set[str]) -> dict[str, Check]:
    """An e-invoice's own checks that no correction touches (they were run on its XML)."""
    if result.einvoice is None:
        return {}
    own: dict[str, Check] = {}
    for name, check in result.checks.items():
        if name in SHARED_CHECKS:
            concerns = _EINVOICE_REPLACES.get(name)
            if concerns is None or (concerns | set(check.fields)) & corrected:
                continue
        own[name] = check
    return own


# The shared checks an e-invoice's reader runs in its own way (einvoice.rules.Group and
# the IBAN check of einvoice.mapping), with the values each is about.
_EINVOICE_REPLACES: dict[str, frozenset[str]] = {
    "required_fields": frozenset(REQUIRED_FIELDS),
    "totals_add_up": MONEY_FIELDS | {"currency"},
    "line_items_sum": frozenset({LINE_ITEMS, "line_total", "subtotal", "currency"}),
    "currency_known": frozenset({"currency"}),
    "iban_checksum": frozenset({"bank_account"}),
}


def _doubts(
    result: ExtractionResult, corrected: set[str], own: Mapping[str, Check]
) -> list[ReviewReason]:
    """The parser's doubts among the stored reasons, less those about corrected values.

    An e-invoice's own checks give their reasons as doubts, whatever their code; the
    reasons of a dropped own check go with it."""
    own_fields = {field for check in own.values() for field in check.fields}
    doubts: list[ReviewReason] = []
    for reason in result.routing.reasons:
        if reason.field is not None and reason.field in corrected:
            continue
        from_own_check = (
            result.einvoice is not None
            and reason.field in own_fields
            and reason.code not in _RECOMPUTED_CODES
        )
        if reason.code not in _CHECK_CODES or from_own_check:
            doubts.append(reason)
    currency = result.checks.get("currency_known")
    if (
        currency is not None
        and currency.status == "fail"
        and "currency" not in result.fields
        and "currency" not in corrected
        and "currency_known" not in own
    ):
        # With no currency read, the failed check said why in the parser's words (a
        # symbol several currencies use), and routing dropped that doubt as the check's
        # reason. Given back as a doubt, the check says the same again.
        doubts.append(
            ReviewReason(code="CURRENCY_AMBIGUOUS", field="currency", message=currency.message)
        )
    return doubts


def _credit_note(result: ExtractionResult) -> bool:
    """Titled a credit note: the credit-note check passes or fails only for one (and an
    e-invoice typed as one says so)."""
    check = result.checks.get("credit_note")
    return check is not None and check.status != "skipped"
