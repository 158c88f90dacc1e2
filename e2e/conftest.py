"""The suite's target: a running stack named by the environment, or an embedded local
cloud (`docuflow up --no-web` on a free port) started once for the session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from docuflow_tools.localcloud.ports import free_port
from docuflow_tools.localcloud.up_process import UpProcess
from docuflow_tools.localcloud.users import DEMO_PASSWORD, id_token
from e2e.client import Api, Control
from e2e.targets import Target, from_outputs_file, target_from_env

START_TIMEOUT = float(os.environ.get("DOCUFLOW_E2E_START_TIMEOUT", "600"))
FUZZER_MODULE = "test_schemathesis.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Two xdist groups for `--dist loadgroup` (e2e/runner.py): the fuzzer, which only
    touches jobs it creates itself, and every other test, which keep their order on one
    worker because some share the Textract stand-in's fault switches."""
    for item in items:
        group = "fuzzer" if item.path.name == FUZZER_MODULE else "pipeline"
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    if os.environ.get("DOCUFLOW_E2E_TARGET", "").lower() == "localstack":
        from e2e.target_localstack import localstack_target

        with localstack_target() as on_localstack:
            yield on_localstack
        return
    configured = target_from_env()
    if configured is not None:
        yield configured
        return
    cloud = UpProcess(name="e2e", port=free_port(), web=False, options=("--fresh",))
    try:
        cloud.wait_ready(START_TIMEOUT)
        yield from_outputs_file(cloud.outputs_path, name="embedded local cloud")
    finally:
        cloud.stop()


@pytest.fixture(scope="session")
def sign_in(target: Target) -> Callable[[str], Api]:
    """The API as one of the demo users (`docuflow up` creates them; on another target
    DOCUFLOW_PASSWORD is theirs), signed in once through the target's user pool."""
    password = os.environ.get("DOCUFLOW_PASSWORD", DEMO_PASSWORD)
    signed_in: dict[str, Api] = {}

    def as_user(email: str) -> Api:
        if email not in signed_in:
            signed_in[email] = Api(target, id_token(target.user_pool(), email, password))
        return signed_in[email]

    return as_user


@pytest.fixture(scope="session")
def api(sign_in: Callable[[str], Api]) -> Api:
    """A clerk of acme: uploads, starts and reads acme's jobs."""
    return sign_in("clerk@acme.test")


@pytest.fixture(scope="session")
def reviewer(sign_in: Callable[[str], Api]) -> Api:
    """A reviewer of acme: reads acme's review queue and decides (on others' uploads)."""
    return sign_in("reviewer@acme.test")


@pytest.fixture
def control(target: Target) -> Iterator[Control]:
    """The stand-in's controls; tests that need them run only where they exist."""
    if target.control_url is None:
        pytest.skip(
            f"fault injection needs the local cloud's control endpoint; target is {target.name}"
        )
    control = Control(target.control_url)
    control.clear_faults()
    yield control
    control.clear_faults()
