"""The job status model: the one place that knows which transitions are allowed.

Every write of a status goes through `ensure_transition` and is made conditional on
the status it leaves (see `docuflow.dal.jobs`), so two writers can never both win.
"""

from __future__ import annotations

from enum import StrEnum

from docuflow.domain.errors import InvalidTransition


class JobStatus(StrEnum):
    CREATED = "CREATED"
    UPLOADED = "UPLOADED"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    FAILED = "FAILED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


ALLOWED_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.CREATED: frozenset({JobStatus.UPLOADED, JobStatus.FAILED}),
    JobStatus.UPLOADED: frozenset({JobStatus.PROCESSING, JobStatus.FAILED}),
    JobStatus.PROCESSING: frozenset(
        {JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW, JobStatus.FAILED}
    ),
    JobStatus.NEEDS_REVIEW: frozenset({JobStatus.APPROVED, JobStatus.REJECTED}),
    # A failed job can be retried by hand (`POST /jobs/{id}/start`).
    JobStatus.FAILED: frozenset({JobStatus.PROCESSING}),
    JobStatus.COMPLETED: frozenset(),
    JobStatus.APPROVED: frozenset(),
    JobStatus.REJECTED: frozenset(),
}

FINAL_STATUSES: frozenset[JobStatus] = frozenset(
    {JobStatus.COMPLETED, JobStatus.APPROVED, JobStatus.REJECTED, JobStatus.FAILED}
)
"""Statuses at which processing has stopped (FAILED can still be retried by hand)."""


def can_transition(current: JobStatus, target: JobStatus) -> bool:
    """Whether a job at `current` may move to `target`."""
    return target in ALLOWED_TRANSITIONS[current]


def ensure_transition(current: JobStatus, target: JobStatus) -> None:
    """Raise `InvalidTransition` unless `current -> target` is allowed."""
    if not can_transition(current, target):
        raise InvalidTransition(current=current.value, target=target.value)


def sources_of(target: JobStatus) -> frozenset[JobStatus]:
    """Every status from which `target` can be reached in one step."""
    return frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if target in targets)


def status_timestamps(current: JobStatus, target: JobStatus, now: str) -> dict[str, str]:
    """The timestamps a status write stamps besides `status_changed_at`: when processing
    (last) started, and when it ended. Between the two the machines worked; after the end
    a NEEDS_REVIEW job waits for a person, which the web app shows apart (a job's "time
    taken" would otherwise count the hours it sat in the queue as processing)."""
    stamps: dict[str, str] = {}
    if target is JobStatus.PROCESSING:
        stamps["processing_started_at"] = now
    if current is JobStatus.PROCESSING:
        stamps["processed_at"] = now
    return stamps
