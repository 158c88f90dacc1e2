"""Inputs and outputs of the workflow steps.

The state machine passes the whole execution state to each step (its ResultPaths keep
the original input), so inputs ignore fields they do not use.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class PipelineState(_In):
    """The execution input: {"job_id", "bucket", "key", "attempt"}."""

    job_id: Annotated[str, Field(min_length=1)]
    bucket: Annotated[str, Field(min_length=1)]
    key: Annotated[str, Field(min_length=1)]
    attempt: Annotated[int, Field(ge=1)] = 1


class EInvoiceFacts(_Out):
    """What validation found out about an e-invoice upload ($.document.einvoice)."""

    container: Literal["xml", "pdf"]
    syntax: str
    flavour: str
    attachment: str | None = None


class DocumentFacts(_Out):
    """validate-document's output ($.document). `route` is what the state machine's
    branch after validation reads: the e-invoice step, or the OCR steps."""

    content_type: str
    size_bytes: int
    pages: int | None
    route: Literal["ocr", "einvoice"] = "ocr"
    einvoice: EInvoiceFacts | None = None


class StartOcrInput(PipelineState):
    """A message of the ocr-start queue: the execution state and StartOcr's task token."""

    task_token: Annotated[str, Field(min_length=1)]


class AwaitOcrInput(_In):
    """AwaitOcr's payload: the job and the token the completion callback answers."""

    job_id: Annotated[str, Field(min_length=1)]
    task_token: Annotated[str, Field(min_length=1)]


class OcrJobs(_Out):
    """What start-ocr answers StartOcr's token with ($.ocr_start), and what the callback
    answers AwaitOcr's token with ($.ocr)."""

    job_id: str
    ocr_jobs: dict[str, str]


class PollInput(PipelineState):
    polls: Annotated[int, Field(ge=0)] = 0


OcrStatus = Literal["SUCCEEDED", "IN_PROGRESS", "FAILED"]


class PollResult(_Out):
    """poll-ocr's output ($.poll), read by the Choice state."""

    ocr_status: OcrStatus
    polls: int
    ocr_jobs: dict[str, str]
    reason: str = ""


class StoredOcr(_Out):
    """store-ocr's output ($.stored): the S3 keys of every raw OCR page, in order."""

    keys: list[str]
    pages: int


class ParseInput(PipelineState):
    stored: StoredOcr


class ParseOutcome(_Out):
    """parse-and-score's output ($.parsed)."""

    job_id: str
    status: Literal["COMPLETED", "NEEDS_REVIEW"]
    result_key: str
    invoice_key: str | None
    reasons: list[str]


class StepError(_In):
    """What a Catch puts at $.error."""

    error: Annotated[str, Field(alias="Error")] = "States.ALL"
    cause: Annotated[str | None, Field(alias="Cause")] = None


class FailureInput(PipelineState):
    error: StepError = Field(default_factory=StepError)


class FailureNotice(_In):
    """What mark-failed puts on the dead-letter queue for each failed attempt."""

    job_id: Annotated[str, Field(min_length=1)]
    attempt: Annotated[int, Field(ge=1)]
    error: str
    cause: str
    reason: str
    key: str
    failed_at: str


class ReconcileOutcome(_Out):
    """reconcile-failures' output ($.reconciled)."""

    job_id: str
    deleted: int
    scanned: int


class FailureOutcome(_Out):
    job_id: str
    status: Literal["FAILED"] = "FAILED"
    error: str
    reason: str


class TextractNotification(_In):
    """Textract's completion message (the SNS Message, as JSON)."""

    job_id: Annotated[str, Field(alias="JobId", min_length=1)]
    status: Annotated[str, Field(alias="Status", min_length=1)]
    api: Annotated[str, Field(alias="API")]
    job_tag: Annotated[str, Field(alias="JobTag", min_length=1)]
    timestamp: Annotated[int | None, Field(alias="Timestamp")] = None
