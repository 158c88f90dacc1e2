"""What the vendor memory knows about a vendor, and what one invoice tells it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from docuflow.vendors.identity import iban_of, vendor_id_for

DecimalString = Annotated[str, Field(description="A decimal string, as the result's money")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AccountSeen(_Model):
    """A bank account (IBAN) a vendor's invoices asked to be paid to."""

    iban: str
    first_seen: Annotated[str, Field(description="When an invoice first carried it (UTC)")]
    last_seen: Annotated[str, Field(description="When an invoice last carried it (UTC)")]
    job_ids: Annotated[list[str], Field(description="The invoices (jobs) that carried it")]


class TotalRange(_Model):
    """The smallest and largest total of a vendor's invoices in one currency."""

    minimum: DecimalString
    maximum: DecimalString
    count: Annotated[int, Field(ge=1)]


class VendorHints(_Model):
    """What reviewers taught about a vendor by correcting its invoices (ADR 0026)."""

    vendor_name: Annotated[
        str | None, Field(description="The canonical name a reviewer gave it")
    ] = None
    invoice_number_label: Annotated[
        str | None, Field(description="The printed label its invoice number sits under")
    ] = None
    learned_from: Annotated[list[str], Field(description="The jobs they were learned from")] = (
        Field(default_factory=list)
    )


class VendorProfile(_Model):
    """One vendor of one tenant, as its completed and approved invoices describe it."""

    tenant_id: str
    vendor_id: Annotated[str, Field(description="tax-<VAT id> or name-<normalized name>")]
    name: Annotated[str, Field(description="The name of its latest invoice, as approved")]
    names: Annotated[list[str], Field(description="Every name seen, as printed (aliases)")]
    tax_id: str | None = None
    addresses: list[str] = Field(default_factory=list)
    accounts: list[AccountSeen] = Field(default_factory=list)
    currencies: Annotated[dict[str, int], Field(description="Invoices per currency")] = Field(
        default_factory=dict
    )
    totals: dict[str, TotalRange] = Field(default_factory=dict)
    invoice_numbers: list[str] = Field(default_factory=list)
    invoice_count: Annotated[int, Field(ge=0)] = 0
    hints: VendorHints = Field(default_factory=VendorHints)
    first_seen: str
    last_seen: str
    version: Annotated[int, Field(ge=0, description="Optimistic lock of the stored item")] = 0

    def account(self, iban: str) -> AccountSeen | None:
        return next((seen for seen in self.accounts if seen.iban == iban), None)


class InvoiceFacts(_Model):
    """What one invoice says about its vendor: its final values (as read, or as corrected)."""

    job_id: str
    vendor_id: str
    vendor_name: str | None = None
    tax_id: str | None = None
    address: str | None = None
    iban: str | None = None
    currency: str | None = None
    total: DecimalString | None = None
    invoice_number: str | None = None
    document_date: str | None = None

    @classmethod
    def of(cls, job_id: str, values: Mapping[str, str]) -> InvoiceFacts | None:
        """From a result's field values; None when they name no vendor at all."""
        vendor_id = vendor_id_for(
            tax_id=values.get("vendor_tax_id"), name=values.get("vendor_name")
        )
        if vendor_id is None:
            return None
        account = values.get("bank_account")
        return cls(
            job_id=job_id,
            vendor_id=vendor_id,
            vendor_name=values.get("vendor_name"),
            tax_id=values.get("vendor_tax_id"),
            address=values.get("vendor_address"),
            iban=iban_of(account) if account else None,
            currency=values.get("currency"),
            total=values.get("total_amount"),
            invoice_number=values.get("invoice_number"),
            document_date=values.get("document_date"),
        )


class InvoiceSeen(_Model):
    """One invoice remembered for a vendor (its link item: the vendor page lists them,
    and its existence makes remembering the same job a second time a no-op)."""

    vendor_id: str
    job_id: str
    status: Annotated[str, Field(description="COMPLETED (automatically) or APPROVED")]
    recorded_at: str
    invoice_number: str | None = None
    document_date: str | None = None
    currency: str | None = None
    total: DecimalString | None = None
    iban: str | None = None
