"""Scoring with what the job index knows about duplicates: the pipeline's routing step
and the review API's re-scoring share it, so both route a job the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docuflow.dal.models import JobItem
from docuflow.extraction import DuplicateEvidence, invoice_key
from docuflow.extraction.result import ExtractionResult
from services.common.adapters import Storage

Scorer = Callable[[DuplicateEvidence], ExtractionResult]

# The values of a result the review queue shows, sorts and filters on.
SUMMARY_FIELDS = (
    "vendor_name",
    "invoice_number",
    "document_date",
    "due_date",
    "total_amount",
    "currency",
)


def _others(job_ids: Iterable[str], job_id: str) -> list[str]:
    return sorted({other for other in job_ids if other != job_id})


def score_with_duplicates(storage: Storage, scorer: Scorer, job: JobItem) -> ExtractionResult:
    """Score with duplicate evidence from the file hash and the invoice key (which is only
    known after reading, so a second scoring pass runs when other jobs share it), both
    looked up in the job's tenant only."""
    tenant, job_id = job.tenant_id, job.job_id
    same_file = (
        _others(storage.jobs.statuses_with_file(tenant, job.file_sha256), job_id)
        if job.file_sha256
        else []
    )
    result = scorer(DuplicateEvidence(same_invoice_job_ids=[], same_file_job_ids=same_file))
    key = invoice_key(result.fields)
    same_invoice = (
        _others(storage.jobs.statuses_with_invoice_key(tenant, key), job_id) if key else []
    )
    if same_invoice:
        result = scorer(
            DuplicateEvidence(same_invoice_job_ids=same_invoice, same_file_job_ids=same_file)
        )
    return result


def summary_of(result: ExtractionResult) -> dict[str, str]:
    """The queue's values of `result` (those it has)."""
    return {name: result.fields[name].value for name in SUMMARY_FIELDS if name in result.fields}
