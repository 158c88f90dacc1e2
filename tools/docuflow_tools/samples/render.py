"""Printing a synthetic invoice: page layout, born-digital PDF (reportlab) and images.

`layout_invoice` decides where every string goes and records its box as fractions of the
page, so `expense_recording` can say where each value was printed. `render_pdf` draws that
layout with a text layer; `render_image` rasterizes the PDF with pypdfium2.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

from docuflow_tools.samples.conventions import (
    format_date,
    format_money,
    format_number,
    format_quantity,
    label,
)
from docuflow_tools.samples.model import SyntheticInvoice

ImageFormat = Literal["png", "jpeg", "tiff"]
Align = Literal["left", "right", "center"]

# Helvetica's ascent and descent in font units / 1000 (the AFM metrics reportlab ships).
_ASCENT = 0.718
_DESCENT = 0.207
_MARGIN = 50.0
_FOOTER = 60.0
_ROW = 15.0


@dataclass(frozen=True)
class PrintedWord:
    text: str
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Printed:
    """One string drawn on a page; boxes are fractions of the page (Textract's convention)."""

    text: str
    page: int
    left: float
    top: float
    width: float
    height: float
    key: str | None
    words: tuple[PrintedWord, ...]


@dataclass(frozen=True)
class Rule:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    box: bool = False


@dataclass
class InvoiceLayout:
    """Everything drawn, page by page, in points from the top-left corner."""

    width: float
    height: float
    pages: int = 1
    strings: list[tuple[int, float, float, str, float, bool, str | None]] = field(
        default_factory=list
    )
    rules: list[Rule] = field(default_factory=list)

    def text(
        self,
        page: int,
        x: float,
        top: float,
        text: str,
        *,
        size: float = 9.0,
        bold: bool = False,
        align: Align = "left",
        key: str | None = None,
    ) -> float:
        """Place `text` with its top at `top`; returns its width in points."""
        width = float(stringWidth(text, _font(bold), size))
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        self.strings.append((page, x, top, text, size, bold, key))
        self.pages = max(self.pages, page)
        return width

    def printed(self) -> list[Printed]:
        """Every string with its box (and its words' boxes) as fractions of the page."""
        out: list[Printed] = []
        for page, x, top, text, size, bold, key in self.strings:
            font = _font(bold)
            height = (_ASCENT + _DESCENT) * size
            words: list[PrintedWord] = []
            offset = 0.0
            for word in text.split(" "):
                if word:
                    w = stringWidth(word, font, size)
                    words.append(
                        PrintedWord(
                            word,
                            (x + offset) / self.width,
                            top / self.height,
                            w / self.width,
                            height / self.height,
                        )
                    )
                offset += stringWidth(word + " ", font, size)
            out.append(
                Printed(
                    text=text,
                    page=page,
                    left=x / self.width,
                    top=top / self.height,
                    width=stringWidth(text, font, size) / self.width,
                    height=height / self.height,
                    key=key,
                    words=tuple(words),
                )
            )
        return out


def _font(bold: bool) -> str:
    return "Helvetica-Bold" if bold else "Helvetica"


def layout_invoice(inv: SyntheticInvoice) -> InvoiceLayout:
    """Decide where everything on `inv` is printed (deterministic for a given invoice)."""
    width, height = A4 if inv.page_size == "A4" else LETTER
    doc = InvoiceLayout(width=width, height=height)
    lang, var = inv.language, inv.label_variant
    right = width - _MARGIN
    title = label(lang, "credit_title" if inv.credit_note else "title", var)

    # Letterhead, title, bill-to and meta block on page 1.
    vendor_bottom = _vendor_block(doc, inv)
    if inv.layout == "letterhead_left":
        doc.text(1, right, 50, title, size=20, bold=True, align="right")
        bill_top = max(vendor_bottom + 25, 175)
        bill_bottom = _bill_to(doc, inv, _MARGIN, bill_top)
        meta_x, meta_top = right - 230, 95.0
    elif inv.layout == "letterhead_right":
        doc.text(1, _MARGIN, 50, title, size=20, bold=True)
        bill_top = max(vendor_bottom + 30, 160)
        sender = " · ".join((inv.vendor.name, *inv.vendor.address_lines[:2]))
        doc.text(1, _MARGIN, bill_top - 14, sender, size=6.5)
        bill_bottom = _bill_to(doc, inv, _MARGIN, bill_top)
        meta_x, meta_top = right - 230, bill_top
    else:
        doc.rules.append(Rule(1, _MARGIN, vendor_bottom + 6, right, vendor_bottom + 6))
        doc.text(1, _MARGIN, vendor_bottom + 20, title, size=18, bold=True)
        bill_bottom = _bill_to(doc, inv, right - 200, vendor_bottom + 50)
        meta_x, meta_top = _MARGIN, vendor_bottom + 50
    meta_rows = _meta_rows(inv)
    if inv.meta_style == "aligned":
        meta_bottom = _meta_aligned(doc, meta_rows, meta_x, meta_top)
    else:
        meta_bottom = _meta_band(doc, meta_rows, max(bill_bottom, vendor_bottom) + 20, width)
    table_top = max(bill_bottom, meta_bottom, vendor_bottom) + 25

    _flow_items_and_totals(doc, inv, title, table_top)
    for n in range(1, doc.pages + 1):
        footer = label(lang, "page", var, n=n, of=doc.pages)
        doc.text(n, width / 2, height - 35, footer, size=7.5, align="center")
    return doc


def _flow_items_and_totals(
    doc: InvoiceLayout, inv: SyntheticInvoice, title: str, table_top: float
) -> None:
    """Line items over as many pages as they need, then totals and remittance details."""
    lang, var = inv.language, inv.label_variant
    right = doc.width - _MARGIN
    columns = _table_columns(inv, doc.width)
    page, y = 1, _table_header(doc, inv, columns, 1, table_top)
    limit = doc.height - _FOOTER - 10
    for index in range(len(inv.items)):
        if y + _ROW > limit:
            doc.text(page, right, limit + 2, label(lang, "continued", var), size=7, align="right")
            page += 1
            _continuation_header(doc, inv, page, title)
            y = _table_header(doc, inv, columns, page, 75)
        _item_row(doc, inv, columns, page=page, top=y, index=index)
        y += _ROW
    doc.rules.append(Rule(page, _MARGIN, y + 2, right, y + 2))
    if y + 20 + _tail_height(inv) > limit:
        doc.text(page, right, limit + 2, label(lang, "continued", var), size=7, align="right")
        page += 1
        _continuation_header(doc, inv, page, title)
        y = 75
    _totals(doc, inv, page, y + 20, doc.width)
    _remittance(doc, inv, page, y + 20)


def _vendor_block(doc: InvoiceLayout, inv: SyntheticInvoice) -> float:
    """The letterhead; returns the bottom of the block in points."""
    vendor, lang, var = inv.vendor, inv.language, inv.label_variant
    contacts: list[tuple[str, str, str]] = []
    if vendor.tax_id:
        contacts.append((label(lang, "tax_id", var), vendor.tax_id, "vendor_tax_id"))
    if vendor.phone:
        contacts.append((label(lang, "phone", var), vendor.phone, "remittance_phone"))
    if vendor.email:
        contacts.append((label(lang, "email", var), vendor.email, "remittance_email"))
    right = doc.width - _MARGIN
    if inv.layout == "letterhead_top":
        center = doc.width / 2
        doc.text(1, center, 38, vendor.name, size=18, bold=True, align="center", key="vendor_name")
        doc.text(
            1, center, 62, " · ".join(vendor.address_lines), align="center", key="vendor_address"
        )
        top = 75.0
        line_width = sum(
            stringWidth(f"{lab} {val}", "Helvetica", 8) + 14 for lab, val, _ in contacts
        )
        x = center - line_width / 2
        for lab, val, key in contacts:
            x += doc.text(1, x, top, lab, size=8, key=f"label:{key}") + 3
            x += doc.text(1, x, top, val, size=8, key=key) + 14
        return top + 9
    align: Align = "left" if inv.layout == "letterhead_left" else "right"
    x = _MARGIN if align == "left" else right
    doc.text(1, x, 45, vendor.name, size=15, bold=True, align=align, key="vendor_name")
    top = 66.0
    for line in vendor.address_lines:
        doc.text(1, x, top, line, align=align, key="vendor_address")
        top += 11
    top += 3
    for lab, val, key in contacts:
        if align == "left":
            w = doc.text(1, x, top, lab, size=8, key=f"label:{key}")
            doc.text(1, x + w + 3, top, val, size=8, key=key)
        else:
            w = doc.text(1, x, top, val, size=8, align="right", key=key)
            doc.text(1, x - w - 3, top, lab, size=8, align="right", key=f"label:{key}")
        top += 10
    return top


def _bill_to(doc: InvoiceLayout, inv: SyntheticInvoice, x: float, top: float) -> float:
    doc.text(
        1,
        x,
        top,
        label(inv.language, "bill_to", inv.label_variant),
        size=8,
        bold=True,
        key="label:bill_to",
    )
    top += 12
    doc.text(1, x, top, inv.bill_to.name, size=10, key="bill_to_name")
    top += 12
    for line in inv.bill_to.address_lines:
        doc.text(1, x, top, line, key="bill_to_address")
        top += 11
    return top


def _meta_rows(inv: SyntheticInvoice) -> list[tuple[str, str, str]]:
    """(label, printed value, field) for the header block."""
    lang, var = inv.language, inv.label_variant
    rows = [
        (
            label(lang, "credit_number" if inv.credit_note else "invoice_number", var),
            inv.invoice_number,
            "invoice_number",
        ),
        (
            label(lang, "document_date", var),
            format_date(inv.document_date, inv.date_style, lang),
            "document_date",
        ),
    ]
    if inv.due_date:
        rows.append(
            (
                label(lang, "due_date", var),
                format_date(inv.due_date, inv.date_style, lang),
                "due_date",
            )
        )
    if inv.purchase_order:
        rows.append((label(lang, "purchase_order", var), inv.purchase_order, "purchase_order"))
    if inv.payment_terms:
        rows.append((label(lang, "payment_terms", var), inv.payment_terms, "payment_terms"))
    if inv.currency_style == "meta_line":
        rows.append((label(lang, "currency", var), inv.currency, "currency"))
    return rows


def _meta_aligned(
    doc: InvoiceLayout, rows: list[tuple[str, str, str]], x: float, top: float
) -> float:
    label_width = max(stringWidth(lab, "Helvetica-Bold", 9) for lab, _, _ in rows) + 8
    for lab, value, key in rows:
        doc.text(1, x, top, lab, bold=True, key=f"label:{key}")
        doc.text(1, x + label_width, top, value, key=key)
        top += 14
    return top


def _meta_band(
    doc: InvoiceLayout, rows: list[tuple[str, str, str]], top: float, width: float
) -> float:
    """Labels in a row with their values underneath, three per band."""
    column = (width - 2 * _MARGIN) / 3
    for start in range(0, len(rows), 3):
        for offset, (lab, value, key) in enumerate(rows[start : start + 3]):
            x = _MARGIN + offset * column
            doc.text(1, x, top, lab.rstrip(": "), size=7.5, bold=True, key=f"label:{key}")
            doc.text(1, x, top + 11, value, key=key)
        doc.rules.append(Rule(1, _MARGIN, top + 24, width - _MARGIN, top + 24))
        top += 32
    return top


@dataclass(frozen=True)
class _Columns:
    description: float
    quantity: float
    unit_price: float
    amount: float


def _table_columns(inv: SyntheticInvoice, width: float) -> _Columns:
    right = width - _MARGIN
    if inv.totals_style == "boxed":
        return _Columns(_MARGIN, _MARGIN + 300, _MARGIN + 395, right)
    return _Columns(_MARGIN, right - 190, right - 95, right)


def _table_header(
    doc: InvoiceLayout, inv: SyntheticInvoice, cols: _Columns, page: int, top: float
) -> float:
    lang, var = inv.language, inv.label_variant
    doc.text(
        page, cols.description, top, label(lang, "description", var), bold=True, key="label:item"
    )
    doc.text(
        page,
        cols.quantity,
        top,
        label(lang, "quantity", var),
        bold=True,
        align="right",
        key="label:quantity",
    )
    doc.text(
        page,
        cols.unit_price,
        top,
        label(lang, "unit_price", var),
        bold=True,
        align="right",
        key="label:unit_price",
    )
    doc.text(
        page,
        cols.amount,
        top,
        label(lang, "amount", var),
        bold=True,
        align="right",
        key="label:amount",
    )
    doc.rules.append(Rule(page, _MARGIN, top + 12, doc.width - _MARGIN, top + 12))
    return top + 17


def _item_row(
    doc: InvoiceLayout, inv: SyntheticInvoice, cols: _Columns, *, page: int, top: float, index: int
) -> None:
    item, style = inv.items[index], inv.number_style
    doc.text(page, cols.description, top, item.description, key=f"item:{index}:description")
    doc.text(
        page,
        cols.quantity,
        top,
        format_quantity(item.quantity, style),
        align="right",
        key=f"item:{index}:quantity",
    )
    doc.text(
        page,
        cols.unit_price,
        top,
        format_number(item.unit_price, style),
        align="right",
        key=f"item:{index}:unit_price",
    )
    doc.text(
        page,
        cols.amount,
        top,
        format_number(item.amount, style),
        align="right",
        key=f"item:{index}:amount",
    )


def _continuation_header(doc: InvoiceLayout, inv: SyntheticInvoice, page: int, title: str) -> None:
    doc.text(page, _MARGIN, 40, inv.vendor.name, size=9, bold=True)
    doc.text(page, doc.width - _MARGIN, 40, f"{title} {inv.invoice_number}", size=9, align="right")


def _total_rows(inv: SyntheticInvoice) -> list[tuple[str, Decimal, str, bool]]:
    lang, var = inv.language, inv.label_variant
    point = "," if inv.number_style in ("dot_comma", "space_comma") else "."
    rate = f"{inv.tax_rate.normalize():f}".replace(".", point)
    rows = [
        (label(lang, "subtotal", var), inv.subtotal, "subtotal", False),
        (label(lang, "tax", var, rate=rate), inv.tax_amount, "tax_amount", False),
        (label(lang, "total", var), inv.total_amount, "total_amount", True),
    ]
    if inv.amount_due is not None:
        rows.append((label(lang, "amount_due", var), inv.amount_due, "amount_due", True))
    return rows


def _tail_height(inv: SyntheticInvoice) -> float:
    remit_lines = 0
    if inv.remittance is not None:
        r = inv.remittance
        remit_lines = (
            1
            + bool(r.name)
            + len(r.address_lines)
            + bool(r.iban)
            + bool(r.bic)
            + bool(r.email)
            + bool(r.phone)
        )
    return max(len(_total_rows(inv)) * 16 + 10, remit_lines * 12 + 10)


def _totals(doc: InvoiceLayout, inv: SyntheticInvoice, page: int, top: float, width: float) -> None:
    right = width - _MARGIN
    rows = _total_rows(inv)
    if inv.totals_style == "boxed":
        x0 = right - 230
        doc.rules.append(Rule(page, x0, top - 4, right, top - 4 + 16 * len(rows), box=True))
    for lab, amount, key, bold in rows:
        value = format_money(amount, inv.currency, inv.currency_style, inv.number_style)
        if inv.totals_style == "columns":
            doc.text(page, right - 110, top, lab, bold=bold, align="right", key=f"label:{key}")
            doc.text(page, right, top, value, bold=bold, align="right", key=key)
        elif inv.totals_style == "boxed":
            doc.text(page, right - 222, top, lab, bold=bold, key=f"label:{key}")
            doc.text(page, right - 8, top, value, bold=bold, align="right", key=key)
            doc.rules.append(Rule(page, right - 230, top + 12, right, top + 12))
        else:
            colon = "" if lab.endswith(":") else ":"
            w = doc.text(page, right, top, value, bold=bold, align="right", key=key)
            doc.text(
                page,
                right - w - 4,
                top,
                f"{lab}{colon}",
                bold=bold,
                align="right",
                key=f"label:{key}",
            )
        top += 16


def _remittance(doc: InvoiceLayout, inv: SyntheticInvoice, page: int, top: float) -> None:
    remit = inv.remittance
    if remit is None:
        return
    lang, var = inv.language, inv.label_variant
    x = _MARGIN
    doc.text(page, x, top, label(lang, "remit", var), size=8, bold=True, key="label:remit_to")
    top += 12
    if remit.name:
        doc.text(page, x, top, remit.name, key="remit_to_name")
        top += 12
    for line in remit.address_lines:
        doc.text(page, x, top, line, key="remit_to_address")
        top += 12
    pairs = [
        ("iban", remit.iban, "bank_account"),
        ("bic", remit.bic, "bic"),
        ("email", remit.email, "remittance_email"),
        ("phone", remit.phone, "remittance_phone"),
    ]
    for label_key, value, key in pairs:
        if value:
            w = doc.text(page, x, top, label(lang, label_key, var), key=f"label:{key}")
            doc.text(page, x + w + 4, top, value, key=key)
            top += 12


def render_pdf(inv: SyntheticInvoice) -> bytes:
    """The invoice as a born-digital PDF (text layer, Helvetica) drawn with reportlab."""
    doc = layout_invoice(inv)
    return _draw(doc, title=f"{inv.invoice_number} (docuflow generated)")


def _draw(doc: InvoiceLayout, *, title: str) -> bytes:
    buffer = io.BytesIO()
    pdf = rl_canvas.Canvas(buffer, pagesize=(doc.width, doc.height), invariant=True)
    pdf.setTitle(title)
    pdf.setCreator("docuflow_tools.samples (synthetic document, generated)")
    for page in range(1, doc.pages + 1):
        for rule in doc.rules:
            if rule.page != page:
                continue
            pdf.setLineWidth(0.6)
            if rule.box:
                pdf.rect(rule.x0, doc.height - rule.y1, rule.x1 - rule.x0, rule.y1 - rule.y0)
            else:
                pdf.line(rule.x0, doc.height - rule.y0, rule.x1, doc.height - rule.y1)
        for p, x, top, text, size, bold, _key in doc.strings:
            if p != page:
                continue
            pdf.setFont(_font(bold), size)
            pdf.drawString(x, doc.height - top - _ASCENT * size, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def render_image(
    inv: SyntheticInvoice,
    fmt: ImageFormat = "png",
    *,
    dpi: int = 200,
    rotate: float = 0.0,
    noise: float = 0.0,
) -> bytes:
    """The invoice as a scanned-looking image: PNG/JPEG (one page) or TIFF (every page).

    `rotate` turns the page by that many degrees (counter-clockwise), `noise` adds grey
    speckle of that standard deviation (0-64).
    """
    return rasterize_pdf(render_pdf(inv), fmt, dpi=dpi, rotate=rotate, noise=noise)


def rasterize_pdf(
    pdf_bytes: bytes,
    fmt: ImageFormat = "png",
    *,
    dpi: int = 200,
    rotate: float = 0.0,
    noise: float = 0.0,
) -> bytes:
    """Render every page of a PDF with pypdfium2 and encode it as `fmt`."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf_bytes)
    try:
        if fmt in ("png", "jpeg") and len(document) > 1:
            raise ValueError(
                f"{fmt.upper()} holds one page and this document has {len(document)}: use tiff"
            )
        images: list[Image.Image] = []
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            page.close()
            if noise > 0:
                # effect_noise is Gaussian around mid-grey; a light blend reads like a scan.
                speckle = Image.effect_noise(image.size, noise)
                image = Image.blend(image, speckle, 0.12)
            if rotate:
                image = image.rotate(
                    rotate, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC
                )
            images.append(image)
    finally:
        document.close()
    out = io.BytesIO()
    if fmt == "png":
        images[0].save(out, format="PNG", dpi=(dpi, dpi))
    elif fmt == "jpeg":
        images[0].save(out, format="JPEG", quality=85, dpi=(dpi, dpi))
    elif fmt == "tiff":
        images[0].save(
            out,
            format="TIFF",
            save_all=True,
            append_images=images[1:],
            compression="tiff_deflate",
            dpi=(dpi, dpi),
        )
    else:
        raise ValueError(f"Unknown image format {fmt!r}: use png, jpeg or tiff")
    return out.getvalue()
