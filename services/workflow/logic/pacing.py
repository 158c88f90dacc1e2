"""Pacing Textract's start calls to the account's quota, instead of failing and retrying.

Textract refuses start calls beyond its per-account rate (ProvisionedThroughputExceeded).
start-ocr is the only caller; it consumes the ocr-start queue with at most
`maximum_concurrency` batches at once (the event source mapping's ScalingConfig), so each
of those containers may start `quota / maximum_concurrency` jobs a second, and Terraform
gives each that share (TEXTRACT_STARTS_PER_SECOND). The queue holds the rest of a burst,
in order, at no cost; nothing is refused, nothing waits in a retry backoff.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """Lets calls through at most `per_second` a second, evenly spaced (a token bucket of
    one token: no burst above the rate, since Textract counts per second)."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be > 0")
        self.interval = 1.0 / per_second
        self._clock = clock or time.monotonic
        self._sleep = sleep or time.sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> None:
        """Wait for this call's turn."""
        with self._lock:
            now = self._clock()
            turn = max(now, self._next)
            self._next = turn + self.interval
        if turn > now:
            self._sleep(turn - now)
