"""Job queries: one job, lists, its normalized result and its audit trail."""

from __future__ import annotations

from docuflow.dal.models import AuditRecord, JobItem, Page
from docuflow.domain.errors import JobNotFound, ResultNotReady
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


def list_jobs(
    ports: Storage,
    *,
    tenant: str,
    status: JobStatus | None,
    limit: int,
    start_key: dict[str, str] | None,
) -> Page[JobItem]:
    """The tenant's jobs, newest first, optionally only those in one status."""
    return ports.jobs.list_by_tenant(tenant, status=status, limit=limit, start_key=start_key)


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
