"""Checks on parsed invoice fields, and routing: COMPLETED or NEEDS_REVIEW with reasons.

Each check passes, fails or is skipped (it had nothing to check, which is not a pass).
Every failed check and every doubt the parser noted becomes a review reason; a job is
completed automatically only when there is none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from docuflow.extraction.normalize import ISO_4217, format_amount, iban_checksum_ok, minor_units
from docuflow.extraction.parser import ParsedDocument, parse_responses
from docuflow.extraction.result import (
    INVOICE_TYPES,
    REQUIRED_FIELDS,
    Check,
    DocumentType,
    ExtractedField,
    ExtractionResult,
    LineItem,
    ReviewReason,
    Routing,
)

# Amounts in no known currency are compared as if in cents.
_CENT = Decimal("0.01")


class ScoringSettings(BaseModel):
    """Thresholds below which a field's confidence sends the job to review (0-100)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    confidence_threshold: Annotated[float, Field(ge=0, le=100)] = 80
    field_thresholds: Annotated[
        dict[str, Annotated[float, Field(ge=0, le=100)]],
        Field(description="Per-field overrides, e.g. {'total_amount': 95}"),
    ] = Field(default_factory=dict)

    def threshold_for(self, name: str) -> float:
        """The confidence a value of field `name` needs to pass without review."""
        return self.field_thresholds.get(name, self.confidence_threshold)


class DuplicateEvidence(BaseModel):
    """Jobs already known with the same invoice key or the same file SHA-256."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    same_invoice_job_ids: list[str] = Field(default_factory=list)
    same_file_job_ids: list[str] = Field(default_factory=list)


_KEY_JUNK = re.compile(r"[\W_]+")


def invoice_key(fields: Mapping[str, ExtractedField | str]) -> str | None:
    """`<vendor>|<invoice number>` for the duplicate index, or None when either is missing.

    Both parts are casefolded with punctuation and spaces removed, so "ACME Ltd." and
    "acme ltd" or "INV-0042" and "inv 0042" give the same key. Accepts parsed fields or
    plain corrected values.
    """
    parts: list[str] = []
    for name in ("vendor_name", "invoice_number"):
        field = fields.get(name)
        value = field.value if isinstance(field, ExtractedField) else field
        normalized = _KEY_JUNK.sub("", value.casefold()) if isinstance(value, str) else ""
        if not normalized:
            return None
        parts.append(normalized)
    return "|".join(parts)


def _amount(fields: Mapping[str, ExtractedField], name: str) -> Decimal | None:
    field = fields.get(name)
    if field is None:
        return None
    try:
        return Decimal(field.value)
    except InvalidOperation:
        return None


def _currency(fields: Mapping[str, ExtractedField]) -> str | None:
    field = fields.get("currency")
    return field.value if field is not None else None


def _tolerance(fields: Mapping[str, ExtractedField]) -> Decimal:
    """Rounding printed amounts to the currency's minor unit (a cent, a fils, a yen) leaves
    at most one of it of difference per step."""
    places = minor_units(_currency(fields))
    return _CENT if places is None else Decimal(1).scaleb(-places)


def _money_in(fields: Mapping[str, ExtractedField]) -> Callable[[Decimal], str]:
    """How amounts are written in messages: in the document's currency's minor units."""
    currency = _currency(fields)
    return lambda amount: format_amount(amount, currency)


def _passed(message: str, *fields: str) -> Check:
    return Check(status="pass", message=message, fields=list(fields))


def _skipped(message: str, *fields: str) -> Check:
    return Check(status="skipped", message=message, fields=list(fields))


def _failed(message: str, *fields: str) -> Check:
    return Check(status="fail", message=message, fields=list(fields))


def _check_totals(fields: Mapping[str, ExtractedField]) -> Check:
    subtotal = _amount(fields, "subtotal")
    tax = _amount(fields, "tax_amount")
    total = _amount(fields, "total_amount")
    if subtotal is None or total is None:
        return _skipped("Subtotal or total was not found, so they could not be compared.")
    tolerance, money = _tolerance(fields), _money_in(fields)
    if tax is None:
        if abs(subtotal - total) <= tolerance:
            return _passed(
                f"The total {money(total)} equals the subtotal (no tax printed).",
                "subtotal",
                "total_amount",
            )
        return _failed(
            f"The subtotal {money(subtotal)} and the total {money(total)} differ and no tax "
            "amount was found to explain it.",
            "subtotal",
            "total_amount",
        )
    if abs(subtotal + tax - total) <= tolerance:
        return _passed(
            f"Subtotal {money(subtotal)} plus tax {money(tax)} equals the total {money(total)}.",
            "subtotal",
            "tax_amount",
            "total_amount",
        )
    return _failed(
        f"Subtotal {money(subtotal)} plus tax {money(tax)} is {money(subtotal + tax)}, "
        f"but the total says {money(total)}.",
        "subtotal",
        "tax_amount",
        "total_amount",
    )


def _check_line_items(fields: Mapping[str, ExtractedField], items: Sequence[LineItem]) -> Check:
    if not items:
        return _skipped("No line items were found.")
    tolerance, money = _tolerance(fields), _money_in(fields)
    amounts: list[Decimal] = []
    for number, item in enumerate(items, start=1):
        if item.amount is None:
            return _skipped(f"Line item {number} has no amount, so the items cannot be summed.")
        amount = Decimal(item.amount)
        if item.quantity is not None and item.unit_price is not None:
            expected = Decimal(item.quantity) * Decimal(item.unit_price)
            # Unit prices are often rounded to the minor unit: allow half of one per unit.
            allowed = tolerance + abs(Decimal(item.quantity)) * tolerance / 2
            if abs(expected - amount) > allowed:
                return _failed(
                    f"Line item {number}: {item.quantity} x {item.unit_price} is "
                    f"{money(expected)}, but its amount says {item.amount}.",
                    "line_items",
                )
        amounts.append(amount)
    total_of_items = sum(amounts, Decimal(0))
    subtotal = _amount(fields, "subtotal")
    total = _amount(fields, "total_amount")
    tax = _amount(fields, "tax_amount")
    if subtotal is not None:
        target, name, label = subtotal, "subtotal", "subtotal"
    elif total is not None:
        target, name, label = total - (tax or Decimal(0)), "total_amount", "total less tax"
    else:
        return _skipped("No subtotal or total was found to compare the line items with.")
    if abs(total_of_items - target) <= tolerance * len(amounts):
        return _passed(
            f"{_items(len(amounts))} to the {label} {money(target)}.",
            "line_items",
            name,
        )
    return _failed(
        f"{_items(len(amounts))} to {money(total_of_items)}, but the {label} is {money(target)}.",
        "line_items",
        name,
    )


def _check_dates(fields: Mapping[str, ExtractedField]) -> Check:
    issued, due = fields.get("document_date"), fields.get("due_date")
    if issued is None or due is None:
        return _skipped("The invoice date or the due date was not found.")
    if due.value >= issued.value:  # ISO dates compare as strings
        return _passed(
            f"The due date {due.value} is not before the invoice date {issued.value}.",
            "document_date",
            "due_date",
        )
    return _failed(
        f"The due date {due.value} is before the invoice date {issued.value}.",
        "document_date",
        "due_date",
    )


def _check_currency(parsed: ParsedDocument) -> Check:
    field = parsed.fields.get("currency")
    if field is not None and field.value in ISO_4217:
        return _passed(f"Amounts are in {field.value}.", "currency")
    if field is not None:
        return _failed(f"{field.value!r} is not a known currency code.", "currency")
    for hint in parsed.review_hints:
        if hint.code == "CURRENCY_AMBIGUOUS":
            return _failed(hint.message, "currency")
    if any(name in parsed.fields for name in ("subtotal", "tax_amount", "total_amount")):
        return _failed("No currency is printed with the amounts.", "currency")
    return _skipped("No amounts were found, so no currency is needed.")


def _check_required(fields: Mapping[str, ExtractedField]) -> Check:
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if missing:
        return _failed(
            "Not found on the document: " + ", ".join(_human(name) for name in missing) + ".",
            *missing,
        )
    return _passed("Vendor, invoice number, invoice date and total were all found.")


def _check_confidence(parsed: ParsedDocument, settings: ScoringSettings) -> tuple[Check, list[str]]:
    low = [
        name
        for name, field in parsed.fields.items()
        if field.confidence < settings.threshold_for(name)
    ]
    if any(item.confidence < settings.threshold_for("line_items") for item in parsed.line_items):
        low.append("line_items")
    if not parsed.fields and not parsed.line_items:
        return _skipped("Nothing was read whose confidence could be checked."), []
    if low:
        return _failed(
            "Read with low confidence: " + ", ".join(_human(name) for name in low) + ".", *low
        ), low
    return _passed("Every value was read with enough confidence."), []


def _check_duplicates(duplicates: DuplicateEvidence | None) -> Check:
    if duplicates is None:
        return _skipped("No index of earlier jobs was consulted.")
    found: list[str] = []
    if duplicates.same_invoice_job_ids:
        found.append(
            "the same vendor and invoice number as job(s) "
            + ", ".join(duplicates.same_invoice_job_ids)
        )
    if duplicates.same_file_job_ids:
        found.append("the same file as job(s) " + ", ".join(duplicates.same_file_job_ids))
    if found:
        return _failed("This invoice has " + " and ".join(found) + ".", "invoice_number")
    return _passed("No earlier job has the same invoice or the same file.")


def _check_is_invoice(parsed: ParsedDocument) -> Check:
    if parsed.document_type in INVOICE_TYPES and parsed.credit_note:
        return _passed("The document reads as a credit note, an invoice that credits you.")
    if parsed.document_type is DocumentType.CORRECTED_INVOICE:
        return _passed("The document is a corrected invoice.")
    if parsed.document_type in INVOICE_TYPES:
        return _passed("The document reads as an invoice.")
    if parsed.document_type is DocumentType.RECEIPT:
        return _failed("The document looks like a receipt, not an invoice to pay.")
    return _failed("The document does not look like an invoice.")


def _check_credit_note(parsed: ParsedDocument) -> Check:
    """A credit note's total is a credit: printed negative, or it was misread."""
    if not parsed.credit_note:
        return _skipped("The document is not titled a credit note.")
    total = _amount(parsed.fields, "total_amount")
    if total is None:
        return _skipped("The document is a credit note, but no total was found to check.")
    money = _money_in(parsed.fields)
    if total < 0:
        return _passed(
            f"A credit note: its total {money(total)} is a credit from the vendor.",
            "total_amount",
        )
    return _failed(
        f"The document is titled a credit note, but its total {money(total)} is not negative: "
        "the minus sign may have been missed, or it is an invoice after all.",
        "total_amount",
    )


def _check_iban(fields: Mapping[str, ExtractedField]) -> Check:
    account = fields.get("bank_account")
    if account is None:
        return _skipped("No bank account was found.")
    valid = iban_checksum_ok(account.value)
    if valid is None:
        return _skipped("The bank account is not an IBAN, so it has no check digits to test.")
    if valid:
        return _passed("The IBAN's check digits are right.", "bank_account")
    return _failed(
        f"The IBAN {account.value} fails its check digits: a character was probably misread "
        "(the letter O for a zero, say) or mistyped.",
        "bank_account",
    )


def _items(count: int) -> str:
    return "The one line item adds up" if count == 1 else f"The {count} line items add up"


def _human(name: str) -> str:
    return name.replace("_", " ")


REASON_CODES: dict[str, str] = {
    "totals_add_up": "TOTALS_MISMATCH",
    "line_items_sum": "LINE_ITEMS_MISMATCH",
    "due_not_before_issue": "DUE_BEFORE_ISSUE",
    "currency_known": "CURRENCY_UNKNOWN",
    "is_invoice": "NOT_AN_INVOICE",
    "credit_note": "CREDIT_NOTE_NOT_NEGATIVE",
    "iban_checksum": "IBAN_INVALID",
}


def score(
    parsed: ParsedDocument,
    settings: ScoringSettings,
    duplicates: DuplicateEvidence | None = None,
    *,
    reader_checks: Mapping[str, Check] | None = None,
) -> ExtractionResult:
    """Run every check on `parsed` and route the job: COMPLETED only with no reason left.

    `duplicates` is what the job index knows; None means it was not consulted, which
    leaves `possible_duplicate` skipped. `reader_checks` are checks the reader ran itself
    (an e-invoice's EN 16931 rules): each takes the place of the shared check of its
    name, and its reasons are among the parser's review hints.
    """
    fields = parsed.fields
    confidence, low_fields = _check_confidence(parsed, settings)
    checks: dict[str, Check] = {
        "totals_add_up": _check_totals(fields),
        "line_items_sum": _check_line_items(fields, parsed.line_items),
        "due_not_before_issue": _check_dates(fields),
        "currency_known": _check_currency(parsed),
        "required_fields": _check_required(fields),
        "confidence": confidence,
        "possible_duplicate": _check_duplicates(duplicates),
        "is_invoice": _check_is_invoice(parsed),
        "credit_note": _check_credit_note(parsed),
        "iban_checksum": _check_iban(fields),
    }
    own = dict(reader_checks or {})
    checks.update(own)
    reasons: list[ReviewReason] = []
    for name, check in checks.items():
        if check.status != "fail" or name in own:
            continue
        if name == "required_fields":
            reasons.extend(
                ReviewReason(
                    code="MISSING_FIELD",
                    field=field,
                    message=f"The {_human(field)} was not found on the document.",
                )
                for field in check.fields
            )
        elif name == "confidence":
            reasons.extend(_low_confidence_reason(parsed, field, settings) for field in low_fields)
        elif name == "possible_duplicate":
            assert duplicates is not None
            if duplicates.same_invoice_job_ids:
                reasons.append(
                    ReviewReason(
                        code="DUPLICATE_INVOICE",
                        field="invoice_number",
                        message="An invoice with the same vendor and invoice number is already "
                        "known (job " + ", ".join(duplicates.same_invoice_job_ids) + ").",
                    )
                )
            if duplicates.same_file_job_ids:
                reasons.append(
                    ReviewReason(
                        code="DUPLICATE_FILE",
                        field=None,
                        message="The same file was uploaded before (job "
                        + ", ".join(duplicates.same_file_job_ids)
                        + ").",
                    )
                )
        else:
            reasons.append(
                ReviewReason(
                    code=REASON_CODES[name],
                    field=check.fields[0] if len(check.fields) == 1 else _main_field(name),
                    message=check.message,
                )
            )
    reasons.extend(_hint_reasons(parsed, reasons))
    return ExtractionResult(
        document_type=parsed.document_type,
        pages=parsed.pages,
        fields=dict(fields),
        line_items=list(parsed.line_items),
        other_fields=list(parsed.other_fields),
        checks=checks,
        routing=Routing(status="NEEDS_REVIEW" if reasons else "COMPLETED", reasons=reasons),
        warnings=list(parsed.warnings),
    )


def _main_field(check: str) -> str | None:
    return {
        "totals_add_up": "total_amount",
        "line_items_sum": "line_items",
        "due_not_before_issue": "due_date",
        "currency_known": "currency",
    }.get(check)


def _percent(confidence: float) -> int:
    """A confidence as the web app shows it: whole percent, rounded down, so a value just
    under the threshold never reads as the threshold itself ("80%, needs 80%")."""
    return math.floor(confidence)


def _low_confidence_reason(
    parsed: ParsedDocument, name: str, settings: ScoringSettings
) -> ReviewReason:
    threshold = settings.threshold_for(name)
    if name == "line_items":
        lowest = min(item.confidence for item in parsed.line_items)
        message = (
            f"A line item was read with {_percent(lowest)}% confidence (needs {threshold:g}%)."
        )
    else:
        field = parsed.fields[name]
        message = (
            f"The {_human(name)} {field.value!r} was read with {_percent(field.confidence)}% "
            f"confidence (needs {threshold:g}%)."
        )
    return ReviewReason(code="LOW_CONFIDENCE", field=name, message=message)


def _hint_reasons(parsed: ParsedDocument, reasons: Sequence[ReviewReason]) -> list[ReviewReason]:
    """The parser's doubts, less those a failed check already reports."""
    known = {(reason.code, reason.field) for reason in reasons}
    currency_failed = any(reason.code == "CURRENCY_UNKNOWN" for reason in reasons)
    extra: list[ReviewReason] = []
    for hint in parsed.review_hints:
        if hint.code == "CURRENCY_AMBIGUOUS" and currency_failed:
            continue
        if (hint.code, hint.field) not in known:
            known.add((hint.code, hint.field))
            extra.append(hint)
    if parsed.warnings and not parsed.review_hints:
        # Anything the parser could not read means the values may be incomplete.
        extra.append(
            ReviewReason(
                code="UNREADABLE_OCR",
                field=None,
                message="Part of the text recognition output could not be read: "
                + parsed.warnings[0],
            )
        )
    return extra


def analyze(
    responses: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    settings: ScoringSettings | None = None,
    duplicates: DuplicateEvidence | None = None,
) -> ExtractionResult:
    """Parse Textract `responses` and score them: the whole extraction in one call."""
    return score(parse_responses(responses), settings or ScoringSettings(), duplicates)
