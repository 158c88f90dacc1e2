"""Every handler test runs against fresh moto resources with unique names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from joserfc import jwk
from moto import mock_aws
from moto.cognitoidp import models as cognito_models

from docuflow.dal import clients
from tests.handlers.cloud import REGION, Cloud, FakeTextract, create_cloud

# One session for the whole run: it caches the service models every client loads.
_SESSION = boto3.session.Session()


def _reset_services() -> None:
    """Forget cached settings, clients, repositories and resolvers between tests."""
    from services.api import config as api_config
    from services.api import dependencies as api_dependencies
    from services.api.handlers import (
        admin,
        exports,
        jobs,
        review,
        stats,
        uploads,
        vendors,
        webhooks,
    )
    from services.intake import config as intake_config
    from services.intake.handlers import s3_events
    from services.outbox import config as outbox_config
    from services.outbox.handlers import sweep
    from services.webhooks import config as webhook_config
    from services.webhooks.handlers import delivery
    from services.workflow import config as workflow_config
    from services.workflow import dependencies as workflow_dependencies
    from services.workflow.handlers import start_ocr

    clients.reset_clients()
    for cached in (
        api_config.get_storage_settings,
        api_config.get_review_settings,
        api_config.get_vendor_settings,
        api_config.get_upload_settings,
        api_config.get_admin_settings,
        api_config.get_stats_settings,
        intake_config.get_settings,
        workflow_config.get_table_settings,
        workflow_config.get_storage_settings,
        workflow_config.get_validation_settings,
        workflow_config.get_start_ocr_settings,
        workflow_config.get_parse_settings,
        workflow_config.get_failure_settings,
        workflow_config.get_dead_letter_settings,
        webhook_config.get_delivery_settings,
        webhook_config.get_webhook_tables_settings,
        outbox_config.get_sweep_settings,
    ):
        cached.cache_clear()
    start_ocr._pacer.cache_clear()
    api_dependencies.reset()
    workflow_dependencies.reset()
    s3_events.ports.reset()
    for module in (admin, exports, jobs, review, stats, uploads, vendors, webhooks):
        module.app.reset()
    admin.ports.reset()
    webhooks.ports.reset()
    delivery.ports.reset()
    sweep.ports.reset()


@cache
def _imported_key(serialized: str) -> jwk.RSAKey:
    return jwk.RSAKey.import_key(json.loads(serialized))


def _import_key_once(data: Any) -> jwk.RSAKey:
    return _imported_key(json.dumps(data, sort_keys=True))


@pytest.fixture(scope="session", autouse=True)
def _user_pools_import_their_key_once() -> Iterator[None]:
    """moto gives every user pool the same private key (its jwks-private.json) and imports
    it anew for each pool: RSA arithmetic that was half of the `cloud` fixture's cost. The
    same key, imported once for the session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            cognito_models,
            "jwk",
            SimpleNamespace(RSAKey=SimpleNamespace(import_key=_import_key_once)),
        )
        yield


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "DocuFlowTests")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    with mock_aws():
        created = create_cloud(_SESSION)
        monkeypatch.setenv("JOBS_TABLE", created.jobs_table)
        monkeypatch.setenv("AUDIT_TABLE", created.audit_table)
        monkeypatch.setenv("VENDORS_TABLE", created.vendors_table)
        monkeypatch.setenv("STATS_TABLE", created.stats_table)
        monkeypatch.setenv("RAW_BUCKET", created.bucket)
        monkeypatch.setenv("STATE_MACHINE_ARN", created.state_machine_arn)
        monkeypatch.setenv("DLQ_URL", created.dlq_url)
        monkeypatch.setenv("EVENT_BUS_NAME", created.bus_name)
        monkeypatch.setenv("WEBHOOKS_TABLE", created.webhooks_table)
        monkeypatch.setenv("DELIVERIES_TABLE", created.deliveries_table)
        monkeypatch.setenv("WEBHOOK_QUEUE_URL", created.webhook_queue_url)
        monkeypatch.setenv("WEBHOOK_DLQ_URL", created.webhook_dlq_url)
        monkeypatch.setenv("SETTINGS_TABLE", created.settings_table)
        monkeypatch.setenv("PACING_TABLE", created.pacing_table)
        monkeypatch.setenv("USER_POOL_ID", created.user_pool_id)
        monkeypatch.setenv("TEXTRACT_SNS_TOPIC_ARN", f"arn:aws:sns:{REGION}:123456789012:textract")
        monkeypatch.setenv("TEXTRACT_ROLE_ARN", "arn:aws:iam::123456789012:role/textract")
        monkeypatch.setenv("TEXTRACT_STARTS_PER_SECOND", "1000")
        monkeypatch.setenv("MAX_UPLOAD_BYTES", "1000000")
        monkeypatch.setenv("MAX_PAGES", "5")
        _reset_services()
        yield created
        _reset_services()


@pytest.fixture
def textract(cloud: Cloud) -> FakeTextract:
    """A fake Textract injected into the workflow steps."""
    from services.workflow import dependencies
    from services.workflow.textract import TextractGateway

    fake = FakeTextract()
    dependencies.textract.override(TextractGateway(fake))  # type: ignore[arg-type]
    return fake
