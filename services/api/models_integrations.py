"""Request and response models of the integration routes: webhooks (api-webhooks, ADR
0028), exports and UBL (api-exports, ADR 0029)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuflow.dal.webhooks import DeliveryItem, WebhookItem
from docuflow.events.model import EventType
from services.webhooks.targets import MAX_URL_CHARS

WebhookId = Annotated[
    str,
    Field(pattern=r"^wh_[a-f0-9]{32}$", description="Anything else names no endpoint (404)."),
]
EventId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_-]{1,64}\.[a-z]+\.v[0-9]{1,16}$",
        description="The event's id (`<job_id>.<status>.v<version>`); anything else is a 404.",
    ),
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Response(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class CreateWebhookRequest(_Request):
    url: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_URL_CHARS,
            description="An https URL of a public host (checked again before each delivery).",
        ),
    ]
    events: Annotated[
        list[EventType],
        Field(min_length=1, max_length=4, description="The event types to deliver."),
    ]
    description: Annotated[str | None, Field(max_length=200)] = None


class Webhook(_Response):
    webhook_id: str
    url: str
    events: list[str]
    description: str | None
    created_at: str
    created_by: str
    rotated_at: str | None
    previous_secret_expires_at: Annotated[
        str | None,
        Field(description="Until then deliveries carry a signature by the old secret too"),
    ]

    @classmethod
    def of(cls, item: WebhookItem) -> Webhook:
        return cls(
            webhook_id=item.webhook_id,
            url=item.url,
            events=item.events,
            description=item.description,
            created_at=item.created_at,
            created_by=item.created_by,
            rotated_at=item.rotated_at,
            previous_secret_expires_at=item.previous_secret_expires_at,
        )


class WebhookCreated(Webhook):
    secret: Annotated[
        str, Field(description="`whsec_...`: shown this once; verify signatures with it")
    ]


class WebhookSecret(_Response):
    webhook_id: str
    secret: Annotated[str, Field(description="The new `whsec_...` secret, shown this once")]
    previous_secret_expires_at: str


class WebhookList(_Response):
    items: list[Webhook]


class Delivery(_Response):
    event_id: str
    event_type: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    created_at: str
    last_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: str | None
    delivered_at: str | None

    @classmethod
    def of(cls, item: DeliveryItem) -> Delivery:
        return cls(
            event_id=item.event_id,
            event_type=item.event_type,
            status=item.status,
            attempts=item.attempts,
            created_at=item.created_at,
            last_attempt_at=item.last_attempt_at,
            last_status_code=item.last_status_code,
            last_error=item.last_error,
            next_attempt_at=item.next_attempt_at,
            delivered_at=item.delivered_at,
        )


class DeliveryPage(_Response):
    items: list[Delivery]
    next_cursor: str | None


class ExportLink(_Response):
    """`delivery=link`: the export written to one file, behind a short-lived link."""

    url: Annotated[str, Field(description="Presigned GET of the file; valid until expires_at")]
    expires_at: Annotated[str, Field(description="ISO-8601 UTC")]
    format: Literal["csv", "json"]
    invoices: Annotated[int, Field(ge=0, description="Invoices in the file")]
    rows: Annotated[int, Field(ge=0, description="Rows in the file (line items with lines=true)")]
    next_cursor: Annotated[
        str | None,
        Field(description="More invoices than one file holds: pass as `cursor` for the next"),
    ]


class ExportPage(_Response):
    """`format=json`: the rows of one page, keyed by the documented column names."""

    columns: list[str]
    items: list[dict[str, str]]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page")]
