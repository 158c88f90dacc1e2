"""PollOcr: the bounded polling fallback when no completion notification arrived."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.dependencies import tables, textract
from services.workflow.logic.ocr import poll_ocr
from services.workflow.models import PollInput


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = PollInput.model_validate(event)
    result = poll_ocr(tables(), textract(), state.job_id, state.polls)
    return result.model_dump(mode="json")
