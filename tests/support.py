"""Helpers the tests and the end-to-end suite (e2e/) share: waiting for a condition, PDFs,
a webhook receiver."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@dataclass
class ReceivedWebhook:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers the next statuses
    in `answers` (then 200)."""

    url: str
    answers: list[int] = field(default_factory=list)
    received: list[ReceivedWebhook] = field(default_factory=list)


@contextmanager
def webhook_receiver(answers: list[int] | None = None) -> Iterator[WebhookReceiver]:
    """A receiver listening until the block ends."""
    lock = threading.Lock()
    receiver = WebhookReceiver(url="", answers=list(answers or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            with lock:
                receiver.received.append(
                    ReceivedWebhook(
                        self.path, {k.lower(): v for k, v in self.headers.items()}, body
                    )
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/docuflow"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
