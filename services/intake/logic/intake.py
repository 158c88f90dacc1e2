"""From "an object was created under raw/" to a started execution."""

from __future__ import annotations

import time

from docuflow.dal.models import JobItem, abandoned
from docuflow.domain.errors import ConcurrentUpdate, InvalidTransition
from docuflow.observability import logger, set_job_id
from services.common.adapters import Processing
from services.common.errors import UnknownDocumentKey
from services.common.processing import advance

ACTOR = "intake"
RAW_PREFIX = "raw/"
_ATTEMPTS = 3


def job_id_from_key(key: str) -> str:
    """The job id in `raw/{tenant_id}/{job_id}/{filename}`; UnknownDocumentKey otherwise."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] != "raw" or not all(parts[1:]):
        raise UnknownDocumentKey(f"{key!r} is not a document key (raw/<tenant>/<job>/<file>).")
    return parts[2]


def discard(ports: Processing, key: str, why: str) -> None:
    """Delete an object under raw/ that no job will ever process, and say so.

    Nothing else would: it would sit in the bucket with nobody to read it, a document
    that was uploaded and silently kept."""
    logger.error("Deleting an object that belongs to no job", extra={"key": key, "reason": why})
    ports.documents.delete(key)


def accept_object(ports: Processing, bucket: str, key: str) -> JobItem | None:
    """Mark the job UPLOADED (size, SHA-256) and start its execution.

    Returns the started job, or None when the event changes nothing (a duplicate of an
    event already handled, or an object deleted because it belongs to no job: an unknown
    or expired job, or not the job's document). An object outside the documents
    (another bucket, another prefix) raises UnknownDocumentKey, so the message fails
    visibly instead of vanishing.
    """
    if bucket != ports.documents.bucket:
        raise UnknownDocumentKey(f"s3://{bucket}/{key} is not in the documents bucket.")
    try:
        job_id = job_id_from_key(key)
    except UnknownDocumentKey as exc:
        if not key.startswith(RAW_PREFIX):
            raise
        discard(ports, key, str(exc))
        return None
    set_job_id(job_id)
    for _ in range(_ATTEMPTS):
        job = ports.jobs.find(job_id)
        if job is None:
            discard(ports, key, f"Job {job_id} is unknown, or expired and deleted.")
            return None
        if job.s3_key != key:
            discard(ports, key, f"Not the document of job {job_id} ({job.s3_key}).")
            return None
        if abandoned(job, time.time()):
            discard(ports, key, f"Job {job_id} expired: its upload link was not used in time.")
            return None
        try:
            started = advance(ports, job, actor=ACTOR, retry_failed=False)
        except (InvalidTransition, ConcurrentUpdate):
            # Someone (a duplicate event, POST /start) moved the job meanwhile: look again.
            logger.info("Job changed while starting it; reading it again")
            continue
        if started is None:
            logger.info("Nothing to do for this event", extra={"status": job.status.value})
        return started
    raise ConcurrentUpdate(f"Job {job_id} kept changing while intake tried to start it.")
