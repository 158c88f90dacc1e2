"""SQS batch of S3 ObjectCreated notifications -> UPLOADED -> PROCESSING (execution started)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.common.adapters import Processing, processing_from
from services.common.batches import in_time, process_batch
from services.common.errors import UnknownDocumentKey
from services.common.wiring import Provider
from services.intake.config import get_settings
from services.intake.logic.intake import accept_object
from services.intake.models import S3Notification


def _build() -> Processing:
    settings = get_settings()
    return processing_from(settings, settings.state_machine_arn)


ports: Provider[Processing] = Provider(_build)


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    """One SQS message: every ObjectCreated record in it; an exception fails the message."""
    notification = S3Notification.model_validate_json(record.body)
    if notification.is_test_event:
        logger.info("Ignoring s3:TestEvent")
        return
    if not notification.records:
        raise ValueError(f"SQS message {record.message_id} holds no S3 event records.")
    for s3_record in notification.records:
        if not s3_record.event_name.startswith("ObjectCreated"):
            logger.info("Ignoring S3 event", extra={"event_name": s3_record.event_name})
            continue
        bucket, key = s3_record.s3.bucket.name, s3_record.s3.object.decoded_key
        try:
            accept_object(ports(), bucket, key)
        except UnknownDocumentKey as exc:
            # Not a bug here but nothing to retry either: say so, and let the message fail
            # through to the queue's dead-letter queue where someone will look.
            logger.error("Object belongs to no job", extra={"reason": str(exc), "key": key})
            raise
        metrics.add_metric(name="DocumentsReceived", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_batch(event, context, in_time(handle_record))
