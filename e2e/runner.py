"""`make test-e2e` (`python -m e2e.runner`): one local cloud, the end-to-end suites
against it, a crash and a restart, then stop.

Builds the web app afresh (`npm run build`, when `frontend/package.json` defines
`test:e2e`; a failed build fails the run), starts `docuflow up --fresh` serving it (on
4173, else on a free port, whose origins `docuflow up` adds to the CORS; its state in
`.localcloud/test-e2e`), runs `pytest e2e` (with `--workers 2`, the fuzzer on one xdist
worker and the pipeline tests in their order on the other) with DOCUFLOW_API_BASE_URL /
DOCUFLOW_CONTROL_URL / DOCUFLOW_OUTPUTS pointing at it, `e2e/test_restart.py` last (it
records what a restart must keep). Then it kills the cloud (SIGKILL, a
crash), starts it again on the same state, and runs `e2e/test_restart.py` against it
(DOCUFLOW_E2E_PHASE=after-restart: what the first run recorded must still be there), then
— when `frontend/package.json` defines `test:e2e` — `npm run test:e2e` with API_BASE_URL
and WEB_URL against the restarted cloud, stops it and exits non-zero if anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from docuflow_tools.localcloud.up_process import UpProcess
from docuflow_tools.paths import REPO_ROOT

FRONTEND_DIR = REPO_ROOT / "frontend"
START_TIMEOUT = float(os.environ.get("DOCUFLOW_E2E_START_TIMEOUT", "600"))
NAME = "test-e2e"  # its state folder: .localcloud/test-e2e


def _say(message: str) -> None:
    print(f"[test-e2e] {message}", flush=True)


def _frontend_has_e2e() -> bool:
    package = FRONTEND_DIR / "package.json"
    if not package.is_file():
        return False
    scripts = json.loads(package.read_text(encoding="utf-8")).get("scripts") or {}
    return "test:e2e" in scripts


class BuildFailed(RuntimeError):
    """`npm run build` of the web app failed or left no `dist/index.html`."""


def build_frontend(frontend: Path | None = None) -> bool:
    """Build the web app afresh, so the suites never test a stale `dist/`.

    False when there is nothing to build (no `package.json` or no `build` script); raises
    BuildFailed when the build fails."""
    frontend = frontend or FRONTEND_DIR
    package = frontend / "package.json"
    if not package.is_file():
        return False
    scripts = json.loads(package.read_text(encoding="utf-8")).get("scripts") or {}
    if "build" not in scripts:
        return False
    _say("building the web app (npm run build)")
    started = time.perf_counter()
    code = subprocess.call([_npm(), "run", "build"], cwd=str(frontend))
    if code != 0:
        raise BuildFailed(f"`npm run build` in {frontend} exited {code}; its output is above")
    if not (frontend / "dist" / "index.html").is_file():
        raise BuildFailed(f"`npm run build` in {frontend} left no dist/index.html")
    _say(f"web app built in {time.perf_counter() - started:.1f} s")
    return True


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is not installed; the web app's suites need it")
    return npm


def suite_env(cloud: UpProcess, restart_record: Path) -> dict[str, str]:
    """The environment that points the suites at `cloud`."""
    record = json.loads(cloud.outputs_path.read_text(encoding="utf-8"))
    env = dict(os.environ)
    env.update(
        {
            "DOCUFLOW_API_BASE_URL": cloud.urls["API_BASE_URL"],
            "DOCUFLOW_CONTROL_URL": str(record["control_url"]),
            "DOCUFLOW_OUTPUTS": cloud.urls["DOCUFLOW_OUTPUTS"],
            "DOCUFLOW_AWS_ENDPOINT_URL": str(record["endpoint"]),
            "DOCUFLOW_E2E_RESTART_RECORD": str(restart_record),
        }
    )
    return env


def _pytest(env: dict[str, str], paths: list[str], pytest_args: list[str]) -> int:
    return subprocess.call(
        [sys.executable, "-m", "pytest", *paths, "-p", "no:cacheprovider", *pytest_args],
        cwd=str(REPO_ROOT),
        env=env,
    )


def crash_and_restart(cloud: UpProcess, web: bool) -> UpProcess:
    """Kill `cloud` (nothing saved on the way out) and start it again on its state."""
    cloud.kill()
    _say("local cloud killed (SIGKILL); starting it again on the same state")
    started = time.perf_counter()
    again = UpProcess(name=NAME, port=cloud.port, web=web, web_port=cloud.web_port)
    again.wait_ready(START_TIMEOUT)
    _say(f"local cloud ready again in {time.perf_counter() - started:.1f} s")
    return again


def run_suites(
    cloud: UpProcess, web: bool, pytest_args: list[str], workers: int = 1
) -> tuple[list[str], UpProcess]:
    """pytest e2e; a crash and restart and e2e/test_restart.py; the web app's end-to-end
    suite. Returns what failed and the cloud now running."""
    failures: list[str] = []
    restart_record = cloud.state / "e2e-restart-record.json"
    restart_record.unlink(missing_ok=True)
    env = suite_env(cloud, restart_record)
    # The fuzzer (minutes of API requests on its own data) beside the pipeline tests, which
    # mostly wait on the pipeline: e2e/conftest.py puts each in its own xdist group.
    parallel = ["-n", str(workers), "--dist", "loadgroup"] if workers > 1 else []
    code = _pytest(env, ["e2e", "--ignore=e2e/test_restart.py", *parallel], pytest_args)
    if code != 0:
        failures.append(f"pytest e2e exited {code}")
    # What the restart must keep is recorded last: nothing else (schemathesis decides on
    # any job it can list) changes it before the crash.
    code = _pytest(env, ["e2e/test_restart.py"], pytest_args)
    if code != 0:
        failures.append(f"pytest e2e/test_restart.py before the restart exited {code}")
    try:
        cloud = crash_and_restart(cloud, web)
    except RuntimeError as exc:
        failures.append(f"the local cloud did not start again: {exc}")
        return failures, cloud
    env = suite_env(cloud, restart_record)
    env["DOCUFLOW_E2E_PHASE"] = "after-restart"
    code = _pytest(env, ["e2e/test_restart.py"], pytest_args)
    if code != 0:
        failures.append(f"pytest e2e/test_restart.py after the restart exited {code}")
    if not _frontend_has_e2e():
        return failures, cloud
    if "WEB_URL" not in cloud.urls:
        failures.append("frontend defines test:e2e but no web app is built (frontend/dist)")
        return failures, cloud
    env.update({"API_BASE_URL": cloud.urls["API_BASE_URL"], "WEB_URL": cloud.urls["WEB_URL"]})
    code = subprocess.call([_npm(), "run", "test:e2e"], cwd=str(FRONTEND_DIR), env=env)
    if code != 0:
        failures.append(f"npm run test:e2e exited {code}")
    return failures, cloud


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m e2e.runner", description=__doc__)
    parser.add_argument(
        "--port", type=int, default=None, help="emulator port (default 4566 if free)"
    )
    parser.add_argument(
        "--web-port", type=int, default=None, help="web app port (default 4173 if free)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="pytest workers for e2e/ (2: the fuzzer beside the pipeline tests)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args(argv)
    try:
        web = _frontend_has_e2e() and build_frontend()
    except (BuildFailed, FileNotFoundError) as exc:
        _say(f"FAILED: {exc}")
        return 1
    started = time.perf_counter()
    cloud = UpProcess(
        name=NAME, port=args.port, web=web, web_port=args.web_port, options=("--fresh",)
    )
    failures: list[str] = []
    try:
        try:
            cloud.wait_ready(START_TIMEOUT)
        except RuntimeError as exc:
            _say(str(exc))
            print(cloud.log_tail())
            return 1
        _say(f"local cloud ready in {time.perf_counter() - started:.1f} s")
        failures, cloud = run_suites(cloud, web, args.pytest_args, args.workers)
    finally:
        cloud.stop()
    for failure in failures:
        _say(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
