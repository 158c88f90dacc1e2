"""AwaitOcr (lambda:invoke.waitForTaskToken): store the token Textract's callback answers."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, tracer
from services.workflow.dependencies import tables, workflow
from services.workflow.logic.ocr import await_ocr
from services.workflow.models import AwaitOcrInput


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = AwaitOcrInput.model_validate(event)
    answered = await_ocr(tables(), workflow(), state)
    return {"job_id": state.job_id, "answered": answered}
