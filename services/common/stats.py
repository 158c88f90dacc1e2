"""The daily roll-up: what one final status adds to its tenant's day (ADR 0035).

A job counts in the day it was *created* (uploaded), so a day's counters describe the
invoices received that day, however long they took; a job's later final status (a retry
after FAILED) moves it from `failed` to its new outcome on the same day. Counted once per
final-status write: the write's version keys the marker (`StatsRepository.add_once`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from docuflow.dal.models import JobItem
from docuflow.dal.stats import StatsRepository, marker_key
from docuflow.domain.status import FINAL_STATUSES, JobStatus
from docuflow.extraction.normalize import minor_units
from docuflow.extraction.result import ExtractionResult
from docuflow.observability import logger

HISTOGRAM_BOUNDS: tuple[int, ...] = (
    5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1800, 3600, 7200, 14400,
    28800, 57600, 86400, 172800, 345600, 604800, 1209600, 2592000,
)  # fmt: skip
"""Upper bounds (seconds, inclusive) of the duration histogram's buckets; one more bucket
holds everything longer. Fixed, so counters of any days add up bucket by bucket."""

OUTCOMES: dict[JobStatus, str] = {
    JobStatus.COMPLETED: "completed",
    JobStatus.APPROVED: "approved",
    JobStatus.REJECTED: "rejected",
    JobStatus.FAILED: "failed",
}
# Counter name prefixes of a day item.
PROCESSING = "processing_s#"
WAITING = "waiting_s#"
REASON = "reason#"
CORRECTED = "corrected#"
OCR_JOBS = "ocr_jobs#"
OCR_PAGES = "ocr_pages#"
MONEY = "money#"


def bucket_of(seconds: float) -> int:
    """The histogram bucket of a duration."""
    return bisect.bisect_left(HISTOGRAM_BOUNDS, math.ceil(max(seconds, 0)))


def percentile(buckets: Mapping[int, int], fraction: float) -> int | None:
    """The upper bound (seconds) of the bucket holding the `fraction` quantile, or None
    without durations; a quantile past the last bound is reported as that bound (a
    lower bound then: "more than 30 days")."""
    total = sum(buckets.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for index in sorted(buckets):
        seen += buckets[index]
        if seen >= rank:
            return HISTOGRAM_BOUNDS[min(index, len(HISTOGRAM_BOUNDS) - 1)]
    return HISTOGRAM_BOUNDS[-1]  # pragma: no cover - the loop always reaches the rank


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (_parse(end) - _parse(start)).total_seconds()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def ocr_mode(job: JobItem) -> str | None:
    """How the job's fields were read, as the roll-up names it: `einvoice` (free),
    `expense`, `document` or `both`; None when nothing was read."""
    if job.read_from == "einvoice":
        return "einvoice"
    apis = set(job.ocr_apis)
    if not apis:
        return None
    return "both" if len(apis) > 1 else next(iter(apis))


def _money(job: JobItem) -> tuple[str, int] | None:
    """The invoice's total in its currency's minor units, corrections applied."""
    values = dict(job.summary)
    values.update({name: c.after for name, c in job.corrections.items()})
    currency, total = values.get("currency"), values.get("total_amount")
    units = minor_units(currency)
    if currency is None or total is None or units is None:
        return None
    try:
        return currency, int(Decimal(total).scaleb(units).to_integral_value())
    except InvalidOperation:
        return None


def contribution(job: JobItem, result: ExtractionResult | None) -> dict[str, int]:
    """The counters one final status of `job` adds to its creation day."""
    outcome = OUTCOMES[job.status]
    counters: dict[str, int] = {outcome: 1}
    if job.attempt == 1:
        counters["received"] = 1
    else:
        # Its earlier attempt was counted as failed (only FAILED is retried).
        counters["failed"] = counters.get("failed", 0) - 1
    if job.status is JobStatus.FAILED:
        return counters
    reviewed = job.status in (JobStatus.APPROVED, JobStatus.REJECTED)
    processing = _seconds(job.created_at, job.processed_at)
    if processing is not None:
        counters[f"{PROCESSING}{bucket_of(processing):02d}"] = 1
    waiting = _seconds(job.processed_at, job.status_changed_at) if reviewed else None
    if waiting is not None:
        counters[f"{WAITING}{bucket_of(waiting):02d}"] = 1
    if reviewed:
        for code in sorted({str(reason.get("code")) for reason in job.routing_reasons}):
            counters[f"{REASON}{code}"] = 1
        for name in job.corrections:
            counters[f"{CORRECTED}{name}"] = 1
        if job.line_corrections is not None:
            counters[f"{CORRECTED}line_items"] = 1
    mode = ocr_mode(job)
    if mode is not None and result is not None:
        counters[f"{OCR_JOBS}{mode}"] = 1
        counters[f"{OCR_PAGES}{mode}"] = result.pages
    money = _money(job) if job.status is not JobStatus.REJECTED else None
    if money is not None:
        counters[f"{MONEY}{money[0]}"] = money[1]
    return counters


def creation_day(job: JobItem) -> date:
    return date.fromisoformat(job.created_at[:10])


def count_final(
    stats: StatsRepository, job: JobItem, version: int, result: ExtractionResult | None
) -> bool:
    """Add the final status that made `version` to the roll-up, once. Returns False when
    it was counted before (a retried step) or is not a final status."""
    if job.status not in FINAL_STATUSES:
        return False
    counted = stats.add_once(
        job.tenant_id,
        creation_day(job),
        marker_key(job.job_id, version),
        contribution(job, result),
    )
    logger.info("Final status counted" if counted else "Final status was counted already")
    return counted
