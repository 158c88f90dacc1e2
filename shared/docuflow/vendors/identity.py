"""Who sent an invoice: a vendor's id from its VAT/tax id, else from its normalized name.

Two invoices are from the same vendor when they carry the same tax id, or when their
names are the same once the legal form (GmbH, Ltd, Inc, SARL, B.V., Sp. z o.o. ... as
cleanco knows them for many countries), case, punctuation and accents are folded away.
"""

from __future__ import annotations

import re
import unicodedata

from cleanco import basename

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_TAX_JUNK = re.compile(r"[^0-9A-Z]+")


def _fold(text: str) -> str:
    """Lower case, accents removed, every run of other characters one hyphen."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("-", plain).strip("-")


def normalized_name(name: str) -> str:
    """`Müller Sp. z o.o.` -> `muller`; `ACME, Inc.` -> `acme`. Empty when nothing is left.

    The legal form goes first (cleanco, on the name as printed, since it reads the
    punctuation of "S.A." or "Sp. z o.o."); a name that is only a legal form keeps it.
    """
    return _fold(basename(name)) or _fold(name)


def normalized_tax_id(tax_id: str) -> str:
    """`DE 123 456 789` and `de123456789` -> `DE123456789`."""
    return _TAX_JUNK.sub("", tax_id.upper())


def iban_of(account: str) -> str:
    """An account as the vendor memory compares it: upper case, no spaces."""
    return "".join(account.split()).upper()


def vendor_id_for(*, tax_id: str | None, name: str | None) -> str | None:
    """`tax-DE123456789` when the invoice has a tax id, else `name-acme-supplies`;
    None when it has neither (such an invoice is remembered for no vendor)."""
    if tax_id and normalized_tax_id(tax_id):
        return f"tax-{normalized_tax_id(tax_id)}"
    if name and normalized_name(name):
        return f"name-{normalized_name(name)}"
    return None
