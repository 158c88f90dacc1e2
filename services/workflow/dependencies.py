"""What the workflow steps run against, built once per container and replaceable in tests."""

from __future__ import annotations

from docuflow.dal import clients
from docuflow.dal.documents import DocumentStore
from docuflow.dal.events import EventBus
from docuflow.dal.executions import WorkflowGateway
from docuflow.dal.queues import DeadLetterQueue
from docuflow.dal.settings import TenantSettingsRepository
from docuflow.dal.vendors import VendorRepository
from services.common.adapters import (
    Storage,
    Tables,
    documents_from,
    stats_from,
    storage_from,
    tables_from,
    vendors_from,
)
from services.common.events import Announcer
from services.common.tenant_settings import TenantScoring
from services.common.wiring import Provider
from services.workflow.config import (
    get_dead_letter_settings,
    get_failure_settings,
    get_parse_settings,
    get_storage_settings,
    get_table_settings,
    get_validation_settings,
)
from services.workflow.textract import TextractGateway

tables: Provider[Tables] = Provider(lambda: tables_from(get_table_settings()))
storage: Provider[Storage] = Provider(lambda: storage_from(get_storage_settings()))
# validate-document reads the document and nothing else.
documents: Provider[DocumentStore] = Provider(lambda: documents_from(get_validation_settings()))
textract: Provider[TextractGateway] = Provider(lambda: TextractGateway(clients.textract()))
# Answering task tokens needs no state machine ARN.
workflow: Provider[WorkflowGateway] = Provider(lambda: WorkflowGateway(clients.stepfunctions()))
dead_letters: Provider[DeadLetterQueue] = Provider(
    lambda: DeadLetterQueue(clients.sqs(), get_dead_letter_settings().dlq_url)
)
failure_tables: Provider[Tables] = Provider(lambda: tables_from(get_failure_settings()))
# parse-and-score and read-einvoice check against, and add to, the vendor memory.
vendors: Provider[VendorRepository] = Provider(lambda: vendors_from(get_parse_settings()))
# ... and route with the job's tenant's thresholds.
scoring: Provider[TenantScoring] = Provider(
    lambda: TenantScoring(
        defaults=get_parse_settings().scoring(),
        tenants=TenantSettingsRepository(
            clients.dynamodb().Table(get_parse_settings().settings_table)
        ),
    )
)


def _routing_announcer() -> Announcer:
    settings = get_parse_settings()
    routed = storage_from(settings)
    bus = EventBus(clients.events(), settings.event_bus_name)
    return Announcer(
        jobs=routed.jobs, bus=bus, stats=stats_from(settings), documents=routed.documents
    )


# parse-and-score and read-einvoice announce COMPLETED (with the result), mark-failed FAILED.
routing_announcer: Provider[Announcer] = Provider(_routing_announcer)
failure_announcer: Provider[Announcer] = Provider(
    lambda: Announcer(
        jobs=failure_tables().jobs,
        bus=EventBus(clients.events(), get_failure_settings().event_bus_name),
        stats=stats_from(get_failure_settings()),
    )
)


def reset() -> None:
    """Forget every built dependency (tests)."""
    for provider in (
        tables,
        storage,
        documents,
        textract,
        workflow,
        dead_letters,
        failure_tables,
        vendors,
        scoring,
        routing_announcer,
        failure_announcer,
    ):
        provider.reset()
