"""The audit table: one immutable record per event, never overwritten."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from docuflow.dal.items import from_dynamo, to_dynamo
from docuflow.dal.models import AuditRecord, utc_now

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

AUDIT_EVENTS = frozenset(
    {
        "created",
        "uploaded",
        "started",
        "ocr_started",
        "ocr_done",
        "routed",
        "corrected",
        "approved",
        "rejected",
        "failed",
        "retried",
    }
)


class AuditRepository:
    """Appends and reads audit records (`sk` = "<ISO time>#<event id>")."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def record(
        self,
        job_id: str,
        event: str,
        *,
        actor: str,
        details: dict[str, Any] | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Write one event; the condition makes an existing record impossible to overwrite."""
        if event not in AUDIT_EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        at = utc_now()
        record = AuditRecord(
            job_id=job_id,
            sk=f"{at}#{uuid.uuid4().hex}",
            event=event,
            actor=actor,
            at=at,
            details=details or {},
            before=before,
            after=after,
        )
        item = to_dynamo(record.model_dump(mode="json", exclude_none=True))
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(sk)")
        except ClientError as exc:
            # A uuid4 collision is not a thing that happens; say so loudly if it does.
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise RuntimeError(f"audit record {record.sk} exists already") from exc
            raise
        return record

    def list(self, job_id: str) -> list[AuditRecord]:
        """Every event of a job, oldest first."""
        records: list[AuditRecord] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("job_id").eq(job_id)}
        while True:
            response = self._table.query(**kwargs)
            records.extend(
                AuditRecord.model_validate(from_dynamo(item)) for item in response.get("Items", [])
            )
            last = response.get("LastEvaluatedKey")
            if not last:
                return records
            kwargs["ExclusiveStartKey"] = last
