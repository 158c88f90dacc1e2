"""What the API's logic runs against, built once per container and replaceable in tests."""

from __future__ import annotations

from docuflow.dal.vendors import VendorRepository
from services.api.config import get_storage_settings, get_upload_settings, get_vendor_settings
from services.common.adapters import (
    Processing,
    Storage,
    processing_from,
    storage_from,
    vendors_from,
)
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


def reset() -> None:
    """Forget every built dependency (tests)."""
    storage.reset()
    processing.reset()
    vendors.reset()
