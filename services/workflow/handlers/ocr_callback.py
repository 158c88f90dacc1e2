"""Textract completion notifications (SNS through SQS) -> SendTaskSuccess/SendTaskFailure."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.dependencies import tables, workflow
from services.workflow.logic.ocr import handle_notification
from services.workflow.models import TextractNotification


@cache
def _processor() -> BatchProcessor:
    # A batch that failed entirely still answers with batchItemFailures, like any other.
    return BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


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
    return process_partial_response(
        event=event, record_handler=handle_record, processor=_processor(), context=context
    )
