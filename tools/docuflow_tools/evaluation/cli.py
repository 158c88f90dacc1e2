"""`docuflow eval DIR`: read (offline OCR engine), parse and route labelled documents and print
the figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docuflow_tools.evaluation.runner import EvalReport, evaluate
from docuflow_tools.evaluation.truth import TruthError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        type=Path,
        metavar="DIR",
        help="Folder of documents with <name>.truth.json beside them",
    )
    parser.add_argument("--json", action="store_true", help="Print the full report as JSON")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="List every wrong or missing field"
    )


def run(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        print(f"docuflow eval: {args.directory} is not a folder", file=sys.stderr)
        return 2
    try:
        report = evaluate(args.directory)
    except (TruthError, FileNotFoundError) as exc:
        print(f"docuflow eval: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(report.model_dump_json(indent=1))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:5.1f}%"


def format_report(report: EvalReport, *, verbose: bool = False) -> str:
    lines = [
        f"Documents: {report.documents} ({report.pages} pages, "
        f"{report.failed_documents} unreadable) in {report.seconds:.1f} s",
        "",
        f"{'field':20} {'accuracy':>8} {'right':>6} {'wrong':>6} {'missing':>8} {'extra':>6}",
    ]
    for field in report.fields:
        lines.append(
            f"{field.field:20} {_percent(field.accuracy):>8} {field.right:>6} {field.wrong:>6} "
            f"{field.missing:>8} {field.extra:>6}"
        )
    lines += [
        "",
        f"All fields:                       {_percent(report.overall_field_accuracy)}",
        f"Line-item recall:                 {_percent(report.line_item_recall)} "
        f"({report.line_items_matched}/{report.line_items_expected})",
        f"Completed automatically:          {_percent(report.completed_share)} "
        f"({report.completed_automatically}/{report.documents})",
        f"Completed with a wrong field:     {report.completed_with_wrong_field}",
    ]
    if verbose:
        lines.append("")
        for document in report.per_document:
            if document.error:
                lines.append(f"{document.name}: {document.error}")
            for outcome in document.fields:
                if outcome.outcome != "right":
                    lines.append(
                        f"{document.name}: {outcome.field} {outcome.outcome}: "
                        f"expected {outcome.expected!r}, got {outcome.actual!r} "
                        f"({outcome.source}, {outcome.confidence})"
                    )
    return "\n".join(lines)
