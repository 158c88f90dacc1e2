"""Shared fixtures: the recorded Textract responses, read in place from ../shared."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docuflow_tools.paths import textract_fixtures_dir


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    root = textract_fixtures_dir()
    if not root.is_dir():
        pytest.fail(f"Textract fixtures not found at {root}; set DOCUFLOW_SHARED_DIR")
    return root


@pytest.fixture(scope="session")
def load_fixture(fixtures_dir: Path) -> Callable[[str], Any]:
    """Decoded JSON of one fixture, by path under fixtures/textract/."""

    def load(name: str) -> Any:
        return json.loads((fixtures_dir / name).read_text(encoding="utf-8"))

    return load
