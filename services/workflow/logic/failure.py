"""mark-failed: the catch path. FAILED with a reason a person understands, an audit
record, and the failure on the dead-letter queue for operators."""

from __future__ import annotations

import json
from typing import Any

from docuflow.dal.models import JobItem, utc_now
from docuflow.dal.queues import DeadLetterQueue
from docuflow.domain.errors import ConcurrentUpdate, InvalidTransition
from docuflow.domain.status import JobStatus, can_transition
from docuflow.observability import logger, set_job_id
from services.common.adapters import Tables
from services.common.events import Announcer, announce
from services.workflow.models import FailureInput, FailureNotice, FailureOutcome

ACTOR = "workflow"

REASONS: dict[str, str] = {
    "UnsupportedDocument": "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document.",
    "UnreadableEInvoice": "The e-invoice XML was refused.",
    "DocumentTooLarge": "The file is too large to process.",
    "ContentTypeMismatch": "The file is not the type it was uploaded as.",
    "DocumentUnreadable": (
        "The PDF cannot be read; save or print it to a new PDF and upload that."
    ),
    "DocumentMissing": "The uploaded file could not be found; upload it again.",
    "OcrFailed": "Text recognition (Textract) could not read this document.",
    "OcrTimedOut": "Text recognition took too long and was stopped; try again later.",
    "States.Timeout": "Text recognition took too long and was stopped; try again later.",
    "TextractThrottled": "Text recognition was too busy to take the document; try again later.",
    "UnreadableResponse": "The text recognition result could not be read.",
    "InvalidTransition": "The job was changed by someone else while it was processed.",
    "ConcurrentUpdate": "The job was changed by someone else while it was processed.",
    "JobNotFound": "The job no longer exists.",
}
# Errors the pipeline raises itself with a message meant for people: it is added.
_SAID_IN_WORDS = frozenset(
    {"DocumentTooLarge", "ContentTypeMismatch", "DocumentUnreadable", "UnreadableEInvoice"}
)
_FALLBACK = "An internal step failed ({error}); retry the job, and report it if it keeps failing."


def cause_message(cause: str | None) -> str:
    """The readable part of a Catch's Cause: Lambda errors carry JSON with errorMessage."""
    if not cause:
        return ""
    try:
        parsed = json.loads(cause)
    except ValueError:
        return cause
    if isinstance(parsed, dict) and isinstance(parsed.get("errorMessage"), str):
        return str(parsed["errorMessage"])
    return cause


def explain(error: str, cause: str | None) -> str:
    """One sentence for the person who uploaded the document."""
    sentence = REASONS.get(error, _FALLBACK.format(error=error))
    message = cause_message(cause)
    if error in _SAID_IN_WORDS and message:
        # Our own message says what exactly, in words ("The document has 60 pages; ...").
        return f"{sentence} {message}"
    return sentence


def _audit_failure(storage: Tables, job: JobItem, details: dict[str, Any]) -> None:
    """The "failed" record, keyed by the FAILED write itself, so a retry writes it once."""
    storage.audit.record_status_write(job, "failed", actor=ACTOR, details=details)


def mark_failed(
    storage: Tables, dlq: DeadLetterQueue, events: Announcer, state: FailureInput
) -> FailureOutcome:
    set_job_id(state.job_id)
    error = state.error.error
    cause = cause_message(state.error.cause)
    reason = explain(error, state.error.cause)
    details = {"error": error, "cause": cause, "reason": reason, "attempt": state.attempt}
    job = storage.jobs.find(state.job_id)
    if job is None:
        logger.error("Failure of an unknown job", extra={"error": error})
    elif can_transition(job.status, JobStatus.FAILED):
        try:
            failed = storage.jobs.transition(
                state.job_id,
                current=job.status,
                target=JobStatus.FAILED,
                set_fields={"failure_reason": reason},
                remove_fields=("task_token",),
            )
            _audit_failure(storage, failed, details)
            announce(events, failed)
        except (InvalidTransition, ConcurrentUpdate):
            logger.warning("Job moved on before it could be marked FAILED")
    elif job.status is JobStatus.FAILED and job.attempt == state.attempt:
        # A retry of this step after the status write succeeded: the audit record may
        # be what failed the first time, and it must not be lost (nor written twice).
        _audit_failure(storage, job, details)
        announce(events, job)
    else:
        logger.warning("Job cannot be marked FAILED", extra={"status": job.status.value})
    notice = FailureNotice(
        job_id=state.job_id,
        attempt=state.attempt,
        error=error,
        cause=cause,
        reason=reason,
        key=state.key,
        failed_at=utc_now(),
    )
    dlq.send(notice.model_dump(mode="json"))
    logger.error("Job failed", extra={"error": error, "reason": reason})
    return FailureOutcome(job_id=state.job_id, error=error, reason=reason)
