"""Settings the services share: the tables, the bucket, the upload limit.

Each function's settings model holds exactly the variables it reads; its manifest entry
in services/functions.json lists the same names ("settings"), and Terraform sets those.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from docuflow.extraction import ScoringSettings

NonEmpty = Annotated[str, Field(min_length=1)]
MAX_UPLOAD_BYTES_CEILING = 500 * 1024 * 1024
"""Textract's limit for asynchronous PDFs: no deployment may accept more."""
MaxUploadBytes = Annotated[
    int, Field(gt=0, le=MAX_UPLOAD_BYTES_CEILING, description="The largest document accepted")
]
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class Settings(BaseSettings):
    """Read from the environment (names are upper case there: JOBS_TABLE, ...)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)


class BucketSettings(Settings):
    raw_bucket: NonEmpty


class TableSettings(Settings):
    jobs_table: NonEmpty
    audit_table: NonEmpty


class VendorSettings(Settings):
    """The vendor memory (ADR 0025)."""

    vendors_table: NonEmpty


class TenantSettingsTable(Settings):
    """Each tenant's settings (ADR 0033): self-approval and confidence thresholds."""

    settings_table: NonEmpty


class StorageSettings(TableSettings, BucketSettings):
    """The tables and the documents bucket."""


Threshold = Annotated[float, Field(ge=0, le=100)]


class ScoringThresholds(Settings):
    """The deployment's default confidence thresholds: the pipeline's scoring step and the
    review API's re-scoring read the same variables, and lay the tenant's own per-field
    thresholds on top (services/common/tenant_settings.py), so both route alike."""

    confidence_threshold: Threshold = 80
    confidence_thresholds: Annotated[
        dict[str, Threshold], Field(description="JSON object of per-field overrides")
    ] = Field(default_factory=dict)

    def scoring(self) -> ScoringSettings:
        return ScoringSettings(
            confidence_threshold=self.confidence_threshold,
            field_thresholds=self.confidence_thresholds,
        )


class StatsSettings(Settings):
    """The daily roll-up of figures per tenant (ADR 0035)."""

    stats_table: NonEmpty


class EventBusSettings(StatsSettings):
    """The functions that write a final status announce it on the project's bus, and
    count it in the daily roll-up first."""

    event_bus_name: NonEmpty
