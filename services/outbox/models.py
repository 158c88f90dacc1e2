"""What the event sweep reports: its outcome, and a notice per event the bus refused."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class EventNotPutNotice(BaseModel):
    """Put on the stack's dead-letter queue (alarmed) for each owed event the sweep could
    not put; the job keeps its marker, so the next sweep tries again."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["event_not_put"] = "event_not_put"
    job_id: Annotated[str, Field(min_length=1)]
    status: str
    version: Annotated[int, Field(ge=1)]
    event_id: str
    reason: str
    owed_since: str
    noticed_at: str


class SweepOutcome(BaseModel):
    """One run: jobs the index listed, events put, markers left to their writer (younger
    than the grace period), entries that owed nothing any more, and events not put."""

    model_config = ConfigDict(frozen=True)

    listed: int = 0
    announced: int = 0
    left_to_writer: int = 0
    settled: int = 0
    not_put: int = 0
