"""A batch handler takes no record it has no time left for (services/common/batches.py)."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.batches import NoTimeLeft, in_time


class Invocation:
    """A context whose time left runs down with a fake clock the handled records advance."""

    def __init__(self, timeout_ms: int) -> None:
        self.now = 0.0
        self.timeout_ms = timeout_ms

    def get_remaining_time_in_millis(self) -> int:
        return int(self.timeout_ms - self.now * 1000)


def test_a_record_is_not_taken_with_less_time_left_than_twice_the_longest_so_far() -> None:
    # Given a 30 s invocation whose records each take 7 s
    invocation = Invocation(30_000)
    handled: list[int] = []

    def handle(record: Any) -> None:
        handled.append(record)
        invocation.now += 7.0

    record_handler = in_time(handle, record_time_ms=1_000, clock=lambda: invocation.now)
    # When the batch's records come one after the other
    refused = []
    for record in range(5):
        try:
            record_handler(record, invocation)  # type: ignore[arg-type]
        except NoTimeLeft:
            refused.append(record)
    # Then the third one (16 s left, the longest 7 s) is taken, the fourth (9 s left, more
    # than the 1 s floor) is not
    assert handled == [0, 1, 2]
    assert refused == [3, 4]


def test_no_record_is_taken_below_the_floor() -> None:
    invocation = Invocation(9_000)
    record_handler = in_time(lambda record: None, clock=lambda: invocation.now)
    with pytest.raises(NoTimeLeft):
        record_handler("record", invocation)  # type: ignore[arg-type]
