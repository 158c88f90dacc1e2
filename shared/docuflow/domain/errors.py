"""Domain errors. Each maps to one HTTP status in one place (the API's error handler)."""

from __future__ import annotations


class DocuflowError(Exception):
    """Base of every error the domain raises on purpose."""

    code: str = "INTERNAL_ERROR"


class ValidationFailed(DocuflowError):
    """Client input that does not satisfy the request model (HTTP 400/422)."""

    code = "VALIDATION_ERROR"


class JobNotFound(DocuflowError):
    code = "JOB_NOT_FOUND"

    def __init__(self, job_id: str) -> None:
        super().__init__(f"No job with id {job_id!r}.")
        self.job_id = job_id


class VendorNotFound(DocuflowError):
    code = "VENDOR_NOT_FOUND"

    def __init__(self, vendor_id: str) -> None:
        super().__init__(f"No vendor with id {vendor_id!r}.")
        self.vendor_id = vendor_id


class ResultNotReady(DocuflowError):
    code = "RESULT_NOT_READY"


class InvalidTransition(DocuflowError):
    """A status change the status model does not allow (HTTP 409)."""

    code = "INVALID_TRANSITION"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"A job in status {current} cannot move to {target}.")
        self.current = current
        self.target = target


class ConcurrentUpdate(DocuflowError):
    """Someone else changed the job first: the conditional write lost (HTTP 409)."""

    code = "CONCURRENT_UPDATE"


class UnsupportedDocument(DocuflowError):
    """Not a PDF, PNG, JPEG, TIFF or e-invoice XML, by declared type or by content (415)."""

    code = "UNSUPPORTED_MEDIA_TYPE"


class UnreadableEInvoice(UnsupportedDocument):
    """An XML upload (or a PDF's embedded invoice XML) that DocuFlow refuses to read:
    malformed, a namespace that is no e-invoice, a DTD or entities, too large or too deep."""

    code = "UNREADABLE_EINVOICE"


class DocumentTooLarge(DocuflowError):
    """Declared or actual size over the limit, or too many pages (413)."""

    code = "DOCUMENT_TOO_LARGE"


class DocumentMissing(DocuflowError):
    """The uploaded object is not in the bucket."""

    code = "DOCUMENT_MISSING"


class OcrFailed(DocuflowError):
    """Textract reported a failed job or returned something unreadable."""

    code = "OCR_FAILED"


class UnreadableResponse(DocuflowError):
    """Input to the parser that is not a Textract response it can read."""

    code = "UNREADABLE_RESPONSE"


class ContentTypeMismatch(UnsupportedDocument):
    """The bytes are of another type than the one the document was uploaded as."""

    code = "CONTENT_TYPE_MISMATCH"


class DocumentUnreadable(UnsupportedDocument):
    """A PDF that cannot be read within the limits: damaged, password-protected, or built
    so that checking it would take too long."""

    code = "DOCUMENT_UNREADABLE"


class EventNotPut(DocuflowError):
    """EventBridge refused a job's event or could not be reached, or neither could the
    daily roll-up the final status is counted in first (ADR 0035). The event stays owed
    on the job (`pending_event_version`); the state machine retries the step by this
    name (ADR 0027)."""

    code = "EVENT_NOT_PUT"
