"""Each tenant's settings (ADR 0033): one item per tenant, key `tenant_id`.

The item is the single source of truth for what a company's admins decide: whether a
reviewer may decide on their own upload, and the per-field confidence thresholds routing
uses on top of the deployment's defaults. A tenant without an item has the defaults
(version 0). Every change is one transaction with its audit record, conditional on the
version the admin saw, so of two admins saving at once one wins and the other gets
ConcurrentUpdate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field

from docuflow.dal import clients
from docuflow.dal.items import from_dynamo, to_dynamo, to_typed
from docuflow.domain.errors import ConcurrentUpdate

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

_TRANSACTION_CANCELED = "TransactionCanceledException"

Confidence = Annotated[float, Field(ge=0, le=100)]


class TenantSettingsItem(BaseModel):
    """One tenant's settings as stored. `version` 0 means never saved (the defaults)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tenant_id: str
    allow_self_approval: bool = False
    confidence_thresholds: dict[str, Confidence] = Field(default_factory=dict)
    version: Annotated[int, Field(ge=0)] = 0
    updated_at: str | None = None
    updated_by: str | None = None


class TenantSettingsRepository:
    """Reads and writes the settings table (key `tenant_id`)."""

    def __init__(self, table: Table, client: DynamoDBClient | None = None) -> None:
        """`client` (a low-level client, for the transaction with the audit record)
        defaults to the shared `clients.dynamodb_client()`, created on first use."""
        self._table = table
        self._client = client

    def get(self, tenant_id: str) -> TenantSettingsItem:
        """The tenant's settings; the defaults (version 0) when none were ever saved."""
        response = self._table.get_item(Key={"tenant_id": tenant_id}, ConsistentRead=True)
        item = response.get("Item")
        if item is None:
            return TenantSettingsItem(tenant_id=tenant_id)
        return TenantSettingsItem.model_validate(from_dynamo(item))

    def save(
        self,
        settings: TenantSettingsItem,
        *,
        expected_version: int,
        audit_puts: list[TransactWriteItemTypeDef],
    ) -> TenantSettingsItem:
        """Write `settings` as version `expected_version + 1`, with the audit records'
        Puts, all or nothing. ConcurrentUpdate when the stored version is not
        `expected_version` (0: no item yet)."""
        written = settings.model_copy(update={"version": expected_version + 1})
        item: dict[str, Any] = to_dynamo(written.model_dump(mode="json", exclude_none=True))
        put: Any = {"TableName": self._table.name, "Item": to_typed(item)}
        if expected_version == 0:
            put["ConditionExpression"] = "attribute_not_exists(tenant_id)"
        else:
            put["ConditionExpression"] = "version = :expected"
            put["ExpressionAttributeValues"] = to_typed({":expected": expected_version})
        client = self._client or clients.dynamodb_client()
        try:
            client.transact_write_items(TransactItems=[{"Put": put}, *audit_puts])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != _TRANSACTION_CANCELED:
                raise
            reasons = exc.response.get("CancellationReasons") or []
            if not reasons or reasons[0].get("Code") != "ConditionalCheckFailed":
                raise
            raise ConcurrentUpdate(
                f"The settings changed since they were read (version {expected_version}); "
                "reload them and try again."
            ) from exc
        return written
