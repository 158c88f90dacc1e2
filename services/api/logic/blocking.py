"""Checks an approval must not pass silently.

A reviewer may approve a job whose blocking check fails only with an override reason;
the decision's audit record keeps the reason with the evidence each check found at that
moment. Each check is a function of the approval in `BLOCKING_CHECKS`, named as the
result's check it stands for: the totals, the line items and the required fields as the
result re-scored with the reviewer's corrections has them (`extraction.rescore`), and a
possible duplicate as the job index has it now.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from docuflow.dal.models import JobItem
from docuflow.domain.status import JobStatus
from docuflow.extraction.result import ExtractionResult
from services.common.adapters import Storage

# A job in one of these is an invoice accepted for payment: approved by a reviewer, or
# completed without review.
ACCEPTED_FOR_PAYMENT = frozenset({JobStatus.APPROVED, JobStatus.COMPLETED})
# The review reasons `checks.score` gives a possible duplicate.
DUPLICATE_REASONS = frozenset({"DUPLICATE_INVOICE", "DUPLICATE_FILE"})


@dataclass(frozen=True)
class Approval:
    """What an approval is about to write: the job as read, and its invoice key after the
    reviewer's corrections."""

    job: JobItem
    invoice_key: str | None
    rescored: ExtractionResult | None
    """The job's result scored again with the corrections; None when it has none."""


class FailedCheck(BaseModel):
    """A blocking check that fails for an approval, with what it found (for the audit)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: Annotated[str, Field(description="The result's check, e.g. possible_duplicate")]
    message: Annotated[str, Field(description="What it found, in words")]
    evidence: dict[str, Any]


def possible_duplicate(ports: Storage, approval: Approval) -> FailedCheck | None:
    """Fails when the job was flagged a possible duplicate when it was read, or when
    another job with the same file or the same vendor and invoice number (as corrected)
    is already accepted for payment: approving both would pay the invoice twice.

    The other jobs come from indexes, which are eventually consistent: a job accepted in
    the last second or so may not be seen yet.
    """
    job = approval.job
    flagged = sorted({str(r.get("code")) for r in job.routing_reasons} & DUPLICATE_REASONS)
    same_file = (
        _others(ports.jobs.statuses_with_file(job.tenant_id, job.file_sha256), job)
        if job.file_sha256
        else {}
    )
    same_invoice = (
        _others(ports.jobs.statuses_with_invoice_key(job.tenant_id, approval.invoice_key), job)
        if approval.invoice_key
        else {}
    )
    accepted = sorted(
        job_id
        for job_id, status in {**same_file, **same_invoice}.items()
        if status in ACCEPTED_FOR_PAYMENT
    )
    if not flagged and not accepted:
        return None
    found: list[str] = []
    if flagged:
        found.append(f"flagged {' and '.join(flagged)} when it was read")
    if same_invoice:
        found.append(f"same vendor and invoice number as {_jobs(same_invoice)}")
    if same_file:
        found.append(f"same file as {_jobs(same_file)}")
    if accepted:
        found.append(f"already accepted for payment: {', '.join(accepted)}")
    return FailedCheck(
        check="possible_duplicate",
        message="; ".join(found),
        evidence={
            "flagged": flagged,
            "invoice_key": approval.invoice_key,
            "file_sha256": job.file_sha256,
            "same_invoice": _listed(same_invoice),
            "same_file": _listed(same_file),
            "accepted_for_payment": accepted,
        },
    )


def _failing_in_result(name: str) -> Callable[[Storage, Approval], FailedCheck | None]:
    """A blocking check that fails when the re-scored result's check `name` fails; its
    evidence is the check's finding and the values it looked at, as corrected."""

    def check(_ports: Storage, approval: Approval) -> FailedCheck | None:
        result = approval.rescored
        found = result.checks.get(name) if result is not None else None
        if result is None or found is None or found.status != "fail":
            return None
        evidence: dict[str, Any] = {
            "fields": {
                field: result.fields[field].value
                for field in found.fields
                if field in result.fields
            },
        }
        if name == "line_items_sum":
            evidence["line_items"] = [
                item.model_dump(
                    include={"description", "quantity", "unit_price", "amount", "tax_rate"},
                    exclude_none=True,
                )
                for item in result.line_items
            ]
        if name == "required_fields":
            evidence["missing"] = list(found.fields)
        return FailedCheck(check=name, message=found.message, evidence=evidence)

    check.__name__ = name
    return check


BLOCKING_CHECKS: tuple[Callable[[Storage, Approval], FailedCheck | None], ...] = (
    _failing_in_result("totals_add_up"),
    _failing_in_result("line_items_sum"),
    _failing_in_result("required_fields"),
    possible_duplicate,
)
"""Each named as the result's check it stands for."""


def failing_checks(ports: Storage, approval: Approval) -> list[FailedCheck]:
    """The blocking checks that fail for `approval`, as things stand now."""
    return [failed for check in BLOCKING_CHECKS if (failed := check(ports, approval)) is not None]


def _others(statuses: Mapping[str, JobStatus], job: JobItem) -> dict[str, JobStatus]:
    return {job_id: statuses[job_id] for job_id in sorted(statuses) if job_id != job.job_id}


def _jobs(statuses: Mapping[str, JobStatus]) -> str:
    return ", ".join(f"job {job_id} ({status.value})" for job_id, status in statuses.items())


def _listed(statuses: Mapping[str, JobStatus]) -> list[dict[str, str]]:
    return [{"job_id": job_id, "status": status.value} for job_id, status in statuses.items()]
