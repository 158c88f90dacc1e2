"""`docuflow up` as a child process, for what needs a whole local cloud for a while: the
end-to-end suite and its runner (`make test-e2e`), the pipeline benchmark
(`make bench-e2e`) and the emulator tests that stop, kill or measure a real server.

`UpProcess` starts `python -m docuflow_tools.cli up`, copies its output to a log beside
its state folder, waits for the NAME=value lines it prints once it is ready
(`API_BASE_URL`, `WEB_URL`, `DOCUFLOW_OUTPUTS`: cli.machine_lines; `AWS_ENDPOINT_URL` for
`--emulator-only`) and stops it with SIGTERM, as a person's Ctrl-C would, or kills it.

Each child keeps its state in a folder of its own (`.localcloud/<name>` unless given),
never in the `.localcloud/<port>` of a person's `make up`; two children of one name at
once are refused (`docuflow up` holds its state folder).
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from docuflow_tools.localcloud.ports import preferred_or_free
from docuflow_tools.localcloud.server import DEFAULT_PORT
from docuflow_tools.localcloud.web import DEFAULT_WEB_PORT
from docuflow_tools.paths import REPO_ROOT

MACHINE_NAMES = ("API_BASE_URL", "WEB_URL", "DOCUFLOW_OUTPUTS", "AWS_ENDPOINT_URL")


def up_arguments(port: int, web: bool, web_port: int | None = None) -> list[str]:
    """`docuflow up`'s options: the emulator's `port` and, with `web`, `web_port`, else 4173
    when free, else any free port (`docuflow up` adds the chosen port's origins to the
    CORS, so any port works)."""
    args = ["up", "--port", str(port)]
    if not web:
        return [*args, "--no-web"]
    chosen = web_port if web_port is not None else preferred_or_free(DEFAULT_WEB_PORT)
    return [*args, "--web-port", str(chosen)]


class UpProcess:
    """A `docuflow up` child process and the URLs it printed.

    `port` None is 4566 when free, else any free port; `web_port` likewise with 4173;
    `name` names the state folder (`state`, else `.localcloud/<name>`) and the log
    `<name>.log` beside it; `options` are more `docuflow up` options (`--fresh`,
    `--emulator-only`, ...)."""

    def __init__(
        self,
        *,
        name: str,
        port: int | None = None,
        web: bool = False,
        web_port: int | None = None,
        state: Path | None = None,
        options: Sequence[str] = (),
    ) -> None:
        self.port = port if port is not None else preferred_or_free(DEFAULT_PORT)
        self.web_port: int | None = None
        if web:
            self.web_port = (
                web_port if web_port is not None else preferred_or_free(DEFAULT_WEB_PORT)
            )
        self.state = state or REPO_ROOT / ".localcloud" / name
        self.log_path = self.state.parent / f"{name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.ready_name = "AWS_ENDPOINT_URL" if "--emulator-only" in options else "DOCUFLOW_OUTPUTS"
        args = [
            *up_arguments(self.port, web, self.web_port),
            "--state",
            str(self.state),
            *options,
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "docuflow_tools.cli", *args],
            cwd=str(REPO_ROOT),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.urls: dict[str, str] = {}
        self._lines: queue.Queue[str] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        with self.log_path.open("a", encoding="utf-8") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self._lines.put(line.rstrip("\n"))

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def outputs_path(self) -> Path:
        """The JSON `docuflow up` wrote (its URLs and Terraform outputs), once ready."""
        return Path(self.urls["DOCUFLOW_OUTPUTS"])

    def wait_ready(self, timeout: float) -> None:
        """Until `docuflow up` printed its URLs; RuntimeError naming the log if it exits
        first or takes longer than `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while self.ready_name not in self.urls:
            if self.process.poll() is not None and self._lines.empty():
                self._pump_thread.join(timeout=5)
                if self._lines.empty():
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
            if sep and name in MACHINE_NAMES:
                self.urls[name] = value

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-lines:])

    def wait(self, timeout: float) -> int:
        """Until it exits by itself; its exit code."""
        code = self.process.wait(timeout=timeout)
        self._pump_thread.join(timeout=5)
        return code

    def stop(self) -> int | None:
        """SIGTERM, as Ctrl-C; kills it if it has not exited after 60 s. Its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._pump_thread.join(timeout=5)
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL: a crash, with no chance to save anything."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._pump_thread.join(timeout=5)
