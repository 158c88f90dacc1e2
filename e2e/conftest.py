"""The suite's target: a running stack named by the environment, or an embedded local
cloud (`docuflow up --no-web` on a free port) started once for the session."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docuflow_tools.localcloud.support import free_port
from e2e.client import Api, Control
from e2e.targets import Target, from_outputs_file, target_from_env

REPO_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = float(os.environ.get("DOCUFLOW_E2E_START_TIMEOUT", "600"))


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
    port = free_port()
    log_path = REPO_ROOT / ".localcloud" / f"e2e-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "docuflow_tools.cli", "up", "--no-web", "--port", str(port)],
        cwd=str(REPO_ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        with log_path.open("w", encoding="utf-8") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    outputs: str | None = None
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while outputs is None:
            if process.poll() is not None:
                raise RuntimeError(f"docuflow up exited with {process.returncode}; see {log_path}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(
                    f"docuflow up was not ready within {START_TIMEOUT} s; see {log_path}"
                )
            try:
                line = lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if line.startswith("DOCUFLOW_OUTPUTS="):
                outputs = line.split("=", 1)[1]
        yield from_outputs_file(Path(outputs), name="embedded local cloud")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def api(target: Target) -> Api:
    return Api(target)


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
