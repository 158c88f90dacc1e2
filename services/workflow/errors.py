"""Errors of the workflow steps. Their class names are the error names the state
machine's Retry and Catch match (Lambda reports the class name as `errorType`)."""

from __future__ import annotations

from docuflow.domain.errors import DocuflowError


class TextractThrottled(DocuflowError):
    """Textract refused a call for rate or concurrency limits; the state machine retries.

    `rate` tells which: True for the calls-a-second quota (a later turn will do), False
    for the concurrent-jobs quota (only a job finishing frees room)."""

    code = "TEXTRACT_THROTTLED"

    def __init__(self, message: str, *, rate: bool = True) -> None:
        super().__init__(message)
        self.rate = rate


class OcrTimedOut(DocuflowError):
    """No completion notification and polling ran out (raised by the state machine itself)."""

    code = "OCR_TIMED_OUT"
