"""Announcing a final status: the job's owed event onto the bus, once (ADR 0027).

The status write itself records that an event is owed (`pending_event_version`, set in the
same UpdateItem by `JobRepository`); `announce` puts it and then clears the marker. A step
that fails in between and is retried finds the marker and puts the same event again, with
the same id (job, status, version): EventBridge and webhook receivers see one id, and the
webhook delivery log keeps one delivery per id and endpoint.

Before the event, the final status is added to the tenant's daily roll-up (ADR 0035), under
a marker of the same version: a retry adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from docuflow.dal.documents import DocumentStore
from docuflow.dal.events import EventBus
from docuflow.dal.jobs import JobRepository
from docuflow.dal.models import JobItem
from docuflow.dal.stats import StatsRepository
from docuflow.domain.status import FINAL_STATUSES, JobStatus
from docuflow.events import build_event
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger
from services.common.stats import count_final


@dataclass(frozen=True)
class Announcer:
    jobs: JobRepository
    bus: EventBus
    stats: StatsRepository
    # None for a function that reads no results (mark-failed): a FAILED job has none.
    documents: DocumentStore | None = None


def announce(ports: Announcer, job: JobItem) -> bool:
    """Put the event the job's last final-status write owes, if it still owes one.

    Returns True when it put one. Raises EventNotPut when the bus (or the roll-up)
    refused it: the marker stays, so a retry (of the step, or of this call) puts it.
    """
    version = job.pending_event_version
    if version is None or job.status not in FINAL_STATUSES:
        return False
    result = None
    if job.result_key and ports.documents is not None and job.status is not JobStatus.FAILED:
        result = ExtractionResult.model_validate(ports.documents.get_json(job.result_key))
    count_final(ports.stats, job, version, result)
    event = build_event(job, version, result)
    ports.bus.put(event)
    ports.jobs.clear_pending_event(job.job_id, version)
    logger.info("Event announced", extra={"event_id": event.id, "event_type": event.type})
    return True
