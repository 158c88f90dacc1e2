"""E-invoices the tests make themselves, written by factur-x's own generator.

One set of business terms (factur-x's data dictionary, keyed by BT/BG) becomes UBL 2.1
or CII D16B XML, so every test runs anywhere and checks DocuFlow's reading against an
independent writer of the standard.
"""

from __future__ import annotations

import copy
import datetime
import logging
from typing import Any, Literal

from facturx import generate_from_binary, generate_xml

from docuflow_tools.samples import SyntheticInvoice, render_pdf

logging.getLogger("factur-x").setLevel(logging.ERROR)

Syntax = Literal["cii", "ubl"]

SELLER = {
    "name": "Rheinwerk Logistik GmbH",
    "vat_identifier": "DE123456789",
    "addr_l1": "Hafenstraße 12",
    "postcode": "50667",
    "city": "Köln",
    "country_code": "DE",
    "contacts": [
        {"name": "Anna Berg", "phone": "+49 221 555010", "email": "rechnung@rheinwerk.example"}
    ],
    "einvoicing_addr": "rechnung@rheinwerk.example",
    "einvoicing_addr_schemeid": "EM",
}
BUYER = {
    "name": "Stadtwerke Musterstadt",
    "vat_identifier": "DE987654321",
    "addr_l1": "Rathausplatz 1",
    "postcode": "12345",
    "city": "Musterstadt",
    "country_code": "DE",
    "einvoicing_addr": "einkauf@stadtwerke.example",
    "einvoicing_addr_schemeid": "EM",
}

# Two lines at 19 %, one at 7 %, a 10.00 allowance and a 5.00 charge at 19 %:
# lines 1,250.00 (19 %: 1,000.00 + 150.00; 7 %: 100.00); 19 % base 1,145.00 -> VAT 217.55;
# 7 % base 100.00 -> VAT 7.00. Total without VAT 1,245.00, VAT 224.55, total 1,469.55,
# paid 100.00, due 1,369.55.
DATA: dict[str, Any] = {
    "BT-1": "RE-2025-0042",
    "BT-2": datetime.date(2025, 3, 14),
    "BT-3": "380",
    "BT-5": "EUR",
    "BT-9": datetime.date(2025, 4, 13),
    "BT-10": "04011000-12345-03",
    "BT-13": "PO-7781",
    "BT-20": "30 Tage netto",
    "BT-72": datetime.date(2025, 3, 10),
    "BG-4": SELLER,
    "BG-7": BUYER,
    "BT-81": "58",
    "BT-84": "DE89370400440532013000",
    "BT-86": "COBADEFFXXX",
    "BG-20": [
        {"amount": "10.00", "vat_category_code": "S", "vat_rate": "19", "reason": "Treuerabatt"}
    ],
    "BG-21": [
        {"amount": "5.00", "vat_category_code": "S", "vat_rate": "19", "reason": "Verpackung"}
    ],
    "BG-23": [
        {"BT-116": "1145.00", "BT-117": "217.55", "BT-118": "S", "BT-119": "19"},
        {"BT-116": "100.00", "BT-117": "7.00", "BT-118": "S", "BT-119": "7"},
    ],
    "BG-25": [
        {
            "BT-126": "1",
            "BT-129": "40",
            "BT-130": "H87",
            "BT-131": "1000.00",
            "BT-146": "25.00",
            "BT-151": "S",
            "BT-152": "19",
            "BT-153": "Palettenregal",
        },
        {
            "BT-126": "2",
            "BT-129": "2.5",
            "BT-130": "HUR",
            "BT-131": "150.00",
            "BT-146": "60.00",
            "BT-151": "S",
            "BT-152": "19",
            "BT-153": "Montage",
        },
        {
            "BT-126": "3",
            "BT-129": "10",
            "BT-130": "KGM",
            "BT-131": "100.00",
            "BT-146": "10.00",
            "BT-151": "S",
            "BT-152": "7",
            "BT-153": "Kaffee",
        },
    ],
    "BT-106": "1250.00",
    "BT-107": "10.00",
    "BT-108": "5.00",
    "BT-109": "1245.00",
    "BT-110": "224.55",
    "BT-112": "1469.55",
    "BT-113": "100.00",
    "BT-115": "1369.55",
}


def invoice_data(**changes: Any) -> dict[str, Any]:
    """A deep copy of DATA with business terms replaced (None removes one)."""
    data = copy.deepcopy(DATA)
    for term, value in changes.items():
        key = term.replace("_", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def make_xml(
    syntax: Syntax,
    data: dict[str, Any] | None = None,
    *,
    level: str = "en16931",
    specification: str | None = None,
) -> bytes:
    """The e-invoice XML of `data` (DATA by default) in `syntax`; `specification` replaces
    the EN 16931 specification identifier (BT-24) factur-x writes, e.g. with XRECHNUNG."""
    flavor = "factur-x" if syntax == "cii" else "ubl-2.1"
    xml = bytes(
        generate_xml(
            copy.deepcopy(data or DATA),
            flavor=flavor,
            level=level,
            check_xsd=False,
            check_schematron=False,
        )
    )
    if specification is not None:
        xml = xml.replace(f">{EN16931}<".encode(), f">{specification}<".encode())
    return xml


def make_hybrid(pdf: bytes, xml: bytes) -> bytes:
    """A Factur-X PDF: `pdf` with `xml` embedded as factur-x.xml."""
    return bytes(generate_from_binary(pdf, xml, check_xsd=False))


def hybrid_of(invoice: SyntheticInvoice, *, shown: SyntheticInvoice | None = None) -> bytes:
    """A Factur-X PDF: the sample generator's rendering of `invoice` (or of `shown`, to make
    picture and XML disagree), carrying CII XML with `invoice`'s business terms."""
    total = invoice.total_amount
    due = invoice.amount_due if invoice.amount_due is not None else invoice.total_amount
    data: dict[str, Any] = {
        "BT-1": invoice.invoice_number,
        "BT-2": invoice.document_date,
        "BT-3": "380",
        "BT-5": invoice.currency,
        "BT-20": invoice.payment_terms or "Payable on receipt",
        "BG-4": {
            "name": invoice.vendor.name,
            "addr_l1": invoice.vendor.address_lines[0],
            "city": invoice.vendor.address_lines[-1],
            "country_code": "DE",
            **({"vat_identifier": invoice.vendor.tax_id} if invoice.vendor.tax_id else {}),
        },
        "BG-7": {
            "name": invoice.bill_to.name,
            "addr_l1": invoice.bill_to.address_lines[0],
            "city": invoice.bill_to.address_lines[-1],
            "country_code": "DE",
        },
        "BG-23": [
            {
                "BT-116": str(invoice.subtotal),
                "BT-117": str(invoice.tax_amount),
                "BT-118": "S",
                "BT-119": str(invoice.tax_rate),
            }
        ],
        "BG-25": [
            {
                "BT-126": str(number),
                "BT-129": str(item.quantity),
                "BT-130": "C62",
                "BT-131": str(item.amount),
                "BT-146": str(item.unit_price),
                "BT-151": "S",
                "BT-152": str(invoice.tax_rate),
                "BT-153": item.description,
            }
            for number, item in enumerate(invoice.items, start=1)
        ],
        "BT-106": str(invoice.subtotal),
        "BT-109": str(invoice.subtotal),
        "BT-110": str(invoice.tax_amount),
        "BT-112": str(total),
        "BT-113": str(invoice.total_amount - due),
        "BT-115": str(total - (invoice.total_amount - due)),
    }
    if invoice.due_date:
        data["BT-9"] = invoice.due_date
    if invoice.remittance and invoice.remittance.iban:
        data["BT-81"] = "58"
        data["BT-84"] = invoice.remittance.iban.replace(" ", "")
    return make_hybrid(render_pdf(shown or invoice), make_xml("cii", data))
