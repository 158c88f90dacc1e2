"""`make bench-offline-ocr` (`python -m docuflow_tools.bench.offline_ocr`): pages per second
of the offline OCR engine.

Two paths, each next to the tool underneath it alone on the same input:
- text layer: `analyze_document_bytes` on a born-digital PDF vs pdfplumber's word
  extraction on the same PDF;
- Tesseract: `analyze_document_bytes` on a multi-frame TIFF scan vs the `tesseract`
  program on the same page images (one process per page, one at a time and two at a time).
Figures are printed, never asserted. Material is generated (docuflow_tools.samples).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageSequence

from docuflow_tools.offline_ocr import analyze_document_bytes, capability
from docuflow_tools.offline_ocr.tesseract import LANGUAGES
from docuflow_tools.samples import layout_invoice, make_invoice, rasterize_pdf, render_pdf


def _measure(pages: int, repeat: int, runs: dict[str, Callable[[], object]]) -> list[str]:
    """One line per run: pages per second, median over `repeat` rounds after a warm-up.

    The runs take turns within each round, so a busy machine slows them alike.
    """
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    lines = []
    for name, samples in times.items():
        seconds = statistics.median(samples)
        lines.append(
            f"  {name:52} {pages / seconds:8.2f} pages/s   ({seconds * 1000:8.1f} ms per run)"
        )
    return lines


def bench_text_layer(repeat: int) -> list[str]:
    import pdfplumber

    invoice = make_invoice(7, n_items=90, language="en")
    pdf = render_pdf(invoice)
    pages = layout_invoice(invoice).pages

    def plumber_alone() -> None:
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            for page in document.pages:
                page.extract_words()

    return [
        f"Text-layer path: generated PDF, {pages} pages, {len(pdf) // 1024} KiB",
        *_measure(
            pages,
            repeat,
            {
                "docuflow engine (analyze_document_bytes)": lambda: analyze_document_bytes(pdf),
                "pdfplumber extract_words alone": plumber_alone,
            },
        ),
    ]


def bench_tesseract(repeat: int, dpi: int) -> list[str]:
    cap = capability()
    if not cap.available or cap.binary is None:
        return [f"Tesseract path: not measured: {cap.message}"]
    invoices = [
        make_invoice(seed, n_items=6, language=lang) for seed, lang in ((11, "en"), (12, "de"))
    ]
    frames: list[Image.Image] = []
    for invoice in invoices:
        frames.extend(
            ImageSequence.Iterator(
                Image.open(io.BytesIO(rasterize_pdf(render_pdf(invoice), "tiff", dpi=dpi)))
            )
        )
    frames = [frame.copy() for frame in frames]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate"
    )
    tiff = buffer.getvalue()
    pages = len(frames)
    languages = "+".join(cap.languages)
    binary = cap.binary
    with tempfile.TemporaryDirectory(prefix="docuflow-bench-") as tmp:
        paths = []
        for index, frame in enumerate(frames):
            path = Path(tmp) / f"page-{index}.png"
            frame.save(path)
            paths.append(path)

        def tesseract_page(path: Path) -> None:
            env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
            subprocess.run(  # noqa: S603 - fixed argv
                [binary, str(path), "-", "-l", languages, "tsv"],
                capture_output=True,
                check=True,
                env=env,
            )

        def tesseract_serial() -> None:
            for path in paths:
                tesseract_page(path)

        def tesseract_two() -> None:
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(tesseract_page, paths))

        return [
            f"Tesseract path: {pages} scanned pages at {dpi} dpi (multi-frame TIFF), "
            f"languages {languages}",
            *_measure(
                pages,
                repeat,
                {
                    "docuflow engine (analyze_document_bytes)": lambda: analyze_document_bytes(
                        tiff
                    ),
                    "tesseract CLI alone, one page at a time": tesseract_serial,
                    "tesseract CLI alone, two pages at a time": tesseract_two,
                },
            ),
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docuflow_tools.bench.offline_ocr", description=__doc__
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="Timed runs per measurement (default 3)"
    )
    parser.add_argument(
        "--dpi", type=int, default=300, help="Resolution of the scanned pages (default 300)"
    )
    args = parser.parse_args(argv)
    print(
        f"Offline OCR engine benchmark on {os.cpu_count()} cores "
        f"(languages wanted: {'+'.join(LANGUAGES)})"
    )
    for line in bench_text_layer(max(args.repeat * 5, 5)):
        print(line)
    for line in bench_tesseract(args.repeat, args.dpi):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
