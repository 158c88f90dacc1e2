"""Settings of the event sweep, read when its handler first runs."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field

from services.common.settings import BucketSettings, EventBusSettings, NonEmpty


class SweepSettings(BucketSettings, EventBusSettings):
    """The jobs table (and results, to build a COMPLETED or APPROVED event), the bus, and
    the dead-letter queue an event the bus keeps refusing is reported to."""

    jobs_table: NonEmpty
    dlq_url: NonEmpty
    # A job owes its event for the few milliseconds between its status write and the
    # writer's own put; the sweep leaves markers younger than this to that writer, so
    # the normal path is never doubled.
    event_sweep_grace_seconds: Annotated[int, Field(ge=0, le=3600)] = 120


@cache
def get_sweep_settings() -> SweepSettings:
    return SweepSettings()
