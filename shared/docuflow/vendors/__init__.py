"""Vendor memory: who sends a tenant's invoices, and what is unusual about a new one."""

from docuflow.vendors.hints import apply_hints, learn
from docuflow.vendors.identity import normalized_name, normalized_tax_id, vendor_id_for
from docuflow.vendors.memory import aliases, history_reasons, remember, with_history
from docuflow.vendors.model import (
    AccountSeen,
    InvoiceFacts,
    InvoiceSeen,
    TotalRange,
    VendorHints,
    VendorProfile,
)

__all__ = [
    "AccountSeen",
    "InvoiceFacts",
    "InvoiceSeen",
    "TotalRange",
    "VendorHints",
    "VendorProfile",
    "aliases",
    "apply_hints",
    "history_reasons",
    "learn",
    "normalized_name",
    "normalized_tax_id",
    "remember",
    "vendor_id_for",
    "with_history",
]
