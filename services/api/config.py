"""Settings of the API functions, read from the environment when a handler first runs."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field

from services.common.settings import NonEmpty, StorageSettings


class ApiSettings(StorageSettings):
    upload_url_ttl_seconds: Annotated[int, Field(gt=0, le=604_800)] = 900
    download_url_ttl_seconds: Annotated[int, Field(gt=0, le=604_800)] = 300
    allowed_origins: Annotated[
        str, Field(description="Comma-separated origins for CORS; '*' for any")
    ] = "*"

    @property
    def origins(self) -> list[str]:
        return [origin.strip() for origin in self.allowed_origins.split(",") if origin.strip()]


class UploadSettings(ApiSettings):
    """api-uploads also starts executions."""

    state_machine_arn: NonEmpty


@cache
def get_settings() -> ApiSettings:
    return ApiSettings()


@cache
def get_upload_settings() -> UploadSettings:
    return UploadSettings()
