"""Starting the pipeline for a job: the part the API's start route and intake share.

CREATED -> UPLOADED records the object's size and SHA-256 (streamed); UPLOADED ->
PROCESSING starts the execution named after the job; FAILED -> PROCESSING is a retry
with the next attempt number and execution name `{job_id}-retry-{attempt}`.
"""

from __future__ import annotations

from docuflow.dal.executions import execution_name
from docuflow.dal.models import JobItem
from docuflow.domain.errors import InvalidTransition
from docuflow.domain.status import JobStatus
from docuflow.observability import logger
from services.common.adapters import Processing
from services.common.errors import DocumentNotUploaded

# Attributes of an earlier attempt that must not leak into the next one.
_PER_ATTEMPT = (
    "task_token",
    "ocr_apis",
    "ocr_jobs",
    "ocr_statuses",
    "failure_reason",
    "result_key",
    "routing_reasons",
    "execution_arn",
    "read_from",
)


def mark_uploaded(ports: Processing, job: JobItem, *, actor: str) -> JobItem:
    """CREATED -> UPLOADED, with the size and SHA-256 of the object as stored."""
    if ports.documents.head(job.s3_key) is None:
        raise DocumentNotUploaded(
            f"Upload the document first: nothing is stored for job {job.job_id} yet."
        )
    digest = ports.documents.digest(job.s3_key)
    job = ports.jobs.transition(
        job.job_id,
        current=JobStatus.CREATED,
        target=JobStatus.UPLOADED,
        set_fields={"size_bytes": digest.size_bytes, "file_sha256": digest.sha256},
        # The document is here: the job no longer expires.
        remove_fields=("expires_at_epoch",),
    )
    _audit_uploaded(ports, job, actor=actor)
    return job


def _audit_uploaded(ports: Processing, job: JobItem, *, actor: str) -> None:
    ports.audit.record_status_write(
        job,
        "uploaded",
        actor=actor,
        details={"size_bytes": job.size_bytes, "file_sha256": job.file_sha256},
    )


def _audit_started(ports: Processing, job: JobItem, *, actor: str) -> None:
    event = "retried" if job.attempt > 1 else "started"
    ports.audit.record_status_write(
        job,
        event,
        actor=actor,
        details={"attempt": job.attempt, "execution_name": execution_name(job.job_id, job.attempt)},
    )


def start_processing(ports: Processing, job: JobItem, *, actor: str) -> JobItem:
    """UPLOADED -> PROCESSING (first attempt) or FAILED -> PROCESSING (retry), then start.

    The status is written first, conditionally, so two callers cannot both start the
    job; the execution name makes a repeated start of one attempt the same execution.
    """
    retry = job.status is JobStatus.FAILED
    attempt = job.attempt + 1 if retry else job.attempt
    job = ports.jobs.transition(
        job.job_id,
        current=job.status,
        target=JobStatus.PROCESSING,
        set_fields={"attempt": attempt},
        remove_fields=_PER_ATTEMPT if retry else (),
    )
    _audit_started(ports, job, actor=actor)
    return resume_processing(ports, job)


def resume_processing(ports: Processing, job: JobItem) -> JobItem:
    """(Re)issue StartExecution for a PROCESSING job's current attempt and record its ARN.

    Safe to repeat: the same name and input return the same execution.
    """
    name = execution_name(job.job_id, job.attempt)
    arn = ports.workflow.start(
        name,
        {
            "job_id": job.job_id,
            "bucket": ports.documents.bucket,
            "key": job.s3_key,
            "attempt": job.attempt,
        },
    )
    logger.info("Execution started", extra={"execution_name": name, "execution_arn": arn})
    try:
        return ports.jobs.update(
            job.job_id, expected_status=JobStatus.PROCESSING, set_fields={"execution_arn": arn}
        )
    except InvalidTransition:
        # The execution already moved the job on (a very fast failure): nothing to record.
        return ports.jobs.get(job.job_id)


def advance(ports: Processing, job: JobItem, *, actor: str, retry_failed: bool) -> JobItem | None:
    """Take a job as far as starting its execution, from whatever status it is in.

    Returns the job after starting it, or None when there was nothing to do (it is
    already processing or finished). `retry_failed` lets a person restart a FAILED job.
    """
    if job.status is JobStatus.CREATED:
        job = mark_uploaded(ports, job, actor=actor)
    elif job.status is JobStatus.UPLOADED:
        _audit_uploaded(ports, job, actor=actor)
    if job.status is JobStatus.UPLOADED or (job.status is JobStatus.FAILED and retry_failed):
        return start_processing(ports, job, actor=actor)
    if job.status is JobStatus.PROCESSING and job.execution_arn is None:
        # The status was written but StartExecution never answered: finish the start.
        _audit_started(ports, job, actor=actor)
        return resume_processing(ports, job)
    return None
