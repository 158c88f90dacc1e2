"""bench-e2e's own arithmetic: the process tree's memory, a process's CPU time, and uploads
that failed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from docuflow_tools.bench.pipeline import Run, _tally, cpu_seconds, tree_memory
from tests.support import wait_for


def _rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def test_the_process_tree_counts_every_descendant() -> None:
    # Given a child that holds 64 MB and has a child of its own holding 64 MB
    code = (
        "import subprocess, sys, time; b = bytearray(64 * 2**20); "
        "c = subprocess.Popen([sys.executable, '-c', "
        "'import time; b = bytearray(64 * 2**20); time.sleep(60)']); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        # When the tree under the child is measured (once both have allocated), Then both
        # processes' memory is in it, not only the child's
        wait_for(lambda: tree_memory(child.pid)[0] >= 128 * 2**20, timeout=60)
        assert tree_memory(child.pid)[0] > _rss(child.pid) + 60 * 2**20
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the grandchild too
        child.wait()


def test_pages_two_processes_share_count_once_in_the_proportional_figure() -> None:
    # Given a child that wrote 64 MB and then forked: both map the same 64 MB of pages
    code = "import os, time; b = bytearray(b'x' * (64 * 2**20)); os.fork(); time.sleep(60)"
    child = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        wait_for(lambda: tree_memory(child.pid)[0] >= 128 * 2**20, timeout=60)
        # When the tree is measured, Then RSS counts the 64 MB in each process, PSS once
        rss, pss = tree_memory(child.pid)
        assert rss - pss > 50 * 2**20
        assert pss >= 64 * 2**20
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the grandchild too
        child.wait()


def test_a_failed_upload_is_counted_by_why_and_is_not_a_status() -> None:
    runs = [
        Run(job_id="a", uploaded_at=0.0, final_at=1.0, status="COMPLETED"),
        Run(job_id="", uploaded_at=0.0, upload_error="HTTP 503"),
        Run(job_id="", uploaded_at=0.0, upload_error="ReadTimeout"),
        Run(job_id="", uploaded_at=0.0, upload_error="HTTP 503"),
        Run(job_id="b", uploaded_at=0.0),
    ]
    statuses, failures = _tally(runs)
    assert statuses == {"COMPLETED": 1, "NOT_FINAL": 1}
    assert failures == {"HTTP 503": 2, "ReadTimeout": 1}


def test_a_process_cpu_time_is_what_it_spent_not_the_time_it_waited() -> None:
    # Given a child that spins for 0.6 s of CPU, then sleeps
    code = (
        "import time; end = time.process_time() + 0.6\n"
        "while time.process_time() < end: pass\n"
        "print('spun', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "spun\n"
        # When its CPU time is read, Then it holds the spin and not the sleep
        spent = cpu_seconds(child.pid)
        assert spent is not None and 0.6 <= spent < 2.0
    finally:
        child.kill()
        child.wait()
    # And a process that is gone has none
    assert cpu_seconds(child.pid) is None
    assert cpu_seconds(None) is None
