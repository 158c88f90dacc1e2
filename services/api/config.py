"""Settings of the API functions, read from the environment when a handler first runs."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field

from services.common.settings import NonEmpty, StorageSettings


class ApiSettings(StorageSettings):
    upload_url_ttl_seconds: Annotated[int, Field(gt=0, le=604_800)] = 900
    download_url_ttl_seconds: Annotated[int, Field(gt=0, le=604_800)] = 300


class UploadSettings(ApiSettings):
    """api-uploads also starts executions."""

    state_machine_arn: NonEmpty


@cache
def get_settings() -> ApiSettings:
    return ApiSettings()


@cache
def get_upload_settings() -> UploadSettings:
    return UploadSettings()
