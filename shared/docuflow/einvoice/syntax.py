"""Which e-invoice an XML root is: UBL 2.1 Invoice or CreditNote, UN/CEFACT CII D16B
(ZUGFeRD 2.x, Factur-X, XRechnung CII) or ZUGFeRD 1.0, and the flavour a person calls it.

The root element's namespace decides the syntax; a root in any other namespace is no
e-invoice DocuFlow reads. The profile (Factur-X/ZUGFeRD level) comes from factur-x's own
reading of the guideline URN, so the labels follow that library's list of levels.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Final

from facturx import get_level
from lxml import etree

from docuflow.domain.errors import UnreadableEInvoice


class Syntax(StrEnum):
    UBL_INVOICE = "UBL 2.1 Invoice"
    UBL_CREDIT_NOTE = "UBL 2.1 CreditNote"
    CII = "UN/CEFACT CII D16B"
    ZUGFERD_1 = "ZUGFeRD 1.0"
    SVEFAKTURA = "Svefaktura 1.0"


UBL_INVOICE_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII_NS: Final = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ZUGFERD_1_NS: Final = "urn:ferd:CrossIndustryDocument:invoice:1p0"
SVEFAKTURA_NS: Final = "urn:sfti:documents:BasicInvoice:1:0"

ROOTS: Final[dict[tuple[str, str], Syntax]] = {
    (UBL_INVOICE_NS, "Invoice"): Syntax.UBL_INVOICE,
    (UBL_CREDIT_NOTE_NS, "CreditNote"): Syntax.UBL_CREDIT_NOTE,
    (CII_NS, "CrossIndustryInvoice"): Syntax.CII,
    (ZUGFERD_1_NS, "CrossIndustryDocument"): Syntax.ZUGFERD_1,
    (SVEFAKTURA_NS, "Invoice"): Syntax.SVEFAKTURA,
}

NAMESPACES: Final[dict[Syntax, dict[str, str]]] = {
    Syntax.UBL_INVOICE: {
        "inv": UBL_INVOICE_NS,
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    },
    Syntax.UBL_CREDIT_NOTE: {
        "inv": UBL_CREDIT_NOTE_NS,
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    },
    Syntax.CII: {
        "rsm": CII_NS,
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
        "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    },
    Syntax.ZUGFERD_1: {
        "rsm": ZUGFERD_1_NS,
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
    },
    # Sweden's pre-Peppol format, UBL 1.0 with its own aggregate components.
    Syntax.SVEFAKTURA: {
        "inv": SVEFAKTURA_NS,
        "cac": "urn:sfti:CommonAggregateComponents:1:0",
        "cbc": "urn:oasis:names:tc:ubl:CommonBasicComponents:1:0",
    },
}

_LEVEL_NAMES: Final[dict[str, str]] = {
    "minimum": "MINIMUM",
    "basicwl": "BASIC WL",
    "basic": "BASIC",
    "en16931": "EN 16931",
    "extended": "EXTENDED",
    "comfort": "COMFORT",
}


def syntax_of(root: etree._Element, *, name: str = "The XML") -> Syntax:
    """The syntax of a parsed root element, or UnreadableEInvoice naming what it is instead."""
    qname = etree.QName(root)
    syntax = ROOTS.get((qname.namespace or "", qname.localname))
    if syntax is None:
        found = f"{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname
        raise UnreadableEInvoice(
            f"{name} is not an e-invoice: its root element is {found}, not a UBL 2.1 Invoice "
            "or CreditNote, a UN/CEFACT CrossIndustryInvoice (ZUGFeRD 2, Factur-X, XRechnung) "
            "a ZUGFeRD 1.0 CrossIndustryDocument or a Svefaktura 1.0 Invoice."
        )
    return syntax


def flavour(syntax: Syntax, root: etree._Element, customization_id: str | None) -> str:
    """What a person calls this e-invoice: "XRechnung CII", "Factur-X EN 16931", "Peppol UBL"."""
    spec = (customization_id or "").casefold()
    ubl = syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE)
    if syntax is Syntax.SVEFAKTURA:
        name = "Svefaktura 1.0"
    elif "xrechnung" in spec:
        name = "XRechnung UBL" if ubl else "XRechnung CII"
    elif ubl:
        name = "Peppol UBL" if "peppol" in spec else "UBL 2.1"
    else:
        level = _level(syntax, root)
        if syntax is Syntax.ZUGFERD_1:
            family = "ZUGFeRD 1.0"
        elif "zugferd" in spec:
            family = "ZUGFeRD"
        elif "factur-x" in spec or level:
            family = "Factur-X"
        else:
            family = "UN/CEFACT CII"
        name = f"{family} {level}".rstrip()
    return name


def _level(syntax: Syntax, root: etree._Element) -> str:
    flavor = "zugferd" if syntax is Syntax.ZUGFERD_1 else "factur-x"
    # factur-x logs at INFO for every detection; DocuFlow's logs say what matters.
    logging.getLogger("factur-x").setLevel(logging.WARNING)
    try:
        level = str(get_level(root, flavor))
    except (ValueError, IndexError, AttributeError):  # an URN that names no known level
        return ""
    return _LEVEL_NAMES.get(level, level.upper())
