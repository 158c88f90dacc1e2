"""`docuflow`: the command line. Each subcommand lives beside the code it drives.

A subcommand module exposes `add_arguments(parser)` and `run(args) -> int`; modules are
imported only when their command runs, so `docuflow parse` never loads moto.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("docuflow_tools.parse", "Normalize Textract response JSON into invoice fields"),
    "extract": (
        "docuflow_tools.extract",
        "Print the result the pipeline would store for documents: e-invoice XML exactly, "
        "else the offline OCR engine",
    ),
    "ocr": (
        "docuflow_tools.offline_ocr.cli",
        "Read a PDF or image offline into a Textract-shaped response",
    ),
    "eval": ("docuflow_tools.evaluation.cli", "Measure extraction accuracy on labelled documents"),
    "eval-hints": (
        "docuflow_tools.evaluation.vendor_hints",
        "Measure learning from corrections: a vendor's second invoice after a corrected first",
    ),
    "generate": ("docuflow_tools.samples.cli", "Generate synthetic invoices with ground truth"),
    "demo-data": ("docuflow_tools.demo_data", "Write the web demo's jobs and documents"),
    "up": ("docuflow_tools.localcloud.cli", "Run the whole stack on the Docker-free local cloud"),
    "seed": (
        "docuflow_tools.localcloud.seed",
        "Upload the fixture documents to a running local cloud",
    ),
    "token": (
        "docuflow_tools.localcloud.users",
        "Sign a user in and print the bearer token (ID token) for the API",
    ),
    "calibrate": (
        "docuflow_tools.calibrate",
        "Per field: how often values above each confidence were right (from the audit)",
    ),
    "openapi": (
        "docuflow_tools.openapi",
        "Generate services/api/openapi.json from the API handlers (--check: compare)",
    ),
    "event-schema": (
        "docuflow_tools.event_schema",
        "Generate the events' JSON Schema from their model (--check: compare)",
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="docuflow", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not args_list or args_list[0] not in COMMANDS:
        parser.parse_args(args_list)  # prints usage and exits 2
        return 2
    name = args_list[0]
    module = importlib.import_module(COMMANDS[name][0])
    command_parser = argparse.ArgumentParser(prog=f"docuflow {name}", description=COMMANDS[name][1])
    module.add_arguments(command_parser)
    args = command_parser.parse_args(args_list[1:])
    result: int = module.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
