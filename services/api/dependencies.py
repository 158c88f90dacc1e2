"""What the API's logic runs against, built once per container and replaceable in tests."""

from __future__ import annotations

from dataclasses import dataclass

from docuflow.dal import clients
from docuflow.dal.events import EventBus
from docuflow.dal.jobs import JobRepository
from docuflow.dal.settings import TenantSettingsRepository
from docuflow.dal.stats import StatsRepository
from docuflow.dal.vendors import VendorRepository
from services.api.config import (
    get_review_settings,
    get_stats_settings,
    get_storage_settings,
    get_upload_settings,
    get_vendor_settings,
)
from services.common.adapters import (
    Processing,
    Storage,
    processing_from,
    stats_from,
    storage_from,
    vendors_from,
)
from services.common.events import Announcer
from services.common.tenant_settings import TenantScoring
from services.common.wiring import Provider


def _processing() -> Processing:
    settings = get_upload_settings()
    return processing_from(settings, settings.state_machine_arn)


storage: Provider[Storage] = Provider(lambda: storage_from(get_storage_settings()))
"""Tables and bucket: the queries and the review routes."""

processing: Provider[Processing] = Provider(_processing)
"""Also the state machine: the upload and start routes."""

vendors: Provider[VendorRepository] = Provider(lambda: vendors_from(get_vendor_settings()))
"""The vendor memory: the vendor routes, and approvals (which add to it)."""


def _review_scoring() -> TenantScoring:
    settings = get_review_settings()
    table = clients.dynamodb().Table(settings.settings_table)
    return TenantScoring(defaults=settings.scoring(), tenants=TenantSettingsRepository(table))


tenant_scoring: Provider[TenantScoring] = Provider(_review_scoring)
"""The tenant's settings for the review routes: thresholds for re-scoring and deciding,
and whether a reviewer may decide on their own upload."""


def _announcer() -> Announcer:
    settings = get_review_settings()
    decided = storage_from(settings)
    bus = EventBus(clients.events(), settings.event_bus_name)
    return Announcer(
        jobs=decided.jobs, bus=bus, stats=stats_from(settings), documents=decided.documents
    )


announcer: Provider[Announcer] = Provider(_announcer)
"""The bus, for the decisions (APPROVED, REJECTED) of the review routes."""


@dataclass(frozen=True)
class Figures:
    """The roll-up and the review index: what the stats route reads."""

    stats: StatsRepository
    jobs: JobRepository


def _figures() -> Figures:
    settings = get_stats_settings()
    return Figures(
        stats=stats_from(settings),
        jobs=JobRepository(clients.dynamodb().Table(settings.jobs_table)),
    )


figures: Provider[Figures] = Provider(_figures)
"""The stats route's tables."""


def reset() -> None:
    """Forget every built dependency (tests)."""
    storage.reset()
    processing.reset()
    vendors.reset()
    announcer.reset()
    tenant_scoring.reset()
    figures.reset()
