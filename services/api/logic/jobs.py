"""Job queries: one job, lists, its normalized result and its audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from docuflow.dal.models import AuditRecord, JobItem, Page
from docuflow.domain.errors import JobNotFound, ResultNotReady, ValidationFailed
from docuflow.domain.status import JobStatus
from docuflow.extraction.result import ExtractionResult
from services.common.adapters import Storage, Tables


def tenant_job(ports: Tables, tenant: str, job_id: str) -> JobItem:
    """The job when it belongs to `tenant`; JobNotFound (404) for another tenant's job as
    for no job at all, so an answer never confirms that someone else's job exists."""
    job = ports.jobs.get(job_id)
    if job.tenant_id != tenant:
        raise JobNotFound(job_id)
    return job


@dataclass(frozen=True)
class DayRange:
    """Days a job was received (created), UTC: from `first` up to `end`, `end` not included
    (so `from=2026-11-01&to=2026-12-01` is November), the meaning of `from` and `to` in
    GET /jobs, /exports and /stats; either side may be open."""

    first: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.first and self.end and self.end <= self.first:
            raise ValidationFailed("to: must be after from (to is not included).")


@dataclass(frozen=True)
class JobQuery:
    """Which of a tenant's jobs a list or an export reads: optionally one status, and
    only those received in `days`."""

    status: JobStatus | None = None
    days: DayRange = field(default_factory=DayRange)


def list_jobs(
    ports: Storage,
    tenant: str,
    query: JobQuery,
    *,
    limit: int,
    start_key: dict[str, str] | None,
) -> Page[JobItem]:
    """One page of the tenant's jobs that `query` selects, newest first.

    The days are a key condition (BETWEEN on the creation time) on the tenant's index,
    so a range reads only the jobs received in it, whatever the tenant's history; a
    status is a filter over what the key selects (see JobRepository.list_by_tenant).
    """
    first, end = query.days.first, query.days.end
    return ports.jobs.list_by_tenant(
        tenant,
        status=query.status,
        limit=limit,
        start_key=start_key,
        created_from=first.isoformat() if first else None,
        created_to=end.isoformat() if end else None,
    )


def load_result(ports: Storage, job: JobItem) -> ExtractionResult:
    """The normalized result of a parsed job; ResultNotReady (409) before parsing ends."""
    if job.result_key is None:
        raise ResultNotReady(f"Job {job.job_id} has no result yet (status {job.status.value}).")
    return ExtractionResult.model_validate(ports.documents.get_json(job.result_key))


def get_result(ports: Storage, tenant: str, job_id: str) -> ExtractionResult:
    return load_result(ports, tenant_job(ports, tenant, job_id))


def audit_trail(ports: Storage, tenant: str, job_id: str) -> list[AuditRecord]:
    """Every event of one of the tenant's jobs, oldest first (else JobNotFound)."""
    tenant_job(ports, tenant, job_id)
    return ports.audit.list(job_id)
