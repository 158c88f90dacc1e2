"""The Textract stand-in's recordings: responses by (document SHA-256, API).

At start the stand-in reads `textract_recordings.json` beside this module, an index over
the shared Textract fixtures (DOCUFLOW_SHARED_DIR/fixtures/textract), which stay where
they are: the index holds only paths relative to that folder.

    {
      "schema": "docuflow-textract-recordings/1",
      "documents": [
        {
          "document": "documents/receipt-mega.jpg",
          "recordings": {
            "expense": ["expense/receipt-mega.json"],
            "document": ["analyze_document/receipt.json"]
          }
        }
      ]
    }

Each document's bytes are hashed (SHA-256) at load. Under `recordings`, `expense` is the
AnalyzeExpense / GetExpenseAnalysis response and `document` the AnalyzeDocument /
GetDocumentAnalysis one, each given as its parts in order: a paginated response is one
file per page (a file may also hold a list of pages). A missing index, a missing indexed
file or an index that does not have this shape stops the load with a message naming it.
Recordings registered at run time (POST /_docuflow/textract/recordings) join the index.

A recording is kept as compressed JSON (`pack`), not as the dicts it reads as: an
AnalyzeExpense response of a synthetic invoice is 130-525 KB of JSON (the largest 1.2 MB as
Python objects) and 19-65 KB packed, and `make bench-e2e BURST=1000` registers a
thousand of them. Each `get` unpacks a copy of its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import zlib
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from docuflow_tools.paths import textract_fixtures_dir

Api = Literal["expense", "document"]
APIS: tuple[Api, ...] = ("expense", "document")
INDEX_PATH = Path(__file__).with_name("textract_recordings.json")
INDEX_SCHEMA = "docuflow-textract-recordings/1"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative(path: str) -> str:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or "\\" in path or ".." in parts:
        raise ValueError(f"{path!r} is not a path inside the fixtures folder (a/b.json)")
    return path


FixturePath = Annotated[str, AfterValidator(_relative)]


class IndexedDocument(BaseModel):
    """A fixture document and its recorded responses, per API, in page order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: FixturePath
    recordings: Annotated[
        dict[Api, Annotated[list[FixturePath], Field(min_length=1)]], Field(min_length=1)
    ]


class RecordingIndexFile(BaseModel):
    """`textract_recordings.json`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: Annotated[Literal["docuflow-textract-recordings/1"], Field(alias="schema")]
    documents: Annotated[list[IndexedDocument], Field(min_length=1)]


def read_index(index_path: Path = INDEX_PATH) -> RecordingIndexFile:
    """The index file, checked; FileNotFoundError or ValueError naming it otherwise."""
    if not index_path.is_file():
        raise FileNotFoundError(f"the Textract recording index {index_path} does not exist")
    try:
        return RecordingIndexFile.model_validate_json(index_path.read_bytes())
    except ValidationError as exc:
        raise ValueError(f"the Textract recording index {index_path} is not valid: {exc}") from exc


def pack(value: Any) -> bytes:
    """JSON, compressed: how a response is kept between being recorded and being read."""
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode("utf-8"), 1)


def unpack(packed: bytes) -> Any:
    return json.loads(zlib.decompress(packed))


class RecordingIndex:
    """Recorded responses by (document sha256, api). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recordings: dict[tuple[str, Api], bytes] = {}  # packed
        self._sources: dict[tuple[str, Api], str] = {}

    def add(self, sha256: str, api: Api, response: Any, source: str = "runtime") -> None:
        if api not in APIS:
            raise ValueError(f"api must be one of {APIS}, not {api!r}")
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("sha256 must be 64 lowercase hex digits")
        merged = pack(merge_pages(api, response))
        with self._lock:
            self._recordings[(sha256, api)] = merged
            self._sources[(sha256, api)] = source

    def get(self, sha256: str, api: Api) -> dict[str, Any] | None:
        with self._lock:
            found = self._recordings.get((sha256, api))
        return unpack(found) if found is not None else None

    def describe(self) -> list[dict[str, str]]:
        with self._lock:
            return [
                {"sha256": sha, "api": api, "source": source}
                for (sha, api), source in sorted(self._sources.items())
            ]

    @classmethod
    def from_fixtures(
        cls, fixtures_dir: Path | None = None, index_path: Path = INDEX_PATH
    ) -> RecordingIndex:
        """The recordings `index_path` names, read from `fixtures_dir` (by default the
        shared Textract fixtures)."""
        root = fixtures_dir or textract_fixtures_dir()
        index_file = read_index(index_path)
        named = [
            path
            for entry in index_file.documents
            for path in (entry.document, *(p for parts in entry.recordings.values() for p in parts))
        ]
        missing = [path for path in named if not (root / path).is_file()]
        if missing:
            raise FileNotFoundError(
                f"the Textract recording index {index_path} names files that are not in "
                f"{root} (DOCUFLOW_SHARED_DIR/fixtures/textract): {', '.join(missing)}"
            )
        index = cls()
        for entry in index_file.documents:
            digest = sha256_of((root / entry.document).read_bytes())
            for api, parts in entry.recordings.items():
                pages: list[Any] = []
                for part in parts:
                    try:
                        content = json.loads((root / part).read_text(encoding="utf-8"))
                    except json.JSONDecodeError as exc:
                        raise ValueError(f"{root / part} is not JSON: {exc}") from exc
                    pages.extend(content if isinstance(content, list) else [content])
                try:
                    index.add(digest, api, pages, source=", ".join(parts))
                except ValueError as exc:
                    raise ValueError(f"{', '.join(parts)} (api {api}): {exc}") from exc
        return index


def merge_pages(api: Api, response: Any) -> dict[str, Any]:
    """One response from a recording that may be a single response or a list of pages."""
    pages = response if isinstance(response, list) else [response]
    if not pages or not all(isinstance(page, dict) for page in pages):
        raise ValueError("a recording is a Textract response object or a list of them")
    merged = {
        key: value
        for key, value in pages[0].items()
        if key not in ("NextToken", "ResponseMetadata", "JobStatus", "StatusMessage")
    }
    key = "ExpenseDocuments" if api == "expense" else "Blocks"
    if key not in merged:
        raise ValueError(f"a recording for api {api!r} must carry {key}")
    for page in pages[1:]:
        merged[key] = list(merged[key]) + list(page.get(key, []))
        if api == "expense" and "Blocks" in page:
            merged["Blocks"] = list(merged.get("Blocks", [])) + list(page["Blocks"])
    return merged
