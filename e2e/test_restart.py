"""A restart of the local cloud keeps everything: the API's address, the jobs, their
documents and results, and the upload links already handed out.

Two phases, run by `make test-e2e` (e2e/runner.py) around a crash of the cloud:
`test_before_the_restart` runs with the rest of the suite, processes a job, asks for an
upload link it does not use yet, waits until the cloud has saved all that, and records it
in DOCUFLOW_E2E_RESTART_RECORD. The runner then kills the cloud (SIGKILL: nothing is
saved on the way out), starts it again on the same state without `--fresh`, and runs this
module again with DOCUFLOW_E2E_PHASE=after-restart, where the other tests check the record
against the restarted cloud. Elsewhere (another target, or no runner) there is no restart
to check, and the tests say so."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from e2e.client import Api, Control
from e2e.documents import fixture
from e2e.test_flow import PROCESSING_TIMEOUT
from tests.support import wait_for

RECORD = os.environ.get("DOCUFLOW_E2E_RESTART_RECORD")
AFTER = os.environ.get("DOCUFLOW_E2E_PHASE") == "after-restart"


def _record() -> dict[str, Any]:
    if not AFTER or not RECORD:
        pytest.skip("checked after the runner restarts the cloud (make test-e2e)")
    recorded: dict[str, Any] = json.loads(Path(RECORD).read_text(encoding="utf-8"))
    return recorded


def _state(control: Control) -> dict[str, Any]:
    health: dict[str, Any] = requests.get(f"{control.base}/health", timeout=30).json()
    state: dict[str, Any] = health["state"]
    return state


def test_before_the_restart(api: Api, control: Control) -> None:
    if AFTER or not RECORD:
        pytest.skip("the runner's first phase records what a restart must keep")
    # Given a processed job and an upload link not used yet
    document = fixture("sample-invoice.pdf", "application/pdf")
    job_id = api.upload(document.data, f"kept-{document.filename}", document.content_type)
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    pending = api.create_upload(document.filename, document.content_type, len(document.data))
    written_at = time.time()
    # When the cloud has saved it all (a checkpoint after the last write)
    wait_for(
        lambda: (
            (state := _state(control))["last_checkpoint_at"] > written_at
            and not state["unsaved_changes"]
        ),
        30,
        "a checkpoint of the local cloud's state",
    )
    Path(str(RECORD)).write_text(
        json.dumps(
            {
                "api_base_url": api.base,
                "job": job,
                "result": api.result(job_id),
                "audit": api.audit(job_id),
                "document_sha256": document.sha256,
                "pending": pending,
            }
        ),
        encoding="utf-8",
    )


def test_the_api_keeps_its_address(api: Api) -> None:
    assert api.base == _record()["api_base_url"]


def test_a_job_keeps_its_status_result_audit_and_document(api: Api, reviewer: Api) -> None:
    record = _record()
    job_id = record["job"]["job_id"]
    assert api.job(job_id) == record["job"]
    assert api.result(job_id) == record["result"]
    assert api.audit(job_id) == record["audit"]
    detail = reviewer.get(f"/review/jobs/{job_id}").json()
    download = requests.get(detail["document"]["url"], timeout=30)
    assert download.status_code == 200, download.text
    assert hashlib.sha256(download.content).hexdigest() == record["document_sha256"]


def test_an_upload_link_handed_out_before_the_restart_still_takes_its_document(
    api: Api,
) -> None:
    pending = _record()["pending"]
    document = fixture("sample-invoice.pdf", "application/pdf")
    put = requests.put(
        pending["upload_url"], data=document.data, headers=pending["upload_headers"], timeout=30
    )
    assert put.status_code == 200, put.text
    job = api.wait_status(pending["job_id"], timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "NEEDS_REVIEW", job
    assert job["file_sha256"] == document.sha256
