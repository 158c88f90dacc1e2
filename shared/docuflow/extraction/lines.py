"""Printed lines with their place on the page (the neutral input of text-based extraction),
and the values the text finder finds in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from docuflow.extraction.result import BoundingBox


class TextLine(BaseModel):
    """One LINE as Textract (or the offline engine) reports it."""

    model_config = ConfigDict(frozen=True)

    text: str
    page: Annotated[int, Field(ge=1)]
    confidence: Annotated[float, Field(ge=0, le=100)]
    bbox: BoundingBox | None = None


@dataclass(frozen=True)
class TextFinding:
    """A field's value found in printed lines by the text finder, before it is a reading."""

    field: str
    value: str
    text: str
    confidence: float
    # The line the value is printed in (or, for a block, its first line).
    line: TextLine
    label: str | None
    bbox: BoundingBox | None
