"""The pacing table: one shared schedule per account quota (ADR 0038).

An item per quota (`quota` = e.g. "textract-start") holds `next_at`, the epoch second
from which the next call may go. Every container that calls against the quota reserves
its turn here, so calls from any number of containers are spaced as one stream. A
reservation reads the item and moves `next_at` on with a conditional write; losing the
race to another container means reading again.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from boto3.dynamodb.conditions import Attr

from docuflow.domain.errors import ConcurrentUpdate

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb.service_resource import Table

# Two containers race at most a few times in a row; more means something else writes.
_MAX_ATTEMPTS = 10


def _epoch(seconds: float) -> Decimal:
    """Milliseconds, rounded up: turns are never closer than the interval."""
    return Decimal(repr(seconds)).quantize(Decimal("0.001"), rounding=ROUND_CEILING)


class PacingSchedule:
    """Turns on one quota's shared schedule."""

    def __init__(self, table: Table, quota: str) -> None:
        self._table = table
        self._quota = quota

    def reserve(self, clock: Callable[[], float], interval: float) -> float:
        """The first moment, no earlier than `clock()`, that is at least `interval` after
        the turn reserved before it (by anyone); reserved for the caller, who waits for it."""
        for _ in range(_MAX_ATTEMPTS):
            item = self._table.get_item(Key={"quota": self._quota}, ConsistentRead=True).get("Item")
            seen = item.get("next_at") if item else None
            now = clock()
            turn = now if seen is None else max(now, float(str(seen)))
            try:
                self._table.update_item(
                    Key={"quota": self._quota},
                    UpdateExpression="SET next_at = :next",
                    ConditionExpression=(
                        Attr("next_at").not_exists() if seen is None else Attr("next_at").eq(seen)
                    ),
                    ExpressionAttributeValues={":next": _epoch(turn + interval)},
                )
            except self._table.meta.client.exceptions.ConditionalCheckFailedException:
                continue  # another container took that turn: read again
            return turn
        raise ConcurrentUpdate(
            f"Could not reserve a turn on the {self._quota} schedule in {_MAX_ATTEMPTS} attempts."
        )
