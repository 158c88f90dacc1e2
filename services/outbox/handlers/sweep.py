"""event-sweep: on a schedule, put the events final-status writes still owe (ADR 0034)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.dal import clients
from docuflow.dal.documents import DocumentStore
from docuflow.dal.events import EventBus
from docuflow.dal.jobs import JobRepository
from docuflow.dal.queues import DeadLetterQueue
from docuflow.observability import logger, metrics, tracer
from services.common.adapters import stats_from
from services.common.events import Announcer
from services.common.wiring import Provider
from services.outbox.config import get_sweep_settings
from services.outbox.logic.sweep import SweepPorts, sweep_owed_events


def _ports() -> SweepPorts:
    settings = get_sweep_settings()
    return SweepPorts(
        announcer=Announcer(
            jobs=JobRepository(clients.dynamodb().Table(settings.jobs_table)),
            bus=EventBus(clients.events(), settings.event_bus_name),
            stats=stats_from(settings),
            documents=DocumentStore(clients.s3(), settings.raw_bucket),
        ),
        dead_letters=DeadLetterQueue(clients.sqs(), settings.dlq_url),
    )


ports: Provider[SweepPorts] = Provider(_ports)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The scheduled event says only that it is time; what is owed is in the jobs table."""
    grace = timedelta(seconds=get_sweep_settings().event_sweep_grace_seconds)
    outcome = sweep_owed_events(ports(), now=datetime.now(UTC), grace=grace)
    metrics.add_metric(name="OwedEventsPut", unit=MetricUnit.Count, value=outcome.announced)
    metrics.add_metric(name="OwedEventsNotPut", unit=MetricUnit.Count, value=outcome.not_put)
    return outcome.model_dump()
