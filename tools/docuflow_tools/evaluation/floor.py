"""The floor: figures on the real-invoice corpus that a change must not lower.

`corpus_floor.json` (beside this module, checked in) holds, per mode (`text_layer`: the
PDFs as given; `scans`: their degraded scans), the lowest accepted accuracy per field,
for the header fields together, for line-item recall, and the most automatically
completed documents with a wrong field (0). `docuflow eval --floor` compares a run with
it and exits non-zero when a figure fell below, which is how `make eval` stops such a
change in CI. Raise the floor when a change lifts the figures, never lower it to pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from docuflow.extraction.result import FIELD_NAMES
from docuflow_tools.evaluation.runner import EvalReport

FLOOR_FILE = Path(__file__).with_name("corpus_floor.json")

Share = Annotated[float, Field(ge=0, le=1)]


class FloorError(ValueError):
    """A floor file that cannot be used, with the reason in words."""


class ModeFloor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, Share]
    header_fields: Share
    line_item_recall: Share | None = None
    completed_with_wrong_field: Annotated[int, Field(ge=0)] = 0

    @field_validator("fields")
    @classmethod
    def _known_names(cls, fields: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(fields) - set(FIELD_NAMES))
        if unknown:
            raise ValueError(f"unknown field names {unknown}")
        return fields


class Floor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text_layer: ModeFloor
    scans: ModeFloor


def load_floor(path: Path = FLOOR_FILE) -> Floor:
    try:
        return Floor.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise FloorError(f"{path}: not a usable floor file ({exc})") from exc


def shortfalls(report: EvalReport, floor: Floor) -> list[str]:
    """Each figure of `report` below its floor, in words (empty: the run holds the floor)."""
    bar: ModeFloor = getattr(floor, report.mode)
    below: list[str] = []
    accuracy = {f.field: f.accuracy for f in report.fields}
    for field, least in sorted(bar.fields.items()):
        got = accuracy.get(field)
        if got is None or got < least:
            below.append(f"{field}: {_percent(got)} is below the floor {_percent(least)}")
    if report.header_field_accuracy is None or report.header_field_accuracy < bar.header_fields:
        below.append(
            f"header fields: {_percent(report.header_field_accuracy)} is below the floor "
            f"{_percent(bar.header_fields)}"
        )
    if bar.line_item_recall is not None and (
        report.line_item_recall is None or report.line_item_recall < bar.line_item_recall
    ):
        below.append(
            f"line-item recall: {_percent(report.line_item_recall)} is below the floor "
            f"{_percent(bar.line_item_recall)}"
        )
    if report.completed_with_wrong_field > bar.completed_with_wrong_field:
        below.append(
            f"{report.completed_with_wrong_field} document(s) completed automatically with a "
            f"wrong field (at most {bar.completed_with_wrong_field})"
        )
    return below


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
