"""An e-invoice as read: business terms with the XML path each came from, before any mapping."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from docuflow.einvoice.syntax import Syntax


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Model):
    """One business term's value exactly as the XML holds it (whitespace trimmed)."""

    term: Annotated[str, Field(description="EN 16931 business term, e.g. BT-112")]
    text: str
    path: Annotated[str, Field(description="Where in the XML, e.g. /Invoice/cbc:ID")]


Terms = dict[str, Term]


class Line(_Model):
    """An invoice line (BG-25) and its own allowances and charges (BG-27, BG-28)."""

    path: str
    terms: Terms
    allowances_charges: list[AllowanceCharge] = Field(default_factory=list)


class AllowanceCharge(_Model):
    """A document-level allowance (BG-20) or charge (BG-21), or a line's (BG-27/BG-28).

    Its terms are keyed by the allowance's numbers (BT-92 amount ... BT-98 reason code);
    `terms.CHARGE_TERMS` names a charge's own numbers for messages.
    """

    charge: bool
    path: str
    terms: Terms


class VatBreakdown(_Model):
    """One VAT category and rate (BG-23): BT-116 taxable, BT-117 tax, BT-118, BT-119 rate."""

    path: str
    terms: Terms


class EInvoice(_Model):
    """Everything DocuFlow reads from one e-invoice."""

    syntax: Syntax
    flavour: Annotated[str, Field(description='What a person calls it: "XRechnung CII"')]
    root: Annotated[str, Field(description="The root element's name as written in paths")]
    terms: Terms
    lines: list[Line] = Field(default_factory=list)
    allowances_charges: list[AllowanceCharge] = Field(default_factory=list)
    vat_breakdown: list[VatBreakdown] = Field(default_factory=list)
    sub_lines: Annotated[
        int, Field(description="Lines below another line (EXTENDED's hierarchy), not in `lines`")
    ] = 0
    attachment: Annotated[
        str | None, Field(description="The PDF attachment's file name, for a hybrid PDF")
    ] = None


Line.model_rebuild()
