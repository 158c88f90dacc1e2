"""validate-document: the object exists, is small enough, is a supported type by its
magic bytes, and (for PDFs) has no more pages than allowed; and whether it is, or carries,
an e-invoice, which the state machine reads from its XML instead of OCR."""

from __future__ import annotations

import re
import zlib

from docuflow import einvoice
from docuflow.dal.documents import DocumentStore
from docuflow.domain.errors import DocumentMissing, DocumentTooLarge, UnsupportedDocument
from docuflow.observability import logger
from services.workflow.models import DocumentFacts, EInvoiceFacts

_SNIFF_BYTES = 1024
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")
_STREAM_START = re.compile(rb"stream\r?\n")
# Never inflate more than this from one object stream (a zip bomb stops here).
_MAX_INFLATED = 64 * 1024 * 1024


def sniff_content_type(head: bytes) -> str | None:
    """The media type the first bytes announce, or None. PDFs may have leading junk,
    which readers accept, so `%PDF-` counts anywhere in the first kilobyte."""
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if b"%PDF-" in head[:_SNIFF_BYTES]:
        return "application/pdf"
    return None


def count_pdf_pages(data: bytes) -> int:
    """Page objects in a PDF, counted cheaply: `/Type /Page` in the file and in its
    compressed object streams (PDF 1.5+ hides page objects there)."""
    count = len(_PAGE.findall(data))
    for match in _OBJECT_STREAM.finditer(data):
        start = _STREAM_START.search(data, match.end())
        if start is None:
            continue
        end = data.find(b"endstream", start.end())
        if end < 0:
            continue
        try:
            inflated = zlib.decompressobj().decompress(data[start.end() : end], _MAX_INFLATED)
        except zlib.error:
            continue
        count += len(_PAGE.findall(inflated))
    return count


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
        return _xml_upload(documents.read(key), info.size_bytes)
    if content_type is None:
        raise UnsupportedDocument("The file is not a PDF, PNG, JPEG or TIFF document.")
    pages: int | None = 1 if content_type in ("image/png", "image/jpeg") else None
    if content_type == "application/pdf":
        pages = count_pdf_pages(documents.read(key))
        if pages > max_pages:
            raise DocumentTooLarge(f"The document has {pages} pages; the limit is {max_pages}.")
        if pages == 0:
            # Encrypted or unusual PDFs hide their pages from a cheap count; Textract decides.
            logger.warning("Could not count the pages of the PDF", extra={"key": key})
            pages = None
        return _with_embedded_einvoice(
            DocumentFacts(content_type=content_type, size_bytes=info.size_bytes, pages=pages),
            documents.read(key),
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
