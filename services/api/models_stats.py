"""Response models of `GET /stats`: the AP manager's figures (ADR 0035)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Seconds = Annotated[
    int | None,
    Field(description="Upper bound of the histogram bucket of the quantile; null without data"),
]
Decimal = Annotated[str, Field(description="Decimal string")]


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Outcomes(_Response):
    completed: Annotated[int, Field(description="COMPLETED without a person")]
    approved: Annotated[int, Field(description="APPROVED by a reviewer")]
    rejected: Annotated[int, Field(description="REJECTED by a reviewer")]
    failed: Annotated[int, Field(description="FAILED (and not retried to another outcome)")]
    in_review: Annotated[int, Field(description="Waiting in NEEDS_REVIEW now")]


class Durations(_Response):
    count: Annotated[int, Field(description="Jobs measured")]
    median_seconds: Seconds
    p90_seconds: Seconds


class Timings(_Response):
    processing: Annotated[
        Durations, Field(description="Upload to the end of processing (COMPLETED or routed)")
    ]
    waiting_for_person: Annotated[
        Durations, Field(description="End of processing to the reviewer's decision")
    ]


class BacklogAge(_Response):
    under_1_day: int
    from_1_to_3_days: int
    from_3_to_7_days: int
    over_7_days: int


class Backlog(_Response):
    """Every job of the tenant in NEEDS_REVIEW now, whenever it was received."""

    total: int
    by_age: Annotated[BacklogAge, Field(description="Time since it was routed to review")]
    overdue: Annotated[int, Field(description="Due date before today (UTC)")]
    due_this_week: Annotated[int, Field(description="Due today or in the next 6 days")]
    no_due_date: int


class CodeCount(_Response):
    code: str
    count: int


class FieldCount(_Response):
    field: str
    count: int


class OcrCost(_Response):
    mode: Annotated[str, Field(description="expense, document, both or einvoice (no OCR)")]
    invoices: int
    pages: Annotated[int, Field(description="Pages billed (both modes bill every page twice)")]
    price_per_page: Annotated[Decimal, Field(description="USD, from the price settings")]
    estimated_cost: Annotated[Decimal, Field(description="USD")]
    cost_per_invoice: Annotated[Decimal | None, Field(description="USD")]


class Money(_Response):
    currency: Annotated[str, Field(description="ISO 4217")]
    amount: Decimal


class Stats(_Response):
    date_from: Annotated[str, Field(description="First day (UTC), included: `from`")]
    date_to: Annotated[str, Field(description="Day after the last (UTC), not included: `to`")]
    received: Annotated[
        int, Field(description="Invoices created in the range that reached review or an outcome")
    ]
    outcomes: Outcomes
    straight_through_rate: Annotated[
        float | None,
        Field(description="completed / (completed + approved + rejected + in_review)"),
    ]
    timings: Timings
    backlog: Backlog
    review_reasons: Annotated[
        list[CodeCount], Field(description="Reasons of reviewed and waiting jobs, most first")
    ]
    corrections: Annotated[
        list[FieldCount], Field(description="Fields reviewers corrected, most corrected first")
    ]
    ocr: list[OcrCost]
    approved_money: Annotated[
        list[Money], Field(description="Totals of COMPLETED and APPROVED invoices, per currency")
    ]
