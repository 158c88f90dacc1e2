"""The offline OCR engine: a PDF or image in, an AnalyzeDocument-shaped response out.

Born-digital PDF pages are read from their text layer (pdfplumber: exact text and
positions). Scanned pages (no text layer, or displayed rotated) and images (PNG, JPEG,
TIFF with any number of frames) are rendered/decoded and recognized by Tesseract.

The local cloud's Textract stand-in calls `analyze_document_bytes` for documents it has
no recording of; keep its signature stable.
"""

from __future__ import annotations

import hashlib
import io
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

from PIL import Image, ImageSequence, UnidentifiedImageError

from docuflow.domain.errors import OcrFailed, UnsupportedDocument
from docuflow_tools.offline_ocr import tesseract
from docuflow_tools.offline_ocr.blocks import BlockIds, page_blocks
from docuflow_tools.offline_ocr.layout import PageText, Word
from docuflow_tools.offline_ocr.pdfium_lock import PDFIUM_LOCK
from docuflow_tools.offline_ocr.textlayer import read_text_layer

DocumentKind = Literal["pdf", "png", "jpeg", "tiff"]

ENGINE_NAME = "docuflow-offline-ocr"
RENDER_DPI = 300
"""Resolution scanned PDF pages are rendered at for Tesseract."""
MAX_PAGES = 200
_MAX_PIXELS = 12_000 * 12_000
_CONTENT_TYPES: dict[str, DocumentKind] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/tiff": "tiff",
}


def sniff(data: bytes) -> DocumentKind | None:
    """The document's kind by its magic bytes (what it is, whatever it claims)."""
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    return None


def analyze_document_bytes(data: bytes, *, content_type: str | None = None) -> dict[str, Any]:
    """Read `data` (PDF, PNG, JPEG or TIFF) into an AnalyzeDocument-shaped response.

    Returns `DocumentMetadata.Pages`, `JobStatus: SUCCEEDED` and `Blocks` (PAGE, LINE,
    WORD; KEY_VALUE_SET and TABLE/CELL where the layout makes them clear), plus a
    `DocuflowEngine` key saying how each page was read. Raises `UnsupportedDocument` for
    anything else, `OcrFailed` for a damaged, encrypted or textless document or when
    Tesseract is needed but missing.
    """
    if not data:
        raise OcrFailed("The document is empty (0 bytes).")
    kind = sniff(data)
    if kind is None:
        declared = f" (declared {content_type})" if content_type else ""
        raise UnsupportedDocument(f"Not a PDF, PNG, JPEG or TIFF by its content{declared}.")
    declared_kind = _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    pages = _read_pdf(data) if kind == "pdf" else _read_image(data, kind)
    if not any(page.words for page in pages):
        raise OcrFailed(
            "No text found in the document: it is blank, or too faint or small to read."
        )
    ids = BlockIds(hashlib.sha256(data).hexdigest())
    blocks: list[dict[str, Any]] = []
    for page in pages:
        blocks.extend(page_blocks(page, ids))
    return {
        "DocumentMetadata": {"Pages": len(pages)},
        "JobStatus": "SUCCEEDED",
        "AnalyzeDocumentModelVersion": "1.0",
        "Blocks": blocks,
        "DocuflowEngine": {
            "name": ENGINE_NAME,
            "kind": kind,
            "declared_content_type_matches": None
            if declared_kind is None
            else declared_kind == kind,
            "pages": [
                {
                    "page": p.page,
                    "method": p.method,
                    "rotation": p.rotation,
                    "words": len(p.words),
                    "slanted_chars_skipped": p.skipped_chars,
                }
                for p in pages
            ],
        },
    }


def analyze_expense_bytes(data: bytes, *, content_type: str | None = None) -> dict[str, Any]:
    """The same reading in AnalyzeExpense's shape (GetExpenseAnalysis, JobStatus SUCCEEDED).

    Key-value pairs become `OTHER` summary fields with their labels, line-item tables become
    line items, and the PAGE/LINE/WORD blocks ride along for the parser's text finder.
    """
    from docuflow_tools.offline_ocr.expense import document_to_expense

    return document_to_expense(analyze_document_bytes(data, content_type=content_type))


def analyze(data: bytes, api: Literal["expense", "document"]) -> dict[str, Any]:
    """The response the local Textract stand-in returns for `api` (what it looks up here)."""
    if api == "expense":
        return analyze_expense_bytes(data)
    if api == "document":
        return analyze_document_bytes(data)
    raise ValueError(f"Unknown Textract API {api!r}: expense or document")


def _read_pdf(data: bytes) -> list[PageText]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    try:
        with PDFIUM_LOCK:
            document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_raw.FPDF_ERR_PASSWORD, pdfium_raw.FPDF_ERR_SECURITY):
            raise OcrFailed(
                "The PDF is encrypted (password-protected); upload an unprotected copy."
            ) from exc
        raise OcrFailed("The PDF is damaged and cannot be opened.") from exc
    try:
        with PDFIUM_LOCK:
            count = len(document)
        if count == 0:
            raise OcrFailed("The PDF has no pages.")
        if count > MAX_PAGES:
            raise OcrFailed(
                f"The PDF has {count} pages; the offline engine reads at most {MAX_PAGES}."
            )
        text_pages = read_text_layer(data)
        scanned = [index for index, page in enumerate(text_pages) if page is None]

        def rendered() -> Iterator[tuple[int, Image.Image, int]]:
            for index in scanned:
                with PDFIUM_LOCK:
                    page = document[index]
                    # pdfium renders the page as displayed (/Rotate applied); Tesseract's
                    # own orientation check turns it upright if the content is sideways.
                    image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
                    image.info["dpi"] = (RENDER_DPI, RENDER_DPI)
                    rotation = int(page.get_rotation())
                    page.close()
                yield index, image, rotation

        recognized = _recognize(rendered()) if scanned else {}
    finally:
        with PDFIUM_LOCK:
            document.close()
    return [page or recognized[index] for index, page in enumerate(text_pages)]


def _read_image(data: bytes, kind: DocumentKind) -> list[PageText]:
    try:
        opened = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise OcrFailed(f"The {kind.upper()} image is damaged and cannot be decoded.") from exc
    with opened:
        if opened.width * opened.height > _MAX_PIXELS:
            raise OcrFailed(f"The image is too large ({opened.width}x{opened.height} pixels).")
        frame_count = int(getattr(opened, "n_frames", 1))
        if frame_count > MAX_PAGES:
            raise OcrFailed(
                f"The image has {frame_count} pages; the offline engine reads at most {MAX_PAGES}."
            )

        def frames() -> Iterator[tuple[int, Image.Image, int]]:
            for index, frame in enumerate(ImageSequence.Iterator(opened)):
                try:
                    yield index, frame.convert("L"), 0
                except (OSError, SyntaxError, ValueError) as exc:
                    raise OcrFailed(
                        f"The {kind.upper()} image is damaged and cannot be decoded."
                    ) from exc

        recognized = _recognize(frames())
    return [recognized[index] for index in sorted(recognized)]


def _recognize(images: Iterator[tuple[int, Image.Image, int]]) -> dict[int, PageText]:
    """Tesseract on each page image, two pages at a time (one thread each).

    Pages are rendered or decoded one by one while earlier ones are recognized, and at
    most a few wait at any time, so a long scan never sits in memory whole.
    """
    cap = tesseract.require()
    results: dict[int, PageText] = {}
    pending: deque[tuple[int, int, Future[tuple[list[Word], int, tuple[int, int]]]]] = deque()

    def collect_oldest() -> None:
        index, rotation, future = pending.popleft()
        words, turned, (width, height) = future.result()
        results[index] = PageText(
            index + 1,
            float(width),
            float(height),
            tuple(words),
            "tesseract",
            (rotation + turned) % 360,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        for index, image, rotation in images:
            pending.append((index, rotation, pool.submit(_recognize_page, image, index + 1, cap)))
            while len(pending) > 3:
                collect_oldest()
        while pending:
            collect_oldest()
    return results


def _recognize_page(
    image: Image.Image, page: int, cap: tesseract.Capability
) -> tuple[list[Word], int, tuple[int, int]]:
    words, turned = tesseract.recognize(image, page, cap=cap)
    size = (image.height, image.width) if turned in (90, 270) else (image.width, image.height)
    return words, turned, size
