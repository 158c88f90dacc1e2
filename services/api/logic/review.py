"""The finance review queue and reviewer decisions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from docuflow.dal.models import (
    AuditRecord,
    FieldCorrection,
    JobItem,
    LineItemsCorrection,
    Page,
    utc_now,
)
from docuflow.dal.vendors import VendorRepository
from docuflow.domain.errors import EventNotPut, InvalidTransition
from docuflow.domain.status import JobStatus
from docuflow.extraction import ScoringSettings, invoice_key, normalize_field_value
from docuflow.extraction.normalize import plain_amount, plain_decimal, tax_rate
from docuflow.extraction.rescore import REVIEWED_CONFIDENCE, rescore
from docuflow.extraction.result import FIELD_NAMES, ExtractionResult, FieldSource, LineItem
from docuflow.observability import logger
from services.api.logic.blocking import Approval, FailedCheck, failing_checks
from services.api.logic.jobs import load_result, tenant_job
from services.common.adapters import Storage
from services.common.errors import (
    InvalidCorrection,
    InvalidDecision,
    OverrideRequired,
    SelfApproval,
)
from services.common.events import Announcer, announce
from services.common.scoring import score_with_duplicates
from services.common.vendor_memory import remember_invoice

_TARGET = {"APPROVE": JobStatus.APPROVED, "REJECT": JobStatus.REJECTED}


@dataclass(frozen=True)
class ReviewPackage:
    job: JobItem
    result: ExtractionResult | None
    audit: list[AuditRecord]
    document_url: str
    document_url_expires_at: str


@dataclass(frozen=True)
class Reviewer:
    """Who decides: the caller, as the token names them."""

    user_id: str
    name: str  # the audit's actor and the job's `reviewer`
    tenant: str
    may_self_approve: bool  # the tenant allows deciding on one's own uploads


QueueSort = Literal[
    "-created_at",
    "created_at",
    "due_date",
    "-due_date",
    "total_amount",
    "-total_amount",
    "vendor_name",
    "-vendor_name",
]


@dataclass(frozen=True)
class QueueQuery:
    """How a reviewer sorts, filters and searches the queue. Every filter narrows."""

    sort: QueueSort = "-created_at"
    reason: str | None = None
    vendor: str | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    due_before: str | None = None
    search: str | None = None


def _matches(job: JobItem, query: QueueQuery) -> bool:
    summary = job.summary
    total = _decimal(summary.get("total_amount"))
    due = summary.get("due_date")
    haystack = [job.job_id, job.filename, *summary.values()]
    tests = (
        not query.reason or query.reason in {str(r.get("code")) for r in job.routing_reasons},
        not query.vendor or summary.get("vendor_name", "").casefold() == query.vendor.casefold(),
        query.min_total is None or (total is not None and total >= query.min_total),
        query.max_total is None or (total is not None and total <= query.max_total),
        not query.due_before or (due is not None and due < query.due_before),
        not query.search or any(query.search.casefold() in t.casefold() for t in haystack),
    )
    return all(tests)


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _sorted(jobs: list[JobItem], sort: QueueSort) -> list[JobItem]:
    """Sorted by `sort` (a leading minus: descending); jobs without the value come last,
    then newest first."""
    name = sort.lstrip("-")
    descending = sort.startswith("-")
    newest_first = sorted(jobs, key=lambda job: job.created_at, reverse=True)
    if name == "created_at":
        return newest_first if descending else newest_first[::-1]

    def value(job: JobItem) -> Any:
        raw = job.summary.get(name)
        if name == "total_amount":
            return _decimal(raw)
        return raw.casefold() if raw is not None and name == "vendor_name" else raw

    known = [job for job in newest_first if value(job) is not None]
    unknown = [job for job in newest_first if value(job) is None]
    # A stable sort keeps newest first among equal values in either direction.
    return sorted(known, key=value, reverse=descending) + unknown


def review_queue(
    ports: Storage, tenant: str, query: QueueQuery, *, limit: int, offset: int
) -> Page[JobItem]:
    """One page of the tenant's jobs waiting for a person, sorted, filtered and searched.

    The tenant's whole queue is read (it is bounded by people's work, not by uploads) and
    ordered here, so any sort and filter combine; the page's key is the offset of the next
    one.
    """
    waiting = ports.jobs.waiting_for_review(tenant)
    chosen = _sorted([job for job in waiting if _matches(job, query)], query.sort)
    page = chosen[offset : offset + limit]
    more = offset + limit < len(chosen)
    return Page(items=page, last_key={"offset": str(offset + limit)} if more else None)


def review_package(
    ports: Storage, tenant: str, job_id: str, *, link_ttl_seconds: int
) -> ReviewPackage:
    """One of the tenant's jobs with its result, audit trail and a short-lived link to the
    document (issued only after the job proved to be the tenant's)."""
    job = tenant_job(ports, tenant, job_id)
    result = load_result(ports, job) if job.result_key else None
    expires_at = datetime.now(UTC) + timedelta(seconds=link_ttl_seconds)
    return ReviewPackage(
        job=job,
        result=result,
        audit=ports.audit.list(job_id),
        document_url=ports.documents.presign_get(
            job.s3_key, link_ttl_seconds, content_type=job.content_type
        ),
        document_url_expires_at=expires_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
    )


def corrections_for(
    result: ExtractionResult | None, corrected: Mapping[str, object]
) -> dict[str, FieldCorrection]:
    """Read each corrected value strictly and pair it with what the parser had found.

    InvalidCorrection (422, naming the field) for a name that is not a field, a value
    that is not a JSON string, or a string that is not one value of the field's kind
    (`normalize_field_value`): money is one plain decimal with at most the minor units of
    the currency (the corrected one, else the one read), dates are YYYY-MM-DD.
    """
    for name in corrected:
        if name not in FIELD_NAMES:
            raise InvalidCorrection(
                f"{name!r} is not a field that can be corrected; use one of: "
                f"{', '.join(FIELD_NAMES)}."
            )
    # The currency first: the corrected amounts are read in it.
    ordered = sorted(corrected.items(), key=lambda item: item[0] != "currency")
    found_currency = result.fields.get("currency") if result is not None else None
    currency = found_currency.value if found_currency else None
    corrections: dict[str, FieldCorrection] = {}
    for name, value in ordered:
        if not isinstance(value, str):
            raise InvalidCorrection(
                f"{name}: {json.dumps(value)} is not a string. Send every corrected value as "
                'a JSON string, an amount as a plain decimal such as "1234.50": a JSON '
                "number may already have lost digits to floating point."
            )
        try:
            normalized = normalize_field_value(name, value, currency=currency)
        except ValueError as exc:
            raise InvalidCorrection(f"{name}: {exc}") from exc
        if name == "currency":
            currency = normalized
        found = result.fields.get(name) if result is not None else None
        corrections[name] = FieldCorrection(before=found.value if found else None, after=normalized)
    return corrections


# The values of a line a reviewer sees and corrects, in the order of the grid.
LINE_VALUES = ("description", "quantity", "unit_price", "amount", "tax_rate")
MAX_LINE_DECIMALS = 6


@dataclass(frozen=True)
class Pending:
    """A reviewer's corrections, read strictly: fields, and the lines when corrected."""

    fields: dict[str, FieldCorrection]
    lines: list[LineItem] | None
    line_correction: LineItemsCorrection | None

    def __bool__(self) -> bool:
        return bool(self.fields) or self.lines is not None


@dataclass(frozen=True)
class Rescore:
    """A job's result scored again with pending corrections, and the blocking checks an
    approval with them would have to override."""

    result: ExtractionResult
    blocking: list[FailedCheck]


def _compact(line: LineItem, number: int | None) -> dict[str, Any]:
    values: dict[str, Any] = {"line": number} if number is not None else {}
    for name in LINE_VALUES:
        value = getattr(line, name)
        if value is not None:
            values[name] = value
    return values


def _line_value(where: str, name: str, value: object, currency: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidCorrection(
            f"{where}.{name}: {json.dumps(value)} is not a string. Send every corrected value "
            'as a JSON string, an amount as a plain decimal such as "1234.50".'
        )
    try:
        if name == "amount":
            return plain_amount(value, currency)
        if name in ("quantity", "unit_price"):
            return plain_decimal(value, max_places=MAX_LINE_DECIMALS, what=name.replace("_", " "))
        if name == "tax_rate":
            return tax_rate(value)
    except ValueError as exc:
        raise InvalidCorrection(f"{where}.{name}: {exc}") from exc
    description = " ".join(value.split())
    return description or None


def line_corrections_for(
    result: ExtractionResult | None,
    corrected: Sequence[Mapping[str, object]],
    currency: str | None,
) -> tuple[list[LineItem], LineItemsCorrection]:
    """The lines as the reviewer left them: each either corrects a read line (`line`, its
    1-based number, keeping where it is printed) or is added; read lines left out are
    deleted. InvalidCorrection (422, naming the line and value) for a line number that
    is not a read line or is given twice, a value that is not a plain decimal string
    (amounts in the currency's minor units), a tax rate outside 0-100, or an empty line.
    """
    read = list(result.line_items) if result is not None else []
    seen: set[int] = set()
    lines: list[LineItem] = []
    after: list[dict[str, Any]] = []
    for index, entry in enumerate(corrected):
        where = f"corrected_line_items[{index}]"
        number = entry.get("line")
        if number is not None:
            if not isinstance(number, int) or not 1 <= number <= len(read):
                raise InvalidCorrection(
                    f"{where}.line: {json.dumps(number)} is not a line that was read "
                    f"(1 to {len(read)})."
                )
            if number in seen:
                raise InvalidCorrection(f"{where}.line: line {number} is corrected twice.")
            seen.add(number)
        values = {name: _line_value(where, name, entry.get(name), currency) for name in LINE_VALUES}
        if all(value is None for value in values.values()):
            raise InvalidCorrection(f"{where}: a line needs a description or a value.")
        base = (
            read[number - 1]
            if number is not None
            else LineItem(confidence=REVIEWED_CONFIDENCE, source=FieldSource.REVIEWER)
        )
        line = base.model_copy(
            update={**values, "confidence": REVIEWED_CONFIDENCE, "source": FieldSource.REVIEWER}
        )
        lines.append(line)
        after.append(_compact(line, number))
    before = [_compact(line, number) for number, line in enumerate(read, start=1)]
    return lines, LineItemsCorrection(before=before, after=after)


def pending_corrections(
    result: ExtractionResult | None,
    corrected_fields: Mapping[str, object],
    corrected_line_items: Sequence[Mapping[str, object]] | None,
) -> Pending:
    """Field and line corrections read strictly (InvalidCorrection otherwise)."""
    fields = corrections_for(result, corrected_fields)
    if corrected_line_items is None:
        return Pending(fields=fields, lines=None, line_correction=None)
    found = result.fields.get("currency") if result is not None else None
    currency = fields["currency"].after if "currency" in fields else (found and found.value)
    lines, correction = line_corrections_for(result, corrected_line_items, currency or None)
    return Pending(fields=fields, lines=lines, line_correction=correction)


def rescored(
    ports: Storage,
    job: JobItem,
    result: ExtractionResult,
    pending: Pending,
    settings: ScoringSettings,
) -> ExtractionResult:
    """`result` scored again with `pending` corrections: the pipeline's checks and routing,
    with what the job index knows about duplicates now. Nothing is stored."""
    values = {name: c.after for name, c in pending.fields.items()}
    return score_with_duplicates(
        ports,
        lambda duplicates: rescore(
            result, settings, duplicates, fields=values, line_items=pending.lines
        ),
        job,
    )


def _invoice_key_after(
    job: JobItem, result: ExtractionResult | None, pending: Pending
) -> str | None:
    if result is None or not {"vendor_name", "invoice_number"} & pending.fields.keys():
        return job.invoice_key
    # The duplicate index follows the corrected vendor and invoice number.
    values: dict[str, str] = {name: f.value for name, f in result.fields.items()}
    values.update({name: c.after for name, c in pending.fields.items()})
    return invoice_key(values)


def rescore_job(
    ports: Storage,
    tenant: str,
    job_id: str,
    *,
    corrected_fields: Mapping[str, object],
    corrected_line_items: Sequence[Mapping[str, object]] | None,
    settings: ScoringSettings,
) -> Rescore:
    """The checks and routing a job in review would get with pending corrections, and the
    blocking checks an approval with them would need to override. Nothing is written.

    JobNotFound (404) for a job of another tenant; InvalidTransition (409) when the job
    is not in review, ResultNotReady (409) when it has no result; InvalidCorrection (422)
    as for a decision.
    """
    job = tenant_job(ports, tenant, job_id)
    if job.status is not JobStatus.NEEDS_REVIEW:
        raise InvalidTransition(current=job.status.value, target=JobStatus.NEEDS_REVIEW.value)
    result = load_result(ports, job)
    pending = pending_corrections(result, corrected_fields, corrected_line_items)
    again = rescored(ports, job, result, pending, settings)
    approval = Approval(
        job=job, invoice_key=_invoice_key_after(job, result, pending), rescored=again
    )
    return Rescore(result=again, blocking=failing_checks(ports, approval))


def decide(
    ports: Storage,
    vendors: VendorRepository,
    job_id: str,
    *,
    reviewer: Reviewer,
    decision: str,
    corrected_fields: Mapping[str, object],
    corrected_line_items: Sequence[Mapping[str, object]] | None,
    reason: str | None,
    override_reason: str | None,
    expected_version: int | None,
    settings: ScoringSettings,
) -> JobItem:
    """Approve or reject a job in review, with corrections, as one conditional write
    made together with its audit records (one transaction: all or nothing).

    An approval that would pass a failing blocking check (`blocking.failing_checks`:
    totals, line items or required fields failing in the result re-scored with the
    corrections, or a possible duplicate) needs `override_reason`, else
    OverrideRequired (409); the approval's audit record keeps the reason with each
    check's evidence.

    The write is conditional on NEEDS_REVIEW and on the version the reviewer saw
    (`expected_version`, else the version just read): of two reviewers deciding at
    once one wins, the other gets InvalidTransition or ConcurrentUpdate (409). If the
    transaction fails for another reason nothing is written, so the job stays in
    review at the same version and the same request can be retried.

    Separation of duties: the person who uploaded the job may not decide on it
    (SelfApproval, 403) unless their tenant allows it; the decision's audit record then
    says it was their own upload.

    An approved invoice, with its corrections, is then remembered for its vendor
    (ADR 0025): a new bank account it carried becomes a known one.
    """
    target = _TARGET[decision]
    if override_reason is not None and target is not JobStatus.APPROVED:
        raise InvalidDecision(
            "override_reason is only for an APPROVE decision; a rejection needs none."
        )
    job = tenant_job(ports, reviewer.tenant, job_id)
    own_upload = job.uploaded_by == reviewer.user_id
    if own_upload and not reviewer.may_self_approve:
        raise SelfApproval(
            "You uploaded this document; another reviewer of your company must decide on it."
        )
    if job.status is not JobStatus.NEEDS_REVIEW:
        raise InvalidTransition(current=job.status.value, target=target.value)
    # An approval also teaches the vendor memory, which needs the values as approved.
    approving = target is JobStatus.APPROVED
    needs_result = approving or corrected_fields or corrected_line_items is not None
    result = load_result(ports, job) if job.result_key and needs_result else None
    pending = pending_corrections(result, corrected_fields, corrected_line_items)
    corrections = pending.fields
    key = _invoice_key_after(job, result, pending)
    overridden: list[FailedCheck] = []
    if approving:
        again = rescored(ports, job, result, pending, settings) if result is not None else None
        overridden = failing_checks(ports, Approval(job=job, invoice_key=key, rescored=again))
        if overridden and override_reason is None:
            raise OverrideRequired({failed.check: failed.message for failed in overridden})
    version = job.version if expected_version is None else expected_version
    decided_at = utc_now()
    records = _decision_records(
        ports,
        job_id,
        target=target,
        reviewer=reviewer.name,
        reason=reason,
        own_upload=own_upload,
        override=_override(override_reason, overridden),
        corrections=corrections,
        lines=pending.line_correction,
        at=decided_at,
        # The write succeeds only at `version` and increments it.
        new_version=version + 1,
    )
    decided = ports.jobs.transition_with_audit(
        job_id,
        current=JobStatus.NEEDS_REVIEW,
        target=target,
        expected_version=version,
        set_fields={
            "decision": decision,
            "reviewer": reviewer.name,
            "decision_reason": reason,
            "decided_at": decided_at,
            "corrections": {name: c.model_dump() for name, c in corrections.items()},
            "line_corrections": (
                pending.line_correction.model_dump() if pending.line_correction else None
            ),
            "invoice_key": key,
        },
        audit_puts=[ports.audit.transaction_put(record) for record in records],
    )
    if target is JobStatus.APPROVED and result is not None:
        remember_invoice(vendors, decided, result, status=target.value, corrections=corrections)
    return decided


def _override(reason: str | None, checks: Sequence[FailedCheck]) -> dict[str, Any] | None:
    """The audit's record of an override: the reason and every check it passed."""
    if reason is None:
        return None
    return {"reason": reason, "checks": [check.model_dump() for check in checks]}


def _decision_records(
    ports: Storage,
    job_id: str,
    *,
    target: JobStatus,
    reviewer: str,
    reason: str | None,
    own_upload: bool,
    override: dict[str, Any] | None,
    corrections: Mapping[str, FieldCorrection],
    lines: LineItemsCorrection | None,
    at: str,
    new_version: int,
) -> list[AuditRecord]:
    """The `corrected` (if any) and `approved`/`rejected` records of one decision.

    Keyed by the decision's time and the version it writes, numbered so that at the
    same time `corrected` still sorts before the decision.
    """
    records: list[AuditRecord] = []
    if corrections or lines is not None:
        before: dict[str, Any] = {name: c.before for name, c in corrections.items()}
        after: dict[str, Any] = {name: c.after for name, c in corrections.items()}
        fields = sorted(corrections)
        if lines is not None:
            before["line_items"], after["line_items"] = lines.before, lines.after
            fields.append("line_items")
        records.append(
            ports.audit.new_record(
                job_id,
                "corrected",
                at=at,
                event_id=f"v{new_version}.0-corrected",
                actor=reviewer,
                details={"fields": fields},
                before=before,
                after=after,
            )
        )
    event = "approved" if target is JobStatus.APPROVED else "rejected"
    details: dict[str, Any] = {"reason": reason, "version": new_version}
    if override is not None:
        details["override"] = override
    if own_upload:
        # Allowed by the tenant's setting; the audit shows it was not four eyes.
        details["self_approval"] = True
    records.append(
        ports.audit.new_record(
            job_id,
            event,
            at=at,
            event_id=f"v{new_version}.1-{event}",
            actor=reviewer,
            details=details,
        )
    )
    return records


def announce_decision(ports: Announcer, job: JobItem) -> None:
    """Put the decision's event on the bus. The decision is written whatever happens
    here: a bus (or a roll-up table, ADR 0035) that refuses leaves the event owed on the
    job (`pending_event_version`) and is logged as an error, never turned into a failed
    request (ADR 0027)."""
    try:
        announce(ports, job)
    except EventNotPut:
        logger.exception("Decision written, its event is still owed")
