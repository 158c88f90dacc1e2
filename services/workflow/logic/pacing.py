"""Pacing Textract's start calls to the account's quota, instead of failing and retrying.

Textract refuses start calls beyond its per-account rate (ProvisionedThroughputExceeded).
start-ocr is the only caller; it consumes the ocr-start queue with at most
`maximum_concurrency` batches at once (the event source mapping's ScalingConfig), and
every one of its containers reserves each start's turn on one shared schedule (the pacing
table, ADR 0038), so their starts together are spaced as one stream at the account's
quota. The queue holds the rest of a burst, in order, at no cost.

Why shared and not a share each: two containers pacing themselves at half the quota each
keep a fixed phase under a backlog. When the quota is below 2 a second, Textract's bucket
holds one token; unless the phase is exactly half an interval, one container always finds
it empty, and half of the starts were refused (measured: 30 of 100 jobs FAILED with
TextractThrottled after their retries ran out, ADR 0038).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

# The share of the quota the pacer spends: spacing turns 5% wider than the quota keeps a
# start that reaches Textract a few milliseconds late from finding the bucket empty.
SHARE_OF_QUOTA = 0.95


class Schedule(Protocol):
    def reserve(self, clock: Callable[[], float], interval: float) -> float:
        """The caller's turn: no earlier than `clock()`, at least `interval` after the last."""
        ...


class Pacer:
    """Lets calls through at most `per_second` a second, evenly spaced (no burst above
    the rate, since Textract counts per second), across every container sharing
    `schedule`."""

    def __init__(
        self,
        per_second: float,
        schedule: Schedule,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be > 0")
        self.interval = 1.0 / (per_second * SHARE_OF_QUOTA)
        self._schedule = schedule
        self._clock = clock
        self._sleep = sleep

    def __call__(self) -> None:
        """Wait for this call's turn."""
        turn = self._schedule.reserve(self._clock, self.interval)
        wait = turn - self._clock()
        if wait > 0:
            self._sleep(wait)
