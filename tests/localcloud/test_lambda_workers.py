"""Lambda functions run in worker processes, answer like Lambda, and honour timeouts."""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from docuflow_tools.localcloud.lambdas import (
    FORK_SERVER_PRELOAD,
    SPARE_IDLE_SECONDS,
    FunctionConfig,
    LambdaRunner,
)
from tests.localcloud.helpers import create_function, unique
from tests.support import wait_for


def invoke(cloud: Any, name: str, payload: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    answer = cloud.client("lambda").invoke(FunctionName=name, Payload=json.dumps(payload).encode())
    return answer.get("FunctionError"), json.loads(answer["Payload"].read())


def test_function_runs_with_its_environment_and_the_local_endpoint(cloud: Any) -> None:
    # Given a function deployed with an environment variable
    name = create_function(cloud, "echo", env={"GREETING": "hello"})
    # When it is invoked
    error, body = invoke(cloud, name, {"n": 1})
    # Then it saw the event, its environment, the emulator's endpoint and a context
    assert error is None
    assert body["event"] == {"n": 1}
    assert body["greeting"] == "hello"
    assert body["endpoint"] == cloud.endpoint
    assert body["function_name"] == name
    assert 0 < body["remaining_ms"] <= 10_000
    # and its print() reached the log sink under the function's name
    assert any(fn == name and "echo got" in line for fn, line in cloud.logs)


def test_handler_exception_is_answered_in_the_lambda_error_shape(cloud: Any) -> None:
    name = create_function(cloud, "fail")
    error, body = invoke(cloud, name, {"key": "raw/x.pdf"})
    assert error == "Unhandled"
    assert body["errorType"] == "OcrFailed"
    assert body["errorMessage"] == "cannot read raw/x.pdf"
    assert isinstance(body["stackTrace"], list)
    assert any("fixture_handlers.py" in frame for frame in body["stackTrace"])


def test_function_that_outlives_its_timeout_is_killed_and_answered_as_timed_out(
    cloud: Any,
) -> None:
    name = create_function(cloud, "slow", timeout=1)
    error, body = invoke(cloud, name, {"seconds": 30})
    assert error == "Unhandled"
    assert body["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in body["errorMessage"]
    # and the next invocation gets a fresh worker that works
    error, body = invoke(cloud, name, {"seconds": 0})
    assert error is None
    assert body == "done"


def test_unknown_handler_module_is_an_import_error(cloud: Any) -> None:
    iam = cloud.client("iam")
    role = iam.create_role(RoleName="import-error-role", AssumeRolePolicyDocument="{}")
    cloud.client("lambda").create_function(
        FunctionName="import-error",
        Role=role["Role"]["Arn"],
        PackageType="Image",
        Code={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fixture:1"},
        ImageConfig={"Command": ["no_such_module.handler"]},
    )
    error, body = invoke(cloud, "import-error", {})
    assert error == "Unhandled"
    assert body["errorType"] == "Runtime.ImportModuleError"
    assert "no_such_module" in body["errorMessage"]


def test_invoking_a_missing_function_is_resource_not_found(cloud: Any) -> None:
    import botocore.exceptions
    import pytest

    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloud.client("lambda").invoke(FunctionName="does-not-exist", Payload=b"{}")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_step_functions_retry_and_catch_match_on_the_error_name(cloud: Any) -> None:
    failing = create_function(cloud, "fail")
    echo = create_function(cloud, "echo")
    definition = {
        "StartAt": "Fail",
        "States": {
            "Fail": {
                "Type": "Task",
                "Resource": f"arn:aws:lambda:us-east-1:123456789012:function:{failing}",
                "Retry": [{"ErrorEquals": ["OcrFailed"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                "Catch": [{"ErrorEquals": ["OcrFailed"], "Next": "Echo", "ResultPath": "$.error"}],
                "End": True,
            },
            "Echo": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": echo, "Payload.$": "$"},
                "End": True,
            },
        },
    }
    sfn = cloud.client("stepfunctions")
    # moto lacks ValidateStateMachineDefinition; the layer answers it
    assert (
        sfn.validate_state_machine_definition(definition=json.dumps(definition))["result"] == "OK"
    )
    machine = sfn.create_state_machine(
        name=unique("m"),
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/x",
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input='{"key": "doc"}')["executionArn"]
    done = wait_for(
        lambda: (d := sfn.describe_execution(executionArn=execution))["status"] != "RUNNING" and d
    )
    assert done["status"] == "SUCCEEDED"
    output = json.loads(done["output"])["Payload"]["event"]
    assert output["error"]["Error"] == "OcrFailed"
    history = [e["type"] for e in sfn.get_execution_history(executionArn=execution)["events"]]
    assert history.count("LambdaFunctionFailed") == 2  # the first try and one retry


def test_a_deployed_function_gets_a_warm_worker_before_its_first_invocation(cloud: Any) -> None:
    # Given a function just deployed, Then a worker for it starts without any invocation
    name = create_function(cloud, "echo")
    wait_for(lambda: cloud.cloud.app.runner.idle_workers().get(name) == 1, timeout=60)
    assert cloud.cloud.app.runner.stats().get(name) is None  # nothing was invoked to warm it
    # And the first invocation runs on it: no second process starts
    error, _ = invoke(cloud, name, {"n": 1})
    assert error is None
    assert cloud.cloud.app.runner.idle_workers()[name] == 1


def test_the_local_cloud_stops_the_spare_workers_a_burst_left_idle(cloud: Any) -> None:
    # Given a function that ran three invocations at once, so three workers
    name = create_function(cloud, "slow")
    runner = cloud.cloud.app.runner
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda _: invoke(cloud, name, {"seconds": 1}), range(3)))
    assert [error for error, _ in answers] == [None, None, None]
    assert runner.idle_workers()[name] == 3
    # When they have been idle longer than the local cloud keeps spares
    runner.spare_idle_seconds = 0.5
    try:
        # Then the cloud stops two of them by itself, and the function keeps one warm
        wait_for(lambda: runner.idle_workers()[name] == 1, timeout=20, what="spares stopped")
    finally:
        runner.spare_idle_seconds = SPARE_IDLE_SECONDS
    error, body = invoke(cloud, name, {"seconds": 0})
    assert (error, body) == (None, "done")


def _config(name: str, handler: str) -> FunctionConfig:
    return FunctionConfig(
        name=name,
        handler=f"tests.localcloud.fixture_handlers.{handler}",
        timeout=30,
        memory_size=128,
        environment=(),
    )


def test_workers_of_all_functions_stay_under_the_cap_and_the_longest_idle_makes_room() -> None:
    # Given a runner that may keep two worker processes in all, and two functions each
    # with an idle worker (the first used longest ago)
    runner = LambdaRunner({"AWS_DEFAULT_REGION": "us-east-1"}, log=lambda *_: None, max_workers=2)
    first, second, third = (_config(f"fn-{n}", "slow") for n in range(3))
    try:
        assert runner.invoke(first, {"seconds": 0}).ok
        assert runner.invoke(second, {"seconds": 0}).ok
        assert runner.idle_workers() == {"fn-0": 1, "fn-1": 1}
        # When a third function is invoked, Then the first one's worker made room for it
        assert runner.invoke(third, {"seconds": 0}).ok
        assert runner.idle_workers() == {"fn-0": 0, "fn-1": 1, "fn-2": 1}
        # And when three functions run at once, one waits for a worker: never more than two
        # processes, and every invocation is answered
        seen: list[int] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            running = [
                pool.submit(runner.invoke, config, {"seconds": 1})
                for config in (first, second, third)
            ]
            while not all(future.done() for future in running):
                seen.append(runner.live_workers())
                time.sleep(0.05)
        assert all(future.result().ok for future in running)
        assert max(seen) <= 2
        assert runner.live_workers() == 2
        # And a function without a worker gets none warmed while the cap is reached
        assert runner.prewarm(_config("fn-3", "echo")) is False
        assert runner.live_workers() == 2
    finally:
        runner.close()


def test_spare_workers_a_burst_left_idle_stop_and_each_function_keeps_its_warm_one() -> None:
    # Given a function that ran three invocations at once (three workers) and one more
    # function with a single worker
    runner = LambdaRunner({"AWS_DEFAULT_REGION": "us-east-1"}, log=lambda *_: None)
    busy, quiet = _config("fn-busy", "slow"), _config("fn-quiet", "slow")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            assert all(
                outcome.ok
                for outcome in pool.map(lambda _: runner.invoke(busy, {"seconds": 0.5}), range(3))
            )
        assert runner.invoke(quiet, {"seconds": 0}).ok
        assert runner.idle_workers() == {"fn-busy": 3, "fn-quiet": 1}
        pids = {worker.process.pid for worker in runner._workers}
        # When none has been idle as long as the limit, Then none stops
        assert runner.retire_spares() == 0
        # And when one invocation ran since, and the others waited past the limit
        time.sleep(0.3)
        assert runner.invoke(busy, {"seconds": 0}).ok
        # Then the two spares stop and each function keeps the worker it used last
        runner.spare_idle_seconds = 0.2
        assert runner.retire_spares() == 2
        assert runner.idle_workers() == {"fn-busy": 1, "fn-quiet": 1}
        assert runner.live_workers() == 2
        gone = pids - {worker.process.pid for worker in runner._workers}
        assert len(gone) == 2
        wait_for(lambda: all(not Path(f"/proc/{pid}").exists() for pid in gone), timeout=10)
        # and the worker kept still answers
        assert runner.invoke(busy, {"seconds": 0}).ok
    finally:
        runner.close()


def test_the_fork_server_preloads_nothing_that_reads_a_functions_environment() -> None:
    # Given the modules the fork server imports before any worker's environment is set
    # When they are imported in a fresh interpreter
    probe = (
        "import importlib, sys\n"
        "from docuflow_tools.localcloud.lambdas import FORK_SERVER_PRELOAD\n"
        "for name in FORK_SERVER_PRELOAD: importlib.import_module(name)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    # Then every one of them loaded, and none that builds state from the environment
    # when imported: the logger, tracer and metrics, X-Ray's recorder, the handlers
    assert set(FORK_SERVER_PRELOAD) <= set(loaded)
    assert "docuflow.observability" not in loaded
    assert "aws_xray_sdk.core" not in loaded
    assert not [name for name in loaded if name.split(".")[0] == "services"]


def test_a_forked_worker_sees_only_its_functions_environment(monkeypatch: Any) -> None:
    # Given a variable in the local cloud's own environment, not in the function's
    monkeypatch.setenv("DOCUFLOW_ONLY_THE_SERVER_HAS_THIS", "1")
    runner = LambdaRunner({"AWS_DEFAULT_REGION": "us-east-1"}, log=lambda *_: None)
    config = FunctionConfig(
        name="fn-env",
        handler="tests.localcloud.fixture_handlers.environment",
        timeout=30,
        memory_size=128,
        environment=(("GREETING", "hello"),),
    )
    try:
        # When the function reads its environment
        outcome = runner.invoke(config, {})
    finally:
        runner.close()
    # Then it has its own variables and the runtime's, and nothing of the server's
    assert outcome.ok, outcome.error
    assert outcome.result["GREETING"] == "hello"
    assert outcome.result["AWS_LAMBDA_FUNCTION_NAME"] == "fn-env"
    assert "DOCUFLOW_ONLY_THE_SERVER_HAS_THIS" not in outcome.result
