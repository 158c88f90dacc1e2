"""XML is hostile input: each attack ends as UnreadableEInvoice with a reason, quickly."""

from __future__ import annotations

import time

import pytest

from docuflow import einvoice
from docuflow.domain.errors import UnreadableEInvoice, UnsupportedDocument
from docuflow.einvoice.safe_xml import MAX_DEPTH, MAX_XML_BYTES, parse_xml
from tests.einvoice_samples import make_xml

UBL_ROOT = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'


def _entity(n: int) -> bytes:
    inner = f"&lol{n - 1};" if n > 1 else "&lol;"
    return f'<!ENTITY lol{n} "{inner * 10}">\n'.encode()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [\n<!ENTITY lol "lol">\n'
    + b"".join(_entity(n) for n in range(1, 10))
    + b"]>\n"
    + UBL_ROOT
    + b"<ID>&lol9;</ID></Invoice>"
)


def _xxe(tmp_path_text: str) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file://'
        + tmp_path_text.encode()
        + b'">]>\n'
        + UBL_ROOT
        + b"<ID>&secret;</ID></Invoice>"
    )


def _refused(data: bytes) -> str:
    started = time.monotonic()
    with pytest.raises(UnreadableEInvoice) as caught:
        einvoice.detect(data)
    assert time.monotonic() - started < 5, "refusing must not take long"
    # Refused XML is an unsupported document: the pipeline marks the job FAILED (415 class).
    assert isinstance(caught.value, UnsupportedDocument)
    return str(caught.value)


def test_an_entity_bomb_is_refused_without_expanding_it() -> None:
    message = _refused(BILLION_LAUGHS)
    assert "DTD" in message


def test_an_external_entity_is_never_read(tmp_path: pytest.TempPathFactory) -> None:
    secret = tmp_path / "secret.txt"  # type: ignore[operator]
    secret.write_text("TOP-SECRET")
    message = _refused(_xxe(str(secret)))
    assert "DTD" in message
    assert "TOP-SECRET" not in message


def test_an_external_dtd_is_not_fetched() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
        + UBL_ROOT
        + b"</Invoice>"
    )
    assert "DTD" in _refused(data)


def test_a_dtd_after_comments_and_in_utf16_is_still_refused() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!-- x --><?pi y?>\n<!DOCTYPE Invoice []>'
    data = "\ufeff".encode("utf-16-le") + (text + UBL_ROOT.decode() + "</Invoice>").encode(
        "utf-16-le"
    )
    assert "DTD" in _refused(data)


def test_malformed_xml_says_where() -> None:
    message = _refused(UBL_ROOT + b"<cbc:ID>1</Invoice>")
    assert "not well-formed" in message


def test_a_wrong_namespace_names_what_it_found() -> None:
    message = _refused(b'<Invoice xmlns="urn:example:not-ubl"><ID>1</ID></Invoice>')
    assert "not an e-invoice" in message and "urn:example:not-ubl" in message


def test_xml_without_namespace_is_no_e_invoice() -> None:
    assert "root element is Invoice" in _refused(b"<Invoice><ID>1</ID></Invoice>")


def test_nesting_deeper_than_any_invoice_is_refused() -> None:
    depth = MAX_DEPTH + 5
    data = UBL_ROOT + b"<a>" * depth + b"</a>" * depth + b"</Invoice>"
    assert "deep" in _refused(data)


def test_an_oversized_xml_is_refused_before_parsing() -> None:
    with pytest.raises(UnreadableEInvoice, match="bytes"):
        parse_xml(b" " * (MAX_XML_BYTES + 1))


def test_reading_an_unreadable_file_raises_the_same_error() -> None:
    with pytest.raises(UnreadableEInvoice, match="DTD"):
        einvoice.read(BILLION_LAUGHS)


def test_a_processing_instruction_or_comment_does_not_change_a_value() -> None:
    xml = make_xml("ubl").replace(b"RE-2025-0042", b"RE-2025-<!-- note -->0042")
    assert einvoice.analyze(xml).fields["invoice_number"].value == "RE-2025-0042"


def test_text_that_is_not_xml_is_not_an_e_invoice() -> None:
    assert einvoice.detect(b"%PDF-1.7\n%%EOF") is None
    assert einvoice.detect(b"\x89PNG\r\n\x1a\n") is None
