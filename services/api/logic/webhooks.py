"""Webhook endpoints of a tenant: register, list, rotate, delete; the delivery log and
"send again" (ADR 0028). Every call is scoped to the caller's tenant: another tenant's
endpoint is a 404 like none at all."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from docuflow.dal.models import Page, utc_now
from docuflow.dal.queues import JsonQueue
from docuflow.dal.webhooks import DeliveryItem, DeliveryRepository, WebhookItem, WebhookRepository
from services.common.errors import DeliveryNotFound, TooManyWebhooks, WebhookNotFound
from services.webhooks.logic.delivery import send_again
from services.webhooks.targets import parse_target

# After a rotation the old secret signs too, this long, so receivers can switch over.
ROTATION_OVERLAP = timedelta(hours=24)
MAX_WEBHOOKS_PER_TENANT = 20


@dataclass(frozen=True)
class WebhookPorts:
    webhooks: WebhookRepository
    deliveries: DeliveryRepository
    queue: JsonQueue
    allow_loopback: bool


def new_secret() -> str:
    """`whsec_` and 32 random bytes in base64, the Standard Webhooks form."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def create(
    ports: WebhookPorts,
    *,
    tenant: str,
    actor: str,
    url: str,
    events: list[str],
    description: str | None,
) -> WebhookItem:
    """Register an endpoint (InvalidWebhookUrl, 422, for a URL no webhook may use)."""
    parse_target(url, allow_loopback=ports.allow_loopback)
    if len(ports.webhooks.list(tenant)) >= MAX_WEBHOOKS_PER_TENANT:
        raise TooManyWebhooks(
            f"A company may register at most {MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first."
        )
    webhook = WebhookItem(
        tenant_id=tenant,
        webhook_id=f"wh_{uuid.uuid4().hex}",
        url=url,
        events=sorted(set(events)),
        description=description,
        secret=new_secret(),
        created_at=utc_now(),
        created_by=actor,
    )
    ports.webhooks.create(webhook)
    return webhook


def get(ports: WebhookPorts, tenant: str, webhook_id: str) -> WebhookItem:
    webhook = ports.webhooks.find(tenant, webhook_id)
    if webhook is None:
        raise WebhookNotFound(webhook_id)
    return webhook


def delete(ports: WebhookPorts, tenant: str, webhook_id: str) -> None:
    """Nothing more is delivered to it; its pending attempts are dropped."""
    if not ports.webhooks.delete(tenant, webhook_id):
        raise WebhookNotFound(webhook_id)


def rotate(ports: WebhookPorts, tenant: str, webhook_id: str) -> WebhookItem:
    now = datetime.now(UTC)
    until = (now + ROTATION_OVERLAP).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    rotated = ports.webhooks.rotate(
        tenant, webhook_id, secret=new_secret(), previous_until=until, now=utc_now()
    )
    if rotated is None:
        raise WebhookNotFound(webhook_id)
    return rotated


def deliveries(
    ports: WebhookPorts,
    tenant: str,
    webhook_id: str,
    *,
    limit: int,
    start_key: dict[str, str] | None,
) -> Page[DeliveryItem]:
    get(ports, tenant, webhook_id)
    return ports.deliveries.list(webhook_id, limit=limit, start_key=start_key)


def redeliver(ports: WebhookPorts, tenant: str, webhook_id: str, event_id: str) -> DeliveryItem:
    """ "Send again": the delivery is pending again and an attempt is queued now."""
    get(ports, tenant, webhook_id)
    reopened = ports.deliveries.reopen(webhook_id, event_id, at=utc_now())
    if reopened is None:
        raise DeliveryNotFound(event_id)
    send_again(ports.queue, reopened, datetime.now(UTC))
    return reopened
