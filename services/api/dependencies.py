"""What the API's logic runs against, built once per container and replaceable in tests."""

from __future__ import annotations

from docuflow.dal import clients
from docuflow.dal.events import EventBus
from docuflow.dal.vendors import VendorRepository
from services.api.config import (
    get_review_settings,
    get_storage_settings,
    get_upload_settings,
    get_vendor_settings,
)
from services.common.adapters import (
    Processing,
    Storage,
    processing_from,
    storage_from,
    vendors_from,
)
from services.common.events import Announcer
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


def _announcer() -> Announcer:
    settings = get_review_settings()
    decided = storage_from(settings)
    bus = EventBus(clients.events(), settings.event_bus_name)
    return Announcer(jobs=decided.jobs, bus=bus, documents=decided.documents)


announcer: Provider[Announcer] = Provider(_announcer)
"""The bus, for the decisions (APPROVED, REJECTED) of the review routes."""


def reset() -> None:
    """Forget every built dependency (tests)."""
    storage.reset()
    processing.reset()
    vendors.reset()
    announcer.reset()
