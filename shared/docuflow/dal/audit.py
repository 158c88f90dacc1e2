"""The audit table: one immutable record per event, never overwritten."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from docuflow.dal.items import from_dynamo, to_dynamo, to_typed
from docuflow.dal.models import AuditRecord, JobItem, utc_now

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# Every Put of a record carries it: an existing record is never overwritten.
_NOT_OVERWRITTEN = "attribute_not_exists(sk)"

AUDIT_EVENTS = frozenset(
    {
        "created",
        "uploaded",
        "started",
        "ocr_started",
        "ocr_done",
        "einvoice_read",
        "routed",
        "corrected",
        "approved",
        "rejected",
        "failed",
        "retried",
        # A tenant's administration (ADR 0033), kept under `tenant_audit_key(tenant)`.
        "settings_changed",
        "user_invited",
        "user_changed",
    }
)


def tenant_audit_key(tenant: str) -> str:
    """The partition of a tenant's own events (settings and users), apart from any job's:
    job ids never contain `#`."""
    return f"tenant#{tenant}"


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
        record = self.new_record(
            job_id,
            event,
            at=utc_now(),
            event_id=uuid.uuid4().hex,
            actor=actor,
            details=details,
            before=before,
            after=after,
        )
        if not self._put(record):
            # A uuid4 collision is not a thing that happens; say so loudly if it does.
            raise RuntimeError(f"audit record {record.sk} exists already")
        return record

    def record_status_write(
        self,
        job: JobItem,
        event: str,
        *,
        actor: str,
        details: dict[str, Any] | None = None,
    ) -> bool:
        """Audit the status write that left `job` as it is, exactly once.

        The record's key comes from the write itself: its time is the job's
        `status_changed_at` and its id is `<event>-<attempt>`. A retried step (a
        redelivered event, a repeated start, two retries at once) that finds the status
        already written, because the first try failed after the status write, writes the
        missing record, and a record that is there already is left alone, however the
        job's other attributes (and `updated_at`) changed meanwhile.

        Returns False when the record was there already. Needs only PutItem.
        """
        record = self.new_record(
            job.job_id,
            event,
            # Items written before status_changed_at existed have only updated_at.
            at=job.status_changed_at or job.updated_at,
            event_id=f"{event}-{job.attempt}",
            actor=actor,
            details=details,
        )
        return self._put(record)

    def new_record(
        self,
        job_id: str,
        event: str,
        *,
        at: str,
        event_id: str,
        actor: str,
        details: dict[str, Any] | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """A record whose `at` and `event_id` are fixed by what it records, not yet
        written: for `transaction_put`."""
        record = self._new(
            job_id, event, sk=f"{at}#{event_id}", at=at, actor=actor, details=details
        )
        return record.model_copy(update={"before": before, "after": after})

    def transaction_put(self, record: AuditRecord) -> TransactWriteItemTypeDef:
        """The Put of `record` as one item of a TransactWriteItems call (low-level
        client shape), with the same no-overwrite condition as every other write here.
        """
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": to_typed(self._item(record)),
                "ConditionExpression": _NOT_OVERWRITTEN,
            }
        }

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

    @staticmethod
    def _item(record: AuditRecord) -> dict[str, Any]:
        return dict(to_dynamo(record.model_dump(mode="json", exclude_none=True)))

    def _put(self, record: AuditRecord) -> bool:
        try:
            self._table.put_item(Item=self._item(record), ConditionExpression=_NOT_OVERWRITTEN)
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
