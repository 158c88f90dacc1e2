"""`docuflow extract FILE... [--ocr-only]`: the result the pipeline would store, offline.

A file that is an e-invoice (UBL, CII, ZUGFeRD 1.0, Svefaktura XML) or carries one (a
Factur-X / ZUGFeRD / XRechnung hybrid PDF) is read exactly from its XML, as the
pipeline's e-invoice branch reads it. Anything else goes through the offline OCR engine
and the parser, as the OCR branch would with Textract. `--ocr-only` ignores embedded XML,
so the same hybrid PDFs measure OCR too.

One file prints its result as `docuflow parse` does; several print one compact result
per line (JSON Lines), in order. A file that cannot be read is named on stderr, and the
exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from docuflow import einvoice
from docuflow.domain.errors import DocuflowError
from docuflow.extraction import analyze
from docuflow.extraction.checks import ScoringSettings
from docuflow.extraction.result import ExtractionResult
from docuflow_tools.parse import add_scoring_arguments, scoring_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="an e-invoice XML, a PDF (hybrid or not) or an image (PNG, JPEG, TIFF)",
    )
    parser.add_argument(
        "--ocr-only",
        action="store_true",
        help="ignore embedded e-invoice XML: read every PDF with the offline OCR engine",
    )
    add_scoring_arguments(parser)


def extract(data: bytes, settings: ScoringSettings, *, ocr_only: bool = False) -> ExtractionResult:
    """The normalized result for one document's bytes (DocuflowError when unreadable)."""
    if not ocr_only and einvoice.detect(data) is not None:
        return einvoice.analyze(data, settings)
    if einvoice.looks_like_xml(data[:64]) and not einvoice.is_pdf(data):
        # XML that is no e-invoice was refused by detect(); with --ocr-only it is no image.
        raise einvoice.UnreadableEInvoice("An XML file has no pictures to OCR.")
    from docuflow_tools.offline_ocr import analyze_document_bytes

    return analyze(analyze_document_bytes(data), settings)


def run(args: argparse.Namespace) -> int:
    try:
        settings = scoring_settings(args)
    except DocuflowError as exc:
        print(f"docuflow extract: {exc}", file=sys.stderr)
        return 1
    several = len(args.files) > 1
    failed = False
    for path in args.files:
        try:
            result = extract(path.read_bytes(), settings, ocr_only=args.ocr_only)
        except OSError as exc:
            print(f"docuflow extract: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
            failed = True
            continue
        except DocuflowError as exc:
            print(f"docuflow extract: {path}: {exc}", file=sys.stderr)
            failed = True
            continue
        payload = result.model_dump(mode="json")
        compact = args.compact or several
        print(json.dumps(payload, ensure_ascii=False, indent=None if compact else 2))
    return 1 if failed else 0
