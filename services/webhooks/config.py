"""Settings of webhook delivery, read when the delivery handler first runs."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field

from services.common.settings import NonEmpty, Settings


class WebhookTablesSettings(Settings):
    """The endpoints and the delivery log (api-webhooks reads these too)."""

    webhooks_table: NonEmpty
    deliveries_table: NonEmpty
    webhook_queue_url: NonEmpty
    # Only the local cloud sets it (envs/local.tfvars): receivers on 127.0.0.1 over http.
    webhook_allow_loopback: bool = False


class DeliverySettings(WebhookTablesSettings):
    webhook_dlq_url: NonEmpty
    # The first retry waits about this long; each next one four times longer, up to 8 h.
    webhook_retry_base_seconds: Annotated[float, Field(gt=0, le=3600)] = 10
    # With the defaults the last attempt is made about a day after the first.
    webhook_max_attempts: Annotated[int, Field(ge=1, le=20)] = 10
    webhook_timeout_seconds: Annotated[float, Field(gt=0, le=30)] = 10


@cache
def get_delivery_settings() -> DeliverySettings:
    return DeliverySettings()


@cache
def get_webhook_tables_settings() -> WebhookTablesSettings:
    return WebhookTablesSettings()
