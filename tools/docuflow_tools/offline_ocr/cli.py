"""`docuflow ocr FILE`: read a PDF or image offline and print the Textract-shaped JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from docuflow.domain.errors import DocuflowError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, nargs="?", metavar="FILE", help="PDF, PNG, JPEG or TIFF")
    parser.add_argument("-o", "--output", type=Path, help="Write the JSON here instead of stdout")
    parser.add_argument("--compact", action="store_true", help="One-line JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Only say whether Tesseract (for scans and images) is installed",
    )


def run(args: argparse.Namespace) -> int:
    from docuflow_tools.offline_ocr import analyze_document_bytes, capability

    if args.check:
        cap = capability()
        print(cap.message, file=sys.stdout if cap.available else sys.stderr)
        return 0 if cap.available else 1
    if args.file is None:
        print("docuflow ocr: give a FILE to read (or --check)", file=sys.stderr)
        return 2
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"docuflow ocr: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        response = analyze_document_bytes(data)
    except DocuflowError as exc:
        print(f"docuflow ocr: {args.file}: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(response, ensure_ascii=False, indent=None if args.compact else 1)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0
