"""The pacer that keeps start-ocr's Textract starts within the account's quota, on the
schedule all of start-ocr's containers share (the pacing table, ADR 0038)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from docuflow.dal.pacing import PacingSchedule
from docuflow.domain.errors import ConcurrentUpdate
from services.workflow.logic.pacing import SHARE_OF_QUOTA, Pacer
from tests.handlers.cloud import table_definition


class Clock:
    """Time that passes only when someone sleeps."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def table() -> Iterator[Any]:
    with mock_aws():
        dynamodb = boto3.resource("dynamodb", region_name="us-east-1")
        yield dynamodb.create_table(TableName="pacing", **table_definition("pacing"))


def test_calls_are_spaced_by_the_rate_with_headroom_never_closer(table: Any) -> None:
    clock = Clock()
    pace = Pacer(5, PacingSchedule(table, "textract-start"), clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(11):
        pace()
        times.append(clock.now)
    interval = 1 / (5 * SHARE_OF_QUOTA)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # The schedule keeps milliseconds, rounded up: never closer than the interval.
    assert all(interval <= gap <= interval + 0.001 for gap in gaps), gaps
    # Any one-second window holds at most the quota's calls.
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) == 5


def test_two_containers_sharing_the_schedule_are_spaced_as_one_stream(table: Any) -> None:
    # Given two start-ocr containers, each with its own pacer, on the same schedule and clock
    clock = Clock()
    containers = [
        Pacer(0.5, PacingSchedule(table, "textract-start"), clock=clock, sleep=clock.sleep)
        for _ in range(2)
    ]
    # When they take turns starting, as under a backlog (each container's first start
    # comes at once: neither knows about the other)
    times = []
    for i in range(8):
        containers[i % 2]()
        times.append(clock.now)
    # Then no two starts are closer than the quota allows: a Textract bucket of one
    # token (a quota under 2 a second) never finds itself empty
    gaps = [b - a for a, b in itertools.pairwise(times)]
    interval = 1 / (0.5 * SHARE_OF_QUOTA)
    assert all(interval <= gap <= interval + 0.001 for gap in gaps), gaps


def test_a_call_after_a_pause_goes_at_once_and_saves_up_nothing(table: Any) -> None:
    clock = Clock()
    pace = Pacer(2, PacingSchedule(table, "textract-start"), clock=clock, sleep=clock.sleep)
    pace()
    clock.now += 10.0
    paused_until = clock.now
    pace()
    assert clock.now == paused_until  # no wait after a pause
    pace()
    assert clock.now == pytest.approx(paused_until + 1 / (2 * SHARE_OF_QUOTA), abs=0.002)


def test_quotas_keep_their_own_schedules(table: Any) -> None:
    clock = Clock()
    starts = Pacer(1, PacingSchedule(table, "textract-start"), clock=clock, sleep=clock.sleep)
    others = Pacer(1, PacingSchedule(table, "other-quota"), clock=clock, sleep=clock.sleep)
    starts()
    others()
    assert clock.now == 1_000.0


def test_a_turn_taken_meanwhile_by_another_container_is_read_again(table: Any) -> None:
    schedule = PacingSchedule(table, "textract-start")
    clock = Clock()
    schedule.reserve(clock, 1.0)  # next_at = 1001
    # Another container moves the schedule on between this one's read and its write
    update_item = table.update_item
    raced = []

    def racing_update(**kwargs: Any) -> Any:
        if not raced:
            raced.append(True)
            update_item(
                Key={"quota": "textract-start"},
                UpdateExpression="SET next_at = :n",
                ExpressionAttributeValues={":n": 1005},
            )
        return update_item(**kwargs)

    table.update_item = racing_update
    assert schedule.reserve(clock, 1.0) == 1005.0
    table.update_item = update_item
    assert schedule.reserve(clock, 1.0) == 1006.0


def test_a_schedule_that_keeps_moving_gives_up_with_a_clear_error(table: Any) -> None:
    schedule = PacingSchedule(table, "textract-start")
    clock = Clock()
    schedule.reserve(clock, 1.0)
    update_item: Callable[..., Any] = table.update_item
    moved = [1_001.0]

    def always_racing(**kwargs: Any) -> Any:
        moved[0] += 1
        update_item(
            Key={"quota": "textract-start"},
            UpdateExpression="SET next_at = :n",
            ExpressionAttributeValues={":n": int(moved[0])},
        )
        return update_item(**kwargs)

    table.update_item = always_racing
    with pytest.raises(ConcurrentUpdate, match="textract-start"):
        schedule.reserve(clock, 1.0)


def test_a_rate_must_be_positive(table: Any) -> None:
    with pytest.raises(ValueError, match="per_second"):
        Pacer(0, PacingSchedule(table, "textract-start"))
