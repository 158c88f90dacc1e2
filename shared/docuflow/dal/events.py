"""The project's EventBridge bus: where final statuses are announced (ADR 0027)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from docuflow.domain.errors import EventNotPut
from docuflow.domain.status import JobStatus
from docuflow.events.model import DETAIL_TYPES, EVENT_SOURCE, InvoiceEvent

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient


class EventBus:
    """PutEvents on one bus, `source` docuflow, `detail-type` by status."""

    def __init__(self, client: EventBridgeClient, bus_name: str) -> None:
        self._client = client
        self.bus_name = bus_name

    def put(self, event: InvoiceEvent) -> None:
        """Put one event; EventNotPut when the entry failed (the caller retries)."""
        try:
            response = self._client.put_events(
                Entries=[
                    {
                        "EventBusName": self.bus_name,
                        "Source": EVENT_SOURCE,
                        "DetailType": DETAIL_TYPES[JobStatus(event.status)],
                        "Detail": event.model_dump_json(),
                    }
                ]
            )
        except ClientError as exc:
            raise EventNotPut(str(exc)) from exc
        if response.get("FailedEntryCount", 0):
            entry = response["Entries"][0]
            raise EventNotPut(
                f"{entry.get('ErrorCode', 'unknown')}: {entry.get('ErrorMessage', '')}"
            )
