"""Reading the business terms of a parsed e-invoice by the table in `terms`.

Values are kept exactly as written (trimmed); reading never judges them. Whether they
make sense is `rules`' job, and turning them into DocuFlow's fields is `mapping`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from lxml import etree

from docuflow.einvoice.model import AllowanceCharge, EInvoice, Line, Term, Terms, VatBreakdown
from docuflow.einvoice.syntax import NAMESPACES, Syntax, flavour, syntax_of
from docuflow.einvoice.terms import THIRD_PARTY, Paths, layout

_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


class _Reader:
    def __init__(self, syntax: Syntax) -> None:
        self.layout = layout(syntax)
        self.namespaces = NAMESPACES[syntax]

    def select(self, context: etree._Element, path: str) -> list[etree._Element | str]:
        found = context.xpath(path, namespaces=self.namespaces)
        return list(found) if isinstance(found, list) else []

    def value(self, context: etree._Element, path: str) -> str | None:
        for item in self.select(context, path):
            text = item if isinstance(item, str) else item.text
            if text is not None and text.strip():
                return " ".join(text.split()) if "\n" in text else text.strip()
        return None

    def terms(self, context: etree._Element, paths: Paths, where: str) -> Terms:
        read: Terms = {}
        for term, options in paths.items():
            for path in options:
                text = self.value(context, path)
                if text is not None:
                    read[term] = Term(term=term, text=text, path=f"{where}/{path}")
                    break
        return read

    def each(
        self, context: etree._Element, paths: Iterable[str], where: str
    ) -> list[tuple[etree._Element, str]]:
        found: list[tuple[etree._Element, str]] = []
        for path in paths:
            elements = [item for item in self.select(context, path) if not isinstance(item, str)]
            found.extend(
                (element, f"{where}/{path}[{number}]")
                for number, element in enumerate(elements, start=1)
            )
        return found


def read_einvoice(root: etree._Element, *, attachment: str | None = None) -> EInvoice:
    """Every business term DocuFlow uses from a parsed e-invoice root.

    Raises UnreadableEInvoice when the root is no e-invoice (see `syntax.syntax_of`).
    """
    syntax = syntax_of(root)
    reader = _Reader(syntax)
    paths = reader.layout
    name = etree.QName(root).localname
    if syntax in (Syntax.CII, Syntax.ZUGFERD_1):
        name = f"rsm:{name}"
    where = f"/{name}"
    terms = reader.terms(root, paths.header, where)
    _tax_totals(reader, root, terms, where)
    _third_party_payments(reader, root, terms, where)
    lines: list[Line] = []
    sub_lines = 0
    for element, path in reader.each(root, paths.lines, where):
        line_terms = reader.terms(element, paths.line, path)
        if "parent" in line_terms:
            sub_lines += 1
            continue
        lines.append(
            Line(
                path=path,
                terms=line_terms,
                allowances_charges=_allowances(reader, element, path),
            )
        )
    return EInvoice(
        syntax=syntax,
        flavour=flavour(syntax, root, terms["BT-24"].text if "BT-24" in terms else None),
        root=name,
        terms=terms,
        lines=lines,
        sub_lines=sub_lines,
        allowances_charges=_allowances(reader, root, where, document=True),
        vat_breakdown=[
            VatBreakdown(path=path, terms=reader.terms(element, paths.breakdown_terms, path))
            for element, path in _breakdown_elements(reader, root, terms, where)
        ],
        attachment=attachment,
    )


def _tax_totals(reader: _Reader, root: etree._Element, terms: Terms, where: str) -> None:
    """BT-110 (VAT in the invoice currency) and BT-111 (in the VAT accounting currency)
    share one element name; their currencyID tells them apart."""
    terms.pop("BT-110", None)
    path = reader.layout.header["BT-110"][0]
    currency = terms["BT-5"].text if "BT-5" in terms else None
    tax_currency = terms["BT-6"].text if "BT-6" in terms else None
    amounts = [
        (element.get("currencyID"), (element.text or "").strip())
        for element in reader.select(root, path)
        if not isinstance(element, str) and (element.text or "").strip()
    ]
    own = [text for code, text in amounts if code in (None, currency)]
    if own:
        terms["BT-110"] = Term(term="BT-110", text=own[0], path=f"{where}/{path}")
    elif amounts and tax_currency is None:
        terms["BT-110"] = Term(term="BT-110", text=amounts[0][1], path=f"{where}/{path}")
    if tax_currency and tax_currency != currency:
        other = [text for code, text in amounts if code == tax_currency]
        if other:
            terms["BT-111"] = Term(
                term="BT-111", text=other[0], path=f"{where}/{path}[@currencyID='{tax_currency}']"
            )


_THIRD_PARTY_PATHS = {
    True: "cac:PrepaidPayment/cbc:PaidAmount",
    False: "rsm:SupplyChainTransaction/ram:ApplicableHeaderTradeSettlement"
    "/ram:SpecifiedAdvancePayment/ram:PaidAmount",
}


def _third_party_payments(reader: _Reader, root: etree._Element, terms: Terms, where: str) -> None:
    """XRechnung's extension adds what third parties paid (BG-DEX-09) to the amount due;
    elsewhere these elements are prepayments already in BT-113, so they are read only
    when the specification identifier names the extension."""
    specification = terms["BT-24"].text if "BT-24" in terms else ""
    if "xrechnung" not in specification or "extension" not in specification:
        return
    path = _THIRD_PARTY_PATHS[reader.layout.ubl]
    amounts = [
        (item if isinstance(item, str) else item.text or "").strip()
        for item in reader.select(root, path)
    ]
    total = sum((Decimal(text) for text in amounts if _NUMBER.fullmatch(text)), Decimal(0))
    if amounts:
        terms[THIRD_PARTY] = Term(term=THIRD_PARTY, text=format(total, "f"), path=f"{where}/{path}")


def _breakdown_elements(
    reader: _Reader, root: etree._Element, terms: Terms, where: str
) -> list[tuple[etree._Element, str]]:
    found = reader.each(root, reader.layout.breakdown, where)
    if not reader.layout.ubl:
        return found
    # UBL repeats cac:TaxTotal for the VAT accounting currency; only the one in the
    # invoice currency carries the breakdown that the totals refer to.
    currency = terms["BT-5"].text if "BT-5" in terms else None
    amount_path = reader.layout.breakdown_terms["BT-117"][0]
    own = [
        (element, path)
        for element, path in found
        if reader.select(element, f"{amount_path}[not(@currencyID) or @currencyID='{currency}']")
    ]
    return own or found


def _allowances(
    reader: _Reader, context: etree._Element, where: str, *, document: bool = False
) -> list[AllowanceCharge]:
    layout = reader.layout
    found: list[AllowanceCharge] = []
    paths = layout.allowances if document else layout.line_allowances
    for element, path in reader.each(context, paths, where):
        indicator = (reader.value(element, layout.charge_indicator) or "").casefold()
        found.append(
            AllowanceCharge(
                charge=indicator == "true",
                path=path,
                terms=reader.terms(element, layout.allowance_terms, path),
            )
        )
    if document:
        for element, path in reader.each(context, layout.service_charges, where):
            found.append(
                AllowanceCharge(
                    charge=True,
                    path=path,
                    terms=reader.terms(element, layout.service_charge_terms, path),
                )
            )
    return found
