"""Parallel decisions on a jobs table of thousands of jobs, over HTTP: exactly one wins,
and the uploads made meanwhile all survive.

The local cloud's emulator once lost writes here (a cancelled transaction put back a copy
of the whole table taken before it), which the two-reviewer race of test_flow.py did not
show on a small table. Runs where the emulator's controls are (it prints its memory); on
another target it would only add thousands of jobs.

Every document here is a generated invoice of its own, so nothing this test approves makes
another test's invoice a duplicate. The thousands of other jobs are CREATED jobs written
straight into the jobs table by the repository POST /uploads writes with: what the race
needs is the table's size, and 2,000 trips through the API took half the test's time."""

from __future__ import annotations

import concurrent.futures
import threading
import time
import uuid
from typing import Any

import pytest
import requests

from docuflow.dal.documents import document_key
from docuflow.dal.jobs import JobRepository
from docuflow.dal.models import JobItem, utc_now
from docuflow.domain.status import JobStatus
from e2e.client import Api, Control, prepare
from e2e.documents import generated_invoice
from e2e.targets import Target
from e2e.test_flow import PROCESSING_TIMEOUT

TABLE_JOBS = 2000  # jobs created before the race, besides those of the rest of the suite
DECISIONS = 20
UPLOADS = 40


def _health(control: Control) -> dict[str, Any]:
    answer: dict[str, Any] = requests.get(f"{control.base}/health", timeout=30).json()
    return answer


def _fill_jobs_table(target: Target, like_job_id: str, count: int) -> None:
    """`count` CREATED jobs of the tenant and uploader of job `like_job_id`, each written by
    JobRepository.create (what POST /uploads writes a job with), one after another (the
    emulator takes DynamoDB requests one at a time anyway, and a boto3 resource is not
    to be shared between threads)."""
    jobs = JobRepository(target.dynamodb_table("jobs_table"))
    like = jobs.get(like_job_id)

    for n in range(count):
        job_id = str(uuid.uuid4())
        now = utc_now()
        jobs.create(
            JobItem(
                job_id=job_id,
                status=JobStatus.CREATED,
                tenant_id=like.tenant_id,
                uploaded_by=like.uploaded_by,
                created_at=now,
                updated_at=now,
                status_changed_at=now,
                version=1,
                filename=f"filler-{n}.pdf",
                content_type="application/pdf",
                size_bytes=100,
                s3_key=document_key(like.tenant_id, job_id, f"filler-{n}.pdf"),
            )
        )


@pytest.mark.timeout(900)  # thousands of jobs on a shared, busy machine
def test_parallel_decisions_have_one_winner_and_uploads_made_meanwhile_survive(
    api: Api, reviewer: Api, control: Control, target: Target
) -> None:
    # Given a job in review (an invoice uploaded a second time: a possible duplicate, so an
    # approval carries an override reason) and thousands of other jobs in the table
    document = generated_invoice()
    prepare(target, document)
    first = api.upload(document.data, document.filename, document.content_type)
    assert api.wait_status(first, timeout=PROCESSING_TIMEOUT)["status"] == "COMPLETED"
    job_id = api.upload(document.data, f"race-{document.filename}", document.content_type)
    assert api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
    others = [generated_invoice() for _ in range(UPLOADS)]
    for other in others:
        prepare(target, other)
    version = api.job(job_id)["version"]
    started = time.perf_counter()
    _fill_jobs_table(target, job_id, TABLE_JOBS)
    filled = time.perf_counter() - started
    before = _health(control)["memory"]

    # When reviewers decide at once, all with the version they saw, while clerks upload
    start = threading.Barrier(DECISIONS + UPLOADS)

    def decide(n: int) -> int:
        body: dict[str, Any] = {"expected_version": version}
        body.update(
            {"decision": "APPROVE", "override_reason": "second delivery"}
            if n % 2
            else {"decision": "REJECT", "reason": "duplicate"}
        )
        start.wait()
        return reviewer.decide(job_id, body).status_code

    def upload(n: int) -> str:
        start.wait()
        other = others[n]
        return api.upload(other.data, f"during-race-{other.filename}", other.content_type)

    raced = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=DECISIONS + UPLOADS) as pool:
        decisions = [pool.submit(decide, n) for n in range(DECISIONS)]
        uploads = [pool.submit(upload, n) for n in range(UPLOADS)]
        codes = [future.result() for future in decisions]
        uploaded = [future.result() for future in uploads]
    raced = time.perf_counter() - raced
    after = _health(control)["memory"]

    # Then one decision won, the others were told of the conflict, the audit has one
    # decision, and every upload is there (its job may still be CREATED until the S3
    # notification reaches intake) and is processed in the end
    decided = api.job(job_id)
    records = [item for item in api.audit(job_id) if item["event"] in ("approved", "rejected")]
    lost = [upload_id for upload_id in uploaded if api.get(f"/jobs/{upload_id}").status_code != 200]
    print(
        f"\n[race] {TABLE_JOBS} jobs created in {filled:.1f} s; {DECISIONS} decisions + "
        f"{UPLOADS} uploads in {raced:.1f} s: {codes.count(200)} x 200, "
        f"{codes.count(409)} x 409, other {[c for c in codes if c not in (200, 409)]}; "
        f"decision records {len(records)}; lost uploads {len(lost)}; emulator RSS "
        f"{before['rss_bytes'] / 2**20:.0f} MiB before, {after['rss_bytes'] / 2**20:.0f} MiB "
        f"after, peak {after['peak_rss_bytes'] / 2**20:.0f} MiB"
    )
    assert codes.count(200) == 1, codes
    assert codes.count(409) == DECISIONS - 1, codes
    assert decided["status"] in ("APPROVED", "REJECTED")
    assert decided["version"] == version + 1
    assert len(records) == 1 and records[0]["event"] == decided["status"].lower()
    assert lost == []
    for upload_id in uploaded:
        assert api.wait_status(upload_id, timeout=PROCESSING_TIMEOUT)["status"] == "COMPLETED"
