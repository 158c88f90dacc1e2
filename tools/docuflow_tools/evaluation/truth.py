"""Ground-truth files (`<name>.truth.json`, schema `docuflow-truth/1`) and how values compare.

Only `fields` is required; `line_items` is optional (no line-item recall without it). Field
names are DESIGN §4's; values are normalized as the parser normalizes them: ISO dates,
decimal strings, ISO 4217 codes. See docs/ocr.md for the format.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from docuflow.extraction.result import DATE_FIELDS, FIELD_NAMES, MONEY_FIELDS

TRUTH_SUFFIX = ".truth.json"
DOCUMENT_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


class TruthError(ValueError):
    """A ground-truth file that cannot be used, with the reason in words."""


class TruthLineItem(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    description: str | None = None
    quantity: str | None = None
    unit_price: str | None = None
    amount: str | None = None


class Truth(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    document: Annotated[str | None, Field(description="File name beside the truth file")] = None
    fields: dict[str, str]
    line_items: list[TruthLineItem] | None = None

    @field_validator("fields")
    @classmethod
    def _known_names(cls, fields: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(fields) - set(FIELD_NAMES))
        if unknown:
            raise ValueError(f"unknown field names {unknown}; use {', '.join(FIELD_NAMES)}")
        return fields


def load_truth(path: Path) -> Truth:
    """Read and check one truth file (TruthError saying what is wrong)."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TruthError(f"{path.name}: not readable JSON ({exc})") from exc
    try:
        return Truth.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise TruthError(f"{path.name}: {where}: {first['msg']}") from exc


def document_for(truth_path: Path, truth: Truth) -> Path:
    """The document a truth file describes: its `document` name, else the same stem."""
    if truth.document:
        return truth_path.parent / truth.document
    stem = truth_path.name[: -len(TRUTH_SUFFIX)]
    for suffix in DOCUMENT_SUFFIXES:
        candidate = truth_path.parent / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    raise TruthError(f"{truth_path.name}: no document {stem}.pdf/.png/.jpeg/.tiff beside it")


_NOT_ALNUM = re.compile(r"[\W_]+")


def same_value(field: str, expected: str, actual: str | None) -> bool:
    """Whether `actual` (normalized by the parser) is the truth's `expected` value.

    Money and quantities compare as decimals, dates and currencies exactly, and text
    fields ignoring case, spacing and punctuation (a line break or a comma in an address
    is layout, not content). Accents and letters count.
    """
    if actual is None:
        return False
    if field in MONEY_FIELDS or field in ("quantity", "unit_price", "amount"):
        return _decimal(expected) is not None and _decimal(expected) == _decimal(actual)
    if field in DATE_FIELDS or field == "currency":
        return expected.strip().upper() == actual.strip().upper()
    return _text_key(expected) == _text_key(actual)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None


def _text_key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())
