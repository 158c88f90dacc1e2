"""The jobs table: every status write is conditional on the status it leaves.

`transition` is the only way a job's status changes. It asks `ensure_transition` first,
then writes with `ConditionExpression` on the current status (and, for reviewer
decisions, on the version the reviewer saw) and increments `version`, so of two writers
only one can win; the loser gets `InvalidTransition` or `ConcurrentUpdate`.
`transition_with_audit` makes the same write and the audit records' Puts in one
transaction, so a status change is never left without its audit.

A write of a final status (COMPLETED, APPROVED, REJECTED, FAILED) also sets
`pending_event_version` to the version it makes, in the same UpdateItem: the job's event is
owed from that moment, whatever happens to the writer next. `clear_pending_event` removes
it once the event is on the bus (`services.common.events.announce`), so a retried step that
finds it still set announces again, and one that finds it gone does not (ADR 0027).
`owed_events` reads the sparse index of that marker, for the sweep that puts what a writer
could not (ADR 0034).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from docuflow.dal import clients
from docuflow.dal.items import from_dynamo, to_dynamo, to_typed
from docuflow.dal.models import JobItem, Page, utc_now
from docuflow.domain.errors import (
    ConcurrentUpdate,
    InvalidTransition,
    JobNotFound,
    ValidationFailed,
)
from docuflow.domain.status import FINAL_STATUSES, JobStatus, ensure_transition, status_timestamps

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

TENANT_INDEX = "tenant_id-created_at-index"
# Sparse: only jobs in NEEDS_REVIEW carry REVIEW_KEY (their tenant), so the review queue
# reads the jobs waiting for a person and none of the tenant's others.
REVIEW_INDEX = "review_tenant-created_at-index"
REVIEW_KEY = "review_tenant"
FILE_SHA256_INDEX = "file_sha256-index"
INVOICE_KEY_INDEX = "invoice_key-index"
# Sparse: only a job whose final-status event is not yet on the bus carries the marker.
OUTBOX_INDEX = "pending_event_version-index"
OUTBOX_KEY = "pending_event_version"

_CONDITION_FAILED = "ConditionalCheckFailedException"
_TRANSACTION_CANCELED = "TransactionCanceledException"
# The code of one item in a cancelled transaction's CancellationReasons.
_ITEM_CONDITION_FAILED = "ConditionalCheckFailed"

# The attributes of a LastEvaluatedKey on each paginated index: a cursor must have them.
_PAGE_KEYS: dict[str, frozenset[str]] = {
    TENANT_INDEX: frozenset({"job_id", "tenant_id", "created_at"}),
    REVIEW_INDEX: frozenset({"job_id", REVIEW_KEY, "created_at"}),
}


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _item_condition_failed(exc: ClientError, index: int) -> bool:
    """Whether the cancelled transaction's item at `index` failed its condition."""
    reasons = exc.response.get("CancellationReasons") or []
    return index < len(reasons) and reasons[index].get("Code") == _ITEM_CONDITION_FAILED


def _page_key(index: str, job: JobItem) -> dict[str, str]:
    """The key a page that ends with `job` continues after (a LastEvaluatedKey of `index`)."""
    values = job.model_dump(mode="json")
    return {name: str(values[name]) for name in sorted(_PAGE_KEYS[index])}


class JobRepository(clients.TableWithTransactions):
    """Reads and conditional writes of the jobs table."""

    def create(self, job: JobItem) -> None:
        """Write a new job; fails with ConcurrentUpdate if the id is taken."""
        item = to_dynamo(job.model_dump(mode="json", exclude_none=True))
        if job.status is JobStatus.NEEDS_REVIEW:
            item[REVIEW_KEY] = job.tenant_id
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(job_id)")
        except ClientError as exc:
            if _error_code(exc) == _CONDITION_FAILED:
                raise ConcurrentUpdate(f"A job with id {job.job_id!r} exists already.") from exc
            raise

    def find(self, job_id: str) -> JobItem | None:
        response = self._table.get_item(Key={"job_id": job_id}, ConsistentRead=True)
        item = response.get("Item")
        return None if item is None else JobItem.model_validate(from_dynamo(item))

    def get(self, job_id: str) -> JobItem:
        """The job, or JobNotFound."""
        job = self.find(job_id)
        if job is None:
            raise JobNotFound(job_id)
        return job

    def transition(
        self,
        job_id: str,
        *,
        current: JobStatus,
        target: JobStatus,
        expected_version: int | None = None,
        set_fields: Mapping[str, Any] | None = None,
        remove_fields: Sequence[str] = (),
    ) -> JobItem:
        """Move a job from `current` to `target`, conditionally; returns the job as written."""
        request = self._transition_request(
            job_id,
            current,
            target,
            expected_version=expected_version,
            set_fields=set_fields,
            remove_fields=remove_fields,
        )
        try:
            response = self._table.update_item(**request, ReturnValues="ALL_NEW")
        except ClientError as exc:
            if _error_code(exc) != _CONDITION_FAILED:
                raise
            raise self._why_condition_failed(job_id, current, target, expected_version) from exc
        return JobItem.model_validate(from_dynamo(response["Attributes"]))

    def transition_with_audit(
        self,
        job_id: str,
        *,
        current: JobStatus,
        target: JobStatus,
        expected_version: int,
        set_fields: Mapping[str, Any],
        audit_puts: Sequence[TransactWriteItemTypeDef],
    ) -> JobItem:
        """`transition`, and the audit records' Puts (`AuditRepository.transaction_put`),
        in one TransactWriteItems call: all are written or none is.

        A failed condition on the job maps to the same errors as `transition`
        (InvalidTransition, ConcurrentUpdate, JobNotFound); any other cancellation (an
        audit record that exists already) or error is re-raised with the job unchanged,
        so a retry of the same request can still succeed. Returns the job as written.

        IAM: there is no `dynamodb:TransactWriteItems` action; a transaction is
        authorized per item, as UpdateItem on the jobs table and PutItem on the audit
        table (the api-review role in infra/iam.tf has both).
        """
        request = self._transition_request(
            job_id,
            current,
            target,
            expected_version=expected_version,
            set_fields=set_fields,
            remove_fields=(),
        )
        update: Any = {
            "TableName": self._table.name,
            "Key": to_typed(request["Key"]),
            "UpdateExpression": request["UpdateExpression"],
            "ConditionExpression": request["ConditionExpression"],
            "ExpressionAttributeNames": request["ExpressionAttributeNames"],
            "ExpressionAttributeValues": to_typed(request["ExpressionAttributeValues"]),
        }
        try:
            self._low_level().transact_write_items(TransactItems=[{"Update": update}, *audit_puts])
        except ClientError as exc:
            if _error_code(exc) != _TRANSACTION_CANCELED or not _item_condition_failed(exc, 0):
                raise
            raise self._why_condition_failed(job_id, current, target, expected_version) from exc
        # TransactWriteItems returns no attributes: read back what was written.
        return self.get(job_id)

    def update(
        self,
        job_id: str,
        *,
        expected_status: JobStatus,
        set_fields: Mapping[str, Any],
        remove_fields: Sequence[str] = (),
    ) -> JobItem:
        """Change attributes other than the status, only while the job is in `expected_status`."""
        if "status" in set_fields:
            raise ValueError("use transition() to change a job's status")
        try:
            return self._update(
                job_id,
                set_fields,
                remove_fields,
                "#status = :expected_status",
                {":expected_status": expected_status.value},
            )
        except ClientError as exc:
            if _error_code(exc) != _CONDITION_FAILED:
                raise
            raise self._why_condition_failed(job_id, expected_status, None, None) from exc

    def clear_pending_event(self, job_id: str, version: int) -> bool:
        """Note that the event of the status write that made `version` is on the bus.

        Leaves `version` and `updated_at` alone (this is no change of the job). Returns
        False when the marker is not (or no longer) that version: announced already.
        """
        try:
            self._table.update_item(
                Key={"job_id": job_id},
                UpdateExpression=f"REMOVE {OUTBOX_KEY}",
                ConditionExpression=f"{OUTBOX_KEY} = :version",
                ExpressionAttributeValues={":version": version},
            )
        except ClientError as exc:
            if _error_code(exc) == _CONDITION_FAILED:
                return False
            raise
        return True

    def owed_events(self) -> list[tuple[str, int]]:
        """(job id, version) of every job whose final-status event is still owed.

        A Scan of the sparse outbox index: it holds only the jobs that carry the marker
        (normally none, or the few whose writer is putting the event right now), so the
        Scan reads exactly those. The index is eventually consistent: read the job itself
        before acting on an entry.
        """
        owed: list[tuple[str, int]] = []
        kwargs: dict[str, Any] = {"IndexName": OUTBOX_INDEX}
        while True:
            response = self._table.scan(**kwargs)
            for item in response.get("Items", []):
                owed.append((str(item["job_id"]), int(str(item[OUTBOX_KEY]))))
            last = response.get("LastEvaluatedKey")
            if not last:
                return owed
            kwargs["ExclusiveStartKey"] = last

    def record_ocr_status(self, job_id: str, textract_job_id: str, status: str) -> JobItem | None:
        """Note what Textract reported for one of the job's OCR jobs.

        Returns the job after the write, or None when the job is not waiting for OCR
        (unknown, or not PROCESSING): a late or duplicate notification.
        """
        try:
            response = self._table.update_item(
                Key={"job_id": job_id},
                UpdateExpression="SET ocr_statuses.#textract_job = :status, updated_at = :now",
                ConditionExpression="#status = :processing AND attribute_exists(ocr_statuses)",
                ExpressionAttributeNames={"#textract_job": textract_job_id, "#status": "status"},
                ExpressionAttributeValues={
                    ":status": status,
                    ":now": utc_now(),
                    ":processing": JobStatus.PROCESSING.value,
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _error_code(exc) == _CONDITION_FAILED:
                return None
            raise
        return JobItem.model_validate(from_dynamo(response["Attributes"]))

    def waiting_for_review(self, tenant_id: str) -> list[JobItem]:
        """Every job of the tenant in NEEDS_REVIEW, newest first, read page by page from
        the sparse review index (eventually consistent, like any index)."""
        jobs: list[JobItem] = []
        start_key: dict[str, str] | None = None
        while True:
            page = self._query(REVIEW_INDEX, Key(REVIEW_KEY).eq(tenant_id), None, 100, start_key)
            jobs.extend(page.items)
            if page.last_key is None:
                return jobs
            start_key = page.last_key

    def list_by_tenant(
        self,
        tenant_id: str,
        *,
        status: JobStatus | None = None,
        limit: int,
        start_key: dict[str, str] | None = None,
        created_from: str | None = None,
        created_to: str | None = None,
    ) -> Page[JobItem]:
        """One tenant's jobs, newest first, optionally only those in `status`, and only
        those created from `created_from` up to (not including) `created_to`: ISO dates
        or times, compared as the sortable strings `created_at` is."""
        filter_ = Attr("status").eq(status.value) if status is not None else None
        key: Any = Key("tenant_id").eq(tenant_id)
        # The smallest and largest strings any created_at sorts between.
        low, high = created_from or "0", created_to or "9"
        if created_from or created_to:
            # BETWEEN is inclusive; a created_at equal to `created_to` (to the millisecond)
            # is the only one it lets through too much, and a date never equals a time.
            key = key & Key("created_at").between(low, high)
        return self._query(TENANT_INDEX, key, filter_, limit, start_key)

    def statuses_with_file(self, tenant_id: str, file_sha256: str) -> dict[str, JobStatus]:
        """Every job of the tenant whose document has this SHA-256, by id, with its status.

        Only the tenant's own: a duplicate warning must never name another company's job.
        """
        return self._statuses_on(FILE_SHA256_INDEX, Key("file_sha256").eq(file_sha256), tenant_id)

    def statuses_with_invoice_key(self, tenant_id: str, invoice_key: str) -> dict[str, JobStatus]:
        """Every job of the tenant parsed (or corrected) to this vendor and invoice number,
        with its status (two companies may well get invoice 42 from the same vendor).

        Read from an index, so eventually consistent: a write of the last second or so
        may not be in it yet.
        """
        return self._statuses_on(INVOICE_KEY_INDEX, Key("invoice_key").eq(invoice_key), tenant_id)

    # -- internals ---------------------------------------------------------------------

    def _transition_request(
        self,
        job_id: str,
        current: JobStatus,
        target: JobStatus,
        *,
        expected_version: int | None,
        set_fields: Mapping[str, Any] | None,
        remove_fields: Sequence[str],
    ) -> dict[str, Any]:
        """The conditional UpdateItem arguments of a status change (no ReturnValues)."""
        ensure_transition(current, target)
        now = utc_now()
        fields = {
            **(set_fields or {}),
            **status_timestamps(current, target, now),
            "status": target.value,
            "status_changed_at": now,
        }
        condition = "#status = :expected_status"
        values: dict[str, Any] = {":expected_status": current.value}
        if expected_version is not None:
            condition += " AND #version = :expected_version"
            values[":expected_version"] = expected_version
        # The review index's key follows the status: copied from the item's own tenant on
        # entering NEEDS_REVIEW, removed on leaving it.
        derived: dict[str, str] = {}
        if target is JobStatus.NEEDS_REVIEW:
            derived[REVIEW_KEY] = "#tenant_id"
        else:
            remove_fields = [*remove_fields, REVIEW_KEY]
        if target in FINAL_STATUSES:
            # The outbox marker: the version this very write makes (DynamoDB evaluates
            # every operand of SET against the item before the update).
            derived[OUTBOX_KEY] = "#version + :one"
        return self._update_request(
            job_id, fields, remove_fields, condition, values, derived=derived
        )

    def _update(
        self,
        job_id: str,
        set_fields: Mapping[str, Any],
        remove_fields: Sequence[str],
        condition: str,
        condition_values: dict[str, Any],
    ) -> JobItem:
        request = self._update_request(
            job_id, set_fields, remove_fields, condition, condition_values
        )
        response = self._table.update_item(**request, ReturnValues="ALL_NEW")
        return JobItem.model_validate(from_dynamo(response["Attributes"]))

    @staticmethod
    def _update_request(
        job_id: str,
        set_fields: Mapping[str, Any],
        remove_fields: Sequence[str],
        condition: str,
        condition_values: dict[str, Any],
        *,
        derived: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """UpdateItem arguments (resource shape): the set and removed fields, the `derived`
        ones (attribute ← an operand over the item's own attributes, written `#name`, and
        `:one`), `version` incremented and `updated_at` stamped, under `condition`."""
        names: dict[str, str] = {"#status": "status", "#version": "version"}
        values: dict[str, Any] = {**condition_values, ":one": 1, ":now": utc_now()}
        assignments = ["#version = #version + :one", "#updated_at = :now"]
        names["#updated_at"] = "updated_at"
        for index, (name, operand) in enumerate((derived or {}).items()):
            names[f"#d{index}"] = name
            names.update({ref: ref[1:] for ref in re.findall(r"#\w+", operand)})
            assignments.append(f"#d{index} = {operand}")
        for index, (name, value) in enumerate(set_fields.items()):
            if value is None:
                continue
            names[f"#f{index}"] = name
            values[f":v{index}"] = to_dynamo(value)
            assignments.append(f"#f{index} = :v{index}")
        removals = []
        to_remove = [*remove_fields, *(n for n, v in set_fields.items() if v is None)]
        for index, name in enumerate(to_remove):
            names[f"#r{index}"] = name
            removals.append(f"#r{index}")
        expression = "SET " + ", ".join(assignments)
        if removals:
            expression += " REMOVE " + ", ".join(removals)
        return {
            "Key": {"job_id": job_id},
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    def _why_condition_failed(
        self,
        job_id: str,
        expected: JobStatus,
        target: JobStatus | None,
        expected_version: int | None,
    ) -> Exception:
        actual = self.find(job_id)
        if actual is None:
            return JobNotFound(job_id)
        if actual.status != expected:
            return InvalidTransition(current=actual.status.value, target=(target or expected).value)
        return ConcurrentUpdate(
            f"Job {job_id} changed since it was read (version {expected_version}, "
            f"now {actual.version}); reload it and try again."
        )

    def _query(
        self,
        index: str,
        key_condition: Any,
        filter_: Any,
        limit: int,
        start_key: dict[str, str] | None,
    ) -> Page[JobItem]:
        """One page of `limit` items (fewer only on the last page), newest first.

        With a filter, DynamoDB's Limit counts the items it reads, not those that pass,
        so one Query can return an empty page with more to come. The page is filled by
        reading on (without Limit: up to 1 MB a Query) until it holds `limit` items or
        the index ends; its cursor is then the key of its last item.
        """
        kwargs: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": key_condition,
            "ScanIndexForward": False,
        }
        if filter_ is not None:
            kwargs["FilterExpression"] = filter_
        else:
            kwargs["Limit"] = limit
        if start_key:
            if set(start_key) != _PAGE_KEYS[index]:
                raise ValidationFailed("The cursor is not valid for this query.")
            kwargs["ExclusiveStartKey"] = start_key
        items: list[JobItem] = []
        while True:
            try:
                response = self._table.query(**kwargs)
            except ClientError as exc:
                if _error_code(exc) == "ValidationException" and start_key:
                    raise ValidationFailed("The cursor is not valid for this query.") from exc
                raise
            items.extend(JobItem.model_validate(from_dynamo(i)) for i in response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if len(items) >= limit:
                page = items[:limit]
                if len(items) > limit or last:
                    return Page[JobItem](items=page, last_key=_page_key(index, page[-1]))
                return Page[JobItem](items=page)
            if not last:
                return Page[JobItem](items=items)
            kwargs["ExclusiveStartKey"] = last

    def _statuses_on(self, index: str, key_condition: Any, tenant_id: str) -> dict[str, JobStatus]:
        statuses: dict[str, JobStatus] = {}
        kwargs: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": key_condition,
            "FilterExpression": Attr("tenant_id").eq(tenant_id),
            "ProjectionExpression": "job_id, #status",
            "ExpressionAttributeNames": {"#status": "status"},
        }
        while True:
            response = self._table.query(**kwargs)
            for item in response.get("Items", []):
                statuses[str(item["job_id"])] = JobStatus(str(item["status"]))
            last = response.get("LastEvaluatedKey")
            if not last:
                return statuses
            kwargs["ExclusiveStartKey"] = last
