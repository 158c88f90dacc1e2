"""The event sweep: put every event a final-status write still owes (ADR 0034).

A final-status write sets the job's outbox marker (`pending_event_version`) and its writer
puts the event right after (`services.common.events.announce`). When that put fails and
nothing retries the writer (a review decision: the API answers 200 and the marker stays),
or the writer dies in between, the marker is all that is left. The sweep, on a schedule,
reads the sparse index of that marker and announces each owed event itself: the same
`announce`, so the same event id (job, status, version) and the same conditional clearing
of the marker. Receivers see the id once; if the writer and the sweep both put it, they see
it twice with one id, which EventBridge consumers and the webhook delivery log deduplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from docuflow.dal.models import utc_now
from docuflow.dal.queues import DeadLetterQueue
from docuflow.domain.errors import DocumentMissing, EventNotPut
from docuflow.events.build import event_id
from docuflow.observability import logger
from services.common.events import Announcer, announce
from services.outbox.models import EventNotPutNotice, SweepOutcome


@dataclass(frozen=True)
class SweepPorts:
    announcer: Announcer
    dead_letters: DeadLetterQueue


def sweep_owed_events(ports: SweepPorts, *, now: datetime, grace: timedelta) -> SweepOutcome:
    """Announce every owed event whose marker is older than `grace`.

    An event the bus refuses (or whose job's result is missing) keeps its marker and
    gets a notice on the dead-letter queue, with the reason; the others go on regardless.
    """
    jobs = ports.announcer.jobs
    listed = announced = left_to_writer = settled = not_put = 0
    cutoff = now - grace
    for job_id, _ in jobs.owed_events():
        listed += 1
        # The index lags the table: the job itself says whether it still owes an event.
        job = jobs.find(job_id)
        if job is None or job.pending_event_version is None:
            settled += 1
            continue
        owed_since = job.status_changed_at or job.updated_at
        if datetime.fromisoformat(owed_since) > cutoff:
            left_to_writer += 1
            continue
        try:
            if announce(ports.announcer, job):
                announced += 1
            else:
                settled += 1
        # One event that cannot be put (or built: its result is gone) must not keep the
        # others from theirs.
        except (EventNotPut, DocumentMissing) as exc:
            not_put += 1
            notice = EventNotPutNotice(
                job_id=job.job_id,
                status=job.status.value,
                version=job.pending_event_version,
                event_id=event_id(job.job_id, job.status, job.pending_event_version),
                reason=str(exc),
                owed_since=owed_since,
                noticed_at=utc_now(),
            )
            ports.dead_letters.send(notice.model_dump(mode="json"))
            logger.error("Owed event not put", extra=notice.model_dump(mode="json"))
    outcome = SweepOutcome(
        listed=listed,
        announced=announced,
        left_to_writer=left_to_writer,
        settled=settled,
        not_put=not_put,
    )
    logger.info("Event sweep done", extra=outcome.model_dump())
    return outcome
