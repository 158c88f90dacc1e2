"""StoreOcr: every page of the Textract result into ocr/{job_id}/{attempt}/{api}/."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.dependencies import storage, textract
from services.workflow.logic.ocr import store_ocr
from services.workflow.models import PipelineState


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = PipelineState.model_validate(event)
    stored = store_ocr(storage(), textract(), state.job_id, state.attempt)
    return stored.model_dump(mode="json")
