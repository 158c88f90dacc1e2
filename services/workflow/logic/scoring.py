"""parse-and-score and read-einvoice: a normalized result -> COMPLETED or NEEDS_REVIEW.

Both branches of the pipeline end here: the OCR branch with Textract's stored pages, the
e-invoice branch with the document's own XML. Each reads once, scores with what the job
index knows about duplicates, checks it against its vendor's history, writes
results/{job_id}.json and routes the job. A job completed automatically is then
remembered for its vendor (ADR 0025).
"""

from __future__ import annotations

from typing import Any

from docuflow import einvoice
from docuflow.dal.documents import result_key
from docuflow.dal.models import JobItem, ReadFrom
from docuflow.dal.vendors import VendorRepository
from docuflow.domain.status import JobStatus
from docuflow.extraction import ScoringSettings, invoice_key, parse_responses
from docuflow.extraction import score as score_parsed
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger, set_job_id
from services.common.adapters import Storage
from services.common.events import Announcer, announce
from services.common.scoring import score_with_duplicates, summary_of
from services.common.tenant_settings import TenantScoring
from services.common.vendor_memory import remember_invoice, with_hints, with_history
from services.workflow.models import ParseOutcome

ACTOR = "workflow"
_ROUTED = (JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW)


def score(
    storage: Storage,
    vendors: VendorRepository,
    job: JobItem,
    pages: list[dict[str, Any]],
    settings: ScoringSettings,
) -> ExtractionResult:
    """Parse Textract's pages once, follow the vendor's hints (what reviewers corrected
    on its earlier invoices), then score them with duplicate evidence."""
    parsed = with_hints(vendors, job, parse_responses(pages))
    return score_with_duplicates(
        storage, lambda duplicates: score_parsed(parsed, settings, duplicates), job
    )


def _audit_routing(storage: Storage, job: JobItem, codes: list[str]) -> None:
    """The "routed" record, keyed by the routing write itself, so a retry writes it once."""
    storage.audit.record_status_write(
        job, "routed", actor=ACTOR, details={"status": job.status.value, "reasons": codes}
    )


def _remember_if_completed(
    storage: Storage, vendors: VendorRepository, job: JobItem, result: ExtractionResult | None
) -> None:
    """A job completed without review is final: its vendor learns from it. Idempotent,
    so a retried step (or a retry after routing) remembers it once."""
    if job.status is not JobStatus.COMPLETED:
        return
    if result is None:
        result = ExtractionResult.model_validate(storage.documents.get_json(result_key(job.job_id)))
    remember_invoice(vendors, job, result, status=JobStatus.COMPLETED.value)


def _already_routed(
    storage: Storage, vendors: VendorRepository, events: Announcer, job: JobItem
) -> ParseOutcome | None:
    """What an earlier invocation did, when this one is a retry after routing."""
    if job.status not in _ROUTED or job.result_key != result_key(job.job_id):
        return None
    logger.info("Job already routed", extra={"status": job.status.value})
    # The earlier invocation may have failed after routing but before its audit record:
    # write it now (a no-op when it is there already).
    codes = [str(reason.get("code")) for reason in job.routing_reasons]
    _audit_routing(storage, job, codes)
    _remember_if_completed(storage, vendors, job, None)
    # ... and so may its event (a no-op when it was put).
    announce(events, job)
    return ParseOutcome(
        job_id=job.job_id,
        status="COMPLETED" if job.status is JobStatus.COMPLETED else "NEEDS_REVIEW",
        result_key=result_key(job.job_id),
        invoice_key=job.invoice_key,
        reasons=codes,
    )


def _store_and_route(
    storage: Storage,
    vendors: VendorRepository,
    events: Announcer,
    job: JobItem,
    result: ExtractionResult,
    *,
    read_from: ReadFrom,
    event: str,
    details: dict[str, Any],
) -> ParseOutcome:
    """Check against the vendor's history, write results/{job_id}.json, audit how it was
    read, route the job, and remember it for its vendor when it completed."""
    job_id = job.job_id
    result = with_history(vendors, job, result)
    key_of_result = result_key(job_id)
    storage.documents.put_json(key_of_result, result.model_dump(mode="json", exclude_none=True))
    storage.audit.record(
        job_id,
        event,
        actor=ACTOR,
        details={
            **details,
            "pages": result.pages,
            "document_type": result.document_type.value,
            "fields": sorted(result.fields),
        },
    )
    key = invoice_key(result.fields)
    reasons = [
        reason.model_dump(mode="json", exclude_none=True) for reason in result.routing.reasons
    ]
    routed = storage.jobs.transition(
        job_id,
        current=JobStatus.PROCESSING,
        target=JobStatus(result.routing.status),
        set_fields={
            "invoice_key": key,
            "result_key": key_of_result,
            "routing_reasons": reasons,
            "read_from": read_from,
            "summary": summary_of(result),
        },
        remove_fields=("task_token",),
    )
    codes = [reason.code for reason in result.routing.reasons]
    _audit_routing(storage, routed, codes)
    _remember_if_completed(storage, vendors, routed, result)
    announce(events, routed)
    return ParseOutcome(
        job_id=job_id,
        status=result.routing.status,
        result_key=key_of_result,
        invoice_key=key,
        reasons=codes,
    )


def parse_and_score(
    storage: Storage,
    vendors: VendorRepository,
    events: Announcer,
    thresholds: TenantScoring,
    *,
    job_id: str,
    keys: list[str],
) -> ParseOutcome:
    """Parse the stored pages, write results/{job_id}.json and route the job with its
    tenant's thresholds."""
    set_job_id(job_id)
    job = storage.jobs.get(job_id)
    done = _already_routed(storage, vendors, events, job)
    if done is not None:
        return done
    pages = [storage.documents.get_json(key) for key in keys]
    result = score(storage, vendors, job, pages, thresholds.for_tenant(job.tenant_id))
    return _store_and_route(
        storage,
        vendors,
        events,
        job,
        result,
        read_from="textract",
        event="ocr_done",
        details={"ocr_pages": len(keys)},
    )


def read_einvoice(
    storage: Storage,
    vendors: VendorRepository,
    events: Announcer,
    thresholds: TenantScoring,
    *,
    job_id: str,
    key: str,
) -> ParseOutcome:
    """Read the uploaded e-invoice (XML, or a hybrid PDF's XML) exactly, without Textract,
    write results/{job_id}.json and route the job. UnreadableEInvoice fails the job."""
    set_job_id(job_id)
    job = storage.jobs.get(job_id)
    done = _already_routed(storage, vendors, events, job)
    if done is not None:
        return done
    reading = einvoice.read(storage.documents.read(key))
    settings = thresholds.for_tenant(job.tenant_id)
    result = score_with_duplicates(
        storage,
        lambda duplicates: einvoice.result(reading, settings, duplicates),
        job,
    )
    kind = reading.einvoice
    return _store_and_route(
        storage,
        vendors,
        events,
        job,
        result,
        read_from="einvoice",
        event="einvoice_read",
        details={
            "syntax": kind.syntax,
            "flavour": kind.flavour,
            "attachment": kind.attachment,
            # Read from the document's own XML: no Textract call, no OCR page billed.
            "ocr_pages": 0,
        },
    )
