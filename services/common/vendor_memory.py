"""Vendor memory in the services: check a routed result against the vendor's history,
and remember a finished invoice (ADR 0025). A job's vendors are those of its tenant
(`job.tenant_id`, from the token it was uploaded with).
"""

from __future__ import annotations

from collections.abc import Mapping

from docuflow.dal.models import FieldCorrection, JobItem, utc_now
from docuflow.dal.vendors import VendorRepository
from docuflow.extraction.parser import ParsedDocument
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger
from docuflow.vendors import (
    InvoiceFacts,
    InvoiceSeen,
    VendorProfile,
    apply_hints,
    history_reasons,
    learn,
    remember,
)
from docuflow.vendors import with_history as result_with_history


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


def with_hints(vendors: VendorRepository, job: JobItem, parsed: ParsedDocument) -> ParsedDocument:
    """`parsed` following what reviewers taught about its vendor (ADR 0026)."""
    values = {name: field.value for name, field in parsed.fields.items()}
    found = _facts(vendors, job.tenant_id, job.job_id, values)
    if found is None or found[1] is None:
        return parsed
    hinted = apply_hints(parsed, found[1].hints)
    if hinted is not parsed:
        logger.info("Vendor hints applied", extra={"vendor_id": found[1].vendor_id})
    return hinted


def _learned(
    profile: VendorProfile,
    result: ExtractionResult,
    corrections: Mapping[str, FieldCorrection],
    job_id: str,
) -> VendorProfile:
    """The profile with what this approval's corrections teach: hints, and the name as it
    was read kept as an alias, so the next invoice read the same way finds the vendor."""
    hints = learn(
        profile.hints, result, {n: c.after for n, c in corrections.items()}, job_id=job_id
    )
    names = list(profile.names)
    read_name = corrections["vendor_name"].before if "vendor_name" in corrections else None
    if read_name and read_name not in names:
        names.append(read_name)
    return profile.model_copy(update={"hints": hints, "names": names})


def with_history(
    vendors: VendorRepository, job: JobItem, result: ExtractionResult
) -> ExtractionResult:
    """`result` checked against its vendor's history (`vendor_history`): a known vendor's
    new bank account, another vendor's account, an unusual currency or total, an invoice
    number seen before each add a review reason."""
    tenant_id = job.tenant_id
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
    tenant_id = job.tenant_id
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

    def update(current: VendorProfile | None) -> VendorProfile:
        updated = remember(current, facts, tenant_id=tenant_id, at=at)
        return _learned(updated, result, corrections, job.job_id) if corrections else updated

    profile = vendors.remember(tenant_id, seen, update)
    logger.info(
        "Invoice remembered for its vendor" if profile else "Invoice was remembered already",
        extra={"vendor_id": facts.vendor_id},
    )
    return profile
