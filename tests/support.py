"""Helpers the tests and the end-to-end suite (e2e/) share: waiting for a condition, PDFs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(
    condition: Callable[[], T | None],
    timeout: float = 20,
    what: str = "the condition",
    interval: float = 0.1,
) -> T:
    """The first truthy value of `condition`; AssertionError naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def pdf_document(pages: int = 1, *, content: bytes = b"") -> bytes:
    """A real PDF of blank pages (pypdf writes it), each with `content` as its content
    stream, uncompressed: generated test material."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        if content:
            stream = StreamObject()
            stream.set_data(content)
            page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
