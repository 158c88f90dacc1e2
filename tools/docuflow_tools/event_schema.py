"""`docuflow event-schema [--check]`: the JSON Schema of the events, from their model.

`docuflow.events.model.InvoiceEvent` is the contract; this writes its JSON Schema to
`shared/docuflow/events/invoice-event.v1.schema.json`, the file receivers and the tests
validate events against. `--check` writes nothing and fails when the file differs.
"""

from __future__ import annotations

import argparse
import sys

from docuflow.events.model import SCHEMA_PATH, schema_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `docuflow event-schema`."""
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the committed schema differs from the model",
    )


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.is_file() else ""
        if current != text:
            print(
                f"{SCHEMA_PATH} is not what the model says: run `uv run docuflow event-schema`",
                file=sys.stderr,
            )
            return 1
        return 0
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}", file=sys.stderr)
    return 0
