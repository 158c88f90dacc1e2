"""The offline OCR engine: PDFs and images to Textract-shaped responses, without AWS.

`analyze_document_bytes(data)` is what the local cloud's Textract stand-in calls;
`capability()` says whether Tesseract (needed for scans and images) is installed.
"""

from __future__ import annotations

from docuflow_tools.offline_ocr.engine import analyze_document_bytes, sniff
from docuflow_tools.offline_ocr.tesseract import Capability, capability

__all__ = ["Capability", "analyze_document_bytes", "capability", "sniff"]
