"""The stats table: a daily roll-up of counters per tenant, kept where jobs reach a final
status (ADR 0035).

Items, by sort key within the tenant's partition:
- `day#<YYYY-MM-DD>`: the counters of the jobs *created* that day (a cohort), one flat
  number attribute per counter (`completed`, `processing_s#07`, `money#EUR` ...), only ever
  changed by `ADD`;
- `counted#<job_id>#v<version>`: the marker that the final-status write which made
  `version` is counted. It is put, conditional on being new, in the same transaction as
  the counters' ADD, so a retried step (or a second announcement of the same write)
  changes nothing. Markers expire after `MARKER_TTL_SECONDS` (a retry comes within
  hours; the counters stay).
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from docuflow.dal import clients
from docuflow.dal.items import from_dynamo, to_typed
from docuflow.domain.errors import EventNotPut

if TYPE_CHECKING:
    pass

MARKER_TTL_SECONDS = 90 * 24 * 3600
_TRANSACTION_CANCELED = "TransactionCanceledException"
_ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
_CONFLICT = "TransactionConflict"
_MAX_ATTEMPTS = 6
# Attributes of a day item that are not counters.
_KEYS = frozenset({"tenant_id", "sk"})


def day_key(day: date) -> str:
    return f"day#{day.isoformat()}"


def marker_key(job_id: str, version: int) -> str:
    return f"counted#{job_id}#v{version}"


class StatsRepository(clients.TableWithTransactions):
    """Counter writes and day reads of the stats table, always within one tenant."""

    def add_once(self, tenant_id: str, day: date, marker: str, counters: Mapping[str, int]) -> bool:
        """ADD `counters` to the tenant's `day`, unless `marker` was written before.

        Returns False (and writes nothing) when the marker exists: counted already.
        """
        if not counters:
            raise ValueError("nothing to count")
        update: Any = {
            "TableName": self._table.name,
            "Key": to_typed({"tenant_id": tenant_id, "sk": day_key(day)}),
            "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))),
            "ExpressionAttributeNames": {f"#c{i}": name for i, name in enumerate(counters)},
            "ExpressionAttributeValues": to_typed(
                {f":c{i}": value for i, value in enumerate(counters.values())}
            ),
        }
        marker_item = {
            "tenant_id": tenant_id,
            "sk": marker,
            "expires_at_epoch": int(time.time()) + MARKER_TTL_SECONDS,
        }
        items: Any = [
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": to_typed(marker_item),
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            },
            {"Update": update},
        ]
        for attempt in range(_MAX_ATTEMPTS):
            try:
                self._low_level().transact_write_items(TransactItems=items)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons") or []]
                if code == _TRANSACTION_CANCELED and reasons[:1] == [_ITEM_CONDITION_FAILED]:
                    return False
                if code == _TRANSACTION_CANCELED and _CONFLICT in reasons:
                    # Another final status of the tenant's day, counted at the same moment:
                    # a day item is hot in a burst. Wait a little, jittered, and try again.
                    time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter
                    continue
                # The announcement is retried (the event stays owed): count it then.
                raise EventNotPut(f"The daily roll-up was not written: {exc}") from exc
            return True
        raise EventNotPut("The daily roll-up was not written: its day kept changing.")

    def days(self, tenant_id: str, first: date, last: date) -> dict[date, dict[str, int]]:
        """The counters of each day from `first` to `last` (both included) that has any:
        one Query of at most a year's items."""
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("tenant_id").eq(tenant_id)
            & Key("sk").between(day_key(first), day_key(last)),
        }
        found: dict[date, dict[str, int]] = {}
        while True:
            response = self._table.query(**kwargs)
            for item in response.get("Items", []):
                plain = from_dynamo(item)
                day = date.fromisoformat(str(plain["sk"]).removeprefix("day#"))
                found[day] = {k: int(v) for k, v in plain.items() if k not in _KEYS}
            last_key = response.get("LastEvaluatedKey")
            if not last_key:
                return found
            kwargs["ExclusiveStartKey"] = last_key
