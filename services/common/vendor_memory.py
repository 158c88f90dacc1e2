"""Vendor memory in the services: check a routed result against the vendor's history,
and remember a finished invoice (ADR 0025).

`tenant_of` is the one place that says which tenant a job belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping

from docuflow.dal.models import FieldCorrection, JobItem, utc_now
from docuflow.dal.vendors import VendorRepository
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger
from docuflow.vendors import InvoiceFacts, InvoiceSeen, VendorProfile, history_reasons, remember
from docuflow.vendors import with_history as result_with_history


def tenant_of(job: JobItem) -> str:
    """The tenant a job belongs to: its owner until sign-in gives every job the tenant of
    the token it was uploaded with (DESIGN §8)."""
    return job.owner_id


def final_values(
    result: ExtractionResult, corrections: Mapping[str, FieldCorrection] | None = None
) -> dict[str, str]:
    """The invoice's values as decided: as read, with the reviewer's corrections."""
    values = {name: field.value for name, field in result.fields.items()}
    values.update({name: c.after for name, c in (corrections or {}).items()})
    return values


def _facts(
    vendors: VendorRepository, tenant_id: str, job_id: str, values: Mapping[str, str]
) -> tuple[InvoiceFacts, VendorProfile | None] | None:
    """The invoice's facts, with the vendor it is from when that vendor is known."""
    facts = InvoiceFacts.of(job_id, values)
    if facts is None:
        return None
    profile = vendors.resolve(
        tenant_id, facts.vendor_id, name=facts.vendor_name, tax_id=facts.tax_id
    )
    if profile is not None:
        facts = facts.model_copy(update={"vendor_id": profile.vendor_id})
    return facts, profile


def with_history(
    vendors: VendorRepository, job: JobItem, result: ExtractionResult
) -> ExtractionResult:
    """`result` checked against its vendor's history (`vendor_history`): a known vendor's
    new bank account, another vendor's account, an unusual currency or total, an invoice
    number seen before each add a review reason."""
    tenant_id = tenant_of(job)
    found = _facts(vendors, tenant_id, job.job_id, final_values(result))
    if found is None:
        return result
    facts, profile = found
    owner = vendors.owner_of_account(tenant_id, facts.iban) if facts.iban else None
    return result_with_history(result, profile, history_reasons(facts, profile, iban_owner=owner))


def remember_invoice(
    vendors: VendorRepository,
    job: JobItem,
    result: ExtractionResult,
    *,
    status: str,
    corrections: Mapping[str, FieldCorrection] | None = None,
) -> VendorProfile | None:
    """Add a COMPLETED or APPROVED invoice to its vendor (creating the vendor if new).

    Idempotent: a job already remembered changes nothing (None is returned then, and
    for an invoice that names no vendor).
    """
    tenant_id = tenant_of(job)
    found = _facts(vendors, tenant_id, job.job_id, final_values(result, corrections))
    if found is None:
        return None
    facts, _ = found
    at = utc_now()
    seen = InvoiceSeen(
        vendor_id=facts.vendor_id,
        job_id=job.job_id,
        status=status,
        recorded_at=at,
        invoice_number=facts.invoice_number,
        document_date=facts.document_date,
        currency=facts.currency,
        total=facts.total,
        iban=facts.iban,
    )
    profile = vendors.remember(
        tenant_id, seen, lambda current: remember(current, facts, tenant_id=tenant_id, at=at)
    )
    logger.info(
        "Invoice remembered for its vendor" if profile else "Invoice was remembered already",
        extra={"vendor_id": facts.vendor_id},
    )
    return profile
