"""`make test-e2e`: one local cloud, the end-to-end suites against it, then stop.

Builds the web app afresh (`npm run build`, when `frontend/package.json` defines
`test:e2e`; a failed build fails the run), starts `docuflow up` serving it (on 4173, else
on a free port, whose origins `docuflow up` adds to the CORS), runs `pytest e2e` with
DOCUFLOW_API_BASE_URL / DOCUFLOW_CONTROL_URL / DOCUFLOW_OUTPUTS pointing at it, then — when
`frontend/package.json` defines `test:e2e` — `npm run test:e2e` with API_BASE_URL and
WEB_URL, stops the cloud and exits non-zero if anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from docuflow_tools.localcloud.support import free_port
from docuflow_tools.localcloud.web import DEFAULT_WEB_PORT
from docuflow_tools.paths import REPO_ROOT

FRONTEND_DIR = REPO_ROOT / "frontend"
START_TIMEOUT = float(os.environ.get("DOCUFLOW_E2E_START_TIMEOUT", "600"))


def _say(message: str) -> None:
    print(f"[test-e2e] {message}", flush=True)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def web_arguments(web: bool, web_port: int | None = None) -> list[str]:
    """`docuflow up`'s web options: `web_port`, else 4173 when free, else any free port
    (`docuflow up` adds the chosen port's origins to the CORS, so any port works)."""
    if not web:
        return ["--no-web"]
    if web_port is None:
        web_port = DEFAULT_WEB_PORT if _port_free(DEFAULT_WEB_PORT) else free_port()
    return ["--web-port", str(web_port)]


class Cloud:
    """A `docuflow up` child process and the URLs it printed."""

    def __init__(self, port: int, web: bool, web_port: int | None = None) -> None:
        self.port = port
        args = [sys.executable, "-m", "docuflow_tools.cli", "up", "--port", str(port)]
        args += web_arguments(web, web_port)
        self.log_path = REPO_ROOT / ".localcloud" / f"test-e2e-{port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI
            args, cwd=str(REPO_ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.urls: dict[str, str] = {}
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        with self.log_path.open("w", encoding="utf-8") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self._lines.put(line.rstrip("\n"))

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while "DOCUFLOW_OUTPUTS" not in self.urls:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"docuflow up exited with {self.process.returncode}; see {self.log_path}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"docuflow up not ready within {timeout} s; see {self.log_path}")
            try:
                line = self._lines.get(timeout=min(1.0, remaining))
            except queue.Empty:
                continue
            name, sep, value = line.partition("=")
            if sep and name in ("API_BASE_URL", "WEB_URL", "DOCUFLOW_OUTPUTS"):
                self.urls[name] = value

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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
    code = subprocess.call([_npm(), "run", "build"], cwd=str(frontend))  # noqa: S603
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


def run_suites(cloud: Cloud, pytest_args: list[str]) -> list[str]:
    """pytest e2e, then the web app's end-to-end suite; returns what failed."""
    failures: list[str] = []
    record = json.loads(Path(cloud.urls["DOCUFLOW_OUTPUTS"]).read_text(encoding="utf-8"))
    env = dict(os.environ)
    env.update(
        {
            "DOCUFLOW_API_BASE_URL": cloud.urls["API_BASE_URL"],
            "DOCUFLOW_CONTROL_URL": str(record["control_url"]),
            "DOCUFLOW_OUTPUTS": cloud.urls["DOCUFLOW_OUTPUTS"],
            "DOCUFLOW_AWS_ENDPOINT_URL": str(record["endpoint"]),
        }
    )
    code = subprocess.call(  # noqa: S603 - our interpreter running pytest
        [sys.executable, "-m", "pytest", "e2e", "-p", "no:cacheprovider", *pytest_args],
        cwd=str(REPO_ROOT),
        env=env,
    )
    if code != 0:
        failures.append(f"pytest e2e exited {code}")
    if not _frontend_has_e2e():
        return failures
    if "WEB_URL" not in cloud.urls:
        failures.append("frontend defines test:e2e but no web app is built (frontend/dist)")
        return failures
    env.update({"API_BASE_URL": cloud.urls["API_BASE_URL"], "WEB_URL": cloud.urls["WEB_URL"]})
    code = subprocess.call(  # noqa: S603 - npm from PATH
        [_npm(), "run", "test:e2e"], cwd=str(FRONTEND_DIR), env=env
    )
    if code != 0:
        failures.append(f"npm run test:e2e exited {code}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docuflow_tools.localcloud.run_suite", description=__doc__
    )
    parser.add_argument(
        "--port", type=int, default=None, help="emulator port (default 4566 if free)"
    )
    parser.add_argument(
        "--web-port", type=int, default=None, help="web app port (default 4173 if free)"
    )
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args(argv)
    port = args.port or (4566 if _port_free(4566) else free_port())
    try:
        web = _frontend_has_e2e() and build_frontend()
    except (BuildFailed, FileNotFoundError) as exc:
        _say(f"FAILED: {exc}")
        return 1
    started = time.perf_counter()
    cloud = Cloud(port, web=web, web_port=args.web_port)
    failures: list[str] = []
    try:
        try:
            cloud.wait_ready(START_TIMEOUT)
        except RuntimeError as exc:
            _say(str(exc))
            tail = cloud.log_path.read_text(encoding="utf-8").splitlines()[-30:]
            print("\n".join(tail))
            return 1
        _say(f"local cloud ready in {time.perf_counter() - started:.1f} s")
        failures = run_suites(cloud, args.pytest_args)
    finally:
        cloud.stop()
    for failure in failures:
        _say(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
