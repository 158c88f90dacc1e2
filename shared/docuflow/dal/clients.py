"""boto3 clients created lazily, once per container, and shared.

Endpoints come only from boto3's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>
settings: the code never asks which cloud it runs in. Tests call `reset_clients()` so a
client made under one moto mock is not reused under the next.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient, DynamoDBServiceResource
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_stepfunctions import SFNClient
    from mypy_boto3_textract import TextractClient

_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 4})


@cache
def dynamodb() -> DynamoDBServiceResource:
    return boto3.resource("dynamodb", config=_RETRIES)


@cache
def dynamodb_client() -> DynamoDBClient:
    # A plain client, not the resource's `meta.client`: boto3 hooks that one to
    # serialize every attribute value itself, so typed values would be wrapped twice.
    return boto3.client("dynamodb", config=_RETRIES)


class TableWithTransactions:
    """A repository over one table that also writes transactions: `client` (a plain
    low-level client) defaults to the shared `dynamodb_client()`, created on first use."""

    def __init__(self, table: Table, client: DynamoDBClient | None = None) -> None:
        self._table = table
        self._client = client

    def _low_level(self) -> DynamoDBClient:
        if self._client is None:
            self._client = dynamodb_client()
        return self._client


@cache
def s3() -> S3Client:
    # Presigned URLs must be SigV4 with the region in the host, or browsers get 400s.
    return boto3.client("s3", config=_RETRIES.merge(Config(signature_version="s3v4")))


@cache
def events() -> EventBridgeClient:
    return boto3.client("events", config=_RETRIES)


@cache
def sqs() -> SQSClient:
    return boto3.client("sqs", config=_RETRIES)


@cache
def stepfunctions() -> SFNClient:
    return boto3.client("stepfunctions", config=_RETRIES)


@cache
def textract() -> TextractClient:
    # No client-side retries: throttling surfaces as TextractThrottled at once and the
    # state machine's Retry backs off, instead of a Lambda sleeping while it is billed.
    return boto3.client(
        "textract", config=Config(retries={"mode": "standard", "total_max_attempts": 1})
    )


@cache
def cognito_idp() -> CognitoIdentityProviderClient:
    return boto3.client("cognito-idp", config=_RETRIES)


def reset_clients() -> None:
    """Forget every cached client (tests, or after the endpoint settings change)."""
    for factory in (
        cognito_idp,
        dynamodb,
        dynamodb_client,
        events,
        s3,
        sqs,
        stepfunctions,
        textract,
    ):
        factory.cache_clear()
