"""validate-document: the object exists, is small enough, is a supported type by its
magic bytes, is the type it was uploaded as, and (for PDFs) has no more pages than
allowed; and whether it is, or carries, an e-invoice, which the state machine reads from
its XML instead of OCR.

Each check is a function of its own; `validate_document` runs them in order. Every
refusal is a domain error whose message names what is wrong, and none of them is worth
retrying: the same bytes would fail the same way.
"""

from __future__ import annotations

import io
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from docuflow import einvoice
from docuflow.dal.documents import DocumentStore
from docuflow.domain.errors import (
    ContentTypeMismatch,
    DocumentMissing,
    DocumentTooLarge,
    DocumentUnreadable,
    UnsupportedDocument,
)
from docuflow.observability import logger
from services.workflow.models import DocumentFacts, EInvoiceFacts

_SNIFF_BYTES = 1024
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_KINDS = {
    "application/pdf": "a PDF",
    "image/png": "a PNG image",
    "image/jpeg": "a JPEG image",
    "image/tiff": "a TIFF image",
    "application/xml": "XML",
}
PAGE_COUNT_SECONDS = 10.0
"""How long counting a PDF's pages may take. pypdf reads only the page tree and caps what
it inflates from one stream (75 MB); this bounds a page tree built to be slow, well
inside the function's timeout, so the job fails with its reason instead of a timeout."""


def sniff_content_type(head: bytes) -> str | None:
    """The media type the first bytes announce, or None. PDFs may have leading junk,
    which readers accept, so `%PDF-` counts anywhere in the first kilobyte."""
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if b"%PDF-" in head[:_SNIFF_BYTES]:
        return "application/pdf"
    return None


# What S3 stores for an object written without a Content-Type: nothing was declared.
_UNDECLARED = frozenset({"", "binary/octet-stream"})
# Both names an XML document may be uploaded as.
_XML_TYPES = frozenset({"application/xml", "text/xml"})


def check_declared_type(declared: str | None, actual: str) -> None:
    """ContentTypeMismatch when the bytes are not of the type the document was uploaded
    as (the Content-Type the upload link signed). Nothing declared: nothing to compare."""
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if media_type in _UNDECLARED or (actual == "application/xml" and media_type in _XML_TYPES):
        return
    if media_type != actual:
        raise ContentTypeMismatch(
            f"It was uploaded as {media_type}, but its content is "
            f"{_KINDS.get(actual, actual)} ({actual})."
        )


class _TooSlow(BaseException):
    """Out of time. A BaseException, like KeyboardInterrupt: pypdf's recovery from damaged
    files catches Exception, and must not swallow the end of the time limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in the block after `seconds` (a real-time timer: Lambda runs the
    handler in the main thread; elsewhere the block runs without a limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    # A timer someone else set (a test runner's timeout) is put back afterwards.
    other_delay, other_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if other_delay:
            left = max(other_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, other_interval)


def count_pdf_pages(data: bytes, *, time_limit: float = PAGE_COUNT_SECONDS) -> int:
    """The pages of a PDF, from its page tree (pypdf); DocumentUnreadable when the PDF
    cannot be read, is password-protected, or takes longer than `time_limit` seconds."""
    try:
        with _time_limit(time_limit):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise DocumentUnreadable("The PDF is protected by a password.")
            return len(reader.pages)
    except _TooSlow as exc:
        raise DocumentUnreadable(
            f"Its pages could not be counted within {time_limit:g} seconds."
        ) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        # pypdf's own errors, and what a damaged file makes its parser raise.
        raise DocumentUnreadable(f"The PDF is damaged ({type(exc).__name__}: {exc}).") from exc


def validate_document(
    documents: DocumentStore, key: str, *, max_bytes: int, max_pages: int
) -> DocumentFacts:
    """Facts about the stored document, or the domain error that stops processing."""
    info = documents.head(key)
    if info is None:
        raise DocumentMissing(f"s3://{documents.bucket}/{key} does not exist.")
    if info.size_bytes == 0:
        raise UnsupportedDocument("The file is empty.")
    if info.size_bytes > max_bytes:
        raise DocumentTooLarge(
            f"The file is {info.size_bytes} bytes; the limit is {max_bytes} bytes."
        )
    head = documents.read(key, first_bytes=_SNIFF_BYTES)
    content_type = sniff_content_type(head)
    if content_type is None and einvoice.looks_like_xml(head):
        check_declared_type(info.content_type, "application/xml")
        return _xml_upload(documents.read(key), info.size_bytes)
    if content_type is None:
        raise UnsupportedDocument(
            "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document."
        )
    check_declared_type(info.content_type, content_type)
    pages: int | None = 1 if content_type in ("image/png", "image/jpeg") else None
    if content_type == "application/pdf":
        data = documents.read(key)
        pages = count_pdf_pages(data)
        if pages == 0:
            raise DocumentUnreadable("The PDF has no pages.")
        if pages > max_pages:
            raise DocumentTooLarge(f"The document has {pages} pages; the limit is {max_pages}.")
        return _with_embedded_einvoice(
            DocumentFacts(content_type=content_type, size_bytes=info.size_bytes, pages=pages), data
        )
    return DocumentFacts(content_type=content_type, size_bytes=info.size_bytes, pages=pages)


# --- E-invoices (docuflow.einvoice decides; this hook only routes) ---------------------


def _facts(found: einvoice.Detection) -> EInvoiceFacts:
    return EInvoiceFacts.model_validate(found.model_dump())


def _xml_upload(data: bytes, size_bytes: int) -> DocumentFacts:
    """An XML upload: an e-invoice to read, or UnreadableEInvoice (malformed, hostile, or
    no e-invoice namespace), which fails the job with the reason."""
    found = einvoice.detect(data)
    if found is None:  # pragma: no cover - detect() raises for XML it cannot route
        raise UnsupportedDocument("The XML file is not an e-invoice.")
    return DocumentFacts(
        content_type="application/xml",
        size_bytes=size_bytes,
        pages=0,
        route="einvoice",
        einvoice=_facts(found),
    )


def _with_embedded_einvoice(facts: DocumentFacts, data: bytes) -> DocumentFacts:
    """A PDF carrying e-invoice XML (Factur-X, ZUGFeRD, XRechnung) is read from its XML."""
    found = einvoice.detect(data)
    if found is None:
        return facts
    logger.info("The PDF carries an e-invoice", extra={"attachment": found.attachment})
    return facts.model_copy(update={"route": "einvoice", "einvoice": _facts(found)})
