"""The AP manager's figures: the daily roll-up of a date range plus the review backlog as it
is now (ADR 0035). One Query of at most a year of day items and one read of the sparse
review index; nothing that grows with the tenant's history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from docuflow.dal.jobs import JobRepository
from docuflow.dal.models import JobItem
from docuflow.dal.stats import StatsRepository
from docuflow.extraction.normalize import minor_units
from services.api.models_stats import (
    Backlog,
    BacklogAge,
    CodeCount,
    Durations,
    FieldCount,
    Money,
    OcrCost,
    Outcomes,
    Stats,
    Timings,
)
from services.common.stats import (
    CORRECTED,
    MONEY,
    OCR_JOBS,
    OCR_PAGES,
    PROCESSING,
    REASON,
    WAITING,
    creation_day,
    percentile,
)

MAX_DAYS = 366
_TEN_THOUSANDTH = Decimal("0.0001")


@dataclass(frozen=True)
class OcrPrices:
    """USD per page (list prices by default: docs/cost.md)."""

    expense: Decimal
    document: Decimal

    def per_page(self, mode: str) -> Decimal:
        return {
            "expense": self.expense,
            "document": self.document,
            "both": self.expense + self.document,
        }.get(mode, Decimal(0))


def _prefixed(totals: Mapping[str, int], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): v for k, v in totals.items() if k.startswith(prefix)}


def _durations(totals: Mapping[str, int], prefix: str) -> Durations:
    buckets = {int(k): v for k, v in _prefixed(totals, prefix).items() if v}
    return Durations(
        count=sum(buckets.values()),
        median_seconds=percentile(buckets, 0.5),
        p90_seconds=percentile(buckets, 0.9),
    )


def _ranked(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Non-zero counts, largest first, then by name."""
    return sorted(((k, v) for k, v in counts.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _backlog(waiting: Sequence[JobItem], now: datetime) -> Backlog:
    """The review queue by how long each job has waited and by its due date."""
    ages = Counter[str]()
    today = now.date()
    overdue = due_soon = undated = 0
    for job in waiting:
        hours = (now - _parse(job.processed_at or job.created_at)).total_seconds() / 3600
        ages[
            "under_1_day"
            if hours < 24
            else "from_1_to_3_days"
            if hours < 72
            else "from_3_to_7_days"
            if hours < 168
            else "over_7_days"
        ] += 1
        due_text = job.summary.get("due_date")
        try:
            due = date.fromisoformat(due_text) if due_text else None
        except ValueError:
            due = None
        if due is None:
            undated += 1
        elif due < today:
            overdue += 1
        elif due < today + timedelta(days=7):
            due_soon += 1
    return Backlog(
        total=len(waiting),
        by_age=BacklogAge(**{name: ages[name] for name in BacklogAge.model_fields}),
        overdue=overdue,
        due_this_week=due_soon,
        no_due_date=undated,
    )


def _ocr(totals: Mapping[str, int], prices: OcrPrices) -> list[OcrCost]:
    jobs, pages = _prefixed(totals, OCR_JOBS), _prefixed(totals, OCR_PAGES)
    rows = []
    for mode in sorted(m for m, n in jobs.items() if n > 0):
        price = prices.per_page(mode)
        cost = (price * pages.get(mode, 0)).quantize(_TEN_THOUSANDTH)
        rows.append(
            OcrCost(
                mode=mode,
                invoices=jobs[mode],
                pages=pages.get(mode, 0),
                price_per_page=str(price),
                estimated_cost=str(cost),
                cost_per_invoice=str((cost / jobs[mode]).quantize(_TEN_THOUSANDTH)),
            )
        )
    return rows


def _money(totals: Mapping[str, int]) -> list[Money]:
    rows = []
    for currency, minor in sorted(_prefixed(totals, MONEY).items()):
        units = minor_units(currency) or 0
        rows.append(Money(currency=currency, amount=str(Decimal(minor).scaleb(-units))))
    return rows


def _summed(days: Iterable[Mapping[str, int]]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for counters in days:
        totals.update(counters)
    return dict(totals)


def figures(
    stats: StatsRepository,
    jobs: JobRepository,
    tenant: str,
    first: date,
    end: date,
    *,
    now: datetime,
    prices: OcrPrices,
) -> Stats:
    """The tenant's figures for the invoices received from `first` up to `end` (excluded),
    and its review backlog now."""
    totals = _summed(stats.days(tenant, first, end - timedelta(days=1)).values())
    waiting = jobs.waiting_for_review(tenant)
    in_range = [job for job in waiting if first <= creation_day(job) < end]
    # A waiting job's first attempt is not in the roll-up yet (it has no final status);
    # a retried one was counted as failed (ADR 0035).
    received = totals.get("received", 0) + sum(1 for job in in_range if job.attempt == 1)
    failed = totals.get("failed", 0) - sum(1 for job in in_range if job.attempt > 1)
    outcomes = Outcomes(
        completed=totals.get("completed", 0),
        approved=totals.get("approved", 0),
        rejected=totals.get("rejected", 0),
        failed=failed,
        in_review=len(in_range),
    )
    decided = outcomes.completed + outcomes.approved + outcomes.rejected + outcomes.in_review
    reasons = Counter(_prefixed(totals, REASON))
    for job in in_range:
        reasons.update({str(r.get("code")) for r in job.routing_reasons})
    return Stats(
        date_from=first.isoformat(),
        date_to=end.isoformat(),
        received=received,
        outcomes=outcomes,
        straight_through_rate=round(outcomes.completed / decided, 4) if decided else None,
        timings=Timings(
            processing=_durations(totals, PROCESSING),
            waiting_for_person=_durations(totals, WAITING),
        ),
        backlog=_backlog(waiting, now),
        review_reasons=[CodeCount(code=c, count=n) for c, n in _ranked(reasons)],
        corrections=[
            FieldCount(field=f, count=n) for f, n in _ranked(_prefixed(totals, CORRECTED))
        ],
        ocr=_ocr(totals, prices),
        approved_money=_money(totals),
    )
