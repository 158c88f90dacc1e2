"""From business terms to DocuFlow's result: fields, line items, VAT, allowances, checks.

Every value is what the XML says, normalized the way OCR'd values are (ISO dates, decimal
strings, IBAN without spaces) with confidence 100, `source: einvoice` and the XML path it
came from. Credit notes follow the OCR'd convention: their amounts are negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Final, NamedTuple

from docuflow.einvoice.findings import Finding, Group, is_core
from docuflow.einvoice.model import AllowanceCharge as ReadAllowanceCharge
from docuflow.einvoice.model import EInvoice, Term
from docuflow.einvoice.terms import BUYER_ADDRESS, SELLER_ADDRESS, THIRD_PARTY
from docuflow.einvoice.values import (
    CORRECTED_INVOICE_TYPES,
    date_of,
    decimal_of,
    is_credit_note,
)
from docuflow.extraction.normalize import format_amount, iban_checksum_ok
from docuflow.extraction.parser import ParsedDocument
from docuflow.extraction.result import (
    AllowanceCharge,
    Check,
    DocumentType,
    EInvoiceInfo,
    ExtractedField,
    FieldSource,
    LineItem,
    OtherField,
    ReviewReason,
    TaxSubtotal,
)

EXACT: Final = 100.0
"""The confidence of a value read from XML: the issuer's own data, not a reading."""

FIELD_TERMS: Final[dict[str, tuple[str, ...]]] = {
    # DocuFlow field: the business terms that fill it, the first present wins.
    "vendor_name": ("BT-27", "BT-28"),
    "vendor_tax_id": ("BT-31", "BT-32"),
    "invoice_number": ("BT-1",),
    "document_date": ("BT-2",),
    "due_date": ("BT-9",),
    "purchase_order": ("BT-13",),
    "payment_terms": ("BT-20",),
    "currency": ("BT-5",),
    "subtotal": ("BT-109",),
    "tax_amount": ("BT-110",),
    "total_amount": ("BT-112",),
    "amount_due": ("BT-115",),
    "remit_to_name": ("BT-59",),
    "bank_account": ("BT-84",),
    "bank_bic": ("BT-86",),
    "buyer_name": ("BT-44", "BT-45"),
    "buyer_tax_id": ("BT-48",),
    "buyer_reference": ("BT-10",),
    "delivery_date": ("BT-72",),
    "line_total": ("BT-106",),
    "allowance_total": ("BT-107",),
    "charge_total": ("BT-108",),
    "prepaid_amount": ("BT-113",),
}
_ADDRESSES: Final = {"vendor_address": SELLER_ADDRESS, "buyer_address": BUYER_ADDRESS}
_MONEY: Final = frozenset(
    {"BT-106", "BT-107", "BT-108", "BT-109", "BT-110", "BT-112", "BT-113", "BT-115"}
)
_DATES: Final = frozenset({"BT-2", "BT-9", "BT-72"})

OTHER_TERMS: Final[dict[str, str]] = {
    # Terms with no DocuFlow field of their own, kept as other_fields "BT-n name".
    "BT-3": "Invoice type code",
    "BT-6": "VAT accounting currency",
    "BT-11": "Project reference",
    "BT-12": "Contract reference",
    "BT-14": "Sales order reference",
    "BT-23": "Business process",
    "BT-24": "Specification identifier",
    "BT-25": "Preceding invoice",
    "BT-28": "Seller trading name",
    "BT-29": "Seller identifier",
    "BT-30": "Seller legal registration",
    "BT-34": "Seller electronic address",
    "BT-41": "Seller contact",
    "BT-42": "Seller telephone",
    "BT-43": "Seller e-mail",
    "BT-46": "Buyer identifier",
    "BT-49": "Buyer electronic address",
    "BT-70": "Deliver to",
    "BT-73": "Invoicing period start",
    "BT-74": "Invoicing period end",
    "BT-81": "Payment means code",
    "BT-83": "Remittance information",
    "BT-85": "Payment account name",
    "BT-111": "VAT in accounting currency",
    "BT-114": "Rounding amount",
    THIRD_PARTY: "Paid by third parties",
}

_REASON_CODES: Final[dict[Group, str]] = {
    Group.REQUIRED: "MISSING_FIELD",
    Group.TOTALS: "TOTALS_MISMATCH",
    Group.LINES: "LINE_ITEMS_MISMATCH",
    Group.VAT: "VAT_BREAKDOWN_MISMATCH",
    Group.CURRENCY: "CURRENCY_UNKNOWN",
    Group.TYPE_CODE: "TYPE_CODE_UNKNOWN",
    Group.VALUES: "EINVOICE_VALUE_INVALID",
}


def field_of(term: str) -> str | None:
    """The DocuFlow field a business term fills, if any."""
    for name, terms in FIELD_TERMS.items():
        if term in terms:
            return name
    for name, parts in _ADDRESSES.items():
        if term in parts or term == ("BG-5" if name == "vendor_address" else "BG-8"):
            return name
    return None


class _Signs:
    """Negates a credit note's amounts, as OCR'd credit notes carry them, and writes them
    in the invoice currency's minor units (digits the XML has beyond them are kept)."""

    def __init__(self, invoice: EInvoice) -> None:
        self.factor = Decimal(-1) if is_credit_note(invoice) else Decimal(1)
        currency = invoice.terms.get("BT-5")
        self.currency = currency.text if currency else None

    def money(self, term: Term | None) -> str | None:
        amount = decimal_of(term)
        return None if amount is None else format_amount(amount * self.factor, self.currency)

    def number(self, term: Term | None) -> str | None:
        amount = decimal_of(term)
        return None if amount is None else format(amount * self.factor if amount else amount, "f")


def _plain(term: Term | None) -> str | None:
    """A number as the XML writes it (12.50 stays 12.50), without a leading plus."""
    amount = decimal_of(term)
    return None if amount is None else format(amount, "f")


def _field(term: Term, value: str) -> ExtractedField:
    return ExtractedField(
        value=value,
        text=term.text,
        confidence=EXACT,
        source=FieldSource.EINVOICE,
        label=term.term,
        xml_path=term.path,
    )


def _value(term: Term, signs: _Signs) -> str | None:
    if term.term in _MONEY:
        return signs.money(term)
    if term.term in _DATES:
        found = date_of(term)
        return found.isoformat() if found else None
    if term.term == "BT-84":
        return "".join(term.text.split()).upper()
    return term.text


def _fields(invoice: EInvoice, signs: _Signs) -> dict[str, ExtractedField]:
    fields: dict[str, ExtractedField] = {}
    for name, options in FIELD_TERMS.items():
        for option in options:
            term = invoice.terms.get(option)
            value = _value(term, signs) if term is not None else None
            if term is not None and value is not None:
                fields[name] = _field(term, value)
                break
    for name, parts in _ADDRESSES.items():
        present = [invoice.terms[part] for part in parts if part in invoice.terms]
        if present:
            text = ", ".join(_address_lines(present))
            fields[name] = ExtractedField(
                value=text,
                text=text,
                confidence=EXACT,
                source=FieldSource.EINVOICE,
                label="BG-5" if name == "vendor_address" else "BG-8",
                xml_path=present[0].path.rsplit("/", 1)[0],
            )
    return {name: fields[name] for name in _ORDER if name in fields}


_ORDER: Final = (*FIELD_TERMS, "vendor_address", "buyer_address")


def _address_lines(parts: list[Term]) -> Iterable[str]:
    """Street lines, then "postcode city", then region and country, as an address reads."""
    by_kind = {part.term: part.text for part in parts}
    postcode = by_kind.get("BT-38") or by_kind.get("BT-53")
    city = by_kind.get("BT-37") or by_kind.get("BT-52")
    for part in parts:
        if part.term in ("BT-38", "BT-53", "BT-37", "BT-52"):
            continue
        if part.term in ("BT-39", "BT-54", "BT-40", "BT-55") and (postcode or city):
            yield " ".join(text for text in (postcode, city) if text)
            postcode = city = None
        yield part.text
    if postcode or city:
        yield " ".join(text for text in (postcode, city) if text)


def _other_fields(invoice: EInvoice) -> list[OtherField]:
    others: list[OtherField] = []
    for term, name in OTHER_TERMS.items():
        value = invoice.terms.get(term)
        if value is None or (term == "BT-28" and "BT-27" not in invoice.terms):
            continue  # a trading name standing in for BT-27 is the vendor name already
        others.append(
            OtherField(
                key=f"{term} {name}",
                value=value.text,
                confidence=EXACT,
                source=FieldSource.EINVOICE,
                xml_path=value.path,
            )
        )
    return others


def _line_items(invoice: EInvoice, signs: _Signs) -> list[LineItem]:
    items: list[LineItem] = []
    for line in invoice.lines:
        t = line.terms
        base = decimal_of(t.get("BT-149"))
        description = t.get("BT-153") or t.get("BT-154")
        category = t.get("BT-151")
        items.append(
            LineItem(
                description=description.text if description else None,
                quantity=signs.number(t.get("BT-129")),
                unit_price=_plain(t.get("BT-146")),
                amount=signs.money(t.get("BT-131")),
                confidence=EXACT,
                source=FieldSource.EINVOICE,
                unit_code=t["BT-130"].text if "BT-130" in t else None,
                price_base_quantity=_plain(t.get("BT-149")) if base not in (None, 1) else None,
                tax_category=category.text if category else None,
                tax_rate=_plain(t.get("BT-152")),
                xml_path=line.path,
            )
        )
    return items


def _allowance(item: ReadAllowanceCharge, signs: _Signs, line: int | None) -> AllowanceCharge:
    t = item.terms
    reason, code, category = t.get("BT-97"), t.get("BT-98"), t.get("BT-95")
    return AllowanceCharge(
        kind="charge" if item.charge else "allowance",
        amount=signs.money(t.get("BT-92")),
        base_amount=signs.money(t.get("BT-93")),
        percent=_plain(t.get("BT-94")),
        reason=reason.text if reason else None,
        reason_code=code.text if code else None,
        tax_category=category.text if category else None,
        tax_rate=_plain(t.get("BT-96")),
        line=line,
        source=FieldSource.EINVOICE,
        xml_path=item.path,
    )


def _allowances(invoice: EInvoice, signs: _Signs) -> list[AllowanceCharge]:
    found = [_allowance(item, signs, None) for item in invoice.allowances_charges]
    for number, line in enumerate(invoice.lines, start=1):
        found += [_allowance(item, signs, number) for item in line.allowances_charges]
    return found


def _tax_breakdown(invoice: EInvoice, signs: _Signs) -> list[TaxSubtotal]:
    subtotals: list[TaxSubtotal] = []
    for breakdown in invoice.vat_breakdown:
        t = breakdown.terms
        category, reason = t.get("BT-118"), t.get("BT-120")
        subtotals.append(
            TaxSubtotal(
                category=category.text if category else None,
                rate=_plain(t.get("BT-119")),
                taxable_amount=signs.money(t.get("BT-116")),
                tax_amount=signs.money(t.get("BT-117")),
                exemption_reason=reason.text if reason else None,
                source=FieldSource.EINVOICE,
                xml_path=breakdown.path,
            )
        )
    return subtotals


def document_type(invoice: EInvoice) -> DocumentType:
    """invoice, credit_note or corrected_invoice, by type code (BT-3) and syntax."""
    if is_credit_note(invoice):
        return DocumentType.CREDIT_NOTE
    type_code = invoice.terms.get("BT-3")
    if type_code is not None and type_code.text in CORRECTED_INVOICE_TYPES:
        return DocumentType.CORRECTED_INVOICE
    return DocumentType.INVOICE


def info(invoice: EInvoice) -> EInvoiceInfo:
    """What kind of e-invoice it is, for the result and the screens."""
    terms = invoice.terms
    return EInvoiceInfo(
        syntax=invoice.syntax.value,
        flavour=invoice.flavour,
        label=f"E-invoice ({invoice.flavour})",
        specification=terms["BT-24"].text if "BT-24" in terms else None,
        business_process=terms["BT-23"].text if "BT-23" in terms else None,
        type_code=terms["BT-3"].text if "BT-3" in terms else None,
        attachment=invoice.attachment,
        en16931=is_core(invoice),
    )


_PASSED: Final[dict[Group, str]] = {
    Group.REQUIRED: "Every business term the e-invoice must carry is there.",
    Group.TOTALS: "The totals add up as EN 16931 computes them (BR-CO-13 to BR-CO-16).",
    Group.LINES: "The line net amounts, allowances and charges add up to their totals "
    "(BR-CO-10 to BR-CO-12).",
    Group.VAT: "Each VAT category's taxable amount and VAT add up.",
    Group.TYPE_CODE: "The invoice type code is one EN 16931 knows.",
    Group.VALUES: "Every date and amount is written as the standard requires.",
}


def checks_and_reasons(
    invoice: EInvoice, findings: list[Finding]
) -> tuple[dict[str, Check], list[ReviewReason]]:
    """One check per rule group, and one review reason per group and field."""
    checks: dict[str, Check] = {}
    for group in Group:
        failed = [finding for finding in findings if finding.group is group]
        fields = sorted({f for finding in failed for t in finding.terms if (f := field_of(t))})
        if failed:
            shown = " ".join(finding.message for finding in failed[:3])
            more = f" ({len(failed) - 3} more rules fail.)" if len(failed) > 3 else ""
            checks[group.value] = Check(status="fail", message=shown + more, fields=fields)
        elif group is Group.CURRENCY:
            currency = invoice.terms.get("BT-5")
            checks[group.value] = (
                Check(
                    status="pass", message=f"Amounts are in {currency.text}.", fields=["currency"]
                )
                if currency
                else Check(status="skipped", message="The e-invoice names no currency.")
            )
        elif group is Group.VAT and not is_core(invoice):
            checks[group.value] = Check(
                status="skipped",
                message="The e-invoice does not claim EN 16931, so its VAT categories were "
                "not checked against the standard's.",
            )
        else:
            checks[group.value] = Check(status="pass", message=_PASSED[group])
    reasons = _reasons(findings)
    iban = _iban_check(invoice)
    if iban is not None:
        checks["iban_checksum"] = iban
        if iban.status == "fail":
            reasons.append(
                ReviewReason(code="IBAN_INVALID", field="bank_account", message=iban.message)
            )
    return checks, reasons


def _iban_check(invoice: EInvoice) -> Check | None:
    """The shared IBAN check speaks of misreading; an e-invoice's IBAN is the issuer's."""
    term = invoice.terms.get("BT-84")
    account = "".join(term.text.split()).upper() if term else ""
    if iban_checksum_ok(account) is not False:
        return None  # no IBAN, or a valid one: the shared check says so
    return Check(
        status="fail",
        message=f"The IBAN {account} (BT-84) fails its check digits: the issuer's data is "
        "wrong, so confirm the account before paying.",
        fields=["bank_account"],
    )


def _reasons(findings: list[Finding]) -> list[ReviewReason]:
    merged: dict[tuple[str, str | None], list[str]] = {}
    for finding in findings:
        field = next((f for term in finding.terms if (f := field_of(term))), None)
        merged.setdefault((_REASON_CODES[finding.group], field), []).append(finding.message)
    return [
        ReviewReason(code=code, field=field, message=" ".join(messages))
        for (code, field), messages in merged.items()
    ]


def parsed_document(invoice: EInvoice, *, pages: int, hints: list[ReviewReason]) -> ParsedDocument:
    """The e-invoice as the shared checks and routing read a parsed document."""
    credit = is_credit_note(invoice)
    signs = _Signs(invoice)
    return ParsedDocument(
        document_type=document_type(invoice),
        credit_note=credit,
        pages=pages,
        fields=_fields(invoice, signs),
        line_items=_line_items(invoice, signs),
        other_fields=_other_fields(invoice),
        review_hints=hints,
    )


class Extras(NamedTuple):
    """The parts of the result only e-invoices fill."""

    tax_breakdown: list[TaxSubtotal]
    allowances_charges: list[AllowanceCharge]
    einvoice: EInvoiceInfo


def extras(invoice: EInvoice) -> Extras:
    signs = _Signs(invoice)
    return Extras(_tax_breakdown(invoice, signs), _allowances(invoice, signs), info(invoice))
