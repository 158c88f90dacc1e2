"""What the emulator adds to moto's EventBridge: scheduled rules that fire, and PutEvents
faults a test can inject.

moto keeps rules with a `ScheduleExpression` but never fires them. `Scheduler` does what
EventBridge does: every `rate(...)` rule of the default bus invokes its Lambda targets with
a "Scheduled Event" at its rate (a `cron(...)` rule is logged once and not fired here).

`PutEventsFaults` makes the next PutEvents calls fail the way EventBridge does when it
cannot take an entry: HTTP 200 with `FailedEntryCount` and an error code per entry (boto3
does not retry those; the caller sees them). `POST /_docuflow/events/faults
{"fail_next_puts": 1, "detail_contains": "<job id>"}` limits a fault to the calls whose
entries carry that text, so parallel tests do not take each other's faults.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from docuflow_tools.localcloud.lambdas import Invocation

REFRESH_SECONDS = 2.0
INJECTED = "InternalFailure"

_RATE = re.compile(r"^rate\((?P<value>[1-9][0-9]*) (?P<unit>minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int | None:
    """The period of a `rate(...)` expression in seconds; None for anything else."""
    match = _RATE.match(expression.strip())
    if match is None:
        return None
    return int(match.group("value")) * _UNIT_SECONDS[match.group("unit").rstrip("s")]


def scheduled_event(rule_arn: str, account: str, region: str, now: datetime) -> dict[str, Any]:
    """The event EventBridge invokes a scheduled rule's Lambda target with."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


class PutEventsFaults:
    """Failures to inject into the next PutEvents calls (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fail_next = 0
        self._contains: str | None = None
        self._refused = 0

    def set(self, body: dict[str, Any]) -> dict[str, Any]:
        unknown = set(body) - {"fail_next_puts", "detail_contains"}
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        count = body.get("fail_next_puts", 0)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("fail_next_puts must be a whole number of calls, 0 or more")
        contains = body.get("detail_contains")
        if contains is not None and (not isinstance(contains, str) or not contains):
            raise ValueError("detail_contains must be a non-empty string")
        with self._lock:
            self._fail_next, self._contains = count, contains
        return self.snapshot()

    def clear(self) -> dict[str, Any]:
        return self.set({})

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "fail_next_puts": self._fail_next,
                "detail_contains": self._contains,
                "refused": self._refused,
            }

    def refuse(self, body: bytes) -> dict[str, Any] | None:
        """The answer to a PutEvents call with this body if a fault takes it, else None."""
        with self._lock:
            if self._fail_next <= 0:
                return None
            try:
                entries = json.loads(body or b"{}").get("Entries") or []
            except (ValueError, AttributeError):
                return None  # moto answers a malformed request itself
            if self._contains is not None and self._contains not in json.dumps(entries):
                return None
            self._fail_next -= 1
            self._refused += 1
        return {
            "FailedEntryCount": len(entries),
            "Entries": [
                {
                    "ErrorCode": INJECTED,
                    "ErrorMessage": "injected by the local cloud (/_docuflow/events/faults)",
                }
                for _ in entries
            ],
        }


class Scheduler:
    """Fires the default bus's `rate(...)` rules at their rate until stopped."""

    def __init__(
        self,
        *,
        events_client: Any,
        invoke: Callable[[str, Any], Invocation],
        account: str,
        region: str,
        log: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.events_client = events_client
        self.invoke = invoke
        self.account = account
        self.region = region
        self.log = log
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Rule ARN -> when it fires next (clock seconds); rules seen once, by expression.
        self._due: dict[str, float] = {}
        self._unsupported: set[str] = set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="schedules")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception as exc:  # noqa: BLE001 - the emulator may still be starting
                self.log(f"[schedules] cannot read the rules: {exc}")
            self._stop.wait(REFRESH_SECONDS)

    def _rules(self) -> list[dict[str, Any]]:
        rules: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = self.events_client.list_rules(**({"NextToken": token} if token else {}))
            rules.extend(page.get("Rules", []))
            token = page.get("NextToken")
            if not token:
                return rules

    def tick(self) -> list[str]:
        """Fire every rule that is due; returns the ARNs of the rules fired. A rule fires
        first one period after it is first seen, as EventBridge's do after creation."""
        now = self.clock()
        fired: list[str] = []
        live: set[str] = set()
        for rule in self._rules():
            expression = str(rule.get("ScheduleExpression") or "")
            if not expression or rule.get("State") == "DISABLED":
                continue
            arn = str(rule["Arn"])
            period = rate_seconds(expression)
            if period is None:
                if arn not in self._unsupported:
                    self._unsupported.add(arn)
                    self.log(f"[schedules] {rule['Name']}: {expression} is not fired here")
                continue
            live.add(arn)
            due = self._due.setdefault(arn, now + period)
            if now < due:
                continue
            self._due[arn] = now + period
            self._fire(rule)
            fired.append(arn)
        for arn in set(self._due) - live:
            del self._due[arn]
        return fired

    def _fire(self, rule: dict[str, Any]) -> None:
        targets = self.events_client.list_targets_by_rule(Rule=rule["Name"]).get("Targets", [])
        for target in targets:
            arn = str(target["Arn"])
            if ":lambda:" not in arn:
                self.log(f"[schedules] {rule['Name']}: target {arn} is not a function; skipped")
                continue
            event = scheduled_event(str(rule["Arn"]), self.account, self.region, datetime.now(UTC))
            outcome = self.invoke(arn, event)
            if not outcome.ok:
                # EventBridge invokes asynchronously: Lambda retries, then drops the event.
                self.log(f"[schedules] {rule['Name']}: {arn} failed: {outcome.error_type}")
