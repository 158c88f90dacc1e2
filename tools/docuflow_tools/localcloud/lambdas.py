"""Runs Lambda functions as warm worker processes, the way the Lambda service would.

Each function (as Terraform created it in moto's Lambda backend) gets a small pool of
worker processes running its image command (ImageConfig.Command) with the function's
environment plus the local cloud's endpoint and credentials. Workers are forked from one
fork server that imported the heavy third-party modules once (`FORK_SERVER_PRELOAD`): a
worker starts in well under a second and shares those pages with the others, where a new
interpreter took about 1.3 CPU-s and 75 MB. An invocation that outlives the function's
timeout kills its worker and is answered with Lambda's timeout error; every error comes
back in the runtime's shape.

The worker processes of all functions together are capped (`max_workers`, by default
`DEFAULT_MAX_WORKERS`), so the local cloud's memory is bounded whatever a burst asks for:
a function that needs a new worker when the cap is reached takes the place of the idle
worker used longest ago (of any function), or waits for one to become idle. The workers a
burst made beyond each function's one warm worker stop once they have been idle for
`SPARE_IDLE_SECONDS` (`retire_spares`), as Lambda reclaims the execution environments a
function no longer needs: a burst paced by Textract's quota keeps one or two of them busy
per function, not the cap.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import multiprocessing.context
import os
import queue
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from docuflow_tools.localcloud.worker import serve_forked
from docuflow_tools.paths import REPO_ROOT

DEFAULT_POOL_SIZE = 3
# One warm worker for each of the 17 functions and 7 more for the ones a burst keeps busy.
# A forked worker starts at about 62 MB resident (23 MB of it its own, PSS) and grows to
# about 85 MB (about 50 MB its own) once its handler has made its clients and run: 24 of
# them took about 1.3 GB in a 200-upload burst (ADR 0032).
DEFAULT_MAX_WORKERS = 24
# How long a worker beyond its function's first idle one stays after its last invocation.
SPARE_IDLE_SECONDS = 60.0
# How long a new worker may take to import its handler (AWS allows an init phase 10 s; two
# busy cores need more) before the invocation is answered with the process's exit.
INIT_TIMEOUT_SECONDS = 60.0
# JSON object: function name -> base URL of a Lambda runtime interface emulator serving it
# (compose runs each function in its own container); those functions are invoked over HTTP.
ENDPOINTS_ENV = "DOCUFLOW_LAMBDA_ENDPOINTS"
_ERROR_KEYS = {"errorType", "errorMessage", "stackTrace", "requestId", "cause"}
# Environment a worker inherits from the host (the rest comes from the function itself).
_HOST_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DOCUFLOW_SHARED_DIR", "VIRTUAL_ENV")
# What the fork server imports once, so that a worker forked from it starts in a fraction
# of a second instead of importing them again (about 1.3 CPU-s and 75 MB a worker when each
# was a new interpreter), and the workers share those pages. Only modules that read no
# environment when imported: a worker's environment is set after the fork, before its
# handler is imported (worker.serve_forked). Not docuflow.observability (its logger,
# tracer and metrics are built from the function's POWERTOOLS_* at import), nor
# aws_xray_sdk.core (its recorder reads LAMBDA_TASK_ROOT and AWS_XRAY_* at import), nor
# any services.* module (their settings); tests/localcloud/test_lambda_workers.py checks it.
FORK_SERVER_PRELOAD = (
    "boto3",
    "botocore.session",
    "botocore.client",
    "pydantic",
    "aws_lambda_powertools",
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.utilities.batch",
    "requests",
    "pypdf",
    "facturx",
    "docuflow.dal.models",
    "docuflow.extraction",
    "docuflow.einvoice",
    "docuflow.events",
)


@dataclass(frozen=True)
class FunctionConfig:
    """What the local cloud needs to run one function."""

    name: str
    handler: str
    timeout: int
    memory_size: int
    environment: tuple[tuple[str, str], ...]
    reserved_concurrency: int | None = None

    @property
    def env(self) -> dict[str, str]:
        return dict(self.environment)


@dataclass
class Invocation:
    """The outcome of one invocation: a result, or an error body shaped like Lambda's."""

    ok: bool
    result: Any = None
    error: dict[str, Any] | None = None
    duration_ms: float = 0.0

    @property
    def error_type(self) -> str | None:
        return None if self.error is None else str(self.error.get("errorType"))


class FunctionNotFound(LookupError):
    pass


LogSink = Callable[[str, str], None]


def print_log(function_name: str, line: str) -> None:
    """Default log sink: the function's output in the terminal, prefixed with its name."""
    sys.stdout.write(f"[{function_name}] {line}\n")
    sys.stdout.flush()


class Worker:
    """One warm process running one handler."""

    def __init__(self, config: FunctionConfig, env: dict[str, str], log: LogSink) -> None:
        self.config = config
        self.idle_since = time.monotonic()  # when it last finished an invocation
        context = _fork_context()
        requests_in, requests_out = context.Pipe(duplex=False)
        results_in, results_out = context.Pipe(duplex=False)
        logs_in, logs_out = context.Pipe(duplex=False)
        self.process = context.Process(
            target=serve_forked,
            args=(config.handler, env),
            kwargs={
                "path": env["PYTHONPATH"].split(os.pathsep),
                "cwd": env["LAMBDA_TASK_ROOT"],
                "requests": requests_in,
                "results": results_out,
                "logs": logs_out,
            },
            name=f"lambda:{config.name}",
            daemon=True,  # stopped with the local cloud
        )
        self.process.start()
        for child_end in (requests_in, results_out, logs_out):
            child_end.close()
        # This side's ends, as text streams of JSON lines and log lines.
        self._requests: IO[str] = _stream(requests_out, "w")
        self._results: IO[str] = _stream(results_in, "r")
        self._logs: IO[str] = _stream(logs_in, "r")
        self._answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_answers, daemon=True).start()
        threading.Thread(target=self._stream_logs, args=(log,), daemon=True).start()

    def _read_answers(self) -> None:
        for line in self._results:
            self._answers.put(line)
        self._answers.put(None)  # the process went away

    def _stream_logs(self, log: LogSink) -> None:
        for line in self._logs:
            log(self.config.name, line.rstrip("\n"))
        self._logs.close()

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def warm_up(self, timeout: float) -> None:
        """Wait until the process has imported its handler (worker.py answers a warm-up
        request without invoking it); a worker that does not answer in time is killed."""
        try:
            self._requests.write(json.dumps({"warm_up": True}) + "\n")
            self._requests.flush()
            self._answers.get(timeout=timeout)
        except (BrokenPipeError, OSError, queue.Empty):
            self.kill()

    def invoke(self, payload: Any, timeout: float) -> Invocation:
        request_id = str(uuid.uuid4())
        deadline_ms = int((time.time() + timeout) * 1000)
        request = {"request_id": request_id, "payload": payload, "deadline_ms": deadline_ms}
        started = time.perf_counter()
        if self._requests.closed:  # killed while starting (warm_up)
            return _runtime_error("Runtime.ExitError", "The function's process did not start.")
        try:
            self._requests.write(json.dumps(request) + "\n")
            self._requests.flush()
        except (BrokenPipeError, OSError):
            return _runtime_error("Runtime.ExitError", "The function's process exited.")
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            return Invocation(
                ok=False,
                error={
                    "errorType": "Sandbox.Timedout",
                    "errorMessage": f"RequestId: {request_id} Error: Task timed out after "
                    f"{timeout:.2f} seconds",
                },
                duration_ms=(time.perf_counter() - started) * 1000,
            )
        duration = (time.perf_counter() - started) * 1000
        if line is None:
            self.process.join()
            code = self.process.exitcode
            return _runtime_error(
                "Runtime.ExitError",
                f"RequestId: {request_id} Error: Runtime exited with error: exit status {code}",
            )
        answer = json.loads(line)
        return Invocation(
            ok=bool(answer["ok"]),
            result=answer.get("result"),
            error=answer.get("error"),
            duration_ms=duration,
        )

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        for stream in (self._requests, self._results):
            with contextlib.suppress(OSError):
                stream.close()


@functools.cache
def _fork_context() -> multiprocessing.context.ForkServerContext:
    """The fork server's context, the preload set before it starts (at the first worker)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(FORK_SERVER_PRELOAD))
    return context


def _stream(end: Connection, mode: str) -> IO[str]:
    """A text stream on a copy of a pipe's file descriptor; the Connection is closed."""
    fd = os.dup(end.fileno())
    end.close()
    return open(fd, mode, encoding="utf-8", errors="replace")


def remote_endpoints() -> dict[str, str]:
    """DOCUFLOW_LAMBDA_ENDPOINTS, checked."""
    raw = os.environ.get(ENDPOINTS_ENV, "").strip()
    if not raw:
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"{ENDPOINTS_ENV} must be a JSON object of function name to URL")
    return {str(k): v.rstrip("/") for k, v in value.items()}


def invoke_remote(base_url: str, payload: Any, timeout: float) -> Invocation:
    """One invocation through a runtime interface emulator's HTTP endpoint."""
    import requests

    started = time.perf_counter()
    try:
        response = requests.post(
            f"{base_url}/2015-03-31/functions/function/invocations",
            data=json.dumps(payload),
            timeout=timeout + 5,
        )
    except requests.Timeout:
        return _runtime_error("Sandbox.Timedout", f"Task timed out after {timeout:.2f} seconds")
    except requests.RequestException as exc:
        return _runtime_error("Runtime.Unavailable", f"{base_url} did not answer: {exc}")
    duration = (time.perf_counter() - started) * 1000
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = response.text
    failed = bool(response.headers.get("X-Amz-Function-Error")) or (
        isinstance(body, dict) and {"errorType", "errorMessage"} <= set(body) <= _ERROR_KEYS
    )
    if failed:
        error = (
            body
            if isinstance(body, dict)
            else {"errorType": "Unhandled", "errorMessage": str(body)}
        )
        return Invocation(ok=False, error=error, duration_ms=duration)
    return Invocation(ok=True, result=body, duration_ms=duration)


def _runtime_error(error_type: str, message: str) -> Invocation:
    return Invocation(ok=False, error={"errorType": error_type, "errorMessage": message})


@dataclass
class _Pool:
    config: FunctionConfig
    size: int
    idle: list[Worker] = field(default_factory=list)
    running: int = 0
    retired: bool = False


class LambdaRunner:
    """Warm worker pools, one per function configuration."""

    def __init__(
        self,
        base_env: dict[str, str],
        log: LogSink = print_log,
        pool_size: int = DEFAULT_POOL_SIZE,
        max_workers: int | None = None,
    ) -> None:
        self.base_env = base_env
        self.log = log
        self.pool_size = pool_size
        self.max_workers = max_workers
        self.spare_idle_seconds = SPARE_IDLE_SECONDS
        self._pools: dict[str, _Pool] = {}
        self._lock = threading.Condition()
        self._closed = False
        self._stats: dict[str, dict[str, float]] = {}
        self._workers: set[Worker] = set()  # every worker started and not yet killed
        self.remote = remote_endpoints()

    def worker_env(self, config: FunctionConfig) -> dict[str, str]:
        env = {key: os.environ[key] for key in _HOST_ENV if key in os.environ}
        env.update(config.env)
        # The local cloud's endpoint, credentials and region win over whatever the function
        # was deployed with: the worker runs on this machine and must reach this emulator.
        env.update(self.base_env)
        env.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": config.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.memory_size),
                "AWS_LAMBDA_FUNCTION_TIMEOUT": str(config.timeout),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{config.name}",
                "_HANDLER": config.handler,
                "LAMBDA_TASK_ROOT": str(REPO_ROOT),
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "shared")]),
            }
        )
        return env

    def _pool(self, config: FunctionConfig) -> _Pool:
        """The pool of this configuration (called with the lock held)."""
        pool = self._pools.get(config.name)
        if pool is None or pool.config != config:
            if pool is not None:  # redeployed: retire the old workers
                pool.retired = True
                for worker in pool.idle:
                    worker.kill()
                pool.idle.clear()
            cap = self.pool_size
            if config.reserved_concurrency is not None and config.reserved_concurrency > 0:
                cap = min(cap, config.reserved_concurrency)
            pool = _Pool(config=config, size=cap)
            self._pools[config.name] = pool
        return pool

    def prewarm(self, config: FunctionConfig) -> bool:
        """Start one worker for a function that has none, so its first invocation does not
        pay the interpreter's start and the handler's imports (what a function in steady use
        keeps on AWS: a warm execution environment). True when a worker was started."""
        if config.name in self.remote:
            return False
        with self._lock:
            if self._closed:
                return False
            pool = self._pool(config)
            if pool.idle or pool.running or self._full():
                return False
            pool.running += 1
        worker: Worker | None = None
        try:
            worker = self._start_worker(config)
            worker.warm_up(INIT_TIMEOUT_SECONDS)
        finally:
            self._release(pool, worker)
        return worker is not None and worker.alive

    def idle_workers(self) -> dict[str, int]:
        """Warm workers waiting for an invocation, per function."""
        with self._lock:
            return {name: len(pool.idle) for name, pool in self._pools.items()}

    def retire_spares(self) -> int:
        """Stop the idle workers that have waited longer than `spare_idle_seconds`, except
        the one each function used last (its warm worker); how many were stopped."""
        now = time.monotonic()
        retired: list[Worker] = []
        with self._lock:
            for pool in self._pools.values():
                spares = sorted(pool.idle, key=lambda worker: worker.idle_since)[:-1]
                retired.extend(
                    self._take_idle(pool, worker)
                    for worker in spares
                    if now - worker.idle_since > self.spare_idle_seconds
                )
            if retired:
                self._lock.notify_all()  # room under the cap for a function waiting on it
        for worker in retired:
            worker.kill()
        return len(retired)

    def workers_rss_bytes(self) -> int:
        """The resident memory of every live worker process (Linux /proc), in bytes."""
        with self._lock:
            pids = [worker.process.pid for worker in self._workers if worker.alive]
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError, ValueError, StopIteration):
                status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
                rss = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
                total += int(rss.split()[1]) * 1024
        return total

    def live_workers(self) -> int:
        """Worker processes started and not yet stopped, of every function."""
        with self._lock:
            return self._live()

    def _live(self) -> int:
        """Workers running an invocation, starting or idle (called with the lock held)."""
        return sum(pool.running + len(pool.idle) for pool in self._pools.values())

    def _acquire(self, config: FunctionConfig) -> tuple[_Pool, Worker | None]:
        evicted: Worker | None = None
        with self._lock:
            pool = self._pool(config)
            while True:
                if self._closed:
                    raise RuntimeError("The local cloud is shutting down")
                while pool.idle:
                    worker = pool.idle.pop()
                    if worker.alive:
                        pool.running += 1
                        return pool, worker
                    worker.kill()  # exited while idle: release its pipes
                    self._workers.discard(worker)
                if pool.running < pool.size:
                    if self._full():
                        evicted = self._evict_idle()
                    if evicted is not None or not self._full():
                        pool.running += 1
                        break  # start a new worker outside the lock
                self._lock.wait()
        if evicted is not None:
            evicted.kill()
        return pool, None

    def _full(self) -> bool:
        """Whether `max_workers` are live (called with the lock held)."""
        return self.max_workers is not None and self._live() >= self.max_workers

    def _evict_idle(self) -> Worker | None:
        """Take out the idle worker (of any function) used longest ago, to make room under
        `max_workers`; None when every worker is busy (called with the lock held)."""
        candidates = [
            (worker.idle_since, pool, worker)
            for pool in self._pools.values()
            for worker in pool.idle
        ]
        if not candidates:
            return None
        _, pool, worker = min(candidates, key=lambda c: c[0])
        return self._take_idle(pool, worker)

    def _take_idle(self, pool: _Pool, worker: Worker) -> Worker:
        """`worker` out of `pool`'s idle list and the live set, for the caller to kill
        outside the lock (called with the lock held)."""
        pool.idle.remove(worker)
        self._workers.discard(worker)
        return worker

    def _start_worker(self, config: FunctionConfig) -> Worker:
        worker = Worker(config, self.worker_env(config), self.log)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _release(self, pool: _Pool, worker: Worker | None) -> None:
        with self._lock:
            pool.running -= 1
            if worker is not None and worker.alive and not pool.retired and not self._closed:
                worker.idle_since = time.monotonic()
                pool.idle.append(worker)
            elif worker is not None:
                worker.kill()
                self._workers.discard(worker)
            self._lock.notify_all()

    def invoke(self, config: FunctionConfig, payload: Any) -> Invocation:
        if config.name in self.remote:
            outcome = invoke_remote(self.remote[config.name], payload, float(config.timeout))
        else:
            outcome = self._invoke_local(config, payload)
        self._count(config, outcome)
        return outcome

    def _invoke_local(self, config: FunctionConfig, payload: Any) -> Invocation:
        pool, worker = self._acquire(config)
        try:
            if worker is None:
                # As on AWS, the init phase (interpreter, imports) is not part of the
                # invocation's timeout: wait for it first.
                worker = self._start_worker(config)
                worker.warm_up(INIT_TIMEOUT_SECONDS)
            return worker.invoke(payload, float(config.timeout))
        finally:
            self._release(pool, worker)

    def _count(self, config: FunctionConfig, outcome: Invocation) -> None:
        with self._lock:
            stats = self._stats.setdefault(
                config.name,
                {
                    "invocations": 0,
                    "errors": 0,
                    "duration_ms": 0.0,
                    "memory_mb": config.memory_size,
                },
            )
            stats["invocations"] += 1
            stats["errors"] += 0 if outcome.ok else 1
            stats["duration_ms"] += outcome.duration_ms
            stats["memory_mb"] = config.memory_size

    def stats(self) -> dict[str, dict[str, float]]:
        """Invocations, errors, summed duration and memory size per function."""
        with self._lock:
            return {name: dict(values) for name, values in self._stats.items()}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            self._pools.clear()
            self._lock.notify_all()
        for pool in pools:
            for worker in pool.idle:
                worker.kill()
            pool.idle.clear()
        with self._lock:
            self._workers.clear()
