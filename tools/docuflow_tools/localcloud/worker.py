"""One warm Lambda "container": a process forked from the local cloud's fork server
(lambdas.py) that runs `serve_forked`.

The parent writes one JSON request per line on stdin ({"request_id", "payload",
"deadline_ms"}, or {"warm_up": true}, answered once the handler is imported) and reads one
JSON answer per line from the file descriptor named by DOCUFLOW_WORKER_RESULT_FD. stdout
and stderr stay free for the function's own logs, which the parent streams to the terminal.
Errors are answered the way the Lambda runtime shapes them: {"errorType": <exception class
name>, "errorMessage", "stackTrace"}.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

RESULT_FD_ENV = "DOCUFLOW_WORKER_RESULT_FD"


@dataclass
class LambdaContext:
    """The attributes and method of the Lambda context object that handlers use."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline_ms: int
    identity: Any = None
    client_context: Any = None
    tenant_id: str | None = field(default=None)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))


def error_body(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    """The runtime's error shape; `errorType` is what Step Functions Retry/Catch match."""
    return {
        "errorType": error_type or type(exc).__name__,
        "errorMessage": str(exc),
        # The first frame is this runner's call into the handler: leave it out.
        "stackTrace": traceback.format_tb(exc.__traceback__)[1:],
    }


def load_handler(spec: str) -> Callable[[Any, Any], Any]:
    module_name, _, function_name = spec.rpartition(".")
    if not module_name:
        raise ValueError(f"Handler {spec!r} is not of the form module.function")
    module = importlib.import_module(module_name)
    handler = getattr(module, function_name)
    if not callable(handler):
        raise TypeError(f"{spec} is not callable")
    return handler  # type: ignore[no-any-return]


def make_context(request: dict[str, Any]) -> LambdaContext:
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "function")
    region = os.environ.get("AWS_REGION", "us-east-1")
    account = os.environ.get("DOCUFLOW_ACCOUNT_ID", "123456789012")
    return LambdaContext(
        function_name=name,
        function_version="$LATEST",
        invoked_function_arn=f"arn:aws:lambda:{region}:{account}:function:{name}",
        memory_limit_in_mb=int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")),
        aws_request_id=str(request["request_id"]),
        log_group_name=f"/aws/lambda/{name}",
        log_stream_name=f"local/{os.getpid()}",
        deadline_ms=int(request["deadline_ms"]),
    )


def invoke(
    handler: Callable[[Any, Any], Any] | None,
    init_error: dict[str, Any] | None,
    request: dict[str, Any],
) -> str:
    """Run one invocation and return the encoded answer line."""
    if handler is None:
        return json.dumps({"ok": False, "error": init_error})
    try:
        output = handler(request["payload"], make_context(request))
    except Exception as exc:  # noqa: BLE001 - every handler error goes back shaped like Lambda's
        traceback.print_exc()
        return json.dumps({"ok": False, "error": error_body(exc)})
    try:
        return json.dumps({"ok": True, "result": output})
    except (TypeError, ValueError) as exc:  # the result is not JSON
        return json.dumps({"ok": False, "error": error_body(exc, "Runtime.MarshalError")})


def serve(handler_spec: str) -> int:
    result_fd = int(os.environ[RESULT_FD_ENV])
    results = os.fdopen(result_fd, "w", buffering=1, encoding="utf-8")
    handler: Callable[[Any, Any], Any] | None = None
    init_error: dict[str, Any] | None = None
    try:
        handler = load_handler(handler_spec)
    except Exception as exc:  # noqa: BLE001 - the runtime reports any import failure on each invoke
        init_error = error_body(exc, "Runtime.ImportModuleError")
        traceback.print_exc()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("warm_up"):  # the handler is imported: say so, invoke nothing
            results.write(json.dumps({"ok": True, "warm": True}) + "\n")
            continue
        answer = invoke(handler, init_error, request)
        sys.stdout.flush()
        sys.stderr.flush()
        results.write(answer + "\n")
    return 0


def serve_forked(
    handler_spec: str,
    env: dict[str, str],
    *,
    path: list[str],
    cwd: str,
    requests: Connection,
    results: Connection,
    logs: Connection,
) -> None:
    """`serve` in a process forked from the fork server, set up as `python -m ... HANDLER`
    would be: the requests on stdin, the function's output on stdout and stderr, exactly
    its environment (nothing of the fork server's), PYTHONPATH's entries first on sys.path
    and its working directory. The fork server has imported only third-party modules
    that read no environment at import (lambdas.FORK_SERVER_PRELOAD); the handler's own
    modules, which read their settings, are imported here, after the environment is set."""
    # What the fork server imported stays shared only if nothing writes to its pages: the
    # collector would (its bookkeeping lives in each object), so it leaves them alone.
    gc.freeze()
    os.dup2(requests.fileno(), 0)
    os.dup2(logs.fileno(), 1)
    os.dup2(logs.fileno(), 2)
    result_fd = os.dup(results.fileno())
    for connection in (requests, results, logs):
        connection.close()
    # multiprocessing pointed stdin at /dev/null; the streams are line-buffered like `-u`
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the process
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    os.environ.clear()
    os.environ.update(env)
    os.environ[RESULT_FD_ENV] = str(result_fd)
    os.chdir(cwd)
    sys.path[:0] = path
    serve(handler_spec)
