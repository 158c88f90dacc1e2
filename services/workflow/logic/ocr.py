"""Starting Textract, hearing back from it (callback or polling) and storing its pages.

Two task tokens per attempt. StartOcr sends the start request to the ocr-start queue and
waits for its token: start-ocr, the queue's consumer, starts Textract at the pace of the
account's quota (pacing.py) and answers it with the Textract job ids. AwaitOcr then runs
await-ocr, which stores the second token on the job; Textract's notifications are
recorded per Textract job on the job item, and whichever writer sees every analysis
finished answers that token (the callback normally, await-ocr itself when Textract was
faster than its write). A stale token (late or duplicate message) is logged and
acknowledged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from docuflow.dal.documents import ocr_page_key
from docuflow.dal.executions import WorkflowGateway
from docuflow.dal.models import JobItem
from docuflow.domain.errors import OcrFailed
from docuflow.domain.status import JobStatus
from docuflow.observability import logger, set_job_id
from services.common.adapters import Storage, Tables
from services.workflow.errors import TextractThrottled
from services.workflow.models import (
    AwaitOcrInput,
    OcrJobs,
    PollResult,
    StartOcrInput,
    StoredOcr,
    TextractNotification,
)
from services.workflow.textract import NOTIFICATION_API, OCR_APIS, OcrApi, TextractGateway

ACTOR = "workflow"
_DONE = frozenset({"SUCCEEDED", "PARTIAL_SUCCESS"})
_FAILED = frozenset({"FAILED", "ERROR"})
_MAX_RESULT_PAGES = 10_000
# Turns a start refused for Textract's rate may take before the execution hears of it.
RATE_RETRIES = 3


@dataclass(frozen=True)
class OcrOutcome:
    status: Literal["SUCCEEDED", "IN_PROGRESS", "FAILED"]
    reason: str = ""


def outcome_of(job: JobItem) -> OcrOutcome:
    """Whether every Textract job of the current attempt has finished, from the job item."""
    if not job.ocr_apis or any(api not in job.ocr_jobs for api in job.ocr_apis):
        return OcrOutcome("IN_PROGRESS")
    statuses = {api: job.ocr_statuses.get(job.ocr_jobs[api]) for api in job.ocr_apis}
    failed = [api for api, status in statuses.items() if status in _FAILED]
    if failed:
        return OcrOutcome(
            "FAILED",
            "Textract reported the "
            + " and ".join(f"{api} analysis ({job.ocr_jobs[api]})" for api in failed)
            + " as failed.",
        )
    if all(status in _DONE for status in statuses.values()):
        return OcrOutcome("SUCCEEDED")
    return OcrOutcome("IN_PROGRESS")


def _answer(workflow: WorkflowGateway, job: JobItem, outcome: OcrOutcome) -> bool:
    """Send the outcome with the job's task token; False when there was nothing to send
    or the token was stale."""
    if job.task_token is None or outcome.status == "IN_PROGRESS":
        return False
    if outcome.status == "SUCCEEDED":
        output = OcrJobs(job_id=job.job_id, ocr_jobs=job.ocr_jobs).model_dump()
        sent = workflow.send_success(job.task_token, output)
    else:
        sent = workflow.send_failure(job.task_token, "OcrFailed", outcome.reason)
    if not sent:
        logger.info("Task token no longer waiting; message acknowledged")
    return sent


def _start_in_turn(pace: Callable[[], None], start: Callable[[], str]) -> str:
    """`start` when `pace` gives it a turn. A start Textract refuses for its rate takes
    the next turn, up to RATE_RETRIES times: the pacer keeps the starts within the quota,
    so a refusal means a turn came a little early (or another caller of the account took
    it), not a burst. A refusal for the concurrent-jobs quota goes to the execution at
    once: only a job finishing frees room, and the state's Retry waits for that."""
    retries_left = RATE_RETRIES
    while True:
        pace()  # a repeated start counts against the quota too
        try:
            return start()
        except TextractThrottled as exc:
            if not exc.rate or retries_left == 0:
                raise
            retries_left -= 1
            logger.info("Textract refused a paced start for its rate; taking the next turn")


def start_ocr(
    storage: Storage,
    textract: TextractGateway,
    state: StartOcrInput,
    *,
    ocr_mode: str,
    sns_topic_arn: str,
    role_arn: str,
    pace: Callable[[], None],
) -> OcrJobs:
    """Start the analyses OCR_MODE asks for, each when `pace` lets it, and record them.

    Safe to repeat: the ClientRequestToken returns the same Textract jobs, and a job that
    is no longer PROCESSING (failed meanwhile) refuses the write (InvalidTransition)."""
    set_job_id(state.job_id)
    job = storage.jobs.get(state.job_id)
    apis = OCR_APIS[ocr_mode]
    job = storage.jobs.update(
        state.job_id,
        expected_status=JobStatus.PROCESSING,
        set_fields={
            "ocr_apis": list(apis),
            # Kept across retries of this step: the ClientRequestToken returns the same
            # Textract jobs, and their notifications may have been recorded already.
            "ocr_jobs": job.ocr_jobs,
            "ocr_statuses": job.ocr_statuses,
        },
    )
    ocr_jobs = dict(job.ocr_jobs)
    for api in apis:
        ocr_jobs[api] = _start_in_turn(
            pace,
            partial(
                textract.start,
                api,
                bucket=state.bucket,
                key=state.key,
                job_tag=state.job_id,
                client_token=f"{state.job_id}-{state.attempt}-{api}",
                sns_topic_arn=sns_topic_arn,
                role_arn=role_arn,
            ),
        )
        # Recorded after each start, so a retry after throttling knows what is running.
        storage.jobs.update(
            state.job_id, expected_status=JobStatus.PROCESSING, set_fields={"ocr_jobs": ocr_jobs}
        )
    storage.audit.record(
        state.job_id,
        "ocr_started",
        actor=ACTOR,
        details={"mode": ocr_mode, "ocr_jobs": ocr_jobs, "attempt": state.attempt},
    )
    return OcrJobs(job_id=state.job_id, ocr_jobs=ocr_jobs)


def await_ocr(storage: Tables, workflow: WorkflowGateway, state: AwaitOcrInput) -> bool:
    """Store the token the callback answers; answer it here when Textract finished before
    it was stored (no callback could conclude then). True when answered here."""
    set_job_id(state.job_id)
    job = storage.jobs.update(
        state.job_id,
        expected_status=JobStatus.PROCESSING,
        set_fields={"task_token": state.task_token},
    )
    return _answer(workflow, job, outcome_of(job))


def handle_notification(
    storage: Tables, workflow: WorkflowGateway, note: TextractNotification
) -> str:
    """Record one Textract completion and answer the task token once all are in.

    Returns what happened, for the log: "answered", "waiting" or "ignored".
    """
    set_job_id(note.job_tag)
    api = NOTIFICATION_API.get(note.api)
    if api is None:
        logger.warning("Notification for an API the pipeline does not use", extra={"api": note.api})
        return "ignored"
    job = storage.jobs.find(note.job_tag)
    if job is None:
        logger.warning("Notification for an unknown job", extra={"textract_job_id": note.job_id})
        return "ignored"
    known = job.ocr_jobs.get(api)
    if known is not None and known != note.job_id:
        logger.info("Notification from an earlier attempt", extra={"textract_job_id": note.job_id})
        return "ignored"
    updated = storage.jobs.record_ocr_status(note.job_tag, note.job_id, note.status)
    if updated is None:
        logger.info("Job is not waiting for OCR", extra={"status": job.status.value})
        return "ignored"
    return "answered" if _answer(workflow, updated, outcome_of(updated)) else "waiting"


def poll_ocr(storage: Tables, textract: TextractGateway, job_id: str, polls: int) -> PollResult:
    """Ask Textract for the status of each analysis (the fallback when no notification came)."""
    set_job_id(job_id)
    job = storage.jobs.get(job_id)
    status: Literal["SUCCEEDED", "IN_PROGRESS", "FAILED"] = "SUCCEEDED"
    reason = ""
    if not job.ocr_apis or any(api not in job.ocr_jobs for api in job.ocr_apis):
        status = "IN_PROGRESS"
    for api, textract_job_id in job.ocr_jobs.items():
        page = textract.get_page(_api(api), textract_job_id, max_results=1)
        job_status = str(page.get("JobStatus", "IN_PROGRESS"))
        if job_status in _FAILED:
            status = "FAILED"
            reason = str(page.get("StatusMessage") or f"Textract {api} analysis failed.")
            break
        if job_status not in _DONE:
            status = "IN_PROGRESS"
    return PollResult(ocr_status=status, polls=polls + 1, ocr_jobs=job.ocr_jobs, reason=reason)


def store_ocr(storage: Storage, textract: TextractGateway, job_id: str, attempt: int) -> StoredOcr:
    """Every page of every analysis, following NextToken, to ocr/{job_id}/{attempt}/{api}/."""
    set_job_id(job_id)
    job = storage.jobs.get(job_id)
    if not job.ocr_apis:
        raise OcrFailed(f"No OCR analysis was started for job {job_id}.")
    keys: list[str] = []
    for api in job.ocr_apis:
        textract_job_id = job.ocr_jobs.get(api)
        if textract_job_id is None:
            raise OcrFailed(f"No {api} analysis was started for job {job_id}.")
        next_token: str | None = None
        for number in range(1, _MAX_RESULT_PAGES + 1):
            page = textract.get_page(_api(api), textract_job_id, next_token=next_token)
            job_status = page.get("JobStatus")
            if job_status not in _DONE:
                raise OcrFailed(
                    f"Textract {api} analysis {textract_job_id} is {job_status}, not finished."
                )
            key = ocr_page_key(job_id, attempt, api, number)
            storage.documents.put_json(key, page)
            keys.append(key)
            next_token = page.get("NextToken")
            if not next_token:
                break
        else:
            raise OcrFailed(f"Textract {api} analysis has more than {_MAX_RESULT_PAGES} pages.")
    return StoredOcr(keys=keys, pages=len(keys))


def _api(name: str) -> OcrApi:
    if name == "expense":
        return "expense"
    if name == "document":
        return "document"
    raise OcrFailed(f"Unknown OCR API {name!r} recorded on the job.")
