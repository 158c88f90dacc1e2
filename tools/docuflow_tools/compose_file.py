"""The parts of docker-compose.yml that come from services/functions.json.

Compose cannot read JSON, so the per-function parts of docker-compose.yml are written
from the manifest between marker comments, and the rest of the file stays as people
wrote it:

- `functions`: YAML anchors near the top: the function name -> container URL map the
  emulator invokes (DOCUFLOW_LAMBDA_ENDPOINTS), the http functions the web app waits
  for, and the name prefix Terraform is given;
- `function services`: one service per function, running the Lambda image with its
  handler as the command.

`python -m docuflow_tools.compose_file` (`make compose`) rewrites those blocks;
`--check` (in `make lint`) fails when the file differs from what the manifest makes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

from docuflow_tools.paths import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
FUNCTIONS_JSON = REPO_ROOT / "services" / "functions.json"
# Terraform names the functions "<prefix>-<manifest key>" (-var name_prefix); the
# emulator's endpoint map and each container's AWS_LAMBDA_FUNCTION_NAME use those names.
NAME_PREFIX = "docuflow"
# The runtime interface emulator of the Lambda base image listens here.
RIE_PORT = 8080

_BEGIN = "# >>> generated from services/functions.json by `make compose`, do not edit: {name}"
_END = "# <<< end of generated block: {name}"


class ComposeFileError(ValueError):
    """docker-compose.yml lacks a generated block's markers, or has them twice."""


def _functions(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    functions: dict[str, dict[str, Any]] = manifest["functions"]
    return functions


def _anchors(functions: dict[str, dict[str, Any]]) -> list[str]:
    # A folded scalar: its lines are joined with spaces into one JSON object.
    endpoints = [
        json.dumps({f"{NAME_PREFIX}-{name}": f"http://{name}:{RIE_PORT}"})[1:-1]
        for name in functions
    ]
    lines = [
        f"x-name-prefix: &name-prefix {NAME_PREFIX}",
        "",
        "# Function name -> its container: the emulator invokes each function by POSTing to",
        "# <url>/2015-03-31/functions/function/invocations (the runtime interface emulator's",
        "# endpoint) instead of starting a worker process.",
        "x-function-endpoints: &function-endpoints >-",
        *[
            f"  {'{' if index == 0 else ''}{entry}{'}' if index == len(endpoints) - 1 else ','}"
            for index, entry in enumerate(endpoints)
        ],
        "",
        "# The API's functions: the web app starts once they answer.",
        "x-http-functions-healthy: &http-functions-healthy",
    ]
    for name, function in functions.items():
        if function["trigger"] == "http":
            lines += [f"  {name}:", "    condition: service_healthy"]
    return lines


def _services(functions: dict[str, dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for name in functions:
        lines += [
            f"{name}:",
            "  <<: *lambda-function",
            f"  command: {json.dumps([functions[name]['handler']])}",
            "  environment:",
            "    <<: *lambda-environment",
            f"    AWS_LAMBDA_FUNCTION_NAME: {NAME_PREFIX}-{name}",
        ]
    return lines


def blocks(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """The generated blocks by name, unindented."""
    functions = _functions(manifest)
    return {"functions": _anchors(functions), "function services": _services(functions)}


def render(text: str, manifest: dict[str, Any]) -> str:
    """`text` (docker-compose.yml) with every generated block rewritten from `manifest`."""
    for name, body in blocks(manifest).items():
        begin, end = _BEGIN.format(name=name), _END.format(name=name)
        pattern = re.compile(
            rf"^(?P<indent>[ ]*){re.escape(begin)}\n.*?^(?P=indent){re.escape(end)}$",
            flags=re.M | re.S,
        )
        found = pattern.findall(text)
        if len(found) != 1:
            raise ComposeFileError(
                f"docker-compose.yml needs exactly one block between '{begin}' and '{end}', "
                f"found {len(found)}"
            )

        def replace(
            match: re.Match[str], body: list[str] = body, begin: str = begin, end: str = end
        ) -> str:
            indent = match.group("indent")
            inner = [f"{indent}{line}" if line else "" for line in body]
            return "\n".join([f"{indent}{begin}", *inner, f"{indent}{end}"])

        text = pattern.sub(replace, text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docuflow_tools.compose_file",
        description="Write the per-function blocks of docker-compose.yml from the manifest.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 with a diff when docker-compose.yml is out of date",
    )
    parser.add_argument("--compose-file", type=Path, default=COMPOSE_FILE)
    parser.add_argument("--manifest", type=Path, default=FUNCTIONS_JSON)
    args = parser.parse_args(argv)
    current = args.compose_file.read_text()
    try:
        wanted = render(current, json.loads(args.manifest.read_text()))
    except ComposeFileError as exc:
        print(f"{args.compose_file}: {exc}", file=sys.stderr)
        return 2
    if wanted == current:
        return 0
    if args.check:
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            wanted.splitlines(keepends=True),
            fromfile=f"{args.compose_file} (as it is)",
            tofile=f"{args.compose_file} (from {args.manifest.name})",
        )
        sys.stderr.writelines(diff)
        print(
            f"{args.compose_file} is out of date with {args.manifest}: run `make compose`",
            file=sys.stderr,
        )
        return 1
    args.compose_file.write_text(wanted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
