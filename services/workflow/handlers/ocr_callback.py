"""Textract completion notifications (SNS through SQS) -> SendTaskSuccess/SendTaskFailure."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.common.batches import process_batch
from services.workflow.dependencies import tables, workflow
from services.workflow.logic.ocr import handle_notification
from services.workflow.models import TextractNotification


def notification_of(body: str) -> TextractNotification:
    """The Textract message in an SQS body: an SNS envelope, or the raw message when the
    subscription delivers raw messages."""
    data = json.loads(body)
    if isinstance(data, dict) and data.get("Type") == "Notification" and "Message" in data:
        data = json.loads(data["Message"])
    return TextractNotification.model_validate(data)


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    """One notification; a malformed one fails its message (and reaches the DLQ)."""
    note = notification_of(record.body)
    outcome = handle_notification(tables(), workflow(), note)
    logger.info(
        "Textract notification handled",
        extra={"outcome": outcome, "textract_job_id": note.job_id, "status": note.status},
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_batch(event, context, handle_record)
