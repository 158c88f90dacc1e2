"""The roll-up's arithmetic (ADR 0035): histogram buckets and their quantiles, and what one
final status adds to its day."""

from __future__ import annotations

import pytest

from docuflow.dal.models import FieldCorrection, JobItem
from docuflow.domain.status import JobStatus
from services.common.stats import HISTOGRAM_BOUNDS, bucket_of, contribution, percentile


@pytest.mark.parametrize(("seconds", "bound"), [(0, 5), (5, 5), (5.2, 10), (61, 90), (10**9, None)])
def test_a_duration_falls_in_the_bucket_of_its_upper_bound(seconds: float, bound: int) -> None:
    index = bucket_of(seconds)
    assert (HISTOGRAM_BOUNDS[index] if index < len(HISTOGRAM_BOUNDS) else None) == bound


def test_quantiles_are_the_bounds_of_the_buckets_holding_their_rank() -> None:
    # Given 10 durations: 5 under 5 s, 4 in (60, 90], 1 over the last bound
    buckets = {0: 5, bucket_of(80): 4, len(HISTOGRAM_BOUNDS): 1}
    # Then the median is the 5th (5 s), p90 the 9th (90 s), p100 the last bound
    assert percentile(buckets, 0.5) == 5
    assert percentile(buckets, 0.9) == 90
    assert percentile(buckets, 1.0) == HISTOGRAM_BOUNDS[-1]
    assert percentile({}, 0.5) is None


def _job(status: JobStatus, **changes: object) -> JobItem:
    base = {
        "job_id": "j",
        "status": status,
        "tenant_id": "acme",
        "uploaded_by": "u",
        "created_at": "2026-03-01T10:00:00.000Z",
        "updated_at": "2026-03-01T10:00:00.000Z",
        "processed_at": "2026-03-01T10:00:40.000Z",
        "status_changed_at": "2026-03-01T12:00:00.000Z",
        "filename": "a.pdf",
        "content_type": "application/pdf",
        "s3_key": "raw/acme/j/a.pdf",
        "summary": {"total_amount": "10.5", "currency": "JPY"},
    }
    return JobItem.model_validate({**base, **changes})


def test_an_approval_adds_its_outcome_times_reasons_corrections_and_money() -> None:
    job = _job(
        JobStatus.APPROVED,
        routing_reasons=[{"code": "LOW_CONFIDENCE"}, {"code": "LOW_CONFIDENCE"}],
        corrections={"total_amount": FieldCorrection(before="10.5", after="1200")},
    )
    assert contribution(job, None) == {
        "approved": 1,
        "received": 1,
        "processing_s#04": 1,  # 40 s: (30, 45]
        "waiting_s#14": 1,  # 7160 s: (3600, 7200]
        "reason#LOW_CONFIDENCE": 1,
        "corrected#total_amount": 1,
        "money#JPY": 1200,  # JPY has no minor unit
    }


def test_a_retried_jobs_outcome_takes_it_out_of_failed() -> None:
    assert contribution(_job(JobStatus.COMPLETED, attempt=2), None) == {
        "completed": 1,
        "failed": -1,
        "processing_s#04": 1,
        "money#JPY": 10,
    }
    assert contribution(_job(JobStatus.FAILED, attempt=3), None) == {"failed": 0}


class _Table:
    name = "stats"


class _Client:
    """TransactWriteItems that answers with the given cancellation reasons, then succeeds."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls = 0

    def transact_write_items(self, **_: object) -> None:
        from botocore.exceptions import ClientError

        self.calls += 1
        if self.answers:
            reasons = [{"Code": code} for code in self.answers.pop(0)]
            error = {
                "Error": {"Code": "TransactionCanceledException"},
                "CancellationReasons": reasons,
            }
            raise ClientError(error, "TransactWriteItems")  # type: ignore[arg-type]


def _add_once(client: _Client) -> bool:
    from datetime import date

    from docuflow.dal.stats import StatsRepository

    repository = StatsRepository(_Table(), client)  # type: ignore[arg-type]
    return repository.add_once("acme", date(2026, 3, 1), "counted#j#v7", {"completed": 1})


def test_a_conflict_on_a_busy_day_is_tried_again_and_a_known_marker_counts_nothing() -> None:
    # A transaction conflict (another final status of the same day) is retried
    busy = _Client(["None", "TransactionConflict"])
    assert _add_once(busy) is True and busy.calls == 2
    # The marker's condition failing means counted already: nothing is written, no retry
    counted = _Client(["ConditionalCheckFailed", "None"])
    assert _add_once(counted) is False and counted.calls == 1


def test_a_day_that_keeps_conflicting_leaves_the_event_owed() -> None:
    from docuflow.domain.errors import EventNotPut

    with pytest.raises(EventNotPut):
        _add_once(_Client(*[["None", "TransactionConflict"]] * 6))
