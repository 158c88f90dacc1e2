"""Degraded scans of labelled PDFs, made at evaluation time: `docuflow eval --scans`.

Each PDF is rasterised the way an office scanner or a phone app would hand it over: at a
resolution between 150 and 300 dpi, turned by up to a degree and a half, with speckle
noise, and stored as a JPEG-compressed TIFF (so JPEG's block artefacts are in the file).
The offline engine then reads it with Tesseract, so the Tesseract path is measured on
real layouts, not only on generated ones.

Deterministic: every choice comes from a `random.Random` seeded with the file's name and
the seed, so the same corpus gives the same scans on every machine. Bounded: only the
first and the last page of a longer document are scanned (the header fields sit on the
first, the totals on the last), which keeps the scan evaluation of the whole corpus
within about a minute and a half on two cores.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageChops

from docuflow_tools.offline_ocr.pdfium_lock import PDFIUM_LOCK

SCAN_DPIS = (150, 200, 240, 300)
MAX_TILT_DEGREES = 1.5
# Share of pixels turned into dark specks (dust, toner) and of faint grey noise.
_SPECK_SHARE = 0.002
_GREY_NOISE = 24
JPEG_QUALITIES = (35, 75)


@dataclass(frozen=True)
class ScanSettings:
    """How one document was degraded (reported beside its figures)."""

    dpi: int
    tilt: float
    jpeg_quality: int
    pages: tuple[int, ...]


def scan_settings(name: str, page_count: int, seed: int) -> ScanSettings:
    """The degradation drawn for document `name` (stable for a name and seed)."""
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - seeded on purpose
    pages = (0,) if page_count == 1 else (0, page_count - 1)
    return ScanSettings(
        dpi=rng.choice(SCAN_DPIS),
        tilt=round(rng.uniform(-MAX_TILT_DEGREES, MAX_TILT_DEGREES), 2),
        jpeg_quality=rng.randint(*JPEG_QUALITIES),
        pages=pages,
    )


def degrade_pdf(data: bytes, name: str, *, seed: int = 0) -> tuple[bytes, ScanSettings]:
    """A scanned copy of the PDF `data` as a multi-page TIFF, and how it was made."""
    with PDFIUM_LOCK:  # pdfium is not thread-safe, and eval reads documents side by side
        document = pdfium.PdfDocument(data)
        try:
            settings = scan_settings(name, len(document), seed)
            rendered = []
            for index in settings.pages:
                page = document[index]
                rendered.append(
                    page.render(scale=settings.dpi / 72, grayscale=True).to_pil().convert("L")
                )
                page.close()
        finally:
            document.close()
    rng = random.Random(f"{seed}:{name}:noise")  # noqa: S311 - seeded on purpose
    images = [degrade_image(image, settings, rng) for image in rendered]
    out = io.BytesIO()
    images[0].save(
        out,
        format="TIFF",
        save_all=True,
        append_images=images[1:],
        compression="jpeg",
        quality=settings.jpeg_quality,
        dpi=(settings.dpi, settings.dpi),
    )
    return out.getvalue(), settings


def degrade_image(image: Image.Image, settings: ScanSettings, rng: random.Random) -> Image.Image:
    """`image` tilted by `settings.tilt`, with grey noise and dark specks drawn from `rng`."""
    tilted = image.rotate(
        settings.tilt, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255
    )
    width, height = tilted.size
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    # Faint grey noise everywhere: subtract up to _GREY_NOISE from each pixel.
    grey = noise.point(lambda value: value * _GREY_NOISE // 255)
    noisy = ImageChops.subtract(tilted, grey)
    # Dark specks where the noise is highest.
    cut = round(255 * (1 - _SPECK_SHARE))
    specks = noise.point(lambda value: 0 if value > cut else 255)
    return ImageChops.darker(noisy, specks)
