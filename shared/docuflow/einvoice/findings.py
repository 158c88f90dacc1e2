"""What a broken EN 16931 rule becomes: a `Finding` in a DocuFlow check `Group`, named by
its business terms in words (`named`); and which rules an e-invoice promises to keep
(`is_core`, `is_compliant`)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict

from docuflow.einvoice.model import EInvoice


class Group(StrEnum):
    """Which DocuFlow check a rule belongs to."""

    REQUIRED = "required_fields"
    TOTALS = "totals_add_up"
    LINES = "line_items_sum"
    VAT = "vat_breakdown"
    CURRENCY = "currency_known"
    TYPE_CODE = "type_code_known"
    VALUES = "values_well_formed"


class Finding(BaseModel):
    """A rule the e-invoice breaks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    group: Group
    terms: tuple[str, ...]
    message: str


NAMES: Final[dict[str, str]] = {
    "BT-1": "invoice number",
    "BT-2": "issue date",
    "BT-3": "invoice type code",
    "BT-5": "invoice currency",
    "BT-6": "VAT accounting currency",
    "BT-9": "due date",
    "BT-20": "payment terms",
    "BT-24": "specification identifier",
    "BT-27": "seller name",
    "BT-40": "seller country",
    "BT-44": "buyer name",
    "BT-55": "buyer country",
    "BT-72": "delivery date",
    "BT-106": "sum of line net amounts",
    "BT-107": "sum of allowances",
    "BT-108": "sum of charges",
    "BT-109": "total without VAT",
    "BT-110": "total VAT",
    "BT-112": "total with VAT",
    "BT-113": "paid amount",
    "BT-114": "rounding amount",
    "BT-115": "amount due",
    "BT-116": "taxable amount",
    "BT-117": "VAT amount",
    "BT-118": "VAT category",
    "BT-119": "VAT rate",
    "BT-126": "line identifier",
    "BT-129": "quantity",
    "BT-130": "unit of measure",
    "BT-131": "line net amount",
    "BT-146": "net price",
    "BT-153": "item name",
}


def named(term: str) -> str:
    """ "the total with VAT (BT-112)"."""
    return f"the {NAMES[term]} ({term})" if term in NAMES else term


def money(amount: Decimal) -> str:
    return format(amount, "f")


def is_core(invoice: EInvoice) -> bool:
    """Whether the e-invoice claims EN 16931 (its specification identifier, BT-24, starts
    from urn:cen.eu:en16931:2017: XRechnung, Peppol BIS, Factur-X BASIC and up, national
    CIUS). Others (Factur-X MINIMUM and BASIC WL, Peppol PINT, ZUGFeRD 1.0, Svefaktura,
    national formats) are held to the totals and the terms every invoice has, not to
    EN 16931's required terms and code lists, which they do not promise."""
    specification = invoice.terms.get("BT-24")
    return specification is not None and specification.text.startswith(_EN16931)


_EN16931: Final = "urn:cen.eu:en16931:2017"


def is_compliant(invoice: EInvoice) -> bool:
    """Whether the e-invoice is EN 16931 or a CIUS of it ("#compliant#"), and so bound by
    its code lists. An extension ("#conformant#": XRechnung's extension, Factur-X
    EXTENDED, Peppol's regional variants) may widen them."""
    specification = invoice.terms.get("BT-24")
    return specification is not None and (
        specification.text == _EN16931 or specification.text.startswith(f"{_EN16931}#compliant#")
    )
