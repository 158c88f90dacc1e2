"""ReconcileFailures: a retried job succeeded; its earlier dead-letter notices go."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, set_job_id, tracer
from services.workflow.dependencies import dead_letters
from services.workflow.logic.reconcile import reconcile_failures
from services.workflow.models import PipelineState


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = PipelineState.model_validate(event)
    set_job_id(state.job_id)
    outcome = reconcile_failures(dead_letters(), job_id=state.job_id, attempt=state.attempt)
    metrics.add_metric(name="FailuresReconciled", unit=MetricUnit.Count, value=outcome.deleted)
    return outcome.model_dump(mode="json")
