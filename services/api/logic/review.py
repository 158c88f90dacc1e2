"""The finance review queue and reviewer decisions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from docuflow.dal.models import AuditRecord, FieldCorrection, JobItem, Page, utc_now
from docuflow.domain.errors import EventNotPut, InvalidTransition
from docuflow.domain.status import JobStatus
from docuflow.extraction import invoice_key, normalize_field_value
from docuflow.extraction.result import FIELD_NAMES, ExtractionResult
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


def review_queue(
    ports: Storage, tenant: str, *, limit: int, start_key: dict[str, str] | None
) -> Page[JobItem]:
    """The tenant's jobs waiting for a person, newest first."""
    return ports.jobs.list_by_tenant(
        tenant, status=JobStatus.NEEDS_REVIEW, limit=limit, start_key=start_key
    )


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


def decide(
    ports: Storage,
    job_id: str,
    *,
    reviewer: Reviewer,
    decision: str,
    corrected_fields: Mapping[str, object],
    reason: str | None,
    override_reason: str | None,
    expected_version: int | None,
) -> JobItem:
    """Approve or reject a job in review, with corrections, as one conditional write
    made together with its audit records (one transaction: all or nothing).

    An approval that would pass a failing blocking check (`blocking.failing_checks`:
    a possible duplicate) needs `override_reason`, else OverrideRequired (409); the
    approval's audit record keeps the reason with each check's evidence.

    The write is conditional on NEEDS_REVIEW and on the version the reviewer saw
    (`expected_version`, else the version just read): of two reviewers deciding at
    once one wins, the other gets InvalidTransition or ConcurrentUpdate (409). If the
    transaction fails for another reason nothing is written, so the job stays in
    review at the same version and the same request can be retried.

    Separation of duties: the person who uploaded the job may not decide on it
    (SelfApproval, 403) unless their tenant allows it; the decision's audit record then
    says it was their own upload.
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
    result = load_result(ports, job) if job.result_key and corrected_fields else None
    corrections = corrections_for(result, corrected_fields)
    key = job.invoice_key
    if result is not None and {"vendor_name", "invoice_number"} & corrections.keys():
        # The duplicate index follows the corrected vendor and invoice number.
        values: dict[str, str] = {name: f.value for name, f in result.fields.items()}
        values.update({name: c.after for name, c in corrections.items()})
        key = invoice_key(values)
    overridden: list[FailedCheck] = []
    if target is JobStatus.APPROVED:
        overridden = failing_checks(ports, Approval(job=job, invoice_key=key))
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
        at=decided_at,
        # The write succeeds only at `version` and increments it.
        new_version=version + 1,
    )
    return ports.jobs.transition_with_audit(
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
            "invoice_key": key,
        },
        audit_puts=[ports.audit.transaction_put(record) for record in records],
    )


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
    at: str,
    new_version: int,
) -> list[AuditRecord]:
    """The `corrected` (if any) and `approved`/`rejected` records of one decision.

    Keyed by the decision's time and the version it writes, numbered so that at the
    same time `corrected` still sorts before the decision.
    """
    records: list[AuditRecord] = []
    if corrections:
        records.append(
            ports.audit.new_record(
                job_id,
                "corrected",
                at=at,
                event_id=f"v{new_version}.0-corrected",
                actor=reviewer,
                details={"fields": sorted(corrections)},
                before={name: c.before for name, c in corrections.items()},
                after={name: c.after for name, c in corrections.items()},
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
    here: a bus that refuses leaves the event owed on the job (`pending_event_version`)
    and is logged as an error, never turned into a failed request (ADR 0027)."""
    try:
        announce(ports, job)
    except EventNotPut:
        logger.exception("Decision written, its event is still owed")
