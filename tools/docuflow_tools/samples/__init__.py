"""Synthetic invoices with ground truth: the labelled set behind `docuflow eval`.

`make_invoice(seed)` draws an invoice, `render_pdf` prints it (born-digital, text layer),
`render_image` scans it (PNG, JPEG, TIFF) and `expense_recording` gives the AnalyzeExpense
response Textract would ideally return for the PDF. Everything produced is marked generated.
"""

from __future__ import annotations

from docuflow_tools.samples.generator import OVERRIDABLE, UNAMBIGUOUS, make_invoice
from docuflow_tools.samples.model import TRUTH_SCHEMA, Item, Party, Remittance, SyntheticInvoice
from docuflow_tools.samples.recording import expense_recording
from docuflow_tools.samples.render import layout_invoice, rasterize_pdf, render_image, render_pdf

__all__ = [
    "OVERRIDABLE",
    "TRUTH_SCHEMA",
    "UNAMBIGUOUS",
    "Item",
    "Party",
    "Remittance",
    "SyntheticInvoice",
    "expense_recording",
    "layout_invoice",
    "make_invoice",
    "rasterize_pdf",
    "render_image",
    "render_pdf",
]
