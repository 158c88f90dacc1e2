"""E-invoices read field by field: the same business terms in UBL and in CII give the same
result, with every value exact, sourced and traceable to its XML path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from docuflow import einvoice
from docuflow.extraction.result import DocumentType, FieldSource
from tests.einvoice_samples import DATA, XRECHNUNG, Syntax, invoice_data, make_xml

SYNTAXES: tuple[Syntax, ...] = ("cii", "ubl")

EXPECTED = {
    "vendor_name": "Rheinwerk Logistik GmbH",
    "vendor_tax_id": "DE123456789",
    "vendor_address": "Hafenstraße 12, 50667 Köln, DE",
    "invoice_number": "RE-2025-0042",
    "document_date": "2025-03-14",
    "due_date": "2025-04-13",
    "purchase_order": "PO-7781",
    "payment_terms": "30 Tage netto",
    "currency": "EUR",
    "line_total": "1250.00",
    "allowance_total": "10.00",
    "charge_total": "5.00",
    "subtotal": "1245.00",
    "tax_amount": "224.55",
    "total_amount": "1469.55",
    "prepaid_amount": "100.00",
    "amount_due": "1369.55",
    "bank_account": "DE89370400440532013000",
    "bank_bic": "COBADEFFXXX",
    "buyer_name": "Stadtwerke Musterstadt",
    "buyer_tax_id": "DE987654321",
    "buyer_address": "Rathausplatz 1, 12345 Musterstadt, DE",
    "buyer_reference": "04011000-12345-03",
    "delivery_date": "2025-03-10",
}


def _texts_at(root: etree._Element, path: str) -> list[str]:
    """The texts `path` selects; UBL's root is written without its (default) namespace."""
    namespaces = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    if None in root.nsmap:
        namespaces["inv"] = root.nsmap[None]
        path = "/inv:" + path[1:]
    found = root.getroottree().xpath(path, namespaces=namespaces)
    assert isinstance(found, list)
    return [str(item if isinstance(item, str) else item.text).strip() for item in found]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_every_field_is_read_exactly_with_its_source_and_xml_path(syntax: Syntax) -> None:
    # Given an invoice written by factur-x's generator
    xml = make_xml(syntax)
    # When DocuFlow reads it
    result = einvoice.analyze(xml)
    # Then each field has the value the generator wrote, exact and traceable
    assert {name: field.value for name, field in result.fields.items()} == EXPECTED
    root = etree.fromstring(xml)
    for name, field in result.fields.items():
        assert field.source is FieldSource.EINVOICE, name
        assert field.confidence == 100, name
        assert field.xml_path and field.xml_path.startswith("/"), name
        if name not in ("vendor_address", "buyer_address"):
            # The path is a real XPath to the text the value came from.
            assert field.text in _texts_at(root, field.xml_path), name
    assert result.document_type is DocumentType.INVOICE
    assert result.routing.status == "COMPLETED", result.routing.reasons


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_lines_allowances_and_vat_breakdown(syntax: Syntax) -> None:
    result = einvoice.analyze(make_xml(syntax))
    lines = [
        (i.description, i.quantity, i.unit_code, i.unit_price, i.amount, i.tax_category, i.tax_rate)
        for i in result.line_items
    ]
    assert lines == [
        ("Palettenregal", "40", "H87", "25.00", "1000.00", "S", "19"),
        ("Montage", "2.5", "HUR", "60.00", "150.00", "S", "19"),
        ("Kaffee", "10", "KGM", "10.00", "100.00", "S", "7"),
    ]
    assert all(item.source is FieldSource.EINVOICE and item.xml_path for item in result.line_items)
    kinds = [
        (a.kind, a.amount, a.reason, a.tax_category, a.tax_rate) for a in result.allowances_charges
    ]
    assert kinds == [
        ("allowance", "10.00", "Treuerabatt", "S", "19"),
        ("charge", "5.00", "Verpackung", "S", "19"),
    ]
    vat = [(t.category, t.rate, t.taxable_amount, t.tax_amount) for t in result.tax_breakdown]
    assert vat == [("S", "19", "1145.00", "217.55"), ("S", "7", "100.00", "7.00")]
    assert result.checks["line_items_sum"].status == "pass"
    assert result.checks["vat_breakdown"].status == "pass"


@pytest.mark.parametrize(("syntax", "label"), [("cii", "Factur-X EN 16931"), ("ubl", "UBL 2.1")])
def test_the_result_says_which_e_invoice_it_was(syntax: Syntax, label: str) -> None:
    info = einvoice.analyze(make_xml(syntax)).einvoice
    assert info is not None
    assert info.label == f"E-invoice ({label})"
    assert info.type_code == "380"
    assert info.en16931


@pytest.mark.parametrize(
    ("syntax", "flavour"), [("cii", "XRechnung CII"), ("ubl", "XRechnung UBL")]
)
def test_xrechnung_is_named_so_and_held_to_its_german_rules(syntax: Syntax, flavour: str) -> None:
    result = einvoice.analyze(make_xml(syntax, specification=XRECHNUNG))
    assert result.einvoice is not None and result.einvoice.flavour == flavour
    assert result.routing.status == "COMPLETED", result.routing.reasons
    # Without the buyer reference (BT-10), BR-DE-15 fails.
    xml = make_xml(syntax, invoice_data(BT_10=None), specification=XRECHNUNG)
    assert "BR-DE-15" in _reasons(xml)["MISSING_FIELD"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_a_credit_note_is_typed_so_and_its_amounts_are_negative(syntax: Syntax) -> None:
    # Given a credit note (type code 381): UBL writes a CreditNote document
    xml = make_xml(syntax, invoice_data(BT_3="381", BT_9=None))
    result = einvoice.analyze(xml)
    # Then it reads as a credit note with the OCR path's sign convention
    assert result.document_type is DocumentType.CREDIT_NOTE
    assert result.fields["total_amount"].value == "-1469.55"
    assert result.fields["amount_due"].value == "-1369.55"
    assert result.fields["subtotal"].value == "-1245.00"
    assert result.line_items[0].amount == "-1000.00"
    assert result.line_items[0].quantity == "-40"
    assert result.tax_breakdown[0].tax_amount == "-217.55"
    assert result.checks["credit_note"].status == "pass"
    assert result.routing.status == "COMPLETED", result.routing.reasons


def test_a_corrected_invoice_is_typed_so() -> None:
    xml = make_xml("ubl", invoice_data(BT_3="384"))
    assert einvoice.analyze(xml).document_type is DocumentType.CORRECTED_INVOICE


def _reasons(xml: bytes) -> dict[str, str]:
    result = einvoice.analyze(xml)
    assert result.routing.status == "NEEDS_REVIEW"
    return {reason.code: reason.message for reason in result.routing.reasons}


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_a_total_off_by_a_cent_is_a_reason_naming_bt_112(syntax: Syntax) -> None:
    reasons = _reasons(make_xml(syntax, invoice_data(BT_112="1469.56", BT_115="1369.56")))
    assert "BR-CO-15" in reasons["TOTALS_MISMATCH"]
    assert "BT-112" in reasons["TOTALS_MISMATCH"]
    assert "1469.56" in reasons["TOTALS_MISMATCH"] and "1469.55" in reasons["TOTALS_MISMATCH"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_line_nets_that_do_not_add_up_name_bt_106(syntax: Syntax) -> None:
    lines = [dict(line) for line in DATA["BG-25"]]
    lines[1]["BT-131"] = "151.00"
    reasons = _reasons(make_xml(syntax, invoice_data(BG_25=lines)))
    assert (
        "BR-CO-10" in reasons["LINE_ITEMS_MISMATCH"] and "BT-106" in reasons["LINE_ITEMS_MISMATCH"]
    )
    assert "BR-S-08" in reasons["VAT_BREAKDOWN_MISMATCH"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_vat_that_is_not_the_rate_of_its_base_is_named(syntax: Syntax) -> None:
    breakdown = [dict(item) for item in DATA["BG-23"]]
    breakdown[0]["BT-117"] = "219.55"
    data = invoice_data(BG_23=breakdown, BT_110="226.55", BT_112="1471.55", BT_115="1371.55")
    reasons = _reasons(make_xml(syntax, data))
    assert "BR-S-09" in reasons["VAT_BREAKDOWN_MISMATCH"]
    assert "BT-117" in reasons["VAT_BREAKDOWN_MISMATCH"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_an_unknown_currency_or_type_code_is_a_code_list_reason(syntax: Syntax) -> None:
    xml = make_xml(syntax).replace(b">EUR<", b">EUX<").replace(b">380<", b">999<")
    reasons = _reasons(xml)
    assert "BR-CL-04" in reasons["CURRENCY_UNKNOWN"] and "BT-5" in reasons["CURRENCY_UNKNOWN"]
    assert "BR-CL-01" in reasons["TYPE_CODE_UNKNOWN"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_a_missing_required_term_names_it(syntax: Syntax) -> None:
    xml = make_xml(syntax).replace(b"RE-2025-0042", b"")
    result = einvoice.analyze(xml)
    messages = [r.message for r in result.routing.reasons if r.code == "MISSING_FIELD"]
    assert any("BR-02" in m and "BT-1" in m for m in messages)
    assert "invoice_number" not in result.fields


def test_an_amount_due_without_due_date_or_terms_breaks_br_co_25() -> None:
    reasons = _reasons(make_xml("ubl", invoice_data(BT_9=None, BT_20=None)))
    assert "BR-CO-25" in reasons["MISSING_FIELD"]


def test_a_wrong_iban_is_the_issuers_not_a_misreading() -> None:
    reasons = _reasons(make_xml("cii", invoice_data(BT_84="DE89370400440532013001")))
    assert "BT-84" in reasons["IBAN_INVALID"]
    assert "misread" not in reasons["IBAN_INVALID"]


def test_a_basic_wl_profile_is_held_to_its_totals_not_to_lines() -> None:
    # Factur-X BASIC WL (like MINIMUM) carries no lines and need not have addresses.
    data = {
        key: DATA[key]
        for key in ("BT-1", "BT-2", "BT-3", "BT-5", "BG-23", "BT-109", "BT-110", "BT-112", "BT-115")
    }
    data["BT-113"], data["BT-106"] = DATA["BT-113"], "1245.00"
    data["BG-4"] = {
        "name": "Rheinwerk Logistik GmbH",
        "vat_identifier": "DE123456789",
        "country_code": "DE",
    }
    data["BG-7"] = {"name": "Stadtwerke Musterstadt"}
    xml = make_xml("cii", data, level="basicwl")
    result = einvoice.analyze(xml)
    assert result.einvoice is not None and result.einvoice.flavour == "Factur-X BASIC WL"
    assert not result.einvoice.en16931
    assert result.line_items == []
    assert result.routing.status == "COMPLETED", result.routing.reasons
    assert Decimal(result.fields["amount_due"].value) == Decimal("1369.55")
