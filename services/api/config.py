"""Settings of the API functions, read from the environment when a handler first runs."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Annotated

from pydantic import Field

from services.common.settings import (
    DEFAULT_MAX_UPLOAD_BYTES,
    EventBusSettings,
    MaxUploadBytes,
    NonEmpty,
    ScoringThresholds,
    StatsSettings,
    StorageSettings,
    TenantSettingsTable,
    VendorSettings,
)

UrlTtlSeconds = Annotated[int, Field(gt=0, le=604_800)]


class ReviewSettings(
    StorageSettings, ScoringThresholds, TenantSettingsTable, VendorSettings, EventBusSettings
):
    """api-review also hands out short-lived links to the document, re-scores a job with
    the reviewer's corrections as the pipeline scores it (with the tenant's thresholds),
    asks the tenant's settings whether a reviewer may decide on their own upload, an
    approval teaches the vendor memory, and decisions are announced on the bus."""

    download_url_ttl_seconds: UrlTtlSeconds = 300


class AdminSettings(ScoringThresholds, TenantSettingsTable):
    """api-admin keeps the tenant's settings (audited) and manages its users in the user
    pool; it shows the deployment's default thresholds beside the tenant's own."""

    audit_table: NonEmpty
    user_pool_id: NonEmpty


class UploadSettings(StorageSettings):
    """api-uploads checks the declared size, presigns the upload and starts executions."""

    state_machine_arn: NonEmpty
    max_upload_bytes: MaxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES
    upload_url_ttl_seconds: UrlTtlSeconds = 900


class ExportSettings(StorageSettings):
    """api-exports writes an export asked for as a link to exports/<tenant>/ in the bucket
    and hands out a presigned GET valid this long (the objects expire after a day)."""

    export_url_ttl_seconds: Annotated[int, Field(ge=60, le=3600)] = 900


PricePerPage = Annotated[Decimal, Field(ge=0, le=10, description="USD per page")]


class StatsApiSettings(StatsSettings):
    """api-stats reads the roll-up and the review index, and prices OCR pages (defaults:
    the Textract list prices in docs/cost.md)."""

    jobs_table: NonEmpty
    ocr_price_expense_page: PricePerPage = Decimal("0.010")
    ocr_price_document_page: PricePerPage = Decimal("0.065")


@cache
def get_storage_settings() -> StorageSettings:
    """api-jobs reads only these; api-review and api-uploads read them too."""
    return StorageSettings()


@cache
def get_vendor_settings() -> VendorSettings:
    """api-vendors reads the vendor memory alone; api-review reads it too."""
    return VendorSettings()


@cache
def get_review_settings() -> ReviewSettings:
    return ReviewSettings()


@cache
def get_admin_settings() -> AdminSettings:
    return AdminSettings()


@cache
def get_upload_settings() -> UploadSettings:
    return UploadSettings()


@cache
def get_export_settings() -> ExportSettings:
    return ExportSettings()


@cache
def get_stats_settings() -> StatsApiSettings:
    return StatsApiSettings()
