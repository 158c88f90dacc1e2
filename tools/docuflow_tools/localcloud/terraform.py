"""Deploys `infra/` to the local cloud with Terraform.

`docuflow up` applies the root module with `envs/local.tfvars`, then a generated
`<state dir>/docuflow-up.tfvars.json` (the emulator's endpoint, the web app's origins and
any other values of this run; a later var file wins). Terraform's state lives in the same
state folder as the emulator's (`.localcloud/<port>`, git-ignored): an emulator that kept
its state is updated in place by the next apply; an empty one (`--fresh`, or a first
start) gets a fresh Terraform state too. `fingerprint` names everything an apply reads, so
a restart with the same inputs can skip Terraform altogether (cli.py). The provider comes
from the machine's filesystem mirror when there is one (TF_PLUGIN_DIR, else
/opt/tf-plugins).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docuflow_tools.paths import REPO_ROOT

INFRA_DIR = REPO_ROOT / "infra"
VAR_FILE = "envs/local.tfvars"
RUN_VAR_FILE = "docuflow-up.tfvars.json"  # written into the state directory by deploy()


class DeployFailed(RuntimeError):
    """Terraform could not deploy the stack; the message points at its log."""


@dataclass
class Deployment:
    outputs: dict[str, Any]
    seconds_init: float
    seconds_apply: float
    log_path: Path


def run_variables(endpoint: str, extra_vars: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The variables of this run, beside `envs/local.tfvars` (see `deploy`)."""
    return {"local_endpoint": endpoint, **(extra_vars or {})}


def input_files() -> list[Path]:
    """Every file an apply of `infra/` reads: its configuration, lock file and var file,
    and the files its `.tf` files name with `${path.module}/...` (the functions' manifest,
    the OpenAPI document, the state machine)."""
    own = [
        path
        for path in INFRA_DIR.iterdir()
        if path.is_file() and path.suffix in (".tf", ".json", ".hcl")
    ] + [INFRA_DIR / VAR_FILE]
    named = set()
    for tf in INFRA_DIR.glob("*.tf"):
        for relative in re.findall(r'\$\{path\.module\}/([^"]+)"', tf.read_text(encoding="utf-8")):
            named.add((INFRA_DIR / relative).resolve())
    return sorted(set(own) | {path for path in named if path.is_file()})


def fingerprint(variables: Mapping[str, Any]) -> str:
    """A digest of everything an apply with these `variables` would read: equal
    fingerprints, equal deployments."""
    digest = hashlib.sha256()
    digest.update(json.dumps(variables, sort_keys=True).encode())
    for path in input_files():
        digest.update(os.path.relpath(path, REPO_ROOT).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def plugin_dir() -> Path | None:
    """The provider mirror: TF_PLUGIN_DIR, else /opt/tf-plugins, else None."""
    configured = os.environ.get("TF_PLUGIN_DIR")
    for candidate in ([configured] if configured else []) + ["/opt/tf-plugins"]:
        path = Path(candidate)
        if path.is_dir():
            return path
    return None


def terraform_env(endpoint: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "TF_DATA_DIR": str(data_dir),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint,
        }
    )
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "TF_WORKSPACE"):
        env.pop(key, None)
    return env


def _run(
    args: list[str], env: dict[str, str], log_path: Path, echo: Callable[[str], None] | None
) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n$ {' '.join(args)}\n")
        log.flush()
        process = subprocess.Popen(  # noqa: S603 - terraform with arguments we build
            args,
            cwd=str(INFRA_DIR),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        started = time.perf_counter()
        for line in process.stdout:
            # Seconds since the command started: the log then shows the critical path.
            log.write(f"[{time.perf_counter() - started:6.1f}s] {line}")
            if echo is not None:
                echo(line.rstrip("\n"))
        code = process.wait()
    if code != 0:
        tail = log_path.read_text(encoding="utf-8").splitlines()[-40:]
        raise DeployFailed(
            f"`{' '.join(args[:2])}` failed (exit {code}); full log: {log_path}\n" + "\n".join(tail)
        )


def deploy(
    endpoint: str,
    state_dir: Path,
    echo: Callable[[str], None] | None = None,
    extra_vars: Mapping[str, Any] | None = None,
    *,
    emulator_is_empty: bool = True,
) -> Deployment:
    """init + apply `infra/` against the emulator at `endpoint`; returns the outputs.

    `extra_vars` (e.g. {"web_origins": [...]}) override `envs/local.tfvars`: they go with
    `local_endpoint` into a generated JSON var file, so lists and maps keep their types.
    An emulator that kept its state (`emulator_is_empty` False) is updated from the
    Terraform state beside it; an empty one starts from no Terraform state."""
    terraform = shutil.which("terraform")
    if terraform is None:
        raise DeployFailed("terraform is not installed (the local cloud deploys with it)")
    if not (INFRA_DIR / VAR_FILE).is_file():
        raise DeployFailed(f"{INFRA_DIR / VAR_FILE} does not exist")
    state_dir.mkdir(parents=True, exist_ok=True)
    state = state_dir / "terraform.tfstate"
    run_vars = state_dir / RUN_VAR_FILE
    stale = [state_dir / "outputs.json", run_vars]
    if emulator_is_empty:  # what Terraform recorded is not there any more
        stale += [state, state_dir / "terraform.tfstate.backup"]
    for path in stale:
        path.unlink(missing_ok=True)
    log_path = state_dir / "terraform.log"
    log_path.write_text("", encoding="utf-8")
    env = terraform_env(endpoint, state_dir / "tfdata")

    started = time.perf_counter()
    init = [terraform, "init", "-input=false", "-no-color"]
    mirror = plugin_dir()
    if mirror is not None:
        init.append(f"-plugin-dir={mirror}")
    _run(init, env, log_path, echo)
    seconds_init = time.perf_counter() - started

    started = time.perf_counter()
    variables = run_variables(endpoint, extra_vars)
    run_vars.write_text(json.dumps(variables, indent=2) + "\n", encoding="utf-8")
    apply = [
        terraform,
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        f"-state={state}",
        f"-var-file={VAR_FILE}",
        f"-var-file={run_vars.resolve()}",
    ]
    _run(apply, env, log_path, echo)
    seconds_apply = time.perf_counter() - started

    output = subprocess.run(  # noqa: S603
        [terraform, "output", "-json", "-no-color", f"-state={state}"],
        cwd=str(INFRA_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        raise DeployFailed(f"terraform output failed: {output.stderr.strip()}")
    outputs = {name: item.get("value") for name, item in json.loads(output.stdout or "{}").items()}
    return Deployment(outputs, seconds_init, seconds_apply, log_path)
