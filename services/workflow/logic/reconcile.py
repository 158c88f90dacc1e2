"""reconcile-failures: a retried job succeeded, so its earlier failures are no longer open.

mark-failed puts every failure on the dead-letter queue (a FailureNotice with the job id
and attempt), and the queue's depth is what the alarm watches. When a later attempt of
the same job completes, the notices of its earlier attempts are deleted, so the alarm
counts only failures nobody has resolved.

SQS cannot delete a message by its content: the queue is read through, every message
hidden while it is looked at and the others made visible again at the end. The function
runs one at a time (reserved concurrency 1), so two scans never hide messages from each
other; a notice a person holds open in the console meanwhile is missed, stays, and keeps
the alarm on (the safe side).
"""

from __future__ import annotations

from pydantic import ValidationError

from docuflow.dal.queues import DeadLetterQueue, ReceivedMessage
from docuflow.observability import logger
from services.workflow.models import FailureNotice, ReconcileOutcome

HIDE_SECONDS = 60
"""Longer than one scan takes (the function's timeout is 60 s): a message seen once is
not seen again in the same scan."""
MAX_SCANNED = 2000
"""A queue deeper than this is an incident of its own; the scan stops there."""


def _notice(message: ReceivedMessage) -> FailureNotice | None:
    """The failure a message reports, or None for other dead letters (redriven events)."""
    try:
        return FailureNotice.model_validate_json(message.body)
    except ValidationError:
        return None


def reconcile_failures(dlq: DeadLetterQueue, *, job_id: str, attempt: int) -> ReconcileOutcome:
    """Delete the dead-letter notices of `job_id`'s attempts before `attempt`."""
    resolved: list[ReceivedMessage] = []
    others: list[ReceivedMessage] = []
    try:
        while len(resolved) + len(others) < MAX_SCANNED:
            batch = dlq.receive(hide_for_seconds=HIDE_SECONDS)
            if not batch:
                break
            for message in batch:
                notice = _notice(message)
                if notice is not None and notice.job_id == job_id and notice.attempt < attempt:
                    resolved.append(message)
                else:
                    others.append(message)
        else:
            logger.warning("Dead-letter queue too deep to scan whole", extra={"seen": MAX_SCANNED})
        dlq.delete(resolved)
    finally:
        dlq.release(others)
    scanned = len(resolved) + len(others)
    logger.info("Earlier failures reconciled", extra={"deleted": len(resolved), "scanned": scanned})
    return ReconcileOutcome(job_id=job_id, deleted=len(resolved), scanned=scanned)
