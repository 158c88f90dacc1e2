"""Settings of the workflow steps, read when a handler first runs.

Each step asks for the settings class with exactly what it reads, so a missing variable
fails the step that needs it with a clear message, at start.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import Field

from services.common.settings import (
    DEFAULT_MAX_UPLOAD_BYTES,
    BucketSettings,
    EventBusSettings,
    MaxUploadBytes,
    NonEmpty,
    ScoringThresholds,
    Settings,
    StorageSettings,
    TableSettings,
    TenantSettingsTable,
    VendorSettings,
)


class ValidationSettings(BucketSettings):
    """validate-document reads the object only: no table."""

    max_upload_bytes: MaxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES
    max_pages: Annotated[int, Field(gt=0)] = 50


class StartOcrSettings(StorageSettings):
    ocr_mode: Literal["expense", "document", "both"] = "expense"
    textract_sns_topic_arn: NonEmpty
    textract_role_arn: NonEmpty
    # The account's start-call quota, which every container paces to together through
    # the pacing table (logic/pacing.py, ADR 0038).
    textract_starts_per_second: Annotated[float, Field(gt=0)]
    pacing_table: NonEmpty


class ParseSettings(
    StorageSettings, ScoringThresholds, TenantSettingsTable, VendorSettings, EventBusSettings
):
    """The thresholds are the deployment's defaults; each tenant's own come from the
    settings table (ADR 0033)."""


class DeadLetterSettings(Settings):
    """reconcile-failures reads the dead-letter queue and nothing else."""

    dlq_url: NonEmpty


class FailureSettings(TableSettings, DeadLetterSettings, EventBusSettings):
    pass


@cache
def get_table_settings() -> TableSettings:
    """ocr-callback and poll-ocr touch only the tables (and Step Functions, Textract)."""
    return TableSettings()


@cache
def get_storage_settings() -> StorageSettings:
    """The tables and the bucket: store-ocr, and what start-ocr and parse-and-score share."""
    return StorageSettings()


@cache
def get_validation_settings() -> ValidationSettings:
    return ValidationSettings()


@cache
def get_start_ocr_settings() -> StartOcrSettings:
    return StartOcrSettings()


@cache
def get_parse_settings() -> ParseSettings:
    return ParseSettings()


@cache
def get_failure_settings() -> FailureSettings:
    return FailureSettings()


@cache
def get_dead_letter_settings() -> DeadLetterSettings:
    return DeadLetterSettings()
