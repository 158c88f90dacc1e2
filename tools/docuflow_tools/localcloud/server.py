"""The emulator as a server: the dispatcher on a threaded werkzeug server, plus the SQS
pollers that deliver event source mappings, the scheduler that fires scheduled rules and,
with a state folder, the checkpoints that
keep the state across restarts (persistence.py); `LocalCloud.start()` and `stop()`."""

from __future__ import annotations

import contextlib
import resource
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docuflow_tools.localcloud.dispatcher import ACCOUNT_ID, REGION, SERVICES, LocalCloudApp
from docuflow_tools.localcloud.eventbridge import Scheduler
from docuflow_tools.localcloud.eventsources import SqsPoller
from docuflow_tools.localcloud.lambdas import LogSink, print_log
from docuflow_tools.localcloud.moto_patches import configure_moto
from docuflow_tools.localcloud.persistence import (
    Checkpointer,
    EmulatorState,
    SnapshotFigures,
    StateFolder,
    resume_work_in_flight,
)
from docuflow_tools.localcloud.textract_recordings import RecordingIndex

DEFAULT_PORT = 4566
# How often the warmer looks for functions without a warm worker (a new deployment's).
WARM_CHECK_SECONDS = 2.0


def _quiet_handler() -> type:
    """moto's request handler without a log line per request (errors still print)."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietHandler(MotoRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if str(code).startswith("5"):
                super().log_request(code, size)

    return QuietHandler


def memory() -> dict[str, int]:
    """This process's resident memory now and at its peak, in bytes (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    current = int(fields["VmRSS"].split()[0]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"rss_bytes": current, "peak_rss_bytes": peak}


class LocalCloud:
    """The emulator as a server: start(), stop(), the SQS pollers and, with `state`, the
    snapshots that keep everything across restarts.

    With a `state` folder that holds a snapshot, moto's backends and the emulator's own
    state are loaded from it before the server takes a request (`restored`); without one,
    the state starts empty and the first checkpoint creates it."""

    def __init__(
        self,
        *,
        port: int = DEFAULT_PORT,
        host: str = "127.0.0.1",
        textract_latency: float = 1.0,
        log: LogSink = print_log,
        pool_size: int | None = None,
        recordings: RecordingIndex | None = None,
        services: frozenset[str] = SERVICES,
        state: StateFolder | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.log = log
        self.state = state if "aws" in services else None
        self.emulator = EmulatorState()
        self.restored = False
        if self.state is not None and self.state.exists():
            configure_moto(port, REGION)  # the snapshot holds the patched classes' objects
            self.emulator = self.state.load()
            self.restored = True
        self.app = LocalCloudApp(
            port,
            textract_latency=textract_latency,
            log=log,
            pool_size=pool_size,
            recordings=recordings,
            services=services,
            credentials=self.emulator.credentials,
        )
        self.checkpoints: Checkpointer | None = None
        if self.state is not None:
            self.checkpoints = Checkpointer(self._save, lambda line: log("localcloud", line))
            self.app.on_write = self.checkpoints.mark
        self.app.extra_health = self._health
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.poller: SqsPoller | None = None
        self._stopping = threading.Event()
        self.scheduler: Scheduler | None = None

    @property
    def endpoint(self) -> str:
        return self.app.endpoint

    def start(self) -> None:
        from werkzeug.serving import make_server

        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_quiet_handler()
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="localcloud"
        )
        self._thread.start()
        if self.restored:  # executions call Lambda over HTTP: only now can they run
            resume_work_in_flight(lambda line: self.log("localcloud", line))
        if self.checkpoints is not None:
            self.checkpoints.start()
            if not self.restored:
                self.checkpoints.checkpoint()  # the state folder exists from the start
        if "aws" not in self.app.services:
            return  # the Textract-only role has no queues to poll
        self.poller = SqsPoller(
            lambda_client=self.app.client("lambda"),
            sqs_client=self.app.client("sqs"),
            invoke=self.app.invoke,
            region=REGION,
            pollers_per_mapping=self.app.runner.pool_size,
        )
        self.poller.start()
        self.scheduler = Scheduler(
            events_client=self.app.client("events"),
            invoke=self.app.invoke,
            account=ACCOUNT_ID,
            region=REGION,
            log=lambda line: self.log("localcloud", line),
        )
        self.scheduler.start()
        self._warmer = threading.Thread(target=self._keep_warm, daemon=True, name="warmer")
        self._warmer.start()

    def _keep_warm(self) -> None:
        """One warm worker for every function Terraform created, started one at a time
        (two cores need not start a dozen interpreters at once): the first invocation of
        each function then costs what a warm Lambda costs, not a process start. The spare
        workers a burst left idle are stopped (LambdaRunner.retire_spares)."""
        from botocore.exceptions import BotoCoreError, ClientError

        while not self._stopping.is_set():
            self.app.runner.retire_spares()  # whether or not the functions can be listed
            try:
                pages = self.app.client("lambda").get_paginator("list_functions").paginate()
                names = [f["FunctionName"] for page in pages for f in page["Functions"]]
                warm = self.app.runner.idle_workers()
                for name in names:
                    if self._stopping.is_set():
                        return
                    if warm.get(name):
                        continue  # the common case: no lookup of its configuration
                    self.app.runner.prewarm(self.app.function_config(name))
            except (BotoCoreError, ClientError, LookupError, RuntimeError) as exc:
                self.log("localcloud", f"keeping functions warm failed, will retry: {exc}")
            self._stopping.wait(WARM_CHECK_SECONDS)

    def checkpoint(self) -> SnapshotFigures | None:
        """A snapshot now (after a deployment, say); None without a state folder."""
        return self.checkpoints.checkpoint() if self.checkpoints is not None else None

    @contextlib.contextmanager
    def checkpoints_paused(self) -> Iterator[None]:
        """No snapshot while this lasts (a Terraform apply: see cli.py)."""
        if self.checkpoints is None:
            yield
            return
        with self.checkpoints.paused():
            yield

    def _save(self) -> SnapshotFigures:
        assert self.state is not None
        return self.state.save(self.app.gate.exclusive, self.emulator)

    def _health(self) -> dict[str, Any]:
        health: dict[str, Any] = {
            "memory": {**memory(), "workers_rss_bytes": self.app.runner.workers_rss_bytes()}
        }
        if self.checkpoints is not None and self.state is not None:
            last = self.checkpoints.last
            health["state"] = {
                "folder": str(self.state.path),
                "restored": self.restored,
                "checkpoints": self.checkpoints.count,
                "last_checkpoint_at": self.checkpoints.last_at,
                "unsaved_changes": self.checkpoints.dirty,
                "last_snapshot_bytes": last.bytes if last else None,
                "last_snapshot_seconds": round(last.seconds_total, 3) if last else None,
                "last_snapshot_paused_seconds": round(last.seconds_paused, 3) if last else None,
            }
        return health

    def stop(self) -> None:
        """Stop polling and serving; with a state folder, a last snapshot first.

        The gate is taken for good before that snapshot, so nothing written after it is
        lost: requests still arriving wait until the process ends."""
        self._stopping.set()
        if self.poller is not None:
            self.poller.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.checkpoints is not None and self.state is not None:
            self.checkpoints.stop()
            self.app.gate.close()
            started = time.perf_counter()
            self.state.save(contextlib.nullcontext, self.emulator)
            self.log("localcloud", f"state saved in {time.perf_counter() - started:.1f} s")
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.app.close()
