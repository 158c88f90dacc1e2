"""`docuflow up`: the whole stack on the Docker-free local cloud.

Starts the emulator with the state it kept in its state folder (`.localcloud/<port>`, or
`--state`; `--fresh` discards it), applies `infra/` to it with Terraform (the web app's
origins in the CORS) unless nothing Terraform reads changed since the state was saved,
serves the web app when `frontend/dist` exists, prints a short summary for people on
stderr and `API_BASE_URL=<url>`, `WEB_URL=<url>` and `DOCUFLOW_OUTPUTS=<file>` on lines
of their own on stdout, and runs until Ctrl-C or SIGTERM, when it saves the state.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from docuflow_tools.paths import REPO_ROOT

if TYPE_CHECKING:
    from docuflow_tools.localcloud.server import LocalCloud
    from docuflow_tools.localcloud.web import WebServer

STATE_ROOT = REPO_ROOT / ".localcloud"


EMULATOR_STATE = "emulator"  # moto's and the emulator's snapshot, inside the state folder
TERRAFORM_STATE = ("terraform.tfstate", "terraform.tfstate.backup")


def state_dir_for(port: int) -> Path:
    """The default state folder of the local cloud on `port`."""
    return STATE_ROOT / str(port)


def outputs_path(state_dir: Path) -> Path:
    """Where a running `docuflow up` leaves its URLs and Terraform outputs."""
    return state_dir / "outputs.json"


def discard_state(state_dir: Path) -> None:
    """What `--fresh` forgets: the emulator's snapshot and Terraform's state (the provider
    cache stays, so `terraform init` remains quick)."""
    shutil.rmtree(state_dir / EMULATOR_STATE, ignore_errors=True)
    for name in TERRAFORM_STATE:
        (state_dir / name).unlink(missing_ok=True)


class StateInUse(RuntimeError):
    """Another `docuflow up` runs on this state folder."""


def lock_state(state_dir: Path) -> IO[str]:
    """Hold the state folder for this process (released when it exits, even by kill -9);
    StateInUse naming the other process if it is taken."""
    state_dir.mkdir(parents=True, exist_ok=True)
    handle = (state_dir / "lock").open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StateInUse(f"{state_dir} is in use by pid {holder}") from exc
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("DOCUFLOW_LOCALCLOUD_PORT", "4566")),
        help="port of the emulator (default 4566, LocalStack's)",
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=4173,
        help="port of the web app (default 4173); the API's and the bucket's CORS allow it",
    )
    parser.add_argument("--no-web", action="store_true", help="do not serve the web app")
    parser.add_argument(
        "--textract-latency",
        type=float,
        default=float(os.environ.get("DOCUFLOW_TEXTRACT_LATENCY", "1.0")),
        help="seconds the Textract stand-in takes to finish a job (default 1.0)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 inside a container)",
    )
    parser.add_argument(
        "--emulator-only",
        action="store_true",
        help="run the emulator alone: no Terraform, no web app (compose deploys separately)",
    )
    parser.add_argument(
        "--services",
        default="aws,textract",
        help="what the emulator serves: aws,textract (default) or textract alone, next to "
        "LocalStack (documents and completions then go to AWS_ENDPOINT_URL)",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=None,
        help="the folder the local cloud keeps its state in (default .localcloud/<port>)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="discard the kept state and start from nothing (a new API id, no jobs)",
    )
    parser.add_argument(
        "--quiet-functions",
        action="store_true",
        help="do not stream the functions' logs to the terminal",
    )


def _say(message: str) -> None:
    print(f"[docuflow up] {message}", file=sys.stderr, flush=True)


def _serve_web(args: argparse.Namespace, record: dict[str, Any]) -> tuple[WebServer | None, str]:
    """The web server (or None) and, when there is none, why: for the summary."""
    from docuflow_tools.localcloud.web import DIST_DIR, WebServer

    if args.no_web:
        return None, "not served (--no-web)"
    if not (DIST_DIR / "index.html").is_file():
        _say(f"no web app built ({DIST_DIR} is missing): serving the API only")
        return None, "not built: `make web-build` (or `npm run build` in frontend/), then restart"
    outputs = record.get("outputs") or {}
    auth = {
        "userPoolId": str(outputs.get("user_pool_id", "")),
        "userPoolClientId": str(outputs.get("user_pool_client_id", "")),
        "endpoint": f"{record['endpoint']}/",
    }
    web = WebServer(record["api_base_url"], port=args.web_port, auth=auth)
    web.start()
    return web, ""


def machine_lines(record: dict[str, Any]) -> list[str]:
    """The NAME=value lines scripts read from stdout (up_process.UpProcess, CI)."""
    lines = [f"API_BASE_URL={record['api_base_url']}"]
    if record.get("web_url"):
        lines.append(f"WEB_URL={record['web_url']}")
    lines.append(f"DOCUFLOW_OUTPUTS={record['outputs_path']}")
    return lines


def summary_lines(record: dict[str, Any], web_note: str = "") -> list[str]:
    """What a person reads once the stack is up: where things are, how to seed and stop.

    Printed to stderr with the `[docuflow up]` prefix, so no line looks like NAME=value."""
    port = record["endpoint"].rsplit(":", 1)[-1]
    seed = "uv run docuflow seed --wait 60"
    if port != "4566":  # `docuflow seed` finds the newest stack; name this one explicitly
        seed += f" --api {record['api_base_url']}"
    rows = [
        ("Web app", record.get("web_url") or web_note or "not served"),
        ("HTTP API", record["api_base_url"]),
        ("AWS endpoint", f"{record['endpoint']}  (region us-east-1, credentials test/test)"),
        ("Controls", f"{record['control_url']}/health  (Textract stand-in faults, recordings)"),
        ("Seed", f"{seed}  (uploads the sample documents)"),
        ("Stop", f"Ctrl-C here, or kill -TERM {record['pid']}"),
        ("State", f"{record['state_folder']}  (kept across restarts; --fresh starts clean)"),
        ("Outputs", str(record["outputs_path"])),
    ]
    for user in record.get("users") or []:
        rows.append(
            (
                "User",
                f"{user['email']:<22} {user['group']:<9} tenant {user['tenant']:<7} "
                f"password {user['password']}",
            )
        )
    rows.append(("Token", "uv run docuflow token clerk@acme.test  (Authorization: Bearer ...)"))
    width = max(len(name) for name, _ in rows)
    return ["DocuFlow is running on the local cloud:"] + [
        f"  {name.ljust(width)}  {value}" for name, value in rows
    ]


def announce(record: dict[str, Any], web_note: str = "") -> None:
    """The summary for people (stderr), then the machine-readable lines (stdout)."""
    for line in summary_lines(record, web_note):
        _say(line)
    for line in machine_lines(record):
        print(line, flush=True)


def _deploy(cloud: LocalCloud, args: argparse.Namespace, state_dir: Path) -> dict[str, Any] | None:
    """Terraform to the emulator, unless the kept state was deployed from the same inputs;
    the record `docuflow up` publishes, or None on failure."""
    from docuflow_tools.localcloud import terraform
    from docuflow_tools.localcloud.persistence import Deployment
    from docuflow_tools.localcloud.textract_standin import Quotas
    from docuflow_tools.localcloud.web import web_origins

    origins = web_origins(args.web_port)
    extra_vars: dict[str, Any] = {"web_origins": origins}
    quota = Quotas.from_env().start_tps
    if quota is not None:  # the stand-in holds a start quota: the pipeline paces itself to it
        extra_vars["textract_start_tps"] = quota
    fingerprint = terraform.fingerprint(terraform.run_variables(cloud.endpoint, extra_vars))
    kept = cloud.emulator.deployment
    seconds_init = seconds_apply = 0.0
    if kept is not None and kept.fingerprint == fingerprint:
        _say(
            f"emulator listening on {cloud.endpoint}; infra/ unchanged since the state was "
            "saved: no Terraform run"
        )
        outputs = kept.outputs
    else:
        _say(f"emulator listening on {cloud.endpoint}; deploying infra/ with Terraform")
        try:
            with cloud.checkpoints_paused():
                deployment = terraform.deploy(
                    cloud.endpoint,
                    state_dir,
                    extra_vars=extra_vars,
                    emulator_is_empty=not cloud.restored,
                )
        except terraform.DeployFailed as exc:
            _say(str(exc))
            return None
        outputs = deployment.outputs
        seconds_init, seconds_apply = deployment.seconds_init, deployment.seconds_apply
        cloud.emulator.deployment = Deployment(fingerprint, outputs)
        cloud.checkpoint()
    api_id = outputs.get("api_id")
    if not api_id:
        _say("infra/ has no `api_id` output; cannot serve the HTTP API")
        return None
    return {
        "endpoint": cloud.endpoint,
        "api_base_url": f"{cloud.endpoint}/_aws/execute-api/{api_id}",
        "web_url": None,
        "control_url": f"{cloud.endpoint}/_docuflow",
        "web_origins": origins,  # what the API's and the bucket's CORS allow
        "pid": os.getpid(),
        "state_folder": str(state_dir),
        "restored": cloud.restored,
        "terraform_skipped": kept is not None and kept.fingerprint == fingerprint,
        "terraform_init_seconds": round(seconds_init, 2),
        "terraform_apply_seconds": round(seconds_apply, 2),
        "outputs": outputs,
    }


def _demo_users(record: dict[str, Any]) -> list[dict[str, str]]:
    """Create the demo users in the deployed user pool; as the record lists them."""
    from docuflow_tools.localcloud.users import DEMO_PASSWORD, create_demo_users, pool_of

    users = create_demo_users(pool_of(record))
    return [
        {"email": u.email, "tenant": u.tenant, "group": u.group, "password": DEMO_PASSWORD}
        for u in users
    ]


def _say_state(cloud: LocalCloud, state_dir: Path) -> None:
    if cloud.restored:
        _say(f"state restored from {state_dir} (--fresh starts from nothing)")
    elif cloud.state is not None:
        _say(f"new state in {state_dir}")


def run(args: argparse.Namespace) -> int:
    from docuflow_tools.localcloud.dispatcher import SERVICES
    from docuflow_tools.localcloud.lambdas import print_log
    from docuflow_tools.localcloud.moto_patches import UnsupportedMotoVersion
    from docuflow_tools.localcloud.persistence import StateFolder, StateUnreadable
    from docuflow_tools.localcloud.server import LocalCloud

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    started = time.perf_counter()
    log = (lambda name, line: None) if args.quiet_functions else print_log
    services = frozenset(s.strip() for s in str(args.services).split(",") if s.strip())
    if services != SERVICES and not args.emulator_only:
        _say("--services other than aws,textract needs --emulator-only")
        return 2
    state_dir = (args.state or state_dir_for(args.port)).resolve()
    try:
        lock = lock_state(state_dir)
    except StateInUse as exc:
        _say(f"cannot start: {exc}")
        return 1
    if args.fresh:
        discard_state(state_dir)
    try:
        cloud = LocalCloud(
            port=args.port,
            host=args.host,
            textract_latency=args.textract_latency,
            log=log,
            services=services,
            state=StateFolder(state_dir / EMULATOR_STATE),
        )
        cloud.start()
    except StateUnreadable as exc:
        _say(f"cannot load the kept state: {exc}; `docuflow up --fresh` discards it")
        return 1
    except (OSError, ValueError, UnsupportedMotoVersion) as exc:
        _say(f"cannot start the emulator on {args.host}:{args.port}: {exc}")
        return 1
    _say_state(cloud, state_dir)
    try:
        if args.emulator_only:
            seconds = time.perf_counter() - started
            _say(f"emulator ({', '.join(sorted(services))}) ready in {seconds:.1f} s")
            print(f"AWS_ENDPOINT_URL={cloud.endpoint}", flush=True)
            while not stop.wait(1.0):
                pass
            return 0
        return _serve_stack(cloud, args, state_dir, started, stop)
    finally:
        cloud.stop()
        lock.close()


def _serve_stack(
    cloud: LocalCloud,
    args: argparse.Namespace,
    state_dir: Path,
    started: float,
    stop: threading.Event,
) -> int:
    """Deploy, serve the web app, announce, and run until `stop`."""
    record = _deploy(cloud, args, state_dir)
    if record is None:
        return 1
    record["users"] = _demo_users(record)
    web: WebServer | None = None
    outputs = outputs_path(state_dir)
    try:
        try:
            web, web_note = _serve_web(args, record)
        except OSError as exc:
            _say(f"cannot serve the web app on 127.0.0.1:{args.web_port}: {exc}")
            return 1
        record["web_url"] = web.url if web else None
        record["outputs_path"] = str(outputs)
        record["ready_seconds"] = round(time.perf_counter() - started, 2)
        outputs.write_text(json.dumps(record, indent=2), encoding="utf-8")
        terraform_note = (
            "no Terraform run"
            if record["terraform_skipped"]
            else f"terraform init {record['terraform_init_seconds']:.1f} s, apply "
            f"{record['terraform_apply_seconds']:.1f} s"
        )
        _say(f"ready in {record['ready_seconds']:.1f} s ({terraform_note})")
        announce(record, web_note)
        while not stop.wait(1.0):
            pass
        _say("stopping")
        return 0
    finally:
        if web is not None:
            web.stop()
        outputs.unlink(missing_ok=True)
