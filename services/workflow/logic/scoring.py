"""parse-and-score: raw OCR pages -> normalized result -> COMPLETED or NEEDS_REVIEW."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docuflow.dal.documents import result_key
from docuflow.dal.models import JobItem
from docuflow.domain.status import JobStatus
from docuflow.extraction import (
    DuplicateEvidence,
    ScoringSettings,
    invoice_key,
    parse_responses,
)
from docuflow.extraction import score as score_parsed
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger, set_job_id
from services.common.adapters import Storage
from services.workflow.models import ParseOutcome

ACTOR = "workflow"
_ROUTED = (JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW)


def _others(job_ids: Iterable[str], job_id: str) -> list[str]:
    return sorted({other for other in job_ids if other != job_id})


def score(
    storage: Storage,
    pages: list[dict[str, Any]],
    settings: ScoringSettings,
    *,
    job_id: str,
    file_sha256: str | None,
) -> ExtractionResult:
    """Parse once, then score with duplicate evidence from the file hash and the
    invoice key (which is only known after parsing, so a second scoring pass runs when
    other jobs share it)."""
    parsed = parse_responses(pages)
    same_file = _others(storage.jobs.statuses_with_file(file_sha256), job_id) if file_sha256 else []
    result = score_parsed(
        parsed, settings, DuplicateEvidence(same_invoice_job_ids=[], same_file_job_ids=same_file)
    )
    key = invoice_key(result.fields)
    same_invoice = _others(storage.jobs.statuses_with_invoice_key(key), job_id) if key else []
    if same_invoice:
        result = score_parsed(
            parsed,
            settings,
            DuplicateEvidence(same_invoice_job_ids=same_invoice, same_file_job_ids=same_file),
        )
    return result


def _audit_routing(storage: Storage, job: JobItem, codes: list[str]) -> None:
    """The "routed" record, keyed by the routing write itself, so a retry writes it once."""
    storage.audit.record_status_write(
        job, "routed", actor=ACTOR, details={"status": job.status.value, "reasons": codes}
    )


def parse_and_score(
    storage: Storage, settings: ScoringSettings, *, job_id: str, keys: list[str]
) -> ParseOutcome:
    """Parse the stored pages, write results/{job_id}.json and route the job."""
    set_job_id(job_id)
    job = storage.jobs.get(job_id)
    key_of_result = result_key(job_id)
    if job.status in _ROUTED and job.result_key == key_of_result:
        # A retried invocation after the job was routed: report what was done.
        logger.info("Job already routed", extra={"status": job.status.value})
        # The earlier invocation may have failed after routing but before its audit
        # record: write it now (a no-op when it is there already).
        _audit_routing(storage, job, [str(reason.get("code")) for reason in job.routing_reasons])
        return ParseOutcome(
            job_id=job_id,
            status="COMPLETED" if job.status is JobStatus.COMPLETED else "NEEDS_REVIEW",
            result_key=key_of_result,
            invoice_key=job.invoice_key,
            reasons=[str(reason.get("code")) for reason in job.routing_reasons],
        )
    pages = [storage.documents.get_json(key) for key in keys]
    result = score(storage, pages, settings, job_id=job_id, file_sha256=job.file_sha256)
    storage.documents.put_json(key_of_result, result.model_dump(mode="json", exclude_none=True))
    storage.audit.record(
        job_id,
        "ocr_done",
        actor=ACTOR,
        details={
            "ocr_pages": len(keys),
            "pages": result.pages,
            "document_type": result.document_type.value,
            "fields": sorted(result.fields),
        },
    )
    key = invoice_key(result.fields)
    target = JobStatus(result.routing.status)
    reasons = [
        reason.model_dump(mode="json", exclude_none=True) for reason in result.routing.reasons
    ]
    routed = storage.jobs.transition(
        job_id,
        current=JobStatus.PROCESSING,
        target=target,
        set_fields={"invoice_key": key, "result_key": key_of_result, "routing_reasons": reasons},
        remove_fields=("task_token",),
    )
    codes = [reason.code for reason in result.routing.reasons]
    _audit_routing(storage, routed, codes)
    return ParseOutcome(
        job_id=job_id,
        status=result.routing.status,
        result_key=key_of_result,
        invoice_key=key,
        reasons=codes,
    )
