"""WSGI plumbing the emulator's routes share: reading a request, writing a JSON answer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def status_line(status: int) -> str:
    return f"{status} {REASONS.get(status, 'Status')}"


def json_response(
    start_response: StartResponse,
    status: int,
    body: Any,
    headers: list[tuple[str, str]] | None = None,
    content_type: str = "application/json",
) -> list[bytes]:
    """`body` as JSON (bytes as they are) with its Content-Type and Content-Length."""
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    all_headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
    all_headers.extend(headers or [])
    start_response(status_line(status), all_headers)
    return [payload]


def read_body(environ: dict[str, Any]) -> bytes:
    """The request body, by Content-Length or chunked."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ["wsgi.input"]
    if length > 0:
        data: bytes = stream.read(length)
        return data
    if environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
        chunks = []
        while True:
            chunk = stream.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    return b""


def json_object(raw: bytes) -> dict[str, Any]:
    """A JSON object body (an empty body is `{}`); ValueError or TypeError otherwise."""
    body = json.loads(raw or b"{}")
    if not isinstance(body, dict):
        raise TypeError("the body must be a JSON object")
    return body


def headers_of(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The request's headers as (Name, value) pairs."""
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").title(), str(value)))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    if environ.get("CONTENT_LENGTH"):
        headers.append(("Content-Length", environ["CONTENT_LENGTH"]))
    return headers
