"""Pure rules of the services: file names, content types, cursors, PDF pages, reasons."""

from __future__ import annotations

import zlib

import pytest

from docuflow.domain.errors import UnsupportedDocument, ValidationFailed
from services.api.logic.uploads import check_filename, normalize_content_type
from services.api.pagination import decode_cursor, encode_cursor
from services.workflow.logic.failure import cause_message, explain
from services.workflow.logic.validation import count_pdf_pages, sniff_content_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("invoice.pdf", "invoice.pdf"),
        ("  März 2026 Rechnung.PDF ", "März 2026 Rechnung.PDF"),
        ("a..b.pdf", "a..b.pdf"),
        ("x" * 250 + ".pdf", "x" * 250 + ".pdf"),
    ],
)
def test_good_file_names(name: str, expected: str) -> None:
    assert check_filename(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "a/b.pdf",
        "..\\x.pdf",
        "/etc/passwd",
        "a\x00.pdf",
        "a\tb.pdf",
        "a\x7f.pdf",
        "a\u202eb.pdf",
        "..",
        ".",
        "x" * 256,
    ],
)
def test_bad_file_names(name: str) -> None:
    with pytest.raises(ValueError, match="file name"):
        check_filename(name)


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("application/pdf", "application/pdf"),
        ("Image/PNG", "image/png"),
        ("image/jpg", "image/jpeg"),
        ("image/tiff; x=y", "image/tiff"),
    ],
)
def test_supported_content_types(given: str, normalized: str) -> None:
    assert normalize_content_type(given) == normalized


@pytest.mark.parametrize("given", ["text/plain", "image/gif", "", "application/pdfx"])
def test_unsupported_content_types(given: str) -> None:
    with pytest.raises(UnsupportedDocument):
        normalize_content_type(given)


def test_cursor_round_trip() -> None:
    key = {"job_id": "j", "status": "NEEDS_REVIEW", "created_at": "2026-11-28T10:00:00.000Z"}
    cursor = encode_cursor(key)
    assert cursor is not None and "=" not in cursor
    assert decode_cursor(cursor) == key
    assert encode_cursor(None) is None and decode_cursor(None) is None


@pytest.mark.parametrize("cursor", ["***", "e30", "WzFd", "eyJhIjogMX0", "x" * 3000])
def test_bad_cursors(cursor: str) -> None:
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xef\xbb\xbf%PDF-1.4", "application/pdf"),
        (b"\x89PNG\r\n\x1a\nrest", "image/png"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"II*\x00", "image/tiff"),
        (b"MM\x00*", "image/tiff"),
        (b"GIF89a", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_magic_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_content_type(head) == expected


def test_pdf_pages_are_counted_in_plain_objects_and_object_streams() -> None:
    # Generated test material: a minimal PDF-like body with 2 plain page objects and 3
    # page objects inside a compressed object stream (as PDF 1.5+ writers do).
    hidden = zlib.compress(b"<< /Type /Page >> << /Type/Page >> << /Type /Page /Parent 1 0 R >>")
    data = (
        b"%PDF-1.7\n1 0 obj << /Type /Pages /Count 5 >> endobj\n"
        b"2 0 obj << /Type /Page >> endobj\n3 0 obj <</Type/Page>> endobj\n"
        b"4 0 obj << /Type /ObjStm /N 3 /Filter /FlateDecode >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n%%EOF"
    )
    assert count_pdf_pages(data) == 5


def test_corrupt_object_stream_is_skipped() -> None:
    data = b"%PDF-1.7\n<< /Type /Page >>\n<< /Type /ObjStm >>\nstream\nnot zlib\nendstream\n"
    assert count_pdf_pages(data) == 1


def test_failure_reasons() -> None:
    assert explain("UnsupportedDocument", None) == (
        "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document."
    )
    # A refused e-invoice says why, in DocuFlow's own words.
    assert explain(
        "UnreadableEInvoice", '{"errorMessage": "The XML declares a DTD.", "errorType": "x"}'
    ) == ("The e-invoice XML was refused. The XML declares a DTD.")
    assert "try again later" in explain("OcrTimedOut", None)
    assert "Weird.Error" in explain("Weird.Error", "x")
    assert cause_message('{"errorMessage": "m", "errorType": "T"}') == "m"
    assert cause_message("plain text") == "plain text"
    assert cause_message(None) == ""
