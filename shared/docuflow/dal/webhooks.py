"""The webhook endpoints of each tenant and the log of deliveries to them (ADR 0028).

Endpoints: key `tenant_id` + `webhook_id`, so every read is scoped by the tenant.
Deliveries: key `webhook_id` + `event_id` (one delivery of one event to one endpoint,
created conditionally, so a repeated event never makes a second one); the index
`webhook_id-created_at-index` lists an endpoint's deliveries newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field

from docuflow.dal.items import from_dynamo, to_dynamo
from docuflow.dal.models import Page
from docuflow.domain.errors import ValidationFailed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

DELIVERIES_BY_TIME = "webhook_id-created_at-index"
_PAGE_KEYS = frozenset({"webhook_id", "event_id", "created_at"})
_CONDITION_FAILED = "ConditionalCheckFailedException"

DeliveryStatus = Literal["pending", "delivered", "failed"]


def _condition_failed(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == _CONDITION_FAILED


class WebhookItem(BaseModel):
    """One registered endpoint. `secret` signs; `previous_secret` still signs too until
    `previous_secret_expires_at`, so receivers can switch after a rotation."""

    model_config = ConfigDict(extra="ignore")

    tenant_id: str
    webhook_id: str
    url: str
    events: list[str]
    description: str | None = None
    secret: str
    previous_secret: str | None = None
    previous_secret_expires_at: str | None = None
    created_at: str
    created_by: str
    rotated_at: str | None = None


class DeliveryItem(BaseModel):
    """One event to one endpoint: its state and the last attempt's outcome. `payload` is
    the exact body sent (signed as is), kept for "send again"."""

    model_config = ConfigDict(extra="ignore")

    webhook_id: str
    event_id: str
    tenant_id: str
    event_type: str
    created_at: str
    status: DeliveryStatus = "pending"
    attempts: Annotated[int, Field(ge=0)] = 0
    last_attempt_at: str | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    next_attempt_at: str | None = None
    delivered_at: str | None = None
    payload: str


class WebhookRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def create(self, webhook: WebhookItem) -> None:
        self._table.put_item(
            Item=to_dynamo(webhook.model_dump(mode="json", exclude_none=True)),
            ConditionExpression="attribute_not_exists(webhook_id)",
        )

    def find(self, tenant_id: str, webhook_id: str) -> WebhookItem | None:
        response = self._table.get_item(
            Key={"tenant_id": tenant_id, "webhook_id": webhook_id}, ConsistentRead=True
        )
        item = response.get("Item")
        return None if item is None else WebhookItem.model_validate(from_dynamo(item))

    def list(self, tenant_id: str) -> list[WebhookItem]:
        """Every endpoint of the tenant (a handful: no paging)."""
        items: list[WebhookItem] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("tenant_id").eq(tenant_id),
            "ConsistentRead": True,
        }
        while True:
            response = self._table.query(**kwargs)
            items.extend(WebhookItem.model_validate(from_dynamo(i)) for i in response["Items"])
            if "LastEvaluatedKey" not in response:
                return items
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def delete(self, tenant_id: str, webhook_id: str) -> bool:
        """False when there was no such endpoint."""
        try:
            self._table.delete_item(
                Key={"tenant_id": tenant_id, "webhook_id": webhook_id},
                ConditionExpression="attribute_exists(webhook_id)",
            )
        except ClientError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def rotate(
        self, tenant_id: str, webhook_id: str, *, secret: str, previous_until: str, now: str
    ) -> WebhookItem | None:
        """The new secret signs from now on; the old one also signs until `previous_until`.
        None when there is no such endpoint."""
        try:
            response = self._table.update_item(
                Key={"tenant_id": tenant_id, "webhook_id": webhook_id},
                UpdateExpression=(
                    "SET previous_secret = secret, secret = :secret, "
                    "previous_secret_expires_at = :until, rotated_at = :now"
                ),
                ConditionExpression="attribute_exists(webhook_id)",
                ExpressionAttributeValues={
                    ":secret": secret,
                    ":until": previous_until,
                    ":now": now,
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _condition_failed(exc):
                return None
            raise
        return WebhookItem.model_validate(from_dynamo(response["Attributes"]))


class DeliveryRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def start(self, delivery: DeliveryItem) -> bool:
        """Write a new delivery; False when this event was already given to this endpoint."""
        try:
            self._table.put_item(
                Item=to_dynamo(delivery.model_dump(mode="json", exclude_none=True)),
                ConditionExpression="attribute_not_exists(event_id)",
            )
        except ClientError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def find(self, webhook_id: str, event_id: str) -> DeliveryItem | None:
        response = self._table.get_item(
            Key={"webhook_id": webhook_id, "event_id": event_id}, ConsistentRead=True
        )
        item = response.get("Item")
        return None if item is None else DeliveryItem.model_validate(from_dynamo(item))

    def record_attempt(
        self,
        webhook_id: str,
        event_id: str,
        *,
        attempts_before: int,
        status: DeliveryStatus,
        at: str,
        status_code: int | None,
        error: str | None,
        next_attempt_at: str | None,
    ) -> bool:
        """Record attempt number `attempts_before + 1`, conditional on nobody having recorded
        it first (a redelivered queue message); False when someone had."""
        names = {"#status": "status"}
        values: dict[str, Any] = {
            ":before": attempts_before,
            ":after": attempts_before + 1,
            ":status": status,
            ":at": at,
        }
        sets = ["attempts = :after", "#status = :status", "last_attempt_at = :at"]
        removes = []
        for name, value in (
            ("last_status_code", status_code),
            ("last_error", error),
            ("next_attempt_at", next_attempt_at),
            ("delivered_at", at if status == "delivered" else None),
        ):
            if value is None:
                removes.append(name)
            else:
                sets.append(f"{name} = :{name}")
                values[f":{name}"] = value
        expression = "SET " + ", ".join(sets)
        if removes:
            expression += " REMOVE " + ", ".join(removes)
        try:
            self._table.update_item(
                Key={"webhook_id": webhook_id, "event_id": event_id},
                UpdateExpression=expression,
                ConditionExpression="attempts = :before",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def reopen(self, webhook_id: str, event_id: str, *, at: str) -> DeliveryItem | None:
        """ "Send again": the delivery is pending again (its attempts go on counting).
        None when there is no such delivery."""
        try:
            response = self._table.update_item(
                Key={"webhook_id": webhook_id, "event_id": event_id},
                UpdateExpression="SET #status = :pending, next_attempt_at = :at",
                ConditionExpression="attribute_exists(event_id)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":pending": "pending", ":at": at},
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _condition_failed(exc):
                return None
            raise
        return DeliveryItem.model_validate(from_dynamo(response["Attributes"]))

    def list(
        self, webhook_id: str, *, limit: int, start_key: dict[str, str] | None
    ) -> Page[DeliveryItem]:
        """An endpoint's deliveries, newest first."""
        kwargs: dict[str, Any] = {
            "IndexName": DELIVERIES_BY_TIME,
            "KeyConditionExpression": Key("webhook_id").eq(webhook_id),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if start_key:
            if set(start_key) != _PAGE_KEYS or start_key.get("webhook_id") != webhook_id:
                raise ValidationFailed("The cursor is not valid for this query.")
            kwargs["ExclusiveStartKey"] = start_key
        response = self._table.query(**kwargs)
        items = [DeliveryItem.model_validate(from_dynamo(i)) for i in response["Items"]]
        last = response.get("LastEvaluatedKey")
        return Page[DeliveryItem](
            items=items,
            last_key={k: str(v) for k, v in last.items()} if last else None,
        )
