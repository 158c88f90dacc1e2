"""The event sweep puts what a final-status write still owes, once (ADR 0034).

A decision whose put the bus refused keeps the job's outbox marker; the scheduled
event-sweep finds it on the sparse index and puts the same event (same id), clears the
marker, and reports an event it still cannot put to the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.outbox.handlers import sweep
from tests.handlers.cloud import Cloud, LambdaContext, make_job
from tests.handlers.test_handlers_events import decide, details

SCHEDULED = {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2026-11-30T04:00:00Z",
    "region": "us-east-1",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/docuflow-event-sweep-schedule"],
    "detail": {},
}


def run_sweep() -> dict[str, Any]:
    result: dict[str, Any] = sweep.lambda_handler(SCHEDULED, LambdaContext())
    return result


def refused_approval(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """A job approved while the bus refused its event: (job id, the approval's version)."""
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    job = make_job(cloud)
    response = decide(job.job_id, {"decision": "APPROVE"})
    assert response["statusCode"] == 200
    assert details(cloud) == []
    # The bus is back for whatever runs next.
    monkeypatch.setenv("EVENT_BUS_NAME", cloud.bus_name)
    from tests.handlers.conftest import _reset_services

    _reset_services()
    version = int(response["json"]["version"])
    assert int(cloud.job(job.job_id)["pending_event_version"]) == version
    return job.job_id, version


def test_the_sweep_puts_an_owed_approval_once_and_clears_the_marker(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an approval whose event the bus refused
    job_id, version = refused_approval(cloud, monkeypatch)
    monkeypatch.setenv("EVENT_SWEEP_GRACE_SECONDS", "0")
    # When the sweep runs
    outcome = run_sweep()
    # Then the approval's event is on the bus, with the id the writer would have given it
    assert outcome["announced"] == 1 and outcome["not_put"] == 0
    [event] = details(cloud)
    assert event["id"] == f"{job_id}.approved.v{version}"
    assert event["type"] == "invoice.approved" and event["version"] == version
    assert event["decision"]["reviewer"] == "reviewer@acme.test"
    # and the job owes nothing any more
    assert "pending_event_version" not in cloud.job(job_id)
    # When the sweep runs again, nothing more is put
    again = run_sweep()
    assert again["announced"] == 0
    assert details(cloud) == []


def test_a_marker_younger_than_the_grace_period_is_left_to_its_writer(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an owed event written just now, and a grace period of an hour
    job_id, _ = refused_approval(cloud, monkeypatch)
    monkeypatch.setenv("EVENT_SWEEP_GRACE_SECONDS", "3600")
    # When the sweep runs, it puts nothing: the writer may be putting it right now
    outcome = run_sweep()
    assert outcome == {
        "listed": 1,
        "announced": 0,
        "left_to_writer": 1,
        "settled": 0,
        "not_put": 0,
    }
    assert details(cloud) == []
    assert "pending_event_version" in cloud.job(job_id)


def test_an_event_the_bus_still_refuses_stays_owed_and_is_reported_with_its_reason(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an owed approval, and a bus that still refuses
    job_id, version = refused_approval(cloud, monkeypatch)
    monkeypatch.setenv("EVENT_SWEEP_GRACE_SECONDS", "0")
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    # When the sweep runs
    outcome = run_sweep()
    # Then nothing is put, the marker stays for the next run
    assert outcome["not_put"] == 1 and outcome["announced"] == 0
    assert details(cloud) == []
    assert int(cloud.job(job_id)["pending_event_version"]) == version
    # and the dead-letter queue says which event, and why
    [notice] = cloud.dlq_messages()
    assert notice["kind"] == "event_not_put"
    assert notice["job_id"] == job_id and notice["version"] == version
    assert notice["event_id"] == f"{job_id}.approved.v{version}"
    assert "no-such-bus" in notice["reason"] or "ResourceNotFound" in notice["reason"]


def test_jobs_that_owe_nothing_are_not_on_the_index(cloud: Cloud) -> None:
    # Given jobs in review (no final status) and none owing an event
    make_job(cloud)
    make_job(cloud)
    # When the sweep runs, it lists nothing and puts nothing
    assert run_sweep()["listed"] == 0
    assert details(cloud) == []
