"""ParseAndScore: normalized result, checks, routing to COMPLETED or NEEDS_REVIEW."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.dependencies import routing_announcer, scoring, storage, vendors
from services.workflow.logic.scoring import parse_and_score
from services.workflow.models import ParseInput


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = ParseInput.model_validate(event)
    outcome = parse_and_score(
        storage(),
        vendors(),
        routing_announcer(),
        scoring(),
        job_id=state.job_id,
        keys=state.stored.keys,
    )
    name = "JobsCompleted" if outcome.status == "COMPLETED" else "JobsSentToReview"
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    return outcome.model_dump(mode="json")
