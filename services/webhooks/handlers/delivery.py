"""webhook-delivery: the webhook queue (bus events and attempts) -> signed POSTs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.dal import clients
from docuflow.dal.queues import JsonQueue
from docuflow.dal.webhooks import DeliveryRepository, WebhookRepository
from docuflow.observability import logger, metrics, tracer
from services.common.batches import process_batch
from services.common.wiring import Provider
from services.webhooks.config import get_delivery_settings
from services.webhooks.logic.delivery import DeliveryPolicy, DeliveryPorts, handle_message
from services.webhooks.sender import post
from services.webhooks.targets import system_resolver


def _ports() -> DeliveryPorts:
    settings = get_delivery_settings()
    dynamodb = clients.dynamodb()
    timeout = settings.webhook_timeout_seconds
    return DeliveryPorts(
        webhooks=WebhookRepository(dynamodb.Table(settings.webhooks_table)),
        deliveries=DeliveryRepository(dynamodb.Table(settings.deliveries_table)),
        queue=JsonQueue(clients.sqs(), settings.webhook_queue_url),
        dead_letters=JsonQueue(clients.sqs(), settings.webhook_dlq_url),
        send=lambda target, address, headers, body: post(
            target, address, headers, body, timeout=timeout
        ),
        resolve=system_resolver,
    )


ports: Provider[DeliveryPorts] = Provider(_ports)


def _policy() -> DeliveryPolicy:
    settings = get_delivery_settings()
    return DeliveryPolicy(
        retry_base_seconds=settings.webhook_retry_base_seconds,
        max_attempts=settings.webhook_max_attempts,
        allow_loopback=settings.webhook_allow_loopback,
    )


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    """One message; an exception fails it (SQS redelivers it, then dead-letters it)."""
    handle_message(ports(), _policy(), record.body, datetime.now(UTC))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_batch(event, context, handle_record)
