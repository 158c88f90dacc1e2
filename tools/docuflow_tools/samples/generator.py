"""`make_invoice(seed)`: a varied, deterministic synthetic invoice with its ground truth.

Every company, person, address, IBAN and number here is invented; nothing refers to a real
business. The same seed and overrides always give the same invoice.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast

from docuflow_tools.samples.conventions import (
    CURRENCY_STYLES,
    LANGUAGES,
    PAYMENT_TERMS,
    CurrencyStyle,
    DateStyle,
    Language,
    NumberStyle,
)
from docuflow_tools.samples.model import Item, Party, Remittance, SyntheticInvoice

T = TypeVar("T")

_CENT = Decimal("0.01")

# Per language: where the companies sit, what they are called, and local conventions.
_LOCALE: dict[Language, dict[str, Any]] = {
    "en": {
        "cities": [
            ("Springfield", "IL 62704", "USA"),
            ("Riverton", "WY 82501", "USA"),
            ("Leeds", "LS1 4AP", "United Kingdom"),
            ("Bristol", "BS1 5TR", "United Kingdom"),
            ("Austin", "TX 78701", "USA"),
        ],
        "streets": ["Maple Avenue", "Harbour Road", "Station Street", "King's Lane", "Oak Drive"],
        "suffixes": ["Ltd", "LLC", "Inc.", "& Co.", "Group Ltd"],
        "stems": ["Northwind", "Bluefield", "Copperline", "Harbourview", "Redwood", "Silverstone"],
        "trades": ["Supplies", "Logistics", "Consulting", "Print Works", "Office Systems"],
        "currencies": ["USD", "GBP", "USD", "EUR", "CHF"],
        "number_styles": ["comma_dot"],
        "date_styles": ["us", "iso", "month_name_us", "day_month_name", "eu_slash"],
        "tax_rates": {"USD": "7.25", "GBP": "20", "EUR": "20", "CHF": "8.1", "SEK": "25"},
    },
    "de": {
        "cities": [
            ("Berlin", "10115", "Deutschland"),
            ("München", "80331", "Deutschland"),
            ("Köln", "50667", "Deutschland"),
            ("Zürich", "8001", "Schweiz"),
            ("Wien", "1010", "Österreich"),
        ],
        "streets": ["Hauptstraße", "Bahnhofstraße", "Lindenweg", "Gartenstraße", "Am Markt"],
        "suffixes": ["GmbH", "AG", "GmbH & Co. KG", "KG"],
        "stems": ["Nordlicht", "Bergmann", "Rheinwerk", "Tannenhof", "Blauwal", "Sonnenfeld"],
        "trades": ["Bürobedarf", "Logistik", "Druckerei", "Technik", "Handel"],
        "currencies": ["EUR", "EUR", "CHF", "EUR"],
        "number_styles": ["dot_comma", "dot_comma", "apostrophe_dot"],
        "date_styles": ["eu_dot", "eu_dot", "day_month_name", "iso"],
        "tax_rates": {"EUR": "19", "CHF": "8.1", "USD": "0", "GBP": "20", "SEK": "25"},
    },
    "fr": {
        "cities": [
            ("Lyon", "69002", "France"),
            ("Nantes", "44000", "France"),
            ("Lille", "59000", "France"),
            ("Genève", "1204", "Suisse"),
            ("Bruxelles", "1000", "Belgique"),
        ],
        "streets": ["rue de la Paix", "avenue Victor Hugo", "rue des Lilas", "boulevard Voltaire"],
        "suffixes": ["SARL", "SAS", "SA"],
        "stems": ["Lumière", "Beaurivage", "Clairfont", "Montblanc", "Rivegauche"],
        "trades": ["Fournitures", "Transports", "Conseil", "Imprimerie", "Services"],
        "currencies": ["EUR", "EUR", "CHF"],
        "number_styles": ["space_comma", "dot_comma"],
        "date_styles": ["eu_slash", "day_month_name", "eu_dot"],
        "tax_rates": {"EUR": "20", "CHF": "8.1", "USD": "0", "GBP": "20", "SEK": "25"},
    },
    "nl": {
        "cities": [
            ("Amsterdam", "1012 AB", "Nederland"),
            ("Utrecht", "3511 LX", "Nederland"),
            ("Rotterdam", "3011 AD", "Nederland"),
            ("Gent", "9000", "België"),
        ],
        "streets": ["Keizersgracht", "Dorpsstraat", "Kerkstraat", "Molenweg"],
        "suffixes": ["B.V.", "N.V.", "V.O.F."],
        "stems": ["Zeewind", "Tulpenveld", "Dijkstra", "Oranjeboom", "Hollandia"],
        "trades": ["Kantoorartikelen", "Transport", "Advies", "Drukkerij", "Techniek"],
        "currencies": ["EUR", "EUR", "SEK", "EUR"],
        "number_styles": ["dot_comma", "comma_dot"],
        "date_styles": ["eu_dot", "day_month_name", "iso", "eu_slash"],
        "tax_rates": {"EUR": "21", "SEK": "25", "USD": "0", "GBP": "20", "CHF": "8.1"},
    },
}

_PRODUCTS: dict[Language, list[str]] = {
    "en": [
        "Copy paper A4, 500 sheets",
        "Consulting services",
        "Toner cartridge black",
        "Software licence (annual)",
        "Office chair, ergonomic",
        "Delivery and handling",
        "Network cable 5 m",
        "Project management",
        "Laptop stand, aluminium",
        "Maintenance visit",
    ],
    "de": [
        "Kopierpapier A4, 500 Blatt",
        "Beratungsleistung",
        "Tonerkartusche schwarz",
        "Softwarelizenz (jährlich)",
        "Bürostuhl, ergonomisch",
        "Versand und Verpackung",
        "Netzwerkkabel 5 m",
        "Projektleitung",
        "Wartungseinsatz",
        "Schreibtischlampe LED",
    ],
    "fr": [
        "Papier A4, ramette 500 feuilles",
        "Prestation de conseil",
        "Cartouche de toner noir",
        "Licence logicielle (annuelle)",
        "Chaise de bureau ergonomique",
        "Frais de port",
        "Câble réseau 5 m",
        "Gestion de projet",
        "Visite de maintenance",
        "Lampe de bureau LED",
    ],
    "nl": [
        "Kopieerpapier A4, 500 vel",
        "Adviesdiensten",
        "Tonercartridge zwart",
        "Softwarelicentie (jaarlijks)",
        "Bureaustoel, ergonomisch",
        "Verzendkosten",
        "Netwerkkabel 5 m",
        "Projectbegeleiding",
        "Onderhoudsbezoek",
        "Bureaulamp LED",
    ],
}

_CUSTOMERS = [
    "Acme Holdings",
    "Globex Retail",
    "Initech Services",
    "Umbrella Foods",
    "Stark Components",
    "Wayne Facilities",
    "Hooli Systems",
    "Vandelay Imports",
]

_IBAN_PREFIX = {"EUR": "DE", "CHF": "CH", "SEK": "SE", "GBP": "GB", "USD": "DE"}
_IBAN_LENGTH = {"DE": 22, "CH": 21, "SE": 24, "GB": 22, "FR": 27, "NL": 18}

OVERRIDABLE = frozenset(
    {
        "language",
        "layout",
        "meta_style",
        "totals_style",
        "date_style",
        "number_style",
        "currency_style",
        "page_size",
        "label_variant",
        "credit_note",
        "currency",
        "document_date",
        "due_days",
        "invoice_number",
        "vendor_name",
        "vendor_tax_id",
        "iban",
        "n_items",
        "with_remittance",
        "with_purchase_order",
        "with_due_date",
        "tax_rate",
    }
)
"""Keyword arguments `make_invoice` accepts to pin a choice instead of drawing it."""


UNAMBIGUOUS: dict[str, Any] = {
    "currency": "EUR",
    "currency_style": "symbol_before",
    "date_style": "day_month_name",
    "credit_note": False,
}
"""Overrides for an invoice nothing on the page can make doubtful: the euro sign, dates with
month names, an invoice rather than a credit note. `expense_recording` of such an invoice
is completed automatically (what the end-to-end suite relies on)."""


def make_invoice(seed: int, **overrides: Any) -> SyntheticInvoice:
    """A synthetic invoice drawn from `seed`; `overrides` pin choices (see `OVERRIDABLE`).

    E.g. `make_invoice(7, language="de", currency="EUR", date_style="day_month_name")`.
    """
    unknown = set(overrides) - OVERRIDABLE
    if unknown:
        raise TypeError(f"make_invoice got unknown overrides: {', '.join(sorted(unknown))}")
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not security

    def pick(name: str, draw: Callable[[], T]) -> T:
        # Always draw, so pinning one choice does not change the others.
        drawn = draw()
        return cast(T, overrides[name]) if name in overrides else drawn

    language: Language = pick("language", lambda: rng.choice(LANGUAGES))
    locale = _LOCALE[language]
    layout = pick(
        "layout", lambda: rng.choice(["letterhead_left", "letterhead_right", "letterhead_top"])
    )
    meta_style = pick("meta_style", lambda: rng.choice(["aligned", "aligned", "band"]))
    totals_style = pick("totals_style", lambda: rng.choice(["columns", "boxed", "inline"]))
    date_style: DateStyle = pick("date_style", lambda: rng.choice(locale["date_styles"]))
    number_style: NumberStyle = pick("number_style", lambda: rng.choice(locale["number_styles"]))
    currency: str = pick("currency", lambda: rng.choice(locale["currencies"]))
    currency_style: CurrencyStyle = pick("currency_style", lambda: rng.choice(CURRENCY_STYLES))
    page_size = pick(
        "page_size", lambda: "LETTER" if language == "en" and rng.random() < 0.5 else "A4"
    )
    label_variant = pick("label_variant", lambda: rng.randrange(6))
    credit_note = pick("credit_note", lambda: rng.random() < 0.1)
    n_items = pick(
        "n_items",
        lambda: (
            rng.choice([1, 2, 3, 4, 5, 6, 8, 12]) if rng.random() < 0.85 else rng.randint(30, 55)
        ),
    )
    with_remittance = pick("with_remittance", lambda: rng.random() < 0.7)
    with_po = pick("with_purchase_order", lambda: rng.random() < 0.6)
    with_due = pick("with_due_date", lambda: rng.random() < 0.8)
    due_days = pick("due_days", lambda: rng.choice([14, 15, 30, 45, 60]))
    document_date: dt.date = pick(
        "document_date", lambda: dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
    )
    tax_rate = Decimal(str(pick("tax_rate", lambda: locale["tax_rates"][currency])))

    vendor = _company(rng, locale, with_tax_id=True)
    if "vendor_name" in overrides:
        vendor = vendor.model_copy(update={"name": str(overrides["vendor_name"])})
    if "vendor_tax_id" in overrides:
        vendor = vendor.model_copy(update={"tax_id": str(overrides["vendor_tax_id"])})
    customer = _customer(rng, locale)
    number = pick("invoice_number", lambda: _invoice_number(rng, document_date))

    items = tuple(_item(rng, language, credit_note) for _ in range(n_items))
    subtotal = sum((item.amount for item in items), Decimal("0.00"))
    tax_amount = (subtotal * tax_rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    total = subtotal + tax_amount
    show_amount_due = rng.random() < 0.6

    email = f"billing@{_domain(vendor.name)}"
    phone = _phone(rng, language)
    remittance: Remittance | None = None
    if with_remittance:
        us_style = currency == "USD" and rng.random() < 0.6
        iban = pick("iban", lambda: None if us_style else _iban(rng, currency))
        remittance = Remittance(
            name=f"{vendor.name} Receivables" if us_style else vendor.name,
            address_lines=_remit_address(rng, locale) if us_style else (),
            iban=iban,
            bic=None if iban is None else _bic(rng),
            email=f"ar@{_domain(vendor.name)}" if rng.random() < 0.5 else None,
            phone=phone if rng.random() < 0.4 else None,
        )
    # Exactly one email and one phone are printed, so "the remittance email" is never ambiguous.
    remit_email = remittance.email if remittance else None
    remit_phone = remittance.phone if remittance else None
    vendor = vendor.model_copy(
        update={
            "email": None if remit_email else email,
            "phone": None if remit_phone else phone,
        }
    )
    if remittance is not None and remittance.name == vendor.name and not remittance.address_lines:
        # EU style: bank details only, the payee is the vendor itself and not printed again.
        remittance = remittance.model_copy(update={"name": None})

    return SyntheticInvoice(
        seed=seed,
        language=language,
        layout=layout,
        meta_style=meta_style,
        totals_style=totals_style,
        date_style=date_style,
        number_style=number_style,
        currency_style=currency_style,
        page_size=page_size,
        label_variant=label_variant,
        credit_note=credit_note,
        vendor=vendor,
        bill_to=customer,
        invoice_number=number,
        document_date=document_date,
        due_date=document_date + dt.timedelta(days=due_days) if with_due else None,
        purchase_order=f"PO-{rng.randint(10000, 99999)}" if with_po else None,
        payment_terms=PAYMENT_TERMS[language].format(days=due_days) if with_due else None,
        currency=currency,
        items=items,
        tax_rate=tax_rate,
        subtotal=subtotal,
        tax_amount=tax_amount,
        total_amount=total,
        amount_due=total if show_amount_due else None,
        remittance=remittance,
    )


def _company(rng: random.Random, locale: dict[str, Any], *, with_tax_id: bool) -> Party:
    stem, trade, suffix = (
        rng.choice(locale["stems"]),
        rng.choice(locale["trades"]),
        rng.choice(locale["suffixes"]),
    )
    name = f"{stem} {trade} {suffix}"
    return Party(
        name=name,
        address_lines=_address(rng, locale),
        tax_id=_tax_id(rng, locale) if with_tax_id else None,
    )


def _customer(rng: random.Random, locale: dict[str, Any]) -> Party:
    return Party(
        name=f"{rng.choice(_CUSTOMERS)} {rng.choice(locale['suffixes'])}",
        address_lines=_address(rng, locale),
    )


def _address(rng: random.Random, locale: dict[str, Any]) -> tuple[str, ...]:
    city, postcode, country = rng.choice(locale["cities"])
    street = rng.choice(locale["streets"])
    number = rng.randint(1, 240)
    if locale is _LOCALE["en"] or locale is _LOCALE["fr"]:
        street_line = f"{number} {street}"
    else:
        street_line = f"{street} {number}"
    if postcode[0].isalpha() or (" " in postcode and postcode.split()[0].isalpha()):
        city_line = f"{city}, {postcode}"
    else:
        city_line = f"{postcode} {city}"
    return (street_line, city_line, country)


def _remit_address(rng: random.Random, locale: dict[str, Any]) -> tuple[str, ...]:
    city, postcode, country = rng.choice(locale["cities"])
    return (f"PO Box {rng.randint(1000, 9999)}", f"{city}, {postcode}", country)


def _tax_id(rng: random.Random, locale: dict[str, Any]) -> str:
    country = locale["cities"][0][2]
    digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
    prefix = {"USA": "", "Deutschland": "DE", "France": "FR", "Nederland": "NL"}.get(country, "GB")
    if prefix == "":
        return f"{digits[:2]}-{digits[2:]}"
    if prefix == "NL":
        return f"NL{digits}B01"
    if prefix == "FR":
        return f"FR{rng.randint(10, 99)}{digits}"
    return f"{prefix}{digits}"


def _invoice_number(rng: random.Random, date: dt.date) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"INV-{date.year}-{rng.randint(1, 9999):04d}"
    if style == 1:
        return f"{date.year}{rng.randint(100, 999)}"
    if style == 2:
        return f"R{rng.randint(100000, 999999)}"
    return f"{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}/{rng.randint(1000, 9999)}"


def _item(rng: random.Random, language: Language, credit_note: bool) -> Item:
    description = rng.choice(_PRODUCTS[language])
    if rng.random() < 0.2:
        quantity = Decimal(rng.choice(["0.5", "1.5", "2.5", "7.5"]))
    else:
        quantity = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 10, 12, 25]))
    unit_price = Decimal(rng.randint(150, 120000)) / 100
    if rng.random() < 0.3:
        unit_price = unit_price.quantize(Decimal(1))
    unit_price = unit_price.quantize(_CENT)
    if credit_note:
        unit_price = -unit_price
    amount = (quantity * unit_price).quantize(_CENT, rounding=ROUND_HALF_UP)
    return Item(description=description, quantity=quantity, unit_price=unit_price, amount=amount)


def _domain(name: str) -> str:
    stem = "".join(ch for ch in name.split(maxsplit=1)[0].lower() if ch.isascii() and ch.isalnum())
    return f"{stem or 'vendor'}.example"


def _phone(rng: random.Random, language: Language) -> str:
    if language == "en":
        return f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    code = {"de": "49", "fr": "33", "nl": "31"}[language]
    return f"+{code} {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(100, 999)}"


def _iban(rng: random.Random, currency: str) -> str:
    country = _IBAN_PREFIX.get(currency, "DE")
    length = _IBAN_LENGTH[country]
    bban = "".join(str(rng.randint(0, 9)) for _ in range(length - 4))
    check = _iban_check_digits(country, bban)
    compact = f"{country}{check}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _iban_check_digits(country: str, bban: str) -> str:
    # ISO 13616: move country + "00" to the end, letters to numbers, 98 - (n mod 97).
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def _bic(rng: random.Random) -> str:
    letters = "ABCDEFGHKLMNPRSTUVWXYZ"
    return (
        "".join(rng.choice(letters) for _ in range(4)) + "DEFF" + rng.choice(["XXX", "100", "200"])
    )
