"""Job queries: one job, lists, its normalized result and its audit trail."""

from __future__ import annotations

from docuflow.dal.models import AuditRecord, JobItem, Page
from docuflow.domain.errors import ResultNotReady, ValidationFailed
from docuflow.domain.status import JobStatus
from docuflow.extraction.result import ExtractionResult
from services.common.adapters import Storage


def list_jobs(
    ports: Storage,
    *,
    owner_id: str | None,
    status: JobStatus | None,
    limit: int,
    start_key: dict[str, str] | None,
) -> Page[JobItem]:
    """Newest first: one owner's jobs (optionally in one status), or all jobs in one status."""
    if owner_id is not None:
        return ports.jobs.list_by_owner(owner_id, status=status, limit=limit, start_key=start_key)
    if status is not None:
        return ports.jobs.list_by_status(status, limit=limit, start_key=start_key)
    raise ValidationFailed("Give owner_id, status or both to list jobs.")


def load_result(ports: Storage, job: JobItem) -> ExtractionResult:
    """The normalized result of a parsed job; ResultNotReady (409) before parsing ends."""
    if job.result_key is None:
        raise ResultNotReady(f"Job {job.job_id} has no result yet (status {job.status.value}).")
    return ExtractionResult.model_validate(ports.documents.get_json(job.result_key))


def get_result(ports: Storage, job_id: str) -> ExtractionResult:
    return load_result(ports, ports.jobs.get(job_id))


def audit_trail(ports: Storage, job_id: str) -> list[AuditRecord]:
    """Every event of an existing job, oldest first (JobNotFound for an unknown job)."""
    ports.jobs.get(job_id)
    return ports.audit.list(job_id)
