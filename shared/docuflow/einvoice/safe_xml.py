"""Parsing XML that nobody vouches for: no DTD, no entities, no network, bounded size and depth.

An e-invoice never needs a document type declaration, so one is refused outright instead
of being parsed carefully: that closes external entities (XXE), entity expansion bombs
("billion laughs") and DTD fetches in one rule. libxml2 (through lxml) is told the same
thing twice: it neither loads a DTD nor resolves entities nor touches the network.
"""

from __future__ import annotations

from lxml import etree

from docuflow.domain.errors import UnreadableEInvoice

MAX_XML_BYTES = 32 * 1024 * 1024
"""The largest XML DocuFlow parses (XRechnung allows embedded attachments; 32 MiB is ample)."""

MAX_DEPTH = 64
"""Element nesting deeper than this is no invoice (UBL and CII stay under 15)."""


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers keep state and are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, *, name: str = "The XML") -> etree._Element:
    """The root element of `data`, or UnreadableEInvoice saying why it was refused."""
    if len(data) > MAX_XML_BYTES:
        raise UnreadableEInvoice(
            f"{name} is {len(data)} bytes; DocuFlow reads e-invoices up to {MAX_XML_BYTES} bytes."
        )
    if _declares_dtd(data):
        raise _dtd_refused(name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableEInvoice(f"{name} is not well-formed XML: {exc.msg}.") from exc
    except ValueError as exc:  # e.g. a unicode string with an encoding declaration
        raise UnreadableEInvoice(f"{name} cannot be parsed as XML: {exc}.") from exc
    if root is None:
        raise UnreadableEInvoice(f"{name} has no root element.")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _dtd_refused(name)
    for element in root.iter():
        if isinstance(element, etree._Entity):
            raise UnreadableEInvoice(f"{name} uses an entity reference, which is refused.")
    _check_depth(root, name)
    return root


def _dtd_refused(name: str) -> UnreadableEInvoice:
    return UnreadableEInvoice(
        f"{name} declares a DTD (<!DOCTYPE ...>). E-invoices never do, and DocuFlow "
        "neither loads DTDs nor expands entities, so the file is refused."
    )


_PROLOG_BYTES = 64 * 1024


def _declares_dtd(data: bytes) -> bool:
    """Whether the prolog (before the root element) holds a <!DOCTYPE: checked on the
    bytes, so libxml2 never sees a DTD, not even one it would refuse to load."""
    head = data[:_PROLOG_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif head.startswith((b"<\x00", b"\x00<")):
        text = head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    position = 0
    text = text.lstrip("\ufeff")
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        rest = text[position:]
        if rest.startswith("<?"):
            end = rest.find("?>")
        elif rest.startswith("<!--"):
            end = rest.find("-->")
        else:
            return rest.startswith("<!DOCTYPE")
        if end < 0:
            return False
        position += end + 2


def _check_depth(root: etree._Element, name: str) -> None:
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnreadableEInvoice(
                f"{name} nests elements more than {MAX_DEPTH} deep; no invoice does."
            )
        stack.extend((child, depth + 1) for child in element)
