"""The pacer that keeps start-ocr's Textract starts within the account's quota."""

from __future__ import annotations

import pytest

from services.workflow.logic.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.calls: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_calls_are_spaced_by_the_rate_never_closer() -> None:
    clock = Clock()
    pace = Pacer(5, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(11):
        pace()
        times.append(clock.now)
    assert times == pytest.approx([i * 0.2 for i in range(11)])
    # Any one-second window holds at most rate + 1 calls (both ends included).
    assert max(sum(1 for t in times if start <= t <= start + 1) for start in times) == 6


def test_a_call_after_a_pause_goes_at_once_and_saves_up_nothing() -> None:
    clock = Clock()
    pace = Pacer(2, clock=clock, sleep=clock.sleep)
    pace()
    clock.now = 10.0
    pace()
    assert clock.now == 10.0  # no wait after a pause
    pace()
    assert clock.now == pytest.approx(10.5)  # but no burst either


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="per_second"):
        Pacer(0)
