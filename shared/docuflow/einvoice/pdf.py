"""Hybrid PDFs (Factur-X, ZUGFeRD, XRechnung in a PDF/A-3): the invoice XML they carry,
and the text they show.

pypdf (pure Python) reads the attachments and the text layer. An invoice XML is an
embedded file with one of the names the standards give it, or any XML file the PDF
declares as associated with the document (the catalog's /AF array, PDF/A-3).
"""

from __future__ import annotations

import logging
from io import BytesIO
from typing import Final

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject

INVOICE_FILE_NAMES: Final = (
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
)
"""The names Factur-X, ZUGFeRD 2, ZUGFeRD 1.0 (ZUGFeRD-invoice.xml) and XRechnung give
the invoice XML; compared without case."""

_MAX_TEXT_PAGES: Final = 20

# pypdf warns through logging about every oddity of a PDF; DocuFlow reports what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _reader(data: bytes) -> PdfReader | None:
    try:
        return PdfReader(BytesIO(data))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None


def embedded_xml(data: bytes) -> tuple[str, bytes] | None:
    """(file name, bytes) of the invoice XML a PDF carries, or None.

    Named files come first (factur-x.xml before zugferd-invoice.xml before xrechnung.xml),
    then any other XML the document declares through /AF. A PDF pypdf cannot open
    carries nothing.
    """
    reader = _reader(data)
    if reader is None:
        return None
    try:
        attachments = {name: contents for name, contents in reader.attachments.items()}
        declared = _associated_files(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return None
    by_lower = {name.casefold(): name for name in attachments}
    for wanted in INVOICE_FILE_NAMES:
        name = by_lower.get(wanted)
        if name is not None and attachments[name]:
            return name, attachments[name][0]
    for name, content in declared:
        if name.casefold().endswith(".xml") and content:
            return name, content
    return None


def _associated_files(reader: PdfReader) -> list[tuple[str, bytes]]:
    """The files the document catalog lists in /AF, with their names and bytes."""
    catalog = reader.trailer["/Root"]
    entries = catalog.get("/AF") if isinstance(catalog, DictionaryObject) else None
    if entries is None:
        return []
    entries = entries.get_object()
    if not isinstance(entries, ArrayObject):
        return []
    found: list[tuple[str, bytes]] = []
    for entry in entries:
        spec = entry.get_object()
        if not isinstance(spec, DictionaryObject):
            continue
        name = str(spec.get("/UF") or spec.get("/F") or "")
        embedded = spec.get("/EF")
        stream = embedded.get_object().get("/F") if embedded is not None else None
        if name and stream is not None:
            found.append((name, stream.get_object().get_data()))
    return found


def page_count(data: bytes) -> int:
    """The PDF's pages as pypdf counts them; 0 when it cannot open the file."""
    reader = _reader(data)
    if reader is None:
        return 0
    try:
        return len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return 0


def visible_text(data: bytes) -> str:
    """The text layer of the first pages, as pypdf extracts it ('' when there is none)."""
    reader = _reader(data)
    if reader is None:
        return ""
    texts: list[str] = []
    try:
        for page in reader.pages[:_MAX_TEXT_PAGES]:
            texts.append(page.extract_text() or "")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, ZeroDivisionError):
        logging.getLogger(__name__).warning("Text extraction stopped early")
    return "\n".join(texts)
