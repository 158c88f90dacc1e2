"""`docuflow parse FILE...`: Textract response JSON in, the normalized result out.

The files are one document: a single response, the pages of a paginated Get* result in
order, or a JSON array of responses (expense and document responses may be mixed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from docuflow.domain.errors import UnreadableResponse
from docuflow.extraction.checks import ScoringSettings, analyze


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `docuflow parse`."""
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="Textract response JSON (an object, or an array of them); '-' reads stdin",
    )
    add_scoring_arguments(parser)


def add_scoring_arguments(parser: argparse.ArgumentParser) -> None:
    """The thresholds and output options `docuflow parse` and `docuflow extract` share."""
    parser.add_argument(
        "--threshold",
        type=float,
        default=80.0,
        help="confidence (0-100) a field needs to pass without review (default 80)",
    )
    parser.add_argument(
        "--field-threshold",
        action="append",
        default=[],
        metavar="FIELD=N",
        help="per-field confidence threshold, e.g. total_amount=95 (repeatable)",
    )
    parser.add_argument("--compact", action="store_true", help="print JSON on one line")


def _load(name: str) -> list[Any]:
    try:
        raw = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UnreadableResponse(f"cannot read {name}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnreadableResponse(f"{name} is not UTF-8 text") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UnreadableResponse(
            f"{name} is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if data == []:
        raise UnreadableResponse(f"{name} holds an empty array, not a Textract response")
    return data if isinstance(data, list) else [data]


def scoring_settings(args: argparse.Namespace) -> ScoringSettings:
    """The thresholds the options name; UnreadableResponse for a malformed one."""
    overrides: dict[str, float] = {}
    for entry in args.field_threshold:
        name, _, number = str(entry).partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError as exc:
            raise UnreadableResponse(f"--field-threshold {entry!r} is not FIELD=NUMBER") from exc
    try:
        return ScoringSettings(confidence_threshold=args.threshold, field_thresholds=overrides)
    except ValidationError as exc:
        raise UnreadableResponse("thresholds must be numbers from 0 to 100") from exc


def run(args: argparse.Namespace) -> int:
    """Parse, check and print; 1 with a one-line message on stderr for unreadable input."""
    try:
        settings = scoring_settings(args)
        responses = [response for name in args.files for response in _load(name)]
        result = analyze(responses, settings)
    except UnreadableResponse as exc:
        # Name the file when there is one, so the message alone says what to fix.
        where = (
            f"{args.files[0]}: " if len(args.files) == 1 and args.files[0] not in str(exc) else ""
        )
        print(f"docuflow parse: {where}{exc}", file=sys.stderr)
        return 1
    payload = result.model_dump(mode="json")
    print(json.dumps(payload, ensure_ascii=False, indent=None if args.compact else 2))
    return 0
