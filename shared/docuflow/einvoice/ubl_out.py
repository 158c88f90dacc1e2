"""An approved invoice out as a UBL 2.1 Invoice or CreditNote, EN 16931 core (ADR 0029).

From the normalized values (with the reviewer's corrections) and the result's lines and
VAT breakdown. What a scanned invoice does not say is left out, never invented; the rules
that leaves unmet are in `KNOWN_GAPS` (and docs/integrations.md). A credit note (a
negative total) becomes a UBL CreditNote with positive amounts, as EN 16931 wants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from lxml import etree

from docuflow.extraction.result import ExtractionResult, LineItem

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION = "urn:cen.eu:en16931:2017"

KNOWN_GAPS: dict[str, str] = {
    "BR-8/BR-9": "Seller postal address and country: only a free-text address is read; the "
    "country is an e-invoice's trailing country code or a VAT id's prefix.",
    "BR-10/BR-11": "Buyer postal address and country: not read from scans (an uploaded "
    "e-invoice's are kept); the country only from an e-invoice's address or a VAT id's "
    "prefix.",
    "BR-62/BR-63": "Electronic addresses (BT-34, BT-49) are not written: their scheme "
    "(schemeID) is not kept, and BR-62/BR-63 require it. Hence no Peppol BIS 3 "
    "CustomizationID either (it requires both).",
    "BR-CO-26": "Seller identifier: written only when a VAT id was read.",
    "BR-S-*": "VAT category: S (standard) with the rate computed from tax and net amount, "
    "or Z when the tax is zero, when the document has no per-rate breakdown.",
    "BR-16": "At least one line: a document without line items gets one line for its net amount.",
}


class NotExportable(ValueError):
    """What the invoice lacks for a UBL document (its number, date, currency or total)."""


def _amount(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


class _Writer:
    def __init__(self, root: etree._Element, currency: str) -> None:
        self.root = root
        self.currency = currency

    def cbc(self, parent: etree._Element, name: str, text: str, **attrs: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{CBC}}}{name}", attrs)
        element.text = text
        return element

    def money(self, parent: etree._Element, name: str, value: Decimal) -> etree._Element:
        return self.cbc(parent, name, _money(value), currencyID=self.currency)

    def cac(self, parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def postal_address(
        self, party: etree._Element, address: str | None, tax_id: str | None, *, read: bool
    ) -> None:
        """A party's PostalAddress (BG-5, BG-8): the address as one line, and the country
        when it is known (BT-40, BT-55), from nothing else. `read`: the address is an
        e-invoice's, as its reader writes it (country code last)."""
        country = _country(address if read else None, tax_id)
        if not address and country is None:
            return
        element = self.cac(party, "PostalAddress")
        if address:
            self.cbc(self.cac(element, "AddressLine"), "Line", address)
        if country is not None:
            self.cbc(self.cac(element, "Country"), "IdentificationCode", country)

    def tax_category(self, parent: etree._Element, name: str, code: str, rate: Decimal) -> None:
        category = self.cac(parent, name)
        self.cbc(category, "ID", code)
        self.cbc(category, "Percent", format(rate.normalize(), "f") if rate else "0")
        scheme = self.cac(category, "TaxScheme")
        self.cbc(scheme, "ID", "VAT")


_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _country(address: str | None, tax_id: str | None) -> str | None:
    """A party's ISO 3166-1 country code: the last part of an e-invoice's address when that
    is one (its reader writes the country code last: "Street 1, 10115 Berlin, DE"; an OCR'd
    "Springfield, IL" ends in a state), else a VAT id's prefix (EU VAT ids begin with the
    country's code; Greece's with EL, which is not one)."""
    last = (address or "").rsplit(",", 1)[-1].strip()
    if _COUNTRY_CODE.match(last):
        return last
    prefix = (tax_id or "")[:2].upper()
    if len(tax_id or "") > 2 and prefix.isalpha():
        return "GR" if prefix == "EL" else prefix
    return None


def _vat_rate(net: Decimal, tax: Decimal) -> Decimal:
    if net == 0:
        return Decimal(0)
    return (tax * 100 / net).quantize(Decimal("0.01"))


# One document in the schema's element order, read top to bottom (the XSD fixes the order).
def to_ubl(  # noqa: PLR0912, PLR0915
    fields: Mapping[str, str],
    result: ExtractionResult,
    *,
    buyer_name: str,
    reference: str,
) -> bytes:
    """The invoice as UBL 2.1 XML (UTF-8). `fields`: normalized values, corrections
    applied; `buyer_name` when the document names no buyer; `reference`: the job id (an
    additional document reference, so the ERP can link back). NotExportable when the
    invoice number, issue date, currency or total is missing."""
    missing = [
        name
        for name in ("invoice_number", "document_date", "currency", "total_amount")
        if not fields.get(name)
    ]
    total = _amount(fields.get("total_amount"))
    if total is None and "total_amount" not in missing:
        missing.append("total_amount")
    if missing:
        raise NotExportable(
            "A UBL invoice needs " + ", ".join(missing) + "; correct the job's fields first."
        )
    assert total is not None  # checked above
    credit = total < 0
    sign = Decimal(-1) if credit else Decimal(1)
    currency = fields["currency"]
    namespace = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = etree.Element(
        f"{{{namespace}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: namespace, "cac": CAC, "cbc": CBC},
    )
    w = _Writer(root, currency)
    tax = sign * (_amount(fields.get("tax_amount")) or Decimal(0))
    gross = sign * total
    subtotal_read = _amount(fields.get("subtotal"))
    net = sign * subtotal_read if subtotal_read is not None else gross - tax
    payable = sign * (_amount(fields.get("amount_due")) or total)

    w.cbc(root, "CustomizationID", CUSTOMIZATION)
    w.cbc(root, "ID", fields["invoice_number"])
    w.cbc(root, "IssueDate", fields["document_date"])
    if fields.get("due_date") and not credit:
        w.cbc(root, "DueDate", fields["due_date"])
    w.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    w.cbc(root, "DocumentCurrencyCode", currency)
    if fields.get("buyer_reference"):
        w.cbc(root, "BuyerReference", fields["buyer_reference"])
    if fields.get("purchase_order"):
        order = w.cac(root, "OrderReference")
        w.cbc(order, "ID", fields["purchase_order"])
    additional = w.cac(root, "AdditionalDocumentReference")
    w.cbc(additional, "ID", reference)
    w.cbc(additional, "DocumentDescription", "DocuFlow job")

    supplier = w.cac(w.cac(root, "AccountingSupplierParty"), "Party")
    read = result.einvoice is not None
    w.postal_address(supplier, fields.get("vendor_address"), fields.get("vendor_tax_id"), read=read)
    if fields.get("vendor_tax_id"):
        scheme = w.cac(supplier, "PartyTaxScheme")
        w.cbc(scheme, "CompanyID", fields["vendor_tax_id"])
        w.cbc(w.cac(scheme, "TaxScheme"), "ID", "VAT")
    w.cbc(w.cac(supplier, "PartyLegalEntity"), "RegistrationName", fields.get("vendor_name") or "")

    customer = w.cac(w.cac(root, "AccountingCustomerParty"), "Party")
    w.postal_address(customer, fields.get("buyer_address"), fields.get("buyer_tax_id"), read=read)
    if fields.get("buyer_tax_id"):
        scheme = w.cac(customer, "PartyTaxScheme")
        w.cbc(scheme, "CompanyID", fields["buyer_tax_id"])
        w.cbc(w.cac(scheme, "TaxScheme"), "ID", "VAT")
    w.cbc(
        w.cac(customer, "PartyLegalEntity"),
        "RegistrationName",
        fields.get("buyer_name") or buyer_name,
    )

    if fields.get("bank_account") or (credit and fields.get("due_date")):
        means = w.cac(root, "PaymentMeans")
        # 58: SEPA credit transfer when an IBAN was read; 30: credit transfer otherwise.
        iban = fields.get("bank_account", "")
        w.cbc(means, "PaymentMeansCode", "58" if iban[:2].isalpha() else "30")
        if credit and fields.get("due_date"):
            w.cbc(means, "PaymentDueDate", fields["due_date"])
        if iban:
            w.cbc(w.cac(means, "PayeeFinancialAccount"), "ID", iban)
    if fields.get("payment_terms"):
        w.cbc(w.cac(root, "PaymentTerms"), "Note", fields["payment_terms"])

    # Document-level allowances and charges (BG-20, BG-21): the net amount is the lines'
    # less the allowances plus the charges (BR-CO-13), each in a VAT category (BR-S-08).
    # A line's own are in its net amount already.
    default_rate = _vat_rate(net, tax)
    adjustments = [
        (item, sign * amount)
        for item in result.allowances_charges
        if item.line is None and (amount := _amount(item.amount)) is not None
    ]
    for adjustment, amount in adjustments:
        element = w.cac(root, "AllowanceCharge")
        w.cbc(element, "ChargeIndicator", "true" if adjustment.kind == "charge" else "false")
        if adjustment.reason_code:
            w.cbc(element, "AllowanceChargeReasonCode", adjustment.reason_code)
        if adjustment.reason:
            w.cbc(element, "AllowanceChargeReason", adjustment.reason)
        if _amount(adjustment.percent) is not None:
            w.cbc(element, "MultiplierFactorNumeric", adjustment.percent or "")
        w.money(element, "Amount", amount)
        base = _amount(adjustment.base_amount)
        if base is not None:
            w.money(element, "BaseAmount", sign * base)
        rate = _amount(adjustment.tax_rate)
        rate = default_rate if rate is None else rate
        w.tax_category(
            element, "TaxCategory", adjustment.tax_category or ("S" if rate else "Z"), rate
        )
    allowances = sum((a for p, a in adjustments if p.kind == "allowance"), Decimal(0))
    charges = sum((a for p, a in adjustments if p.kind == "charge"), Decimal(0))

    tax_total = w.cac(root, "TaxTotal")
    w.money(tax_total, "TaxAmount", tax)
    breakdown = [
        s
        for s in result.tax_breakdown
        if _amount(s.taxable_amount) is not None and _amount(s.tax_amount) is not None
    ]
    if breakdown:
        for part in breakdown:
            subtotal = w.cac(tax_total, "TaxSubtotal")
            w.money(subtotal, "TaxableAmount", sign * (_amount(part.taxable_amount) or Decimal(0)))
            w.money(subtotal, "TaxAmount", sign * (_amount(part.tax_amount) or Decimal(0)))
            w.tax_category(
                subtotal, "TaxCategory", part.category or "S", _amount(part.rate) or Decimal(0)
            )
    else:
        subtotal = w.cac(tax_total, "TaxSubtotal")
        w.money(subtotal, "TaxableAmount", net)
        w.money(subtotal, "TaxAmount", tax)
        w.tax_category(subtotal, "TaxCategory", "S" if tax else "Z", _vat_rate(net, tax))

    # EN 16931 wants a line (BR-16): a document without readable lines gets one, its net.
    name = fields.get("vendor_name") or "Invoice"
    lines_net = net + allowances - charges
    lines = _lines(result.line_items, sign) or [
        (name, Decimal(1), lines_net, lines_net, None, None)
    ]
    line_total = sum((amount for _, _, _, amount, _, _ in lines), Decimal(0))
    totals = w.cac(root, "LegalMonetaryTotal")
    w.money(totals, "LineExtensionAmount", line_total)
    w.money(totals, "TaxExclusiveAmount", net)
    w.money(totals, "TaxInclusiveAmount", gross)
    if any(p.kind == "allowance" for p, _ in adjustments):
        w.money(totals, "AllowanceTotalAmount", allowances)
    if any(p.kind == "charge" for p, _ in adjustments):
        w.money(totals, "ChargeTotalAmount", charges)
    prepaid = _amount(fields.get("prepaid_amount"))
    if prepaid:
        w.money(totals, "PrepaidAmount", sign * prepaid)
    w.money(totals, "PayableAmount", payable)

    for number, (name, quantity, price, amount, unit, rate) in enumerate(lines, start=1):
        line = w.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        w.cbc(line, "ID", str(number))
        w.cbc(
            line,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            format(quantity.normalize(), "f"),
            unitCode=unit or "C62",
        )
        w.money(line, "LineExtensionAmount", amount)
        item = w.cac(line, "Item")
        w.cbc(item, "Name", name)
        line_rate = rate if rate is not None else default_rate
        w.tax_category(item, "ClassifiedTaxCategory", "S" if line_rate else "Z", line_rate)
        w.money(w.cac(line, "Price"), "PriceAmount", price)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _lines(
    items: list[LineItem], sign: Decimal
) -> list[tuple[str, Decimal, Decimal, Decimal, str | None, Decimal | None]]:
    """(name, quantity, unit price, amount, unit code, VAT rate) of every line with an amount."""
    lines = []
    for item in items:
        amount = _amount(item.amount)
        if amount is None:
            continue
        quantity = abs(_amount(item.quantity) or Decimal(1)) or Decimal(1)
        price = _amount(item.unit_price)
        unit_price = abs(price) if price is not None else abs(amount) / quantity
        lines.append(
            (
                item.description or "Item",
                quantity,
                unit_price,
                sign * amount,
                item.unit_code,
                _amount(item.tax_rate),
            )
        )
    return lines
