"""Pure rules of the services: file names, content types, cursors, PDF pages, reasons."""

from __future__ import annotations

import re
import time
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docuflow.domain.errors import (
    ContentTypeMismatch,
    DocumentUnreadable,
    UnsupportedDocument,
    ValidationFailed,
)
from services.api.logic.uploads import (
    CONTENT_TYPE_PATTERN,
    FILENAME_PATTERN,
    check_filename,
    normalize_content_type,
)
from services.api.pagination import decode_cursor, encode_cursor
from services.workflow.logic.failure import cause_message, explain
from services.workflow.logic.validation import (
    check_declared_type,
    count_pdf_pages,
    sniff_content_type,
)
from tests.support import pdf_document


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("invoice.pdf", "invoice.pdf"),
        ("  März 2026 Rechnung.PDF ", "März 2026 Rechnung.PDF"),
        ("a..b.pdf", "a..b.pdf"),
        ("x" * 196 + ".pdf", "x" * 196 + ".pdf"),
        ("\u00e9" * 200, "\u00e9" * 200),
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
        "x" * 201,
        "\n.pdf",
        "a\u200bb.pdf",
        "a\ufeff.pdf",
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


@pytest.mark.parametrize(
    "given", ["text/plain", "image/gif", "", "application/pdfx", "image/png\n", "image/ png"]
)
def test_unsupported_content_types(given: str) -> None:
    with pytest.raises(UnsupportedDocument):
        normalize_content_type(given)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=210) | st.from_regex(FILENAME_PATTERN, fullmatch=True))
def test_the_documented_file_name_pattern_is_exactly_what_is_accepted(name: str) -> None:
    # JSON Schema patterns are ECMA-262 regexes: `$` is the end of the text (fullmatch)
    documented = re.fullmatch(FILENAME_PATTERN, name) is not None and len(name) <= 200
    try:
        check_filename(name)
    except ValueError:
        accepted = False
    else:
        accepted = True
    assert accepted == documented


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.from_regex(CONTENT_TYPE_PATTERN, fullmatch=True))
def test_the_documented_content_type_pattern_is_exactly_what_is_accepted(content_type: str) -> None:
    documented = re.fullmatch(CONTENT_TYPE_PATTERN, content_type) is not None
    try:
        normalize_content_type(content_type)
    except UnsupportedDocument:
        accepted = False
    else:
        accepted = True
    assert accepted == documented


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


def test_pdf_pages_are_counted_from_the_page_tree_not_from_words() -> None:
    # A one-page PDF that spells "/Type /Page" 61 times (a regex count said 62 pages)
    assert count_pdf_pages(pdf_document(1, content=b"% /Type /Page\n" * 61)) == 1
    assert count_pdf_pages(pdf_document(7)) == 7


def test_a_pdf_that_takes_too_long_to_count_fails_fast_with_a_final_reason() -> None:
    data = pdf_document(400)
    with pytest.raises(DocumentUnreadable, match=r"within 0\.001 seconds"):
        count_pdf_pages(data, time_limit=0.001)


def test_a_large_pdf_is_counted_without_inflating_its_streams() -> None:
    # 20 MB in two streams (one inflating to 60 MB) on a one-page PDF
    data = pdf_document(1, content=zlib.compress(b"0" * 60_000_000) + bytes(20_000_000))
    started = time.perf_counter()
    assert count_pdf_pages(data) == 1
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.7\n<< /Type /Page >>\nnot a PDF at all", "damaged"),
        (pdf_document(1)[:200], "damaged"),
    ],
)
def test_unreadable_pdfs_are_refused_with_a_reason(data: bytes, why: str) -> None:
    with pytest.raises(DocumentUnreadable, match=why):
        count_pdf_pages(data)


def test_a_password_protected_pdf_is_refused_with_a_reason() -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_document(1))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(DocumentUnreadable, match="password"):
        count_pdf_pages(out.getvalue())


@pytest.mark.parametrize(
    ("declared", "actual", "refused"),
    [
        ("application/pdf", "application/pdf", False),
        ("image/png", "image/png", False),
        (None, "image/png", False),
        ("binary/octet-stream", "image/png", False),
        ("application/pdf", "image/png", True),
        ("image/jpeg", "application/pdf", True),
        # An e-invoice may be uploaded under either XML name, and nothing else
        ("text/xml", "application/xml", False),
        ("application/xml; charset=utf-8", "application/xml", False),
        ("application/pdf", "application/xml", True),
        ("text/xml", "application/pdf", True),
    ],
)
def test_declared_type_is_reconciled_with_the_bytes(
    declared: str | None, actual: str, refused: bool
) -> None:
    if not refused:
        check_declared_type(declared, actual)
        return
    with pytest.raises(ContentTypeMismatch) as raised:
        check_declared_type(declared, actual)
    # The reason names both types
    assert str(declared) in str(raised.value) and actual in str(raised.value)


def test_failure_reasons() -> None:
    assert explain("UnsupportedDocument", None) == (
        "The file is not a PDF, PNG, JPEG, TIFF or e-invoice XML document."
    )
    # A refused e-invoice says why, in DocuFlow's own words.
    assert explain(
        "UnreadableEInvoice", '{"errorMessage": "The XML declares a DTD.", "errorType": "x"}'
    ) == ("The e-invoice XML was refused. The XML declares a DTD.")
    assert "try again later" in explain("OcrTimedOut", None)
    mismatch = explain(
        "ContentTypeMismatch",
        '{"errorMessage": "It was uploaded as application/pdf, but its content is a PNG '
        'image (image/png).", "errorType": "ContentTypeMismatch"}',
    )
    assert "application/pdf" in mismatch and "image/png" in mismatch
    assert "try again" not in explain("DocumentUnreadable", "Its pages could not be counted.")
    assert "Weird.Error" in explain("Weird.Error", "x")
    assert cause_message('{"errorMessage": "m", "errorType": "T"}') == "m"
    assert cause_message("plain text") == "plain text"
    assert cause_message(None) == ""
