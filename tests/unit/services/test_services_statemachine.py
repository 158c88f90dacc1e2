"""The ASL template Terraform renders: valid JSON once rendered, consistent, and wired as
the pipeline needs (Retry on throttling and Lambda errors, Catch into MarkFailed)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.handlers.cloud import ASL_TEMPLATE, functions, render_asl, template_values

SQS_ERRORS = {"SQS.SdkClientException", "SQS.AmazonSQSException"}
LAMBDA_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}


@pytest.fixture(scope="module")
def asl() -> dict[str, Any]:
    return json.loads(render_asl())


def tasks(asl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in asl["States"].items() if s["Type"] == "Task"}


def test_template_uses_exactly_the_documented_placeholders() -> None:
    placeholders = set(re.findall(r"\$\{(\w+)\}", ASL_TEMPLATE.read_text()))
    assert placeholders == set(template_values())


def test_number_placeholders_are_unquoted() -> None:
    text = ASL_TEMPLATE.read_text()
    numbers = (
        "ocr_start_timeout_seconds",
        "ocr_wait_timeout_seconds",
        "poll_interval_seconds",
        "max_polls",
        "textract_retry_interval_seconds",
        "textract_retry_max_delay_seconds",
        "textract_retry_max_attempts",
    )
    for name in numbers:
        assert f"${{{name}}}" in text and f'"${{{name}}}"' not in text


def test_rendered_numbers_are_numbers(asl: dict[str, Any]) -> None:
    assert asl["States"]["StartOcr"]["TimeoutSeconds"] == 3600
    assert asl["States"]["AwaitOcr"]["TimeoutSeconds"] == 900
    assert asl["States"]["WaitForOcr"]["Seconds"] == 30
    choice = asl["States"]["OcrFinished"]["Choices"][2]["And"][1]
    assert choice["NumericLessThan"] == 20


def test_every_transition_names_an_existing_state(asl: dict[str, Any]) -> None:
    states = asl["States"]
    assert asl["StartAt"] in states
    targets: list[str] = []
    for state in states.values():
        targets += [state["Next"]] if "Next" in state else []
        targets += [c["Next"] for c in state.get("Catch", [])]
        targets += [c["Next"] for c in state.get("Choices", [])]
        targets += [state["Default"]] if "Default" in state else []
    assert targets and set(targets) <= set(states)
    # and every state is reachable
    assert set(states) - set(targets) == {asl["StartAt"]}


def test_every_task_invokes_a_workflow_function_of_the_manifest(asl: dict[str, Any]) -> None:
    arn_to_function = {
        value: name.removesuffix("_arn").replace("_", "-")
        for name, value in template_values().items()
        if name.endswith("_arn")
    }
    used = set()
    for name, state in tasks(asl).items():
        if name == "StartOcr":  # a message to the ocr-start queue, not an invocation
            continue
        arn = state.get("Parameters", {}).get("FunctionName", state["Resource"])
        assert arn in arn_to_function, f"{arn} is no function placeholder"
        used.add(arn_to_function[arn])
    manifest = {name for name, spec in functions().items() if spec["trigger"] == "states"}
    assert used == manifest


def test_every_task_retries_lambda_errors_and_catches_into_mark_failed(
    asl: dict[str, Any],
) -> None:
    for name, state in tasks(asl).items():
        retried = {e for r in state["Retry"] for e in r["ErrorEquals"]}
        assert retried >= (SQS_ERRORS if name == "StartOcr" else LAMBDA_ERRORS), name
        catches = {tuple(c["ErrorEquals"]): c for c in state["Catch"]}
        assert ("States.ALL",) in catches, name
        if name == "ReconcileFailures":
            # After the job succeeded: a failed reconciliation must not fail the job.
            assert catches[("States.ALL",)]["Next"] == "Done"
        elif name != "MarkFailed":
            assert catches[("States.ALL",)]["Next"] == "MarkFailed"
            assert catches[("States.ALL",)]["ResultPath"] == "$.error"
        # The job input survives every step
        assert state["ResultPath"].startswith("$.") and state["ResultPath"] != "$"
    assert asl["States"]["MarkFailed"]["Next"] == "Failed"
    assert asl["States"]["Failed"]["Type"] == "Fail"


def test_mark_failed_retries_every_error(asl: dict[str, Any]) -> None:
    # Given the catch path, When mark-failed itself fails (a throttled DynamoDB or SQS
    # write), Then it is retried: giving up would leave the job PROCESSING for good,
    # with no failure reason, no audit record and nothing on the dead-letter queue.
    retriers = asl["States"]["MarkFailed"]["Retry"]
    assert retriers[-1]["ErrorEquals"] == ["States.ALL"]
    assert retriers[-1]["MaxAttempts"] >= 2


def test_start_ocr_queues_its_start_and_waits_for_its_turn(asl: dict[str, Any]) -> None:
    # Given a burst, Then each execution waits in the ocr-start queue for its turn at
    # Textract's start quota (start-ocr answers the token), for longer than OCR takes.
    start = asl["States"]["StartOcr"]
    assert start["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    assert start["Parameters"]["QueueUrl"] == template_values()["ocr_start_queue_url"]
    assert start["Parameters"]["MessageBody"]["task_token.$"] == "$$.Task.Token"
    assert start["Next"] == "AwaitOcr"
    assert start["TimeoutSeconds"] > asl["States"]["AwaitOcr"]["TimeoutSeconds"]


def test_await_ocr_waits_for_the_callback_and_falls_back_to_polling(
    asl: dict[str, Any],
) -> None:
    # No Wait before the first check: the callback answers as soon as Textract finished;
    # polling only starts when no answer came in time (a lost notification).
    wait = asl["States"]["AwaitOcr"]
    assert wait["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert wait["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"
    assert wait["Catch"][0] == {
        "ErrorEquals": ["States.Timeout"],
        "ResultPath": "$.ocr_wait",
        "Next": "StartPolling",
    }
    assert wait["Next"] == "StoreOcr"


@pytest.mark.parametrize("state", ["StartOcr", "PollOcr", "StoreOcr"])
def test_textract_throttling_waits_its_turn_for_tens_of_minutes(
    asl: dict[str, Any], state: str
) -> None:
    # Given every step that calls Textract, When Textract throttles it (quotas are per
    # account, shared by every job), Then it is retried with capped exponential backoff
    # and full jitter, so a burst spreads out, over tens of minutes of waiting.
    throttled = next(
        r for r in asl["States"][state]["Retry"] if r["ErrorEquals"] == ["TextractThrottled"]
    )
    assert throttled["JitterStrategy"] == "FULL"
    delays = [
        min(
            throttled["IntervalSeconds"] * throttled["BackoffRate"] ** n,
            throttled["MaxDelaySeconds"],
        )
        for n in range(throttled["MaxAttempts"])
    ]
    # Full jitter waits half of each delay on average
    assert 20 * 60 <= sum(delays) / 2 <= 60 * 60, sum(delays)


def test_polling_loop_is_bounded(asl: dict[str, Any]) -> None:
    states = asl["States"]
    assert states["StartPolling"]["Next"] == "PollOcr"
    assert states["PollOcr"]["Next"] == "OcrFinished"
    choice = states["OcrFinished"]
    by_target = {c["Next"]: c for c in choice["Choices"]}
    assert by_target["StoreOcr"]["StringEquals"] == "SUCCEEDED"
    assert by_target["OcrFailed"]["StringEquals"] == "FAILED"
    assert by_target["WaitForOcr"]["And"][1]["Variable"] == "$.poll.polls"
    assert choice["Default"] == "OcrTimedOut"
    assert states["WaitForOcr"]["Next"] == "PollOcr"
    for name in ("OcrFailed", "OcrTimedOut"):
        assert states[name]["ResultPath"] == "$.error" and states[name]["Next"] == "MarkFailed"


def test_error_names_the_machine_matches_exist_as_exception_classes(asl: dict[str, Any]) -> None:
    from docuflow.domain import errors
    from services.workflow import errors as workflow_errors

    raised_by_states = {"OcrTimedOut", "OcrFailed"}
    named = {
        e
        for state in asl["States"].values()
        for r in state.get("Retry", []) + state.get("Catch", [])
        for e in r["ErrorEquals"]
        if not e.startswith(("States.", "Lambda.", "SQS."))
    }
    named |= raised_by_states
    for name in named:
        assert hasattr(errors, name) or hasattr(workflow_errors, name), name


def _path(asl: dict[str, Any], route: str) -> list[str]:
    """The states an execution passes when validation says `route` and nothing fails."""
    states = asl["States"]
    path, name = [], asl["StartAt"]
    while states[name]["Type"] != "Succeed":
        path.append(name)
        state = states[name]
        if state["Type"] == "Choice":
            chosen = [c["Next"] for c in state["Choices"] if c.get("StringEquals") == route]
            name = chosen[0] if chosen else state["Default"]
        else:
            name = state["Next"]
    return path


def test_the_pipeline_path_stores_then_parses(asl: dict[str, Any]) -> None:
    assert _path(asl, "ocr") == [
        "ValidateDocument",
        "ReadAsEInvoice",
        "StartOcr",
        "AwaitOcr",
        "StoreOcr",
        "ParseAndScore",
        "WasRetried",
    ]


def test_an_e_invoice_skips_ocr(asl: dict[str, Any]) -> None:
    # Given validation's route "einvoice", Then no Textract state runs
    path = _path(asl, "einvoice")
    assert path == ["ValidateDocument", "ReadAsEInvoice", "ReadEInvoice", "WasRetried"]
    choice = asl["States"]["ReadAsEInvoice"]["Choices"][0]
    assert choice["Variable"] == "$.document.route"
    assert asl["States"]["ReadEInvoice"]["Catch"][0]["Next"] == "MarkFailed"


def test_only_a_retry_that_succeeded_reconciles_earlier_failures(asl: dict[str, Any]) -> None:
    states = asl["States"]
    # Both ways to a routed job (OCR and e-invoice) pass the check
    assert states["ParseAndScore"]["Next"] == "WasRetried"
    assert states["ReadEInvoice"]["Next"] == "WasRetried"
    (retried,) = states["WasRetried"]["Choices"]
    assert retried == {
        "Variable": "$.attempt",
        "NumericGreaterThan": 1,
        "Next": "ReconcileFailures",
    }
    assert states["ReconcileFailures"]["Next"] == "Done"
    throttled = states["ReconcileFailures"]["Retry"][0]
    assert throttled["ErrorEquals"] == ["Lambda.TooManyRequestsException"]
    assert throttled["JitterStrategy"] == "FULL" and throttled["MaxAttempts"] >= 10
