"""The S3 event notifications the intake queue carries."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict, Field


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class S3Object(_Event):
    key: str
    size: int | None = None

    @property
    def decoded_key(self) -> str:
        # S3 event notifications URL-encode keys, with '+' for spaces.
        return unquote_plus(self.key)


class S3Bucket(_Event):
    name: str


class S3Entity(_Event):
    bucket: S3Bucket
    object: S3Object


class S3EventRecord(_Event):
    event_name: Annotated[str, Field(alias="eventName")]
    s3: S3Entity


class S3Notification(_Event):
    """The body of one SQS message: S3's notification, or its s3:TestEvent."""

    records: Annotated[list[S3EventRecord], Field(alias="Records")] = Field(default_factory=list)
    event: Annotated[str | None, Field(alias="Event")] = None

    @property
    def is_test_event(self) -> bool:
        return self.event == "s3:TestEvent"
