"""UBL out: what the pipeline read becomes a UBL 2.1 document the UBL schema accepts, and
which the project's own EN 16931 rules (docuflow.einvoice, reading it back) accept except
for the gaps ubl_out.KNOWN_GAPS names."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from lxml import etree

from docuflow import einvoice
from docuflow.einvoice.ubl_out import NotExportable, to_ubl
from docuflow.extraction import analyze
from docuflow.extraction.result import EInvoiceInfo, ExtractionResult
from tests.handlers.cloud import load_fixture
from tests.ubl_schema import ubl_schema

FIELDS = {
    "vendor_name": "Muster GmbH",
    "vendor_tax_id": "DE123456789",
    "vendor_address": "Hauptstr. 1, 10115 Berlin",
    "invoice_number": "RE-2026-0042",
    "document_date": "2026-11-02",
    "due_date": "2026-12-02",
    "purchase_order": "PO-7",
    "currency": "EUR",
    "subtotal": "100.00",
    "tax_amount": "19.00",
    "total_amount": "119.00",
    "bank_account": "DE89370400440532013000",
}


def sample_result() -> ExtractionResult:
    return analyze([load_fixture("analyze_document/sample-invoice.json")])


def valid(xml: bytes) -> etree._Element:
    document = etree.fromstring(xml)
    schema = ubl_schema(document)
    assert schema.validate(document), schema.error_log
    return document


def broken_rules(xml: bytes) -> set[str]:
    """The EN 16931 rules the project's reader finds broken in the document."""
    reading = einvoice.read(xml)
    failed = [check.message for check in reading.checks.values() if check.status == "fail"]
    return set(re.findall(r"\bBR-[A-Z0-9-]*[0-9]\b", " ".join(failed)))


def test_an_invoice_without_lines_is_valid_ubl_with_one_line_for_its_net() -> None:
    result = sample_result().model_copy(update={"line_items": []})
    document = valid(to_ubl(FIELDS, result, buyer_name="acme", reference="job-1"))
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert document.findtext("cbc:ID", namespaces=ns) == "RE-2026-0042"
    assert etree.QName(document).localname == "Invoice"
    assert document.findtext(".//cbc:PayableAmount", namespaces=ns) == "119.00"
    assert document.findtext(".//cbc:Percent", namespaces=ns) == "19"
    # read back by the project's EN 16931 reader, the only rules broken are the known gaps:
    # a scan says nothing of the buyer's address (ubl_out.KNOWN_GAPS)
    xml = to_ubl(FIELDS, result, buyer_name="acme", reference="job-1")
    assert broken_rules(xml) == {"BR-10", "BR-11"}


def test_the_sample_invoices_lines_are_kept_and_the_document_is_valid() -> None:
    result = sample_result()
    # the "$" of the sample says no currency: the reviewer corrects it to USD
    fields = {name: field.value for name, field in result.fields.items()} | {"currency": "USD"}
    xml = to_ubl(fields, result, buyer_name="acme", reference="job-2")
    document = valid(xml)
    lines = document.findall(
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}InvoiceLine"
    )
    assert len(lines) == len([i for i in result.line_items if i.amount]) >= 1


def test_a_credit_becomes_a_credit_note_with_positive_amounts() -> None:
    credit = {**FIELDS, "subtotal": "-100.00", "tax_amount": "-19.00", "total_amount": "-119.00"}
    result = sample_result().model_copy(update={"line_items": []})
    document = valid(to_ubl(credit, result, buyer_name="acme", reference="job-3"))
    assert etree.QName(document).localname == "CreditNote"
    amounts = [Decimal(e.text or "0") for e in document.iter() if e.get("currencyID")]
    assert amounts and all(a >= 0 for a in amounts)


@pytest.mark.parametrize("missing", ["invoice_number", "document_date", "currency", "total_amount"])
def test_what_an_e_invoice_must_carry_is_never_invented(missing: str) -> None:
    fields = {k: v for k, v in FIELDS.items() if k != missing}
    with pytest.raises(NotExportable, match=missing):
        to_ubl(fields, sample_result(), buyer_name="acme", reference="job-4")


CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PARTY_NS = {"cac": CAC_NS, "cbc": CBC_NS}


def test_a_buyer_address_the_result_holds_meets_br_10_and_br_11() -> None:
    # Given an e-invoice's result that names the buyer, its address (ending in its country
    # code, as the e-invoice reader writes one) and its VAT id
    fields = FIELDS | {
        "buyer_name": "Stadtwerke Musterstadt",
        "buyer_address": "Rathausplatz 1, 12345 Musterstadt, AT",
        "buyer_tax_id": "DE987654321",
    }
    read = EInvoiceInfo(syntax="UBL 2.1 Invoice", flavour="UBL", label="E-invoice (UBL)")
    result = sample_result().model_copy(update={"line_items": [], "einvoice": read})
    # When it goes out as UBL
    xml = to_ubl(fields, result, buyer_name="acme", reference="job-5")
    document = valid(xml)
    # Then the buyer has its name, its address and the address's country (not the VAT id's)
    buyer = document.find("cac:AccountingCustomerParty/cac:Party", PARTY_NS)
    assert buyer is not None
    assert buyer.findtext("cac:PostalAddress/cac:AddressLine/cbc:Line", namespaces=PARTY_NS) == (
        "Rathausplatz 1, 12345 Musterstadt, AT"
    )
    assert (
        buyer.findtext("cac:PostalAddress/cac:Country/cbc:IdentificationCode", namespaces=PARTY_NS)
        == "AT"
    )
    assert buyer.findtext("cac:PartyTaxScheme/cbc:CompanyID", namespaces=PARTY_NS) == (
        "DE987654321"
    )
    assert buyer.findtext("cac:PartyLegalEntity/cbc:RegistrationName", namespaces=PARTY_NS) == (
        "Stadtwerke Musterstadt"
    )
    # and the project's EN 16931 rules find nothing broken any more
    assert broken_rules(xml) == set()


def test_an_ocrd_address_ending_in_two_capitals_is_not_taken_for_a_country() -> None:
    # Given a scan whose buyer address ends in a US state, and whose buyer VAT id is French
    fields = FIELDS | {"buyer_address": "1 Main St, Springfield, IL", "buyer_tax_id": "FR12345"}
    result = sample_result().model_copy(update={"line_items": []})
    buyer = valid(to_ubl(fields, result, buyer_name="acme", reference="job-8")).find(
        "cac:AccountingCustomerParty/cac:Party", PARTY_NS
    )
    assert buyer is not None
    assert (
        buyer.findtext("cac:PostalAddress/cac:Country/cbc:IdentificationCode", namespaces=PARTY_NS)
        == "FR"
    )


def test_without_an_address_the_buyers_country_comes_from_its_vat_id_only() -> None:
    fields = FIELDS | {"buyer_tax_id": "EL123456789"}
    result = sample_result().model_copy(update={"line_items": []})
    xml = to_ubl(fields, result, buyer_name="acme", reference="job-6")
    buyer = valid(xml).find("cac:AccountingCustomerParty/cac:Party", PARTY_NS)
    assert buyer is not None
    # Greece's VAT ids start with EL; its ISO 3166 code is GR. No address line is invented:
    # the country is the one part of the buyer's address (BG-8) EN 16931 requires.
    assert buyer.find("cac:PostalAddress/cac:AddressLine", PARTY_NS) is None
    assert (
        buyer.findtext("cac:PostalAddress/cac:Country/cbc:IdentificationCode", namespaces=PARTY_NS)
        == "GR"
    )
    assert broken_rules(xml) == set()


def test_an_uploaded_e_invoice_goes_out_with_its_buyer_and_no_rule_broken() -> None:
    # Given an e-invoice read by the pipeline: it carries the buyer's address, a
    # document-level allowance and charge, and an amount paid already
    from docuflow.extraction import DuplicateEvidence, ScoringSettings
    from tests.einvoice_samples import invoice_data, make_xml

    result = einvoice.analyze(
        make_xml("ubl", invoice_data()), ScoringSettings(), DuplicateEvidence()
    )
    fields = {name: field.value for name, field in result.fields.items() if field.value}
    # When it goes out as UBL
    xml = to_ubl(fields, result, buyer_name="acme", reference="job-7")
    document = valid(xml)
    kinds = [
        e.findtext("cbc:ChargeIndicator", namespaces=PARTY_NS)
        for e in document.findall("cac:AllowanceCharge", PARTY_NS)
    ]
    assert sorted(kinds) == ["false", "true"]
    assert document.findtext("cac:LegalMonetaryTotal/cbc:PrepaidAmount", namespaces=PARTY_NS)
    buyer = document.find("cac:AccountingCustomerParty/cac:Party", PARTY_NS)
    # Then the buyer is the invoice's own, with its country, and EN 16931's rules hold
    # (the allowance and charge are written, so the totals add up: BR-CO-13, BR-CO-16)
    assert buyer is not None
    assert (
        buyer.findtext("cac:PostalAddress/cac:Country/cbc:IdentificationCode", namespaces=PARTY_NS)
        == "DE"
    )
    assert buyer.findtext("cac:PartyLegalEntity/cbc:RegistrationName", namespaces=PARTY_NS) == (
        "Stadtwerke Musterstadt"
    )
    assert broken_rules(xml) == set()
