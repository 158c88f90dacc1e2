"""The ocr-start queue (StartOcr's messages) -> Textract started at the quota's pace ->
SendTaskSuccess with the Textract job ids, or SendTaskFailure with the step's error."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.dal import clients
from docuflow.dal.pacing import PacingSchedule
from docuflow.domain.errors import DocuflowError
from docuflow.observability import logger, metrics, tracer
from services.common.batches import in_time, process_batch
from services.workflow.config import get_start_ocr_settings
from services.workflow.dependencies import storage, textract, workflow
from services.workflow.logic.ocr import start_ocr
from services.workflow.logic.pacing import Pacer
from services.workflow.models import StartOcrInput

# The pacing table's item for Textract's Start*Analysis calls of this deployment.
TEXTRACT_START_QUOTA = "textract-start"


@cache
def _pacer() -> Pacer:
    """The account's start rate, on the schedule every start-ocr container shares."""
    settings = get_start_ocr_settings()
    return Pacer(
        settings.textract_starts_per_second,
        PacingSchedule(clients.dynamodb().Table(settings.pacing_table), TEXTRACT_START_QUOTA),
    )


@tracer.capture_method
def handle_record(record: SQSRecord) -> None:
    """One start request. The step's own errors (throttling, an unreadable document) go
    back to the execution, whose Retry and Catch handle them as for any task; anything else
    fails the message, which SQS delivers again (and dead-letters in the end)."""
    state = StartOcrInput.model_validate_json(record.body)
    settings = get_start_ocr_settings()
    try:
        started = start_ocr(
            storage(),
            textract(),
            state,
            ocr_mode=settings.ocr_mode,
            sns_topic_arn=settings.textract_sns_topic_arn,
            role_arn=settings.textract_role_arn,
            pace=_pacer(),
        )
    except DocuflowError as exc:
        logger.warning("Start failed; the execution decides", extra={"error": type(exc).__name__})
        workflow().send_failure(state.task_token, type(exc).__name__, str(exc))
        return
    metrics.add_metric(name="OcrJobsStarted", unit=MetricUnit.Count, value=len(started.ocr_jobs))
    if not workflow().send_success(state.task_token, started.model_dump(mode="json")):
        logger.info("StartOcr no longer waiting (timed out or stopped); message acknowledged")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_batch(event, context, in_time(handle_record))
