"""What the emulator adds to moto's EventBridge: scheduled rules fire at their rate, and
PutEvents faults a test injects fail exactly the calls they are meant for."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from docuflow_tools.localcloud.eventbridge import Scheduler, rate_seconds
from docuflow_tools.localcloud.lambdas import Invocation
from tests.localcloud.helpers import create_function, unique


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(5 minutes)", 300),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("rate(0 minutes)", None),
        ("cron(0 12 * * ? *)", None),
        ("rate(5 seconds)", None),
    ],
)
def test_rate_expressions_are_read_as_eventbridge_reads_them(
    expression: str, seconds: int | None
) -> None:
    assert rate_seconds(expression) == seconds


def test_a_scheduled_rule_invokes_its_function_once_per_period(cloud: Any) -> None:
    # Given a rule firing every 5 minutes at a function that echoes its event
    events = cloud.client("events")
    function = create_function(cloud, "echo")
    function_arn = cloud.client("lambda").get_function(FunctionName=function)["Configuration"][
        "FunctionArn"
    ]
    rule = unique("every-5")
    rule_arn = events.put_rule(Name=rule, ScheduleExpression="rate(5 minutes)")["RuleArn"]
    events.put_targets(Rule=rule, Targets=[{"Id": "fn", "Arn": function_arn}])
    now = [1000.0]
    seen: list[Invocation] = []

    def invoke(arn: str, payload: Any) -> Invocation:
        outcome = cloud.cloud.app.invoke(arn, payload)
        seen.append(outcome)
        return outcome

    scheduler = Scheduler(
        events_client=events,
        invoke=invoke,
        account="123456789012",
        region="us-east-1",
        clock=lambda: now[0],
    )
    # When the scheduler looks at once, then just before and just after one period
    assert rule_arn not in scheduler.tick()
    now[0] += 299
    assert rule_arn not in scheduler.tick()
    now[0] += 2
    fired = scheduler.tick()
    # Then the rule fired once, and its function got a Scheduled Event naming the rule
    assert rule_arn in fired
    [outcome] = [o for o in seen if o.result["event"]["resources"] == [rule_arn]]
    assert outcome.ok
    event = outcome.result["event"]
    assert event["source"] == "aws.events" and event["detail-type"] == "Scheduled Event"
    # and not again until the next period is over
    now[0] += 10
    assert rule_arn not in scheduler.tick()
    events.remove_targets(Rule=rule, Ids=["fn"])
    events.delete_rule(Name=rule)


def _put(cloud: Any, bus: str, detail: dict[str, str]) -> dict[str, Any]:
    response: dict[str, Any] = cloud.client("events").put_events(
        Entries=[
            {
                "EventBusName": bus,
                "Source": "docuflow",
                "DetailType": "Invoice Approved",
                "Detail": json.dumps(detail),
            }
        ]
    )
    return response


def test_put_events_faults_fail_only_the_calls_that_carry_the_text(cloud: Any) -> None:
    bus = unique("bus")
    cloud.client("events").create_event_bus(Name=bus)
    faults = f"{cloud.endpoint}/_docuflow/events/faults"
    # Given one failure for the entries of job-a
    answer = requests.post(
        faults, json={"fail_next_puts": 1, "detail_contains": "job-a"}, timeout=5
    )
    assert answer.status_code == 200 and answer.json()["fail_next_puts"] == 1
    try:
        # When job-b and then job-a are put, twice
        other = _put(cloud, bus, {"job_id": "job-b"})
        refused = _put(cloud, bus, {"job_id": "job-a"})
        again = _put(cloud, bus, {"job_id": "job-a"})
        # Then only job-a's first call failed its entry, as EventBridge reports it
        assert other["FailedEntryCount"] == 0
        assert refused["FailedEntryCount"] == 1
        assert refused["Entries"][0]["ErrorCode"] == "InternalFailure"
        assert again["FailedEntryCount"] == 0 and again["Entries"][0]["EventId"]
        assert requests.get(faults, timeout=5).json() == {
            "fail_next_puts": 0,
            "detail_contains": "job-a",
            "refused": 1,
        }
        # and a setting it does not know is a 400
        assert requests.post(faults, json={"fail_all": True}, timeout=5).status_code == 400
    finally:
        requests.delete(faults, timeout=5)
