"""A Textract stand-in that speaks Textract's JSON protocol (X-Amz-Target Textract.*).

It answers from recordings chosen by the SHA-256 of the document's bytes (the index over
the shared fixtures in textract_recordings.json, plus recordings registered at runtime),
else (optionally) from the offline OCR engine. It can be told to throttle start calls,
fail jobs or add latency, so the pipeline's failure paths run on purpose, and it can hold
an account's quotas: start calls per second (ProvisionedThroughputExceededException above
it) and concurrent asynchronous jobs (LimitExceededException above it), both unlimited
unless set (DOCUFLOW_TEXTRACT_START_TPS, DOCUFLOW_TEXTRACT_MAX_JOBS or the control route).

Asynchronous jobs complete after a latency, scheduled on one timer thread and finished by
a small pool (never a thread per job), and publish Textract's completion message to the
job's NotificationChannel SNS topic the moment they finish. The newest MAX_KEPT_JOBS
finished jobs are kept for Get* calls, each response compressed (an AnalyzeExpense response
of up to 1.2 MB as Python objects is 19-65 KB packed); older ones are forgotten, so
memory stays bounded however many documents pass through.
"""

from __future__ import annotations

import base64
import heapq
import importlib
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from docuflow_tools.localcloud.textract_recordings import (
    Api,
    RecordingIndex,
    pack,
    sha256_of,
    unpack,
)

# Textract's own page sizes: GetDocumentAnalysis returns at most 1,000 blocks a call,
# GetExpenseAnalysis at most 20 expense documents.
DEFAULT_BLOCK_PAGE_SIZE = 1000
DEFAULT_EXPENSE_PAGE_SIZE = 20
MODE_ENV = "DOCUFLOW_TEXTRACT_MODE"
START_TPS_ENV = "DOCUFLOW_TEXTRACT_START_TPS"
MAX_JOBS_ENV = "DOCUFLOW_TEXTRACT_MAX_JOBS"
# Finished jobs answered by Get* calls; Textract keeps results for days, the stand-in keeps
# this many (a pipeline reads them within seconds of the notification).
MAX_KEPT_JOBS = 2000
# Jobs finished at once: resolving a recording is instant, the offline engine is not.
FINISHERS = 2

ReadObject = Callable[[str, str, str | None], bytes]
Publish = Callable[[str, str], None]


class TextractError(Exception):
    """An error answered in Textract's JSON error shape."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, str]:
        return {"__type": self.code, "message": self.message, "Message": self.message}


def sniff_document(data: bytes) -> str | None:
    """The document format by magic bytes, or None when Textract could not read it."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def paginate(api: Api, response: dict[str, Any], page_size: int) -> list[dict[str, Any]]:
    """Split a merged response into Get* pages the way Textract does."""
    key = "ExpenseDocuments" if api == "expense" else "Blocks"
    items = list(response.get(key, []))
    chunks = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
    pages = []
    for chunk in chunks:
        page = {k: v for k, v in response.items() if k != key}
        page[key] = chunk
        pages.append(page)
    return pages


# ---------------------------------------------------------------------------- the engine


def engine_available() -> bool:
    try:
        importlib.import_module("docuflow_tools.offline_ocr.engine")
    except ImportError:
        return False
    return True


def run_engine(data: bytes, api: Api) -> dict[str, Any]:
    """The offline OCR engine (docuflow_tools.offline_ocr.engine), imported only when needed."""
    engine: Any = importlib.import_module("docuflow_tools.offline_ocr.engine")
    for name in ("analyze", "analyze_bytes"):
        function = getattr(engine, name, None)
        if callable(function):
            response: dict[str, Any] = function(data, api)
            return response
    raise RuntimeError("docuflow_tools.offline_ocr.engine exposes no analyze(data, api) function")


# ---------------------------------------------------------------------------- faults


@dataclass
class Faults:
    """What the stand-in has been told to do wrong."""

    throttle_next_starts: int = 0
    # Every start call is throttled until this time.monotonic() (sustained throttling).
    throttle_until: float = 0.0
    fail_next_jobs: int = 0
    fail_sha256: dict[str, str] = field(default_factory=dict)
    latency_seconds: float | None = None
    status_message: str = "The document could not be processed (injected failure)."

    def snapshot(self) -> dict[str, Any]:
        return {
            "throttle_next_starts": self.throttle_next_starts,
            "throttle_seconds_left": round(max(self.throttle_until - time.monotonic(), 0.0), 1),
            "fail_next_jobs": self.fail_next_jobs,
            "fail_sha256": dict(self.fail_sha256),
            "latency_seconds": self.latency_seconds,
            "status_message": self.status_message,
        }


@dataclass
class Quotas:
    """The account's Textract quotas the stand-in holds; None is unlimited."""

    start_tps: float | None = None
    max_concurrent_jobs: int | None = None

    @classmethod
    def from_env(cls) -> Quotas:
        tps = os.environ.get(START_TPS_ENV, "").strip()
        jobs = os.environ.get(MAX_JOBS_ENV, "").strip()
        return cls.parse(
            {
                "start_tps": float(tps) if tps else None,
                "max_concurrent_jobs": int(jobs) if jobs else None,
            }
        )

    @classmethod
    def parse(cls, body: dict[str, Any]) -> Quotas:
        unknown = set(body) - {"start_tps", "max_concurrent_jobs"}
        if unknown:
            raise ValueError(
                f"unknown quotas: {sorted(unknown)}; allowed: start_tps, max_concurrent_jobs"
            )
        tps, jobs = body.get("start_tps"), body.get("max_concurrent_jobs")
        if tps is not None and (
            isinstance(tps, bool) or not isinstance(tps, int | float) or tps <= 0
        ):
            raise ValueError("start_tps is a number > 0, or null for unlimited")
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs <= 0):
            raise ValueError("max_concurrent_jobs is an integer > 0, or null for unlimited")
        return cls(None if tps is None else float(tps), jobs)

    def snapshot(self) -> dict[str, Any]:
        return {"start_tps": self.start_tps, "max_concurrent_jobs": self.max_concurrent_jobs}


@dataclass
class Job:
    job_id: str
    api: Api
    start_api: str
    bucket: str
    key: str
    version: str | None
    sha256: str
    job_tag: str | None
    notification: dict[str, Any] | None
    status: str = "IN_PROGRESS"
    status_message: str | None = None
    response: bytes | None = None  # packed (textract_recordings.pack): kept for 2,000 jobs
    pages: int = 0
    created: float = field(default_factory=time.time)
    finished: float | None = None
    document: bytes | None = None  # until the job finishes
    forced_failure: str | None = None


@dataclass
class Stats:
    start_calls: int = 0
    throttled: int = 0
    # Refused for the quotas (not injected): starts over start_tps, jobs over the maximum.
    over_tps: int = 0
    over_max_jobs: int = 0
    peak_in_progress: int = 0
    jobs_succeeded: int = 0
    jobs_failed: int = 0
    get_calls: int = 0
    pages: dict[str, int] = field(default_factory=lambda: {"expense": 0, "document": 0})


_START_ACTIONS: dict[str, tuple[Api, str]] = {
    "StartExpenseAnalysis": ("expense", "StartExpenseAnalysis"),
    "StartDocumentAnalysis": ("document", "StartDocumentAnalysis"),
}
_GET_ACTIONS: dict[str, Api] = {"GetExpenseAnalysis": "expense", "GetDocumentAnalysis": "document"}
_SYNC_ACTIONS: dict[str, Api] = {"AnalyzeExpense": "expense", "AnalyzeDocument": "document"}


class TextractStandIn:
    """Answers Textract's JSON protocol from recordings."""

    def __init__(
        self,
        read_object: ReadObject,
        *,
        publish: Publish,
        recordings: RecordingIndex | None = None,
        latency_seconds: float = 1.0,
        mode: str | None = None,
        block_page_size: int | None = None,
    ) -> None:
        self.read_object = read_object
        self.publish = publish
        self.recordings = recordings if recordings is not None else RecordingIndex.from_fixtures()
        self.latency_seconds = latency_seconds
        self.mode = (mode or os.environ.get(MODE_ENV) or "replay-then-engine").lower()
        if self.mode not in ("replay", "engine", "replay-then-engine"):
            raise ValueError(f"{MODE_ENV} must be replay, engine or replay-then-engine")
        self.block_page_size = block_page_size or int(
            os.environ.get("DOCUFLOW_TEXTRACT_PAGE_SIZE", DEFAULT_BLOCK_PAGE_SIZE)
        )
        self.faults = Faults()
        self.stats = Stats()
        self.quotas = Quotas.from_env()
        self._jobs: dict[str, Job] = {}  # in start order, for forgetting the oldest
        self._tokens: dict[tuple[str, str], str] = {}  # (action, ClientRequestToken) -> JobId
        # The start-rate bucket (start_tps): tokens left, and when they were last topped up.
        self._tokens_left = float("inf")
        self._refilled = time.monotonic()
        self._in_progress = 0
        self._lock = threading.Lock()
        self._due: list[tuple[float, int, Job]] = []  # (monotonic due time, seq, job) heap
        self._seq = 0
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._finishers = ThreadPoolExecutor(FINISHERS, thread_name_prefix="textract-finish")
        self._timer = threading.Thread(target=self._run_timer, daemon=True, name="textract-timer")
        self._timer.start()

    # ------------------------------------------------------------------ control

    def set_faults(self, body: dict[str, Any]) -> dict[str, Any]:
        allowed = {
            "throttle_next_starts",
            "throttle_seconds",
            "fail_next_jobs",
            "fail_sha256",
            "latency_seconds",
            "status_message",
            "reset",
        }
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(
                f"unknown fault settings: {sorted(unknown)}; allowed: {sorted(allowed)}"
            )
        with self._lock:
            if body.get("reset"):
                self.faults = Faults()
            if "throttle_next_starts" in body:
                self.faults.throttle_next_starts = _non_negative_int(body, "throttle_next_starts")
            if "throttle_seconds" in body:
                seconds = body["throttle_seconds"]
                if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
                    raise ValueError("throttle_seconds is a number >= 0")
                self.faults.throttle_until = time.monotonic() + float(seconds)
            if "fail_next_jobs" in body:
                self.faults.fail_next_jobs = _non_negative_int(body, "fail_next_jobs")
            if "status_message" in body:
                self.faults.status_message = str(body["status_message"])
            if "fail_sha256" in body:
                value = body["fail_sha256"]
                shas = [value] if isinstance(value, str) else value
                if not isinstance(shas, list) or not all(isinstance(s, str) for s in shas):
                    raise ValueError("fail_sha256 is a sha256 string or a list of them")
                for sha in shas:
                    self.faults.fail_sha256[sha.lower()] = self.faults.status_message
            if "latency_seconds" in body:
                latency = body["latency_seconds"]
                if latency is not None and (not isinstance(latency, int | float) or latency < 0):
                    raise ValueError("latency_seconds is a number >= 0 or null")
                self.faults.latency_seconds = None if latency is None else float(latency)
            return self.faults.snapshot()

    def set_quotas(self, body: dict[str, Any]) -> dict[str, Any]:
        quotas = Quotas.parse(body)
        with self._lock:
            self.quotas = quotas
            self._tokens_left = max(1.0, quotas.start_tps or 1.0)  # a full bucket
            self._refilled = time.monotonic()
            return quotas.snapshot()

    def clear_faults(self) -> dict[str, Any]:
        with self._lock:
            self.faults = Faults()
            return self.faults.snapshot()

    def status(self) -> dict[str, Any]:
        with self._lock:
            jobs = list(self._jobs.values())
            return {
                "mode": self.mode,
                "engine_available": engine_available(),
                "latency_seconds": self.latency_seconds,
                "faults": self.faults.snapshot(),
                "quotas": self.quotas.snapshot(),
                "recordings": self.recordings.describe(),
                "stats": {
                    "start_calls": self.stats.start_calls,
                    "throttled": self.stats.throttled,
                    "over_tps": self.stats.over_tps,
                    "over_max_jobs": self.stats.over_max_jobs,
                    "in_progress": self._in_progress,
                    "peak_in_progress": self.stats.peak_in_progress,
                    "jobs_kept": len(self._jobs),
                    "jobs_succeeded": self.stats.jobs_succeeded,
                    "jobs_failed": self.stats.jobs_failed,
                    "get_calls": self.stats.get_calls,
                    "pages": dict(self.stats.pages),
                },
                "jobs": [
                    {
                        "job_id": job.job_id,
                        "api": job.api,
                        "status": job.status,
                        "job_tag": job.job_tag,
                        "sha256": job.sha256,
                        "pages": job.pages,
                        "seconds": (job.finished - job.created) if job.finished else None,
                        "created_at": job.created,
                        "finished_at": job.finished,
                        "status_message": job.status_message,
                    }
                    for job in jobs[-200:]
                ],
            }

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._due.clear()
            self._wake.notify_all()
        self._finishers.shutdown(wait=False, cancel_futures=True)

    def _run_timer(self) -> None:
        """Hands each job to a finisher when its latency is over."""
        with self._lock:
            while not self._closed:
                now = time.monotonic()
                if self._due and self._due[0][0] <= now:
                    _, _, job = heapq.heappop(self._due)
                    try:
                        self._finishers.submit(self._finish, job)
                    except RuntimeError:  # shut down meanwhile
                        return
                    continue
                self._wake.wait(self._due[0][0] - now if self._due else None)

    def _check_quotas(self) -> None:
        """Refuse a start the account's quotas do not allow (called with the lock held).

        The rate is a token bucket, as AWS meters its quotas: start_tps tokens a second,
        at most start_tps of them saved up (a second's worth of burst)."""
        now = time.monotonic()
        tps, max_jobs = self.quotas.start_tps, self.quotas.max_concurrent_jobs
        if tps is not None:
            capacity = max(1.0, tps)
            self._tokens_left = min(capacity, self._tokens_left + (now - self._refilled) * tps)
            self._refilled = now
            if self._tokens_left < 1.0:
                self.stats.over_tps += 1
                raise TextractError(
                    "ProvisionedThroughputExceededException",
                    f"Provisioned rate exceeded: more than {tps:g} start calls a second",
                )
        if max_jobs is not None and self._in_progress >= max_jobs:
            self.stats.over_max_jobs += 1
            raise TextractError(
                "LimitExceededException",
                f"Too many concurrent jobs: the account may run {max_jobs} at once",
            )
        if tps is not None:
            self._tokens_left -= 1.0

    def _forget_old_jobs(self) -> None:
        """Keep the newest MAX_KEPT_JOBS jobs (called with the lock held); a job in progress
        is never forgotten."""
        excess = len(self._jobs) - MAX_KEPT_JOBS
        if excess <= 0:
            return
        for job_id in [j.job_id for j in self._jobs.values() if j.finished is not None][:excess]:
            self._jobs.pop(job_id)
        live = set(self._jobs)
        self._tokens = {k: v for k, v in self._tokens.items() if v in live}

    # ------------------------------------------------------------------ protocol

    def handle(self, target: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one `Textract.<Action>` request: (HTTP status, JSON body)."""
        action = target.split(".", 1)[-1]
        try:
            if action in _START_ACTIONS:
                return 200, self._start(action, body)
            if action in _GET_ACTIONS:
                return 200, self._get(_GET_ACTIONS[action], body)
            if action in _SYNC_ACTIONS:
                return 200, self._analyze(_SYNC_ACTIONS[action], body)
        except TextractError as exc:
            return exc.status, exc.body()
        unsupported = TextractError(
            "UnsupportedOperation", f"The local Textract stand-in does not implement {action}"
        )
        return unsupported.status, unsupported.body()

    def _document_bytes(
        self, body: dict[str, Any], location_key: str
    ) -> tuple[bytes, str, str, str | None]:
        location = body.get(location_key)
        if location_key == "Document" and isinstance(location, dict) and "Bytes" in location:
            try:
                return base64.b64decode(location["Bytes"]), "", "", None
            except (ValueError, TypeError) as exc:
                raise TextractError(
                    "InvalidParameterException", "Document.Bytes is not base64"
                ) from exc
        s3 = location.get("S3Object") if isinstance(location, dict) else None
        if not isinstance(s3, dict) or not s3.get("Bucket") or not s3.get("Name"):
            raise TextractError(
                "InvalidParameterException",
                f"Request has invalid parameters: {location_key}.S3Object.Bucket and Name "
                "are required",
            )
        bucket, key, version = str(s3["Bucket"]), str(s3["Name"]), s3.get("Version")
        try:
            data = self.read_object(bucket, key, version)
        except Exception as exc:  # any S3 failure is Textract's InvalidS3ObjectException
            raise TextractError(
                "InvalidS3ObjectException", f"Unable to get object metadata from S3: {exc}"
            ) from exc
        return data, bucket, key, version

    def _start(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        api, start_api = _START_ACTIONS[action]
        token = body.get("ClientRequestToken")
        with self._lock:
            self.stats.start_calls += 1
            # Textract is idempotent on ClientRequestToken: the same token, the same job.
            if token and (action, str(token)) in self._tokens:
                return {"JobId": self._tokens[(action, str(token))]}
            sustained = time.monotonic() < self.faults.throttle_until
            if sustained or self.faults.throttle_next_starts > 0:
                if not sustained:
                    self.faults.throttle_next_starts -= 1
                self.stats.throttled += 1
                raise TextractError(
                    "ProvisionedThroughputExceededException",
                    "Provisioned rate exceeded (injected by the local Textract stand-in)",
                )
            self._check_quotas()
        data, bucket, key, version = self._document_bytes(body, "DocumentLocation")
        if api == "document":
            features = body.get("FeatureTypes")
            if not isinstance(features, list) or not features:
                raise TextractError(
                    "InvalidParameterException",
                    "FeatureTypes is required for StartDocumentAnalysis",
                )
        channel = body.get("NotificationChannel")
        if channel is not None and (
            not isinstance(channel, dict)
            or not channel.get("SNSTopicArn")
            or not channel.get("RoleArn")
        ):
            raise TextractError(
                "InvalidParameterException", "NotificationChannel needs SNSTopicArn and RoleArn"
            )
        job = Job(
            job_id=uuid.uuid4().hex + uuid.uuid4().hex,
            api=api,
            start_api=start_api,
            bucket=bucket,
            key=key,
            version=version,
            sha256=sha256_of(data),
            job_tag=body.get("JobTag"),
            notification=channel,
        )
        with self._lock:
            self._jobs[job.job_id] = job
            if token:
                self._tokens[(action, str(token))] = job.job_id
            latency = (
                self.faults.latency_seconds
                if self.faults.latency_seconds is not None
                else self.latency_seconds
            )
            if self.faults.fail_next_jobs > 0:
                self.faults.fail_next_jobs -= 1
                job.forced_failure = self.faults.status_message
            elif job.sha256 in self.faults.fail_sha256:
                job.forced_failure = self.faults.fail_sha256[job.sha256]
            job.document = data
            self._in_progress += 1
            self.stats.peak_in_progress = max(self.stats.peak_in_progress, self._in_progress)
            self._seq += 1
            heapq.heappush(self._due, (time.monotonic() + latency, self._seq, job))
            self._wake.notify_all()
            self._forget_old_jobs()
        return {"JobId": job.job_id}

    def _resolve(self, api: Api, data: bytes, sha256: str) -> dict[str, Any]:
        """The response for a document, or TextractError('FAILED reason')."""
        if sniff_document(data) is None:
            raise TextractError(
                "UnsupportedDocumentException",
                "Request has unsupported document format (not a PDF, PNG, JPEG or TIFF)",
            )
        if self.mode in ("replay", "replay-then-engine"):
            recorded = self.recordings.get(sha256, api)
            if recorded is not None:
                return recorded
        if self.mode in ("engine", "replay-then-engine") and engine_available():
            try:
                return run_engine(data, api)
            except Exception as exc:  # the engine's failure is the job's failure
                raise TextractError(
                    "EngineFailed", f"the offline OCR engine failed: {exc}"
                ) from exc
        raise TextractError(
            "NoRecording",
            f"no recording for document sha256 {sha256} (api {api}); register one with "
            "POST /_docuflow/textract/recordings",
        )

    def _finish(self, job: Job) -> None:
        data, job.document = job.document or b"", None
        if job.forced_failure is not None:
            status, message, response = "FAILED", job.forced_failure, None
        else:
            try:
                response = self._resolve(job.api, data, job.sha256)
                status, message = "SUCCEEDED", None
            except TextractError as exc:
                status, message, response = "FAILED", exc.message, None
        with self._lock:
            job.status = status
            job.status_message = message
            job.response = None if response is None else pack(response)
            job.finished = time.time()
            self._in_progress -= 1
            if response is not None:
                job.pages = int(response.get("DocumentMetadata", {}).get("Pages", 1))
                self.stats.jobs_succeeded += 1
                self.stats.pages[job.api] += job.pages
            else:
                self.stats.jobs_failed += 1
        if job.notification:
            message_body = {
                "JobId": job.job_id,
                "Status": status,
                "API": job.start_api,
                "JobTag": job.job_tag,
                "Timestamp": int(job.finished * 1000),
                "DocumentLocation": {"S3ObjectName": job.key, "S3Bucket": job.bucket},
            }
            try:
                self.publish(str(job.notification["SNSTopicArn"]), json.dumps(message_body))
            except Exception as exc:  # noqa: BLE001 - a lost notification is what the polling fallback is for
                print(f"[textract] could not publish the completion of {job.job_id}: {exc}")

    def _get(self, api: Api, body: dict[str, Any]) -> dict[str, Any]:
        job_id = body.get("JobId")
        with self._lock:
            self.stats.get_calls += 1
            job = self._jobs.get(str(job_id)) if job_id else None
        if job is None or job.api != api:
            raise TextractError(
                "InvalidJobIdException", f"An invalid job identifier was passed: {job_id}"
            )
        if job.status == "IN_PROGRESS":
            return {"JobStatus": "IN_PROGRESS"}
        if job.status == "FAILED":
            return {"JobStatus": "FAILED", "StatusMessage": job.status_message or "FAILED"}
        assert job.response is not None
        default = DEFAULT_EXPENSE_PAGE_SIZE if api == "expense" else self.block_page_size
        max_results = body.get("MaxResults")
        page_size = (
            int(max_results) if isinstance(max_results, int) and max_results > 0 else default
        )
        pages = paginate(api, unpack(job.response), page_size)
        token = body.get("NextToken")
        index = 0
        if token:
            match = re.fullmatch(rf"{job.job_id}:(\d+)", str(token))
            if not match or int(match.group(1)) >= len(pages):
                raise TextractError(
                    "InvalidParameterException", "NextToken is not valid for this job"
                )
            index = int(match.group(1))
        page = dict(pages[index])
        page["JobStatus"] = "SUCCEEDED"
        if index + 1 < len(pages):
            page["NextToken"] = f"{job.job_id}:{index + 1}"
        return page

    def _analyze(self, api: Api, body: dict[str, Any]) -> dict[str, Any]:
        data, _, _, _ = self._document_bytes(body, "Document")
        digest = sha256_of(data)
        with self._lock:
            failure = self.faults.fail_sha256.get(digest)
        if failure is not None:
            raise TextractError("UnsupportedDocumentException", failure)
        try:
            return self._resolve(api, data, digest)
        except TextractError as exc:
            if exc.code == "UnsupportedDocumentException":
                raise
            raise TextractError("InvalidParameterException", exc.message) from exc


def _non_negative_int(body: dict[str, Any], key: str) -> int:
    value = body[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{key} is an integer >= 0")
    return value
