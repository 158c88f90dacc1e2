"""The status model and its enforcement by conditional writes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from docuflow.dal.jobs import JobRepository
from docuflow.dal.models import JobItem, utc_now
from docuflow.domain.errors import ConcurrentUpdate, InvalidTransition, JobNotFound
from docuflow.domain.status import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    JobStatus,
    can_transition,
    ensure_transition,
    sources_of,
    status_timestamps,
)

S = JobStatus
EXPECTED = {
    (S.CREATED, S.UPLOADED),
    (S.CREATED, S.FAILED),
    (S.UPLOADED, S.PROCESSING),
    (S.UPLOADED, S.FAILED),
    (S.PROCESSING, S.COMPLETED),
    (S.PROCESSING, S.NEEDS_REVIEW),
    (S.PROCESSING, S.FAILED),
    (S.NEEDS_REVIEW, S.APPROVED),
    (S.NEEDS_REVIEW, S.REJECTED),
    (S.FAILED, S.PROCESSING),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_pair_is_allowed_exactly_when_the_design_says(current: S, target: S) -> None:
    allowed = (current, target) in EXPECTED
    assert can_transition(current, target) is allowed
    if allowed:
        ensure_transition(current, target)
    else:
        with pytest.raises(InvalidTransition) as raised:
            ensure_transition(current, target)
        assert raised.value.current == current.value and raised.value.target == target.value


def test_every_status_has_rules_and_final_ones_lead_nowhere_but_retry() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S)
    for status in FINAL_STATUSES - {S.FAILED}:
        assert ALLOWED_TRANSITIONS[status] == frozenset()
    assert sources_of(S.PROCESSING) == {S.UPLOADED, S.FAILED}
    assert sources_of(S.CREATED) == frozenset()


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[JobRepository]:
    from tests.handlers.cloud import table_definition

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        resource = boto3.resource("dynamodb", region_name="us-east-1")
        table = resource.create_table(TableName="jobs-transitions", **table_definition("jobs"))
        yield JobRepository(table)


def new_job(jobs: JobRepository, status: S = S.CREATED) -> JobItem:
    now = utc_now()
    job = JobItem(
        job_id=f"job-{status.value.lower()}",
        status=status,
        tenant_id="t",
        uploaded_by="u",
        created_at=now,
        updated_at=now,
        version=1,
        filename="f.pdf",
        content_type="application/pdf",
        s3_key="raw/o/j/f.pdf",
    )
    jobs.create(job)
    return job


def test_a_transition_writes_the_status_and_bumps_the_version(jobs: JobRepository) -> None:
    job = new_job(jobs)
    moved = jobs.transition(
        job.job_id, current=S.CREATED, target=S.UPLOADED, set_fields={"size_bytes": 10}
    )
    assert moved.status is S.UPLOADED and moved.version == 2 and moved.size_bytes == 10
    assert jobs.get(job.job_id) == moved


def test_processing_is_stamped_apart_from_the_wait_for_a_person(jobs: JobRepository) -> None:
    # Given a job that is uploaded, processed and then decided
    job = new_job(jobs, S.UPLOADED)
    started = jobs.transition(job.job_id, current=S.UPLOADED, target=S.PROCESSING)
    routed = jobs.transition(job.job_id, current=S.PROCESSING, target=S.NEEDS_REVIEW)
    decided = jobs.transition(job.job_id, current=S.NEEDS_REVIEW, target=S.APPROVED)
    # Then processing started when it entered PROCESSING and ended when it left it, and
    # the decision moved neither
    assert started.processing_started_at == started.status_changed_at
    assert started.processed_at is None
    assert routed.processed_at == routed.status_changed_at
    assert decided.processing_started_at == started.processing_started_at
    assert decided.processed_at == routed.processed_at


@pytest.mark.parametrize(("current", "target"), sorted(EXPECTED))
def test_status_timestamps_mark_only_processing_edges(current: S, target: S) -> None:
    stamps = status_timestamps(current, target, "T")
    assert ("processing_started_at" in stamps) == (target is S.PROCESSING)
    assert ("processed_at" in stamps) == (current is S.PROCESSING)


def test_a_transition_from_the_wrong_status_changes_nothing(jobs: JobRepository) -> None:
    job = new_job(jobs)
    with pytest.raises(InvalidTransition):
        # Allowed by the model (UPLOADED -> PROCESSING) but the job is CREATED: the
        # condition on the status it leaves refuses it.
        jobs.transition(job.job_id, current=S.UPLOADED, target=S.PROCESSING)
    assert jobs.get(job.job_id).status is S.CREATED and jobs.get(job.job_id).version == 1


def test_two_writers_leaving_the_same_status_one_wins(jobs: JobRepository) -> None:
    job = new_job(jobs, S.PROCESSING)
    jobs.transition(job.job_id, current=S.PROCESSING, target=S.COMPLETED)
    with pytest.raises(InvalidTransition):
        jobs.transition(job.job_id, current=S.PROCESSING, target=S.FAILED)
    assert jobs.get(job.job_id).status is S.COMPLETED


def test_a_stale_version_loses(jobs: JobRepository) -> None:
    job = new_job(jobs, S.NEEDS_REVIEW)
    jobs.update(job.job_id, expected_status=S.NEEDS_REVIEW, set_fields={"reviewer": "x"})
    with pytest.raises(ConcurrentUpdate):
        jobs.transition(
            job.job_id, current=S.NEEDS_REVIEW, target=S.APPROVED, expected_version=job.version
        )


def test_a_forbidden_transition_never_reaches_the_table(jobs: JobRepository) -> None:
    job = new_job(jobs, S.COMPLETED)
    with pytest.raises(InvalidTransition):
        jobs.transition(job.job_id, current=S.COMPLETED, target=S.PROCESSING)


def test_unknown_job(jobs: JobRepository) -> None:
    with pytest.raises(JobNotFound):
        jobs.transition("nope", current=S.CREATED, target=S.UPLOADED)
    with pytest.raises(JobNotFound):
        jobs.get("nope")


def test_update_refuses_status_changes(jobs: JobRepository) -> None:
    job = new_job(jobs)
    with pytest.raises(ValueError, match="transition"):
        jobs.update(job.job_id, expected_status=S.CREATED, set_fields={"status": "COMPLETED"})


def test_creating_a_job_twice_is_refused(jobs: JobRepository) -> None:
    job = new_job(jobs)
    with pytest.raises(ConcurrentUpdate):
        jobs.create(job)
