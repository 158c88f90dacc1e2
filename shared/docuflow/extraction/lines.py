"""A printed line of text with its place on the page: the neutral input of text-based extraction."""

from __future__ import annotations

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
