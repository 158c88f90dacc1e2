"""`docuflow up` as a child process, for what needs a whole local cloud for a while: the
end-to-end suite and its runner (`make test-e2e`) and the pipeline benchmark
(`make bench-e2e`).

`UpProcess` starts `python -m docuflow_tools.cli up`, copies its output to
`.localcloud/<name>-<port>.log`, waits for the NAME=value lines it prints once it is ready
(`API_BASE_URL`, `WEB_URL`, `DOCUFLOW_OUTPUTS`: cli.machine_lines) and stops it with
SIGTERM, as a person's Ctrl-C would.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from docuflow_tools.localcloud.ports import preferred_or_free
from docuflow_tools.localcloud.server import DEFAULT_PORT
from docuflow_tools.localcloud.web import DEFAULT_WEB_PORT
from docuflow_tools.paths import REPO_ROOT

MACHINE_NAMES = ("API_BASE_URL", "WEB_URL", "DOCUFLOW_OUTPUTS")


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

    `port` None is 4566 when free, else any free port; `name` names the log file."""

    def __init__(
        self, *, name: str, port: int | None = None, web: bool = False, web_port: int | None = None
    ) -> None:
        self.port = port if port is not None else preferred_or_free(DEFAULT_PORT)
        self.log_path = REPO_ROOT / ".localcloud" / f"{name}-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "docuflow_tools.cli", *up_arguments(self.port, web, web_port)],
            cwd=str(REPO_ROOT),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
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

    @property
    def outputs_path(self) -> Path:
        """The JSON `docuflow up` wrote (its URLs and Terraform outputs), once ready."""
        return Path(self.urls["DOCUFLOW_OUTPUTS"])

    def wait_ready(self, timeout: float) -> None:
        """Until `docuflow up` printed its URLs; RuntimeError naming the log if it exits
        first or takes longer than `timeout` seconds."""
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
            if sep and name in MACHINE_NAMES:
                self.urls[name] = value

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
