"""ValidateDocument: exists, size, type by magic bytes, page limit."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, set_job_id, tracer
from services.workflow.config import get_validation_settings
from services.workflow.dependencies import documents
from services.workflow.logic.validation import validate_document
from services.workflow.models import PipelineState


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = PipelineState.model_validate(event)
    set_job_id(state.job_id)
    settings = get_validation_settings()
    facts = validate_document(
        documents(),
        state.key,
        max_bytes=settings.max_upload_bytes,
        max_pages=settings.max_pages,
    )
    return facts.model_dump(mode="json")
