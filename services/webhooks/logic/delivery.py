"""Webhook delivery: an event to each subscribed endpoint of its tenant, retried with
exponential backoff and jitter for about a day, then given up to the dead-letter queue
(ADR 0028).

Messages on the webhook queue are of two kinds: EventBridge events (from the bus's rule),
which start one delivery per subscribed endpoint, and `attempt` messages this code sends
itself (a retry, delayed; or "send again" from the API). Each attempt is recorded
conditionally on the attempt count it started from, so a redelivered message never
counts (or sends) an attempt twice.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from docuflow.dal.models import utc_now
from docuflow.dal.queues import JsonQueue
from docuflow.dal.webhooks import DeliveryItem, DeliveryRepository, WebhookItem, WebhookRepository
from docuflow.events import EVENT_SOURCE, InvoiceEvent
from docuflow.observability import logger
from services.common.errors import InvalidWebhookUrl
from services.webhooks.sender import Outcome, signed_headers
from services.webhooks.targets import (
    Resolver,
    Target,
    checked_address,
    parse_target,
)

MAX_DELAY_SECONDS = 8 * 3600

Send = Callable[[Target, str, dict[str, str], bytes], Outcome]


@dataclass(frozen=True)
class DeliveryPorts:
    webhooks: WebhookRepository
    deliveries: DeliveryRepository
    queue: JsonQueue
    dead_letters: JsonQueue
    send: Send
    resolve: Resolver


@dataclass(frozen=True)
class DeliveryPolicy:
    retry_base_seconds: float
    max_attempts: int
    allow_loopback: bool


class AttemptMessage(BaseModel):
    """An attempt to make once `not_before` has passed."""

    kind: Literal["attempt"] = "attempt"
    tenant_id: str
    webhook_id: str
    event_id: str
    attempts_before: int
    not_before: str


def payload_of(event: InvoiceEvent) -> str:
    """The body receivers get (Standard Webhooks' shape): type, timestamp, data."""
    return json.dumps(
        {
            "type": event.type,
            "timestamp": event.occurred_at,
            "data": event.model_dump(mode="json"),
        },
        separators=(",", ":"),
    )


def retry_delay(attempts: int, base_seconds: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th failure: base * 4^(attempts-1), at most 8 h,
    with "equal jitter" (half of it fixed, half random) so receivers that failed together
    are not retried together."""
    delay = float(min(MAX_DELAY_SECONDS, base_seconds * 4 ** (attempts - 1)))
    jitter: float = (rng or random).uniform(0, delay / 2)
    return delay / 2 + jitter


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def handle_message(ports: DeliveryPorts, policy: DeliveryPolicy, body: str, now: datetime) -> None:
    """One queue message of either kind; ValueError for one that is neither."""
    data: Any = json.loads(body)
    if isinstance(data, dict) and data.get("kind") == "attempt":
        retry(ports, policy, AttemptMessage.model_validate(data), now)
    elif isinstance(data, dict) and data.get("source") == EVENT_SOURCE:
        fan_out(ports, policy, InvoiceEvent.model_validate(data["detail"]), now)
    else:
        raise ValueError("The message is neither a docuflow event nor an attempt.")


def fan_out(
    ports: DeliveryPorts, policy: DeliveryPolicy, event: InvoiceEvent, now: datetime
) -> int:
    """Start one delivery per endpoint of the event's tenant subscribed to its type, and
    make each first attempt; returns how many deliveries it started."""
    started = 0
    for webhook in ports.webhooks.list(event.tenant_id):
        if event.type not in webhook.events:
            continue
        delivery = DeliveryItem(
            webhook_id=webhook.webhook_id,
            event_id=event.id,
            tenant_id=event.tenant_id,
            event_type=event.type,
            created_at=_iso(now),
            payload=payload_of(event),
            next_attempt_at=_iso(now),
        )
        if not ports.deliveries.start(delivery):
            logger.info(
                "Event already given to the endpoint",
                extra={"webhook_id": webhook.webhook_id, "event_id": event.id},
            )
            continue
        started += 1
        attempt(ports, policy, webhook, delivery, now)
    return started


def retry(
    ports: DeliveryPorts, policy: DeliveryPolicy, message: AttemptMessage, now: datetime
) -> None:
    """Make the attempt a message asks for, if it is still due; wait on if it is early
    (SQS delays a message 15 minutes at most, later retries are chained)."""
    not_before = _parse_iso(message.not_before)
    if now < not_before:
        ports.queue.send(
            message.model_dump(), delay_seconds=int((not_before - now).total_seconds()) + 1
        )
        return
    webhook = ports.webhooks.find(message.tenant_id, message.webhook_id)
    delivery = ports.deliveries.find(message.webhook_id, message.event_id)
    if webhook is None or delivery is None:
        logger.info("Endpoint or delivery gone: attempt dropped", extra=message.model_dump())
        return
    if delivery.status != "pending" or delivery.attempts != message.attempts_before:
        logger.info("Attempt already made", extra=message.model_dump())
        return
    attempt(ports, policy, webhook, delivery, now)


def _secrets(webhook: WebhookItem, now: datetime) -> list[str]:
    secrets = [webhook.secret]
    if (
        webhook.previous_secret
        and webhook.previous_secret_expires_at
        and now < _parse_iso(webhook.previous_secret_expires_at)
    ):
        secrets.append(webhook.previous_secret)
    return secrets


def attempt(
    ports: DeliveryPorts,
    policy: DeliveryPolicy,
    webhook: WebhookItem,
    delivery: DeliveryItem,
    now: datetime,
) -> Outcome:
    """Send the delivery once, record the outcome, and schedule the next attempt or give up."""
    try:
        target = parse_target(webhook.url, allow_loopback=policy.allow_loopback)
        address = checked_address(
            target, allow_loopback=policy.allow_loopback, resolve=ports.resolve
        )
        headers = signed_headers(_secrets(webhook, now), delivery.event_id, now, delivery.payload)
        outcome = ports.send(target, address, headers, delivery.payload.encode())
    except InvalidWebhookUrl as exc:
        outcome = Outcome(ok=False, error=str(exc))
    attempts = delivery.attempts + 1
    next_at: datetime | None = None
    status: Literal["pending", "delivered", "failed"]
    if outcome.ok:
        status = "delivered"
    elif attempts >= policy.max_attempts:
        status = "failed"
    else:
        status = "pending"
        next_at = now + timedelta(seconds=retry_delay(attempts, policy.retry_base_seconds))
    recorded = ports.deliveries.record_attempt(
        delivery.webhook_id,
        delivery.event_id,
        attempts_before=delivery.attempts,
        status=status,
        at=_iso(now),
        status_code=outcome.status_code,
        error=outcome.error,
        next_attempt_at=_iso(next_at) if next_at else None,
    )
    log = {"webhook_id": delivery.webhook_id, "event_id": delivery.event_id, "attempt": attempts}
    if not recorded:
        logger.info("Attempt recorded by another worker", extra=log)
        return outcome
    if next_at is not None:
        message = AttemptMessage(
            tenant_id=delivery.tenant_id,
            webhook_id=delivery.webhook_id,
            event_id=delivery.event_id,
            attempts_before=attempts,
            not_before=_iso(next_at),
        )
        ports.queue.send(message.model_dump(), delay_seconds=int((next_at - now).total_seconds()))
        logger.info("Delivery failed, retrying", extra={**log, "error": outcome.error})
    elif status == "failed":
        ports.dead_letters.send(
            {**log, "tenant_id": delivery.tenant_id, "error": outcome.error, "failed_at": utc_now()}
        )
        logger.error("Delivery given up", extra={**log, "error": outcome.error})
    else:
        logger.info("Delivered", extra=log)
    return outcome


def send_again(queue: JsonQueue, delivery: DeliveryItem, now: datetime) -> None:
    """Queue an attempt of a (reopened) delivery now: the API's "send again"."""
    message = AttemptMessage(
        tenant_id=delivery.tenant_id,
        webhook_id=delivery.webhook_id,
        event_id=delivery.event_id,
        attempts_before=delivery.attempts,
        not_before=_iso(now),
    )
    queue.send(message.model_dump())
