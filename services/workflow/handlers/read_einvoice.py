"""ReadEInvoice: an e-invoice read from its own XML, checked and routed, without Textract."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.observability import logger, metrics, tracer
from services.workflow.dependencies import routing_announcer, scoring, storage, vendors
from services.workflow.logic.scoring import read_einvoice
from services.workflow.models import PipelineState


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = PipelineState.model_validate(event)
    outcome = read_einvoice(
        storage(), vendors(), routing_announcer(), scoring(), job_id=state.job_id, key=state.key
    )
    name = "JobsCompleted" if outcome.status == "COMPLETED" else "JobsSentToReview"
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="EInvoicesRead", unit=MetricUnit.Count, value=1)
    return outcome.model_dump(mode="json")
