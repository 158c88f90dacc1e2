"""`docuflow eval DIR`: read (offline OCR engine), parse and route labelled documents and print
the figures; `--scans` reads degraded scans of them instead, `--floor` fails a run whose
figures fall below the checked-in floor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docuflow_tools.evaluation.floor import FLOOR_FILE, FloorError, load_floor, shortfalls
from docuflow_tools.evaluation.runner import EvalReport, evaluate
from docuflow_tools.evaluation.truth import TruthError
from docuflow_tools.offline_ocr import tesseract
from docuflow_tools.paths import generated_dir

EXIT_BELOW_FLOOR = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        type=Path,
        metavar="DIR",
        help="Folder of documents with <name>.truth.json beside them (subfolders too)",
    )
    parser.add_argument("--json", action="store_true", help="Print the full report as JSON")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="List every wrong or missing field"
    )
    parser.add_argument(
        "--scans",
        action="store_true",
        help="Read a degraded scan of each PDF (150-300 dpi, tilt, noise, JPEG) with Tesseract",
    )
    parser.add_argument("--seed", type=int, default=0, help="Seed of the scans' degradation")
    parser.add_argument(
        "--workers", type=int, default=2, help="Documents read side by side (default 2)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="Run Tesseract on every page (default: keep its output under "
        ".generated/ocr-cache, keyed by the page image, options and Tesseract version)",
    )
    parser.add_argument(
        "--floor",
        nargs="?",
        const=FLOOR_FILE,
        type=Path,
        default=None,
        metavar="FILE",
        help=f"Exit {EXIT_BELOW_FLOOR} when a figure is below the floor "
        "(default file: the checked-in corpus floor)",
    )


def run(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        print(f"docuflow eval: {args.directory} is not a folder", file=sys.stderr)
        return 2
    if not args.no_cache:
        tesseract.use_cache(tesseract.OutputCache(generated_dir() / "ocr-cache"))
    try:
        floor = load_floor(args.floor) if args.floor is not None else None
        report = evaluate(
            args.directory, scans=args.scans, seed=args.seed, workers=max(1, args.workers)
        )
    except (TruthError, FloorError, FileNotFoundError) as exc:
        print(f"docuflow eval: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(report.model_dump_json(indent=1))
    else:
        print(format_report(report, verbose=args.verbose))
    if floor is not None:
        below = shortfalls(report, floor)
        for line in below:
            print(f"docuflow eval: below the floor ({report.mode}): {line}", file=sys.stderr)
        if below:
            return EXIT_BELOW_FLOOR
        print(f"Floor ({report.mode}): held.")
    return 0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:5.1f}%"


def format_report(report: EvalReport, *, verbose: bool = False) -> str:
    how = "degraded scans, Tesseract" if report.mode == "scans" else "documents as given"
    lines = [
        f"{report.directory} ({how})",
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
        f"Header fields:                    {_percent(report.header_field_accuracy)} "
        "(vendor, invoice number, dates, total, currency)",
        f"All fields:                       {_percent(report.overall_field_accuracy)}",
        f"Line-item recall:                 {_percent(report.line_item_recall)} "
        f"({report.line_items_matched}/{report.line_items_expected})",
        f"Completed automatically:          {_percent(report.completed_share)} "
        f"({report.completed_automatically}/{report.documents})",
        f"Completed with a wrong field:     {report.completed_with_wrong_field}",
    ]
    if len(report.folders) > 1:
        lines += [
            "",
            f"{'folder':36} {'docs':>4} {'header':>7} {'all':>7} {'items':>9} {'auto':>5} "
            f"{'wrong':>5}",
        ]
        for folder in report.folders:
            items = f"{folder.line_items_matched}/{folder.line_items_expected}"
            lines.append(
                f"{folder.folder[:36]:36} {folder.documents:>4} "
                f"{_percent(folder.header_field_accuracy):>7} "
                f"{_percent(folder.overall_field_accuracy):>7} {items:>9} "
                f"{folder.completed_automatically:>5} {folder.completed_with_wrong_field:>5}"
            )
    if report.calibration:
        lines += [
            "",
            "Confidence calibration (values found: right / found, at or above the threshold "
            "and below it)",
            f"{'field':20} {'threshold':>9} {'above':>12} {'below':>12}",
        ]
        for row in report.calibration:
            lines.append(
                f"{row.field:20} {row.threshold:>9.0f} "
                f"{f'{row.above_right}/{row.above}':>12} {f'{row.below_right}/{row.below}':>12}"
            )
    if verbose:
        lines.append("")
        for document in report.per_document:
            where = document.name
            if document.folder != ".":
                where = f"{document.folder}/{where}"
            if document.error:
                lines.append(f"{where}: {document.error}")
            for outcome in document.fields:
                if outcome.outcome != "right":
                    lines.append(
                        f"{where}: {outcome.field} {outcome.outcome}: "
                        f"expected {outcome.expected!r}, got {outcome.actual!r} "
                        f"({outcome.source}, {outcome.confidence})"
                    )
    return "\n".join(lines)
