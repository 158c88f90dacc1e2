"""A synthetic invoice: what is printed, how it is printed, and the ground truth it implies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuflow_tools.samples.conventions import (
    CurrencyStyle,
    DateStyle,
    Language,
    NumberStyle,
)

Layout = Literal["letterhead_left", "letterhead_right", "letterhead_top"]
MetaStyle = Literal["aligned", "band"]
TotalsStyle = Literal["columns", "boxed", "inline"]
PageSize = Literal["A4", "LETTER"]

TRUTH_SCHEMA = "docuflow-truth/1"
"""The ground-truth JSON format written beside each generated document (docs/ocr.md)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(_Frozen):
    """A company as printed: name and address lines, optionally tax id and contacts."""

    name: str
    address_lines: tuple[str, ...]
    tax_id: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def address(self) -> str:
        return ", ".join(self.address_lines)


class Remittance(_Frozen):
    """Where to pay: a payee block (US style) and/or bank details (EU style)."""

    name: str | None = None
    address_lines: tuple[str, ...] = ()
    iban: str | None = None
    bic: str | None = None
    email: str | None = None
    phone: str | None = None


class Item(_Frozen):
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class SyntheticInvoice(_Frozen):
    """One generated invoice or credit note; `ground_truth()` gives the expected fields."""

    seed: int
    language: Language
    layout: Layout
    meta_style: MetaStyle
    totals_style: TotalsStyle
    date_style: DateStyle
    number_style: NumberStyle
    currency_style: CurrencyStyle
    page_size: PageSize
    label_variant: Annotated[int, Field(ge=0)]
    credit_note: bool
    vendor: Party
    bill_to: Party
    invoice_number: str
    document_date: dt.date
    due_date: dt.date | None
    purchase_order: str | None
    payment_terms: str | None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    items: tuple[Item, ...]
    tax_rate: Decimal
    subtotal: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    amount_due: Decimal | None
    remittance: Remittance | None

    def ground_truth_fields(self) -> dict[str, str]:
        """DESIGN §4 field names with normalized values, only for what is printed."""
        fields: dict[str, str] = {
            "vendor_name": self.vendor.name,
            "vendor_address": self.vendor.address,
            "invoice_number": self.invoice_number,
            "document_date": self.document_date.isoformat(),
            "currency": self.currency,
            "subtotal": _money(self.subtotal),
            "tax_amount": _money(self.tax_amount),
            "total_amount": _money(self.total_amount),
        }
        optional: dict[str, str | None] = {
            "vendor_tax_id": self.vendor.tax_id,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "purchase_order": self.purchase_order,
            "payment_terms": self.payment_terms,
            "amount_due": _money(self.amount_due) if self.amount_due is not None else None,
        }
        remit = self.remittance
        email = (remit.email if remit else None) or self.vendor.email
        phone = (remit.phone if remit else None) or self.vendor.phone
        optional.update(
            {
                "remit_to_name": remit.name if remit else None,
                "remit_to_address": ", ".join(remit.address_lines)
                if remit and remit.address_lines
                else None,
                "remittance_email": email,
                "remittance_phone": phone,
                "bank_account": remit.iban.replace(" ", "") if remit and remit.iban else None,
            }
        )
        fields.update({key: value for key, value in optional.items() if value is not None})
        return fields

    def ground_truth(
        self, *, document: str | None = None, pages: int | None = None
    ) -> dict[str, Any]:
        """The ground-truth JSON (schema `docuflow-truth/1`, described in docs/ocr.md)."""
        truth: dict[str, Any] = {
            "schema": TRUTH_SCHEMA,
            "docuflow_generated": True,
            "document": document,
            "document_type": "invoice",
            "fields": self.ground_truth_fields(),
            "line_items": [
                {
                    "description": item.description,
                    "quantity": _decimal(item.quantity),
                    "unit_price": _money(item.unit_price),
                    "amount": _money(item.amount),
                }
                for item in self.items
            ],
            "conventions": {
                "seed": self.seed,
                "language": self.language,
                "layout": self.layout,
                "meta_style": self.meta_style,
                "totals_style": self.totals_style,
                "date_style": self.date_style,
                "number_style": self.number_style,
                "currency_style": self.currency_style,
                "page_size": self.page_size,
                "credit_note": self.credit_note,
            },
        }
        if pages is not None:
            truth["pages"] = pages
        return truth


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _decimal(value: Decimal) -> str:
    normalized = value.normalize()
    return f"{normalized:f}"
