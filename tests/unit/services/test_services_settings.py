"""Each function is given exactly the settings its settings model reads (the manifest's
"settings", which Terraform turns into its environment), and settings are read when a
handler starts, with a clear error for a missing or bad one."""

from __future__ import annotations

import pytest
from pydantic_settings import BaseSettings

from services.api import config as api
from services.common.settings import StorageSettings, TableSettings, VendorSettings
from services.intake import config as intake
from services.outbox import config as outbox
from services.webhooks import config as webhooks
from services.workflow import config as workflow
from tests.handlers.cloud import functions

# The settings model each function's handler loads (the widest one where it loads two,
# e.g. start-ocr's storage and its own StartOcrSettings).
SETTINGS_MODEL: dict[str, type[BaseSettings]] = {
    "api-uploads": api.UploadSettings,
    "api-jobs": StorageSettings,
    "api-review": api.ReviewSettings,
    "api-vendors": VendorSettings,
    "api-admin": api.AdminSettings,
    "api-stats": api.StatsApiSettings,
    "intake": intake.IntakeSettings,
    "validate-document": workflow.ValidationSettings,
    "start-ocr": workflow.StartOcrSettings,
    "ocr-callback": TableSettings,
    "await-ocr": TableSettings,
    "poll-ocr": TableSettings,
    "store-ocr": StorageSettings,
    "parse-and-score": workflow.ParseSettings,
    "read-einvoice": workflow.ParseSettings,
    "mark-failed": workflow.FailureSettings,
    "reconcile-failures": workflow.DeadLetterSettings,
    "api-webhooks": webhooks.WebhookTablesSettings,
    "api-exports": api.ExportSettings,
    "webhook-delivery": webhooks.DeliverySettings,
    "event-sweep": outbox.SweepSettings,
}


@pytest.mark.parametrize("function", sorted(functions()))
def test_manifest_settings_are_the_fields_of_the_functions_settings_model(function: str) -> None:
    # Given a function of services/functions.json, when its manifest settings are compared
    # with the fields its settings model reads from the environment, then they are the
    # same: no setting the model needs is missing, none is given that it never reads.
    model = SETTINGS_MODEL[function]
    assert set(functions()[function]["settings"]) == {name.upper() for name in model.model_fields}


def test_missing_settings_fail_at_start_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import ValidationError

    for name in ("JOBS_TABLE", "AUDIT_TABLE", "DLQ_URL"):
        monkeypatch.delenv(name, raising=False)
    workflow.get_failure_settings.cache_clear()
    with pytest.raises(ValidationError, match="dlq_url"):
        workflow.get_failure_settings()


def test_thresholds_are_parsed_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv("JOBS_TABLE", "jobs")
    monkeypatch.setenv("AUDIT_TABLE", "audit")
    monkeypatch.setenv("RAW_BUCKET", "raw")
    monkeypatch.setenv("VENDORS_TABLE", "vendors")
    monkeypatch.setenv("EVENT_BUS_NAME", "bus")
    monkeypatch.setenv("SETTINGS_TABLE", "settings")
    monkeypatch.setenv("STATS_TABLE", "stats")
    monkeypatch.setenv("CONFIDENCE_THRESHOLDS", '{"total_amount": 95}')
    monkeypatch.delenv("CONFIDENCE_THRESHOLD", raising=False)
    assert workflow.ParseSettings().confidence_thresholds == {"total_amount": 95}
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "120")
    with pytest.raises(ValidationError):
        workflow.ParseSettings()
