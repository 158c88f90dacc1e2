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
        at = utc_now()
        record = self._new(
            job_id, event, sk=f"{at}#{uuid.uuid4().hex}", at=at, actor=actor, details=details
        )
        record = record.model_copy(update={"before": before, "after": after})
        if not self._put(record):
            # A uuid4 collision is not a thing that happens; say so loudly if it does.
            raise RuntimeError(f"audit record {record.sk} exists already")
        return record

    def record_once(
        self,
        job_id: str,
        event: str,
        *,
        at: str,
        event_id: str,
        actor: str,
        details: dict[str, Any] | None = None,
    ) -> bool:
        """Write an event whose time and id are fixed by what it records (e.g. the
        `updated_at` of the status write it audits), so a retried step writes it once.

        Returns False when the record was there already. Needs only PutItem.
        """
        record = self._new(
            job_id, event, sk=f"{at}#{event_id}", at=at, actor=actor, details=details
        )
        return self._put(record)

    @staticmethod
    def _new(
        job_id: str,
        event: str,
        *,
        sk: str,
        at: str,
        actor: str,
        details: dict[str, Any] | None,
    ) -> AuditRecord:
        if event not in AUDIT_EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        return AuditRecord(
            job_id=job_id, sk=sk, event=event, actor=actor, at=at, details=details or {}
        )

    def _put(self, record: AuditRecord) -> bool:
        item = to_dynamo(record.model_dump(mode="json", exclude_none=True))
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(sk)")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

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
