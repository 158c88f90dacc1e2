"""The Textract stand-in's recordings, read through the JSON index over the shared fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from docuflow_tools.localcloud.textract_recordings import RecordingIndex, merge_pages, sha256_of
from docuflow_tools.paths import textract_fixtures_dir

FIXTURES = textract_fixtures_dir()


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _index(tmp_path: Path, documents: Any, **extra: Any) -> Path:
    path = tmp_path / "index.json"
    body = {"schema": "docuflow-textract-recordings/1", "documents": documents, **extra}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_the_index_replays_each_fixture_document_by_its_sha256() -> None:
    # Given the index in the repository over the shared fixtures
    index = RecordingIndex.from_fixtures()
    receipt = sha256_of((FIXTURES / "documents" / "receipt-mega.jpg").read_bytes())
    invoice = sha256_of((FIXTURES / "documents" / "sample-invoice.pdf").read_bytes())
    # Then a receipt has both recordings, as recorded
    expense = index.get(receipt, "expense")
    document = index.get(receipt, "document")
    assert expense is not None and document is not None
    recorded = _json(FIXTURES / "expense" / "receipt-mega.json")
    assert expense["ExpenseDocuments"] == recorded["ExpenseDocuments"]
    assert document["Blocks"] == _json(FIXTURES / "analyze_document" / "receipt.json")["Blocks"]
    # and the invoice only its AnalyzeDocument one
    assert index.get(invoice, "document") is not None
    assert index.get(invoice, "expense") is None
    sources = {(row["sha256"], row["api"]): row["source"] for row in index.describe()}
    assert sources[(receipt, "expense")] == "expense/receipt-mega.json"
    assert sources[(invoice, "document")] == "analyze_document/sample-invoice.json"


def test_a_paginated_recording_is_its_parts_in_order(tmp_path: Path) -> None:
    # Given a document whose GetDocumentAnalysis response was recorded in two pages
    (tmp_path / "documents").mkdir()
    (tmp_path / "pages").mkdir()
    data = b"%PDF-1.4 two pages of blocks"
    (tmp_path / "documents" / "doc.pdf").write_bytes(data)
    first = {
        "DocumentMetadata": {"Pages": 2},
        "JobStatus": "SUCCEEDED",
        "NextToken": "page-2",
        "Blocks": [{"Id": "a"}],
    }
    (tmp_path / "pages" / "1.json").write_text(json.dumps(first))
    (tmp_path / "pages" / "2.json").write_text(json.dumps({"Blocks": [{"Id": "b"}]}))
    index_path = _index(
        tmp_path,
        [
            {
                "document": "documents/doc.pdf",
                "recordings": {"document": ["pages/1.json", "pages/2.json"]},
            }
        ],
    )
    # When the index is read
    index = RecordingIndex.from_fixtures(tmp_path, index_path)
    # Then the pages are one response, blocks in page order, without the paging keys
    assert index.get(sha256_of(data), "document") == {
        "DocumentMetadata": {"Pages": 2},
        "Blocks": [{"Id": "a"}, {"Id": "b"}],
    }


def test_missing_indexed_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "here.pdf").write_bytes(b"%PDF-1.4")
    index_path = _index(
        tmp_path,
        [
            {"document": "documents/here.pdf", "recordings": {"expense": ["expense/gone.json"]}},
            {"document": "documents/gone.pdf", "recordings": {"document": ["documents/here.pdf"]}},
        ],
    )
    with pytest.raises(FileNotFoundError) as raised:
        RecordingIndex.from_fixtures(tmp_path, index_path)
    assert str(raised.value).endswith(
        "(DOCUFLOW_SHARED_DIR/fixtures/textract): expense/gone.json, documents/gone.pdf"
    )


def test_a_missing_index_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"absent\.json does not exist"):
        RecordingIndex.from_fixtures(tmp_path, tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("documents", "extra"),
    [
        ([{"document": "/etc/passwd", "recordings": {"expense": ["e.json"]}}], {}),
        ([{"document": "../outside.pdf", "recordings": {"expense": ["e.json"]}}], {}),
        ([{"document": "d.pdf", "recordings": {"forms": ["e.json"]}}], {}),
        ([{"document": "d.pdf", "recordings": {"expense": []}}], {}),
        ([{"document": "d.pdf", "recordings": {}}], {}),
        ([{"document": "d.pdf", "recordings": {"expense": ["e.json"]}, "note": 1}], {}),
        ([], {}),
        ([{"document": "d.pdf", "recordings": {"expense": ["e.json"]}}], {"schema": "v2"}),
    ],
)
def test_an_index_of_another_shape_is_refused_with_its_name(
    tmp_path: Path, documents: Any, extra: dict[str, Any]
) -> None:
    index_path = _index(tmp_path, documents, **extra)
    with pytest.raises(ValueError, match=r"index .*index\.json is not valid"):
        RecordingIndex.from_fixtures(tmp_path, index_path)


def test_a_recording_without_its_api_key_is_refused_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "e.json").write_text(json.dumps({"Blocks": []}))
    index_path = _index(tmp_path, [{"document": "d.pdf", "recordings": {"expense": ["e.json"]}}])
    with pytest.raises(ValueError, match=r"e\.json \(api expense\).*ExpenseDocuments"):
        RecordingIndex.from_fixtures(tmp_path, index_path)


def test_a_recording_reads_back_whole_and_as_a_copy_of_its_own() -> None:
    # Given an AnalyzeExpense recording of a synthetic invoice (hundreds of KB of JSON)
    from docuflow_tools.samples import expense_recording, make_invoice

    response = merge_pages("expense", expense_recording(make_invoice(7)))
    index = RecordingIndex()
    index.add("a" * 64, "expense", response)
    # When it is read twice, Then each read is the whole response, floats and all
    first, second = index.get("a" * 64, "expense"), index.get("a" * 64, "expense")
    assert first == response
    # and a reader that changes its copy changes nothing another reader gets
    assert first is not None and second is not None
    first["ExpenseDocuments"].clear()
    assert second == response
    assert index.get("a" * 64, "expense") == response
