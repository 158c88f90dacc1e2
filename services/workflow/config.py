"""Settings of the workflow steps, read when a handler first runs.

Each step asks for the settings class with exactly what it needs, so a missing
variable fails the step that needs it with a clear message, at start.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import Field

from services.common.settings import NonEmpty, StorageSettings, TableSettings

Threshold = Annotated[float, Field(ge=0, le=100)]


class WorkflowSettings(StorageSettings):
    max_pages: Annotated[int, Field(gt=0)] = 50
    ocr_mode: Literal["expense", "document", "both"] = "expense"
    confidence_threshold: Threshold = 80
    confidence_thresholds: Annotated[
        dict[str, Threshold], Field(description="JSON object of per-field overrides")
    ] = Field(default_factory=dict)


class StartOcrSettings(WorkflowSettings):
    textract_sns_topic_arn: NonEmpty
    textract_role_arn: NonEmpty


class FailureSettings(TableSettings):
    dlq_url: NonEmpty


@cache
def get_table_settings() -> TableSettings:
    """ocr-callback and poll-ocr touch only the tables (and Step Functions, Textract)."""
    return TableSettings()


@cache
def get_settings() -> WorkflowSettings:
    return WorkflowSettings()


@cache
def get_start_ocr_settings() -> StartOcrSettings:
    return StartOcrSettings()


@cache
def get_failure_settings() -> FailureSettings:
    return FailureSettings()
