"""Entry point of a Lambda container under docker compose (never used on AWS).

On AWS, Lambda gives each function the environment Terraform configured. Under docker
compose the function runs as a long-lived container under the runtime interface emulator
(RIE) that the AWS base image ships, and that environment lives only in the emulator's
Lambda service, where the one-shot Terraform service put it. This script:

1. waits until the function named by AWS_LAMBDA_FUNCTION_NAME exists in the emulator
   (Terraform has applied) and reads its configuration;
2. adds the function's environment variables to its own, keeping every variable compose
   already set (the compose file owns endpoints and credentials: a value Terraform wrote
   for the Docker-free local cloud, such as AWS_ENDPOINT_URL=http://127.0.0.1:4566,
   would be wrong inside a container);
3. sets AWS_LAMBDA_FUNCTION_TIMEOUT / AWS_LAMBDA_FUNCTION_MEMORY_SIZE from the
   configuration so RIE enforces the real timeout;
4. execs the image's own /lambda-entrypoint.sh with the handler, which starts RIE on
   port 8080 (POST /2015-03-31/functions/function/invocations).

Usage (compose): entrypoint ["python3", "/opt/docuflow/lambda_local_entrypoint.py"],
command [<handler>].
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

LAMBDA_ENTRYPOINT = "/lambda-entrypoint.sh"
DEFAULT_WAIT_SECONDS = 300.0
RETRY_INTERVAL_SECONDS = 2.0


class ConfigurationUnavailable(RuntimeError):
    """The function's configuration could not be read before the deadline."""


def merged_environment(
    current: Mapping[str, str], configuration: Mapping[str, Any]
) -> dict[str, str]:
    """The process environment with the function's configured variables added.

    Variables already in `current` win: compose sets the endpoints and credentials that
    are right inside the container network. Timeout and memory come from the
    configuration unless compose set them.
    """
    merged = dict(current)
    variables = configuration.get("Environment", {}).get("Variables", {}) or {}
    for name, value in variables.items():
        merged.setdefault(str(name), str(value))
    if "Timeout" in configuration:
        merged.setdefault("AWS_LAMBDA_FUNCTION_TIMEOUT", str(configuration["Timeout"]))
    if "MemorySize" in configuration:
        merged.setdefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", str(configuration["MemorySize"]))
    return merged


def wait_for_configuration(
    fetch: Callable[[], Mapping[str, Any]],
    *,
    deadline_seconds: float,
    interval_seconds: float = RETRY_INTERVAL_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Mapping[str, Any]:
    """Call `fetch` until it succeeds or `deadline_seconds` pass; then raise."""
    deadline = clock() + deadline_seconds
    last_error: Exception | None = None
    while True:
        try:
            return fetch()
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet": retry
            last_error = exc
        if clock() >= deadline:
            raise ConfigurationUnavailable(
                f"no Lambda configuration after {deadline_seconds:.0f}s: {last_error}"
            ) from last_error
        sleep(interval_seconds)


def _fetch_from_emulator(function_name: str) -> Callable[[], Mapping[str, Any]]:
    # The dependencies live in LAMBDA_TASK_ROOT, which plain `python3` does not search.
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", "/var/task"))
    import boto3

    client = boto3.client("lambda")

    def fetch() -> Mapping[str, Any]:
        configuration: Mapping[str, Any] = client.get_function_configuration(
            FunctionName=function_name
        )
        return configuration

    return fetch


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: lambda_local_entrypoint.py <module.function handler>", file=sys.stderr)
        return 2
    handler = argv[1]
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
    if not function_name:
        print("lambda_local_entrypoint: AWS_LAMBDA_FUNCTION_NAME is not set", file=sys.stderr)
        return 2
    wait_seconds = float(os.environ.get("DOCUFLOW_CONFIG_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))
    try:
        configuration = wait_for_configuration(
            _fetch_from_emulator(function_name), deadline_seconds=wait_seconds
        )
    except ConfigurationUnavailable as exc:
        print(f"lambda_local_entrypoint: {function_name}: {exc}", file=sys.stderr)
        return 1
    environment = merged_environment(os.environ, configuration)
    print(f"lambda_local_entrypoint: {function_name} -> {handler} under RIE on :8080", flush=True)
    os.execve(LAMBDA_ENTRYPOINT, [LAMBDA_ENTRYPOINT, handler], environment)  # noqa: S606
    return 0  # pragma: no cover - execve does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv))
