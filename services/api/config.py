"""Settings of the API functions, read from the environment when a handler first runs."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field

from services.common.settings import (
    DEFAULT_MAX_UPLOAD_BYTES,
    EventBusSettings,
    MaxUploadBytes,
    NonEmpty,
    ScoringThresholds,
    StorageSettings,
    VendorSettings,
)

UrlTtlSeconds = Annotated[int, Field(gt=0, le=604_800)]


class ReviewSettings(StorageSettings, ScoringThresholds, VendorSettings, EventBusSettings):
    """api-review also hands out short-lived links to the document, re-scores a job with
    the reviewer's corrections as the pipeline scores it, an approval teaches the vendor
    memory, and decisions are announced on the bus."""

    download_url_ttl_seconds: UrlTtlSeconds = 300
    # Tenants whose reviewers may decide on their own uploads (a JSON list; ADR 0021).
    self_approval_tenants: frozenset[str] = frozenset()


class UploadSettings(StorageSettings):
    """api-uploads checks the declared size, presigns the upload and starts executions."""

    state_machine_arn: NonEmpty
    max_upload_bytes: MaxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES
    upload_url_ttl_seconds: UrlTtlSeconds = 900


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
def get_upload_settings() -> UploadSettings:
    return UploadSettings()
