"""SQS: the dead-letter queue the failure path reports to."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class DeadLetterQueue:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, message: dict[str, Any]) -> str:
        """Send one JSON message; returns its MessageId."""
        response = self._sqs.send_message(QueueUrl=self._url, MessageBody=json.dumps(message))
        return response["MessageId"]
