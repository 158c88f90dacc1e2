"""Settings every service reads: the tables, and the bucket for those that touch it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

NonEmpty = Annotated[str, Field(min_length=1)]


class TableSettings(BaseSettings):
    """Read from the environment (names are upper case there: JOBS_TABLE, ...)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    jobs_table: NonEmpty
    audit_table: NonEmpty


class StorageSettings(TableSettings):
    raw_bucket: NonEmpty
    max_upload_bytes: Annotated[int, Field(gt=0)] = 20_971_520
