"""SQS: the dead-letter queue the failure path reports to, and its reconciliation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# SQS takes at most ten entries per receive and per batch call.
_BATCH = 10


@dataclass(frozen=True)
class ReceivedMessage:
    message_id: str
    receipt_handle: str
    body: str


class DeadLetterQueue:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, message: dict[str, Any]) -> str:
        """Send one JSON message; returns its MessageId."""
        response = self._sqs.send_message(QueueUrl=self._url, MessageBody=json.dumps(message))
        return response["MessageId"]

    def receive(self, *, hide_for_seconds: int) -> list[ReceivedMessage]:
        """Up to ten visible messages, hidden from other readers for `hide_for_seconds`.
        Long polling (1 s) asks every SQS server, so an empty answer means none is visible."""
        response = self._sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=_BATCH,
            VisibilityTimeout=hide_for_seconds,
            WaitTimeSeconds=1,
        )
        return [
            ReceivedMessage(m["MessageId"], m["ReceiptHandle"], m["Body"])
            for m in response.get("Messages", [])
        ]

    def delete(self, messages: Sequence[ReceivedMessage]) -> None:
        for start in range(0, len(messages), _BATCH):
            self._sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m.receipt_handle}
                    for i, m in enumerate(messages[start : start + _BATCH])
                ],
            )

    def release(self, messages: Sequence[ReceivedMessage]) -> None:
        """Make received messages visible again at once."""
        for start in range(0, len(messages), _BATCH):
            self._sqs.change_message_visibility_batch(
                QueueUrl=self._url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m.receipt_handle, "VisibilityTimeout": 0}
                    for i, m in enumerate(messages[start : start + _BATCH])
                ],
            )


class JsonQueue:
    """A queue of JSON messages this code sends itself (webhook attempts, their dead
    letters), optionally delayed (SQS allows at most 15 minutes)."""

    MAX_DELAY_SECONDS = 900

    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, message: dict[str, Any], *, delay_seconds: int = 0) -> str:
        """Send one message, visible after `delay_seconds` (capped at 900); its MessageId."""
        delay = max(0, min(int(delay_seconds), self.MAX_DELAY_SECONDS))
        response = self._sqs.send_message(
            QueueUrl=self._url, MessageBody=json.dumps(message), DelaySeconds=delay
        )
        return response["MessageId"]
