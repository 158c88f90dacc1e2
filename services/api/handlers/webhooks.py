"""Webhook endpoints (admins only): register, list, rotate, delete; the delivery log and
"send again" (ADR 0028)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic.json_schema import SkipJsonSchema

from docuflow.dal import clients
from docuflow.dal.queues import JsonQueue
from docuflow.dal.webhooks import DeliveryRepository, WebhookRepository
from docuflow.domain.errors import ValidationFailed
from docuflow.observability import logger, metrics, tracer
from services.api.errors import AUTH_ERRORS, UnsupportedRequestBody, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.logic import webhooks
from services.api.models import Cursor, PageLimit
from services.api.models_integrations import (
    CreateWebhookRequest,
    Delivery,
    DeliveryPage,
    EventId,
    Webhook,
    WebhookCreated,
    WebhookId,
    WebhookList,
    WebhookSecret,
)
from services.api.pagination import decode_cursor, encode_cursor
from services.common.errors import (
    DeliveryNotFound,
    InvalidWebhookUrl,
    TooManyWebhooks,
    WebhookNotFound,
)
from services.common.wiring import Provider
from services.webhooks.config import get_webhook_tables_settings


def _ports() -> webhooks.WebhookPorts:
    settings = get_webhook_tables_settings()
    dynamodb = clients.dynamodb()
    return webhooks.WebhookPorts(
        webhooks=WebhookRepository(dynamodb.Table(settings.webhooks_table)),
        deliveries=DeliveryRepository(dynamodb.Table(settings.deliveries_table)),
        queue=JsonQueue(clients.sqs(), settings.webhook_queue_url),
        allow_loopback=settings.webhook_allow_loopback,
    )


ports: Provider[webhooks.WebhookPorts] = Provider(_ports)
router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


@router.post(
    "/webhooks",
    operation_id="createWebhook",
    summary="Register an endpoint for the company's invoice events",
    description=(
        "The answer carries the signing secret (`whsec_...`) this once. Deliveries are "
        "signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, "
        "`webhook-signature`); see docs/integrations.md."
    ),
    status_code=201,
    responses=responses(
        (201, "The endpoint, with its secret."),
        ValidationFailed,
        InvalidWebhookUrl,
        TooManyWebhooks,
        UnsupportedRequestBody,
        *AUTH_ERRORS,
    ),
)
def create_webhook(request: Annotated[CreateWebhookRequest, Body()]) -> WebhookCreated:
    caller = require(router.current_event, Role.ADMIN)
    created = webhooks.create(
        ports(),
        tenant=caller.tenant,
        actor=caller.email,
        url=request.url,
        events=list(request.events),
        description=request.description,
    )
    logger.info("Webhook registered", extra={"webhook_id": created.webhook_id})
    return WebhookCreated(**Webhook.of(created).model_dump(), secret=created.secret)


@router.get(
    "/webhooks",
    operation_id="listWebhooks",
    summary="The company's endpoints (without their secrets)",
    responses=responses((200, "Every endpoint."), *AUTH_ERRORS),
)
def list_webhooks() -> WebhookList:
    caller = require(router.current_event, Role.ADMIN)
    items = sorted(ports().webhooks.list(caller.tenant), key=lambda w: w.created_at)
    return WebhookList(items=[Webhook.of(item) for item in items])


@router.delete(
    "/webhooks/<webhook_id>",
    operation_id="deleteWebhook",
    summary="Delete an endpoint: nothing more is delivered to it",
    status_code=204,
    responses=responses((204, "Deleted."), WebhookNotFound, *AUTH_ERRORS),
)
def delete_webhook(webhook_id: Annotated[WebhookId, Path()]) -> Response[str]:
    caller = require(router.current_event, Role.ADMIN)
    webhooks.delete(ports(), caller.tenant, webhook_id)
    return Response(status_code=204, body="")


@router.post(
    "/webhooks/<webhook_id>/rotate",
    operation_id="rotateWebhookSecret",
    summary="A new signing secret; the old one keeps signing for 24 hours",
    responses=responses((200, "The new secret, shown this once."), WebhookNotFound, *AUTH_ERRORS),
)
def rotate_webhook_secret(webhook_id: Annotated[WebhookId, Path()]) -> WebhookSecret:
    caller = require(router.current_event, Role.ADMIN)
    rotated = webhooks.rotate(ports(), caller.tenant, webhook_id)
    return WebhookSecret(
        webhook_id=rotated.webhook_id,
        secret=rotated.secret,
        previous_secret_expires_at=rotated.previous_secret_expires_at or "",
    )


@router.get(
    "/webhooks/<webhook_id>/deliveries",
    operation_id="listWebhookDeliveries",
    summary="The endpoint's delivery log, newest first",
    responses=responses(
        (200, "One page of deliveries."), ValidationFailed, WebhookNotFound, *AUTH_ERRORS
    ),
)
def list_webhook_deliveries(
    webhook_id: Annotated[WebhookId, Path()],
    limit: Annotated[PageLimit, Query()] = 20,
    cursor: Annotated[Cursor | SkipJsonSchema[None], Query()] = None,
) -> DeliveryPage:
    caller = require(router.current_event, Role.ADMIN)
    page = webhooks.deliveries(
        ports(), caller.tenant, webhook_id, limit=limit, start_key=decode_cursor(cursor)
    )
    return DeliveryPage(
        items=[Delivery.of(item) for item in page.items], next_cursor=encode_cursor(page.last_key)
    )


@router.post(
    "/webhooks/<webhook_id>/deliveries/<event_id>/retry",
    operation_id="retryWebhookDelivery",
    summary="Send a delivery again, now",
    status_code=202,
    responses=responses(
        (202, "An attempt is queued; the log shows its outcome."),
        WebhookNotFound,
        DeliveryNotFound,
        *AUTH_ERRORS,
    ),
)
def retry_webhook_delivery(
    webhook_id: Annotated[WebhookId, Path()], event_id: Annotated[EventId, Path()]
) -> Delivery:
    caller = require(router.current_event, Role.ADMIN)
    return Delivery.of(webhooks.redeliver(ports(), caller.tenant, webhook_id, event_id))


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
