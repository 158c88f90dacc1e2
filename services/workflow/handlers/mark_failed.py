"""MarkFailed: the catch path (FAILED, audit record, DLQ message)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.dependencies import dead_letters, failure_announcer, failure_tables
from services.workflow.logic.failure import mark_failed
from services.workflow.models import FailureInput


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = FailureInput.model_validate(event)
    outcome = mark_failed(failure_tables(), dead_letters(), failure_announcer(), state)
    metrics.add_metric(name="JobsFailed", unit=MetricUnit.Count, value=1)
    return outcome.model_dump(mode="json")
