"""`docuflow generate OUT_DIR -n N`: synthetic invoices with ground truth beside them.

Writes `<name>.pdf` (or `.png`/`.jpeg`/`.tiff` for the scanned share) and
`<name>.truth.json` (schema `docuflow-truth/1`, see docs/ocr.md); with
`--with-recordings` also `<name>.expense.json`, the ideal AnalyzeExpense response.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from docuflow_tools.samples.generator import make_invoice
from docuflow_tools.samples.model import SyntheticInvoice
from docuflow_tools.samples.recording import expense_recording
from docuflow_tools.samples.render import ImageFormat, layout_invoice, rasterize_pdf, render_pdf

_IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "jpeg", "tiff")


@dataclass(frozen=True)
class GeneratedDocument:
    name: str
    document: Path
    truth: Path
    pages: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out_dir", type=Path, metavar="OUT_DIR", help="Folder to write into (created)"
    )
    parser.add_argument(
        "-n", "--count", type=int, default=30, help="How many documents (default 30)"
    )
    parser.add_argument("--seed", type=int, default=1, help="First seed; document i uses seed+i")
    parser.add_argument(
        "--image-every",
        type=int,
        default=5,
        help="Render every Nth document as a scanned image (0: PDFs only; default 5)",
    )
    parser.add_argument("--dpi", type=int, default=200, help="Resolution of the rendered images")
    parser.add_argument(
        "--with-recordings",
        action="store_true",
        help="Also write <name>.expense.json, the ideal AnalyzeExpense response for each PDF",
    )


def run(args: argparse.Namespace) -> int:
    if args.count < 1:
        print("docuflow generate: -n must be at least 1", file=sys.stderr)
        return 2
    try:
        written = generate(
            args.out_dir,
            count=args.count,
            first_seed=args.seed,
            image_every=args.image_every,
            dpi=args.dpi,
            with_recordings=args.with_recordings,
        )
    except OSError as exc:
        print(
            f"docuflow generate: cannot write to {args.out_dir}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    pages = sum(doc.pages for doc in written)
    print(f"Wrote {len(written)} documents ({pages} pages) with ground truth to {args.out_dir}")
    return 0


def generate(
    out_dir: Path,
    *,
    count: int,
    first_seed: int = 1,
    image_every: int = 5,
    dpi: int = 200,
    with_recordings: bool = False,
) -> list[GeneratedDocument]:
    """Write `count` documents and their truth files; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[GeneratedDocument] = []
    for index in range(count):
        seed = first_seed + index
        invoice = make_invoice(seed)
        name = f"invoice-{seed:05d}"
        pdf = render_pdf(invoice)
        pages = layout_invoice(invoice).pages
        as_image = image_every > 0 and index % image_every == image_every - 1
        if as_image:
            fmt = _IMAGE_FORMATS[(index // image_every) % len(_IMAGE_FORMATS)]
            if pages > 1:
                fmt = "tiff"  # the only one of the three that holds several pages
            rotate = _scan_rotation(invoice)
            data = rasterize_pdf(pdf, fmt, dpi=dpi, rotate=rotate, noise=24 if seed % 2 else 0)
            document = out_dir / f"{name}.{fmt}"
        else:
            rotate = 0.0
            data = pdf
            document = out_dir / f"{name}.pdf"
        document.write_bytes(data)
        truth = invoice.ground_truth(document=document.name, pages=pages)
        truth["conventions"]["format"] = document.suffix.lstrip(".")
        truth["conventions"]["rotation_degrees"] = rotate
        truth_path = out_dir / f"{name}.truth.json"
        truth_path.write_text(
            json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if with_recordings and not as_image:
            recording_path = out_dir / f"{name}.expense.json"
            recording_path.write_text(
                json.dumps(expense_recording(invoice), indent=1) + "\n", encoding="utf-8"
            )
        written.append(GeneratedDocument(name, document, truth_path, pages))
    return written


def _scan_rotation(invoice: SyntheticInvoice) -> float:
    """A slight skew for most scans, a page turned a quarter for some."""
    choices = (0.0, 0.8, -1.2, 90.0, 0.0, -0.5)
    return choices[invoice.seed % len(choices)]
