"""StartOcr (lambda:invoke.waitForTaskToken): store the token, start Textract."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.config import get_start_ocr_settings
from services.workflow.dependencies import storage, textract, workflow
from services.workflow.logic.ocr import start_ocr
from services.workflow.models import StartOcrInput


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = StartOcrInput.model_validate(event)
    settings = get_start_ocr_settings()
    started = start_ocr(
        storage(),
        textract(),
        workflow(),
        state,
        ocr_mode=settings.ocr_mode,
        sns_topic_arn=settings.textract_sns_topic_arn,
        role_arn=settings.textract_role_arn,
    )
    metrics.add_metric(name="OcrJobsStarted", unit=MetricUnit.Count, value=len(started.ocr_jobs))
    return started.model_dump(mode="json")
