"""How a synthetic invoice prints things: labels per language, dates, numbers and money.

Everything here is deterministic: the same value and convention always print the same
text, so the ground truth and the printed page can never disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from docuflow.extraction.normalize import minor_units

Language = Literal["en", "de", "fr", "nl"]
DateStyle = Literal["us", "eu_dot", "eu_slash", "iso", "day_month_name", "month_name_us"]
NumberStyle = Literal["comma_dot", "dot_comma", "space_comma", "apostrophe_dot"]
CurrencyStyle = Literal["symbol_before", "symbol_after", "code_before", "code_after", "meta_line"]

LANGUAGES: tuple[Language, ...] = ("en", "de", "fr", "nl")
DATE_STYLES: tuple[DateStyle, ...] = (
    "us",
    "eu_dot",
    "eu_slash",
    "iso",
    "day_month_name",
    "month_name_us",
)
NUMBER_STYLES: tuple[NumberStyle, ...] = ("comma_dot", "dot_comma", "space_comma", "apostrophe_dot")
CURRENCY_STYLES: tuple[CurrencyStyle, ...] = (
    "symbol_before",
    "symbol_after",
    "code_before",
    "code_after",
    "meta_line",
)

# Symbols printed only where they name one currency without doubt ("kr" or "Fr." would not).
CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£"}

MONTHS: dict[Language, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
}

# Each label key maps to the variants a real invoice in that language might print;
# the generator picks one per document.
LABELS: dict[Language, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": ("INVOICE", "Invoice", "TAX INVOICE"),
        "credit_title": ("CREDIT NOTE", "Credit Note"),
        "invoice_number": ("Invoice No:", "Invoice Number:", "Invoice #:"),
        "credit_number": ("Credit Note No:", "Credit Note Number:"),
        "document_date": ("Invoice Date:", "Date:"),
        "due_date": ("Due Date:", "Payment Due:"),
        "purchase_order": ("PO Number:", "Purchase Order:", "PO #:"),
        "payment_terms": ("Terms:", "Payment Terms:"),
        "currency": ("Currency:",),
        "bill_to": ("Bill To:", "Billed To:", "Invoice To:"),
        "description": ("Description", "Item"),
        "quantity": ("Qty", "Quantity"),
        "unit_price": ("Unit Price", "Rate"),
        "amount": ("Amount", "Line Total"),
        "subtotal": ("Subtotal", "Net Amount"),
        "tax": ("VAT {rate}%", "Tax {rate}%", "Sales Tax {rate}%"),
        "total": ("Total", "Invoice Total", "Total Amount"),
        "amount_due": ("Amount Due", "Balance Due"),
        "remit": ("Please remit payment to:", "Remit To:", "Payment Details:"),
        "iban": ("IBAN:",),
        "bic": ("BIC:", "SWIFT:"),
        "email": ("Email:", "E-mail:"),
        "phone": ("Phone:", "Tel:"),
        "tax_id": ("VAT No:", "Tax ID:", "VAT Reg. No:"),
        "page": ("Page {n} of {of}",),
        "continued": ("Continued on next page",),
    },
    "de": {
        "title": ("RECHNUNG", "Rechnung"),
        "credit_title": ("GUTSCHRIFT", "Gutschrift"),
        "invoice_number": ("Rechnungsnummer:", "Rechnung Nr.:", "Rechnungs-Nr.:"),
        "credit_number": ("Gutschrift Nr.:", "Gutschriftsnummer:"),
        "document_date": ("Rechnungsdatum:", "Datum:"),
        "due_date": ("Fällig am:", "Fälligkeitsdatum:", "Zahlbar bis:"),
        "purchase_order": ("Bestellnummer:", "Ihre Bestellung:"),
        "payment_terms": ("Zahlungsbedingungen:", "Zahlungsziel:"),
        "currency": ("Währung:",),
        "bill_to": ("Rechnungsadresse:", "Rechnungsempfänger:"),
        "description": ("Beschreibung", "Bezeichnung"),
        "quantity": ("Menge", "Anzahl"),
        "unit_price": ("Einzelpreis", "Preis"),
        "amount": ("Betrag", "Gesamt"),
        "subtotal": ("Zwischensumme", "Nettobetrag", "Summe netto"),
        "tax": ("MwSt. {rate}%", "USt. {rate}%", "zzgl. {rate}% MwSt."),
        "total": ("Gesamtbetrag", "Summe", "Rechnungsbetrag"),
        "amount_due": ("Zahlbetrag", "Offener Betrag"),
        "remit": ("Bankverbindung:", "Zahlung an:"),
        "iban": ("IBAN:",),
        "bic": ("BIC:",),
        "email": ("E-Mail:",),
        "phone": ("Tel.:", "Telefon:"),
        "tax_id": ("USt-IdNr.:", "Steuernummer:"),
        "page": ("Seite {n} von {of}",),
        "continued": ("Fortsetzung auf der nächsten Seite",),
    },
    "fr": {
        "title": ("FACTURE", "Facture"),
        "credit_title": ("AVOIR", "Avoir"),
        "invoice_number": ("Facture n°", "Numéro de facture :", "N° de facture :"),
        "credit_number": ("Avoir n°", "Numéro d'avoir :"),
        "document_date": ("Date de facture :", "Date :"),
        "due_date": ("Échéance :", "Date d'échéance :"),
        "purchase_order": ("Bon de commande :", "Commande n° :"),
        "payment_terms": ("Conditions de paiement :", "Règlement :"),
        "currency": ("Devise :",),
        "bill_to": ("Facturé à :", "Adresse de facturation :"),
        "description": ("Désignation", "Description"),
        "quantity": ("Qté", "Quantité"),
        "unit_price": ("Prix unitaire", "P.U. HT"),
        "amount": ("Montant", "Total HT"),
        "subtotal": ("Montant HT", "Total HT"),
        "tax": ("TVA {rate} %", "TVA ({rate} %)"),
        "total": ("Montant TTC", "Total TTC"),
        "amount_due": ("Net à payer", "Reste à payer"),
        "remit": ("Coordonnées bancaires :", "Paiement à :"),
        "iban": ("IBAN :",),
        "bic": ("BIC :",),
        "email": ("E-mail :", "Courriel :"),
        "phone": ("Tél. :", "Téléphone :"),
        "tax_id": ("N° TVA :", "TVA intracommunautaire :"),
        "page": ("Page {n} sur {of}",),
        "continued": ("Suite page suivante",),
    },
    "nl": {
        "title": ("FACTUUR", "Factuur"),
        "credit_title": ("CREDITNOTA", "Creditnota"),
        "invoice_number": ("Factuurnummer:", "Factuur nr.:"),
        "credit_number": ("Creditnotanummer:",),
        "document_date": ("Factuurdatum:", "Datum:"),
        "due_date": ("Vervaldatum:", "Uiterste betaaldatum:"),
        "purchase_order": ("Inkoopordernummer:", "Uw referentie:"),
        "payment_terms": ("Betalingstermijn:", "Betalingsvoorwaarden:"),
        "currency": ("Valuta:",),
        "bill_to": ("Factuuradres:", "Gefactureerd aan:"),
        "description": ("Omschrijving",),
        "quantity": ("Aantal",),
        "unit_price": ("Prijs per stuk", "Stukprijs"),
        "amount": ("Bedrag", "Totaal"),
        "subtotal": ("Subtotaal", "Totaal excl. BTW"),
        "tax": ("BTW {rate}%",),
        "total": ("Totaal", "Totaal incl. BTW"),
        "amount_due": ("Te betalen", "Openstaand bedrag"),
        "remit": ("Betaalgegevens:", "Gelieve te betalen aan:"),
        "iban": ("IBAN:",),
        "bic": ("BIC:",),
        "email": ("E-mail:",),
        "phone": ("Tel.:", "Telefoon:"),
        "tax_id": ("BTW-nr:", "BTW-nummer:"),
        "page": ("Pagina {n} van {of}",),
        "continued": ("Vervolg op volgende pagina",),
    },
}

PAYMENT_TERMS: dict[Language, str] = {
    "en": "Net {days}",
    "de": "{days} Tage netto",
    "fr": "{days} jours net",
    "nl": "{days} dagen netto",
}


def format_date(value: dt.date, style: DateStyle, language: Language) -> str:
    """The date as the invoice prints it."""
    if style == "us":
        return f"{value.month:02d}/{value.day:02d}/{value.year}"
    if style == "eu_dot":
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    if style == "eu_slash":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if style == "iso":
        return value.isoformat()
    month = MONTHS[language][value.month - 1]
    if style == "month_name_us":
        return f"{month} {value.day}, {value.year}"
    day = f"{value.day}." if language == "de" else str(value.day)
    return f"{day} {month} {value.year}"


def date_is_unambiguous(value: dt.date, style: DateStyle) -> bool:
    """Whether a reader cannot swap day and month in the printed date."""
    if style in ("iso", "day_month_name", "month_name_us"):
        return True
    return value.day > 12 or value.day == value.month


def format_number(value: Decimal, style: NumberStyle, places: int = 2) -> str:
    """A decimal with grouping and decimal separator of `style` (sign kept)."""
    quantized = abs(value).quantize(Decimal(1).scaleb(-places)) if places else abs(value)
    text = f"{quantized:,.{places}f}" if places else f"{int(quantized):,}"
    group, point = {
        "comma_dot": (",", "."),
        "dot_comma": (".", ","),
        "space_comma": (" ", ","),
        "apostrophe_dot": ("'", "."),
    }[style]
    text = text.replace(",", "\x00").replace(".", point).replace("\x00", group)
    return f"-{text}" if value < 0 else text


def format_quantity(value: Decimal, style: NumberStyle) -> str:
    """Quantities print without trailing zeros: 3, 1.5 / 1,5."""
    if value == value.to_integral_value():
        return str(int(value))
    return format_number(value, style, places=1 if (value * 10) % 1 == 0 else 2)


def format_money(value: Decimal, currency: str, style: CurrencyStyle, number: NumberStyle) -> str:
    """An amount with its currency marked as `style` says (plain for `meta_line`), with as
    many decimals as the currency has minor units (JPY none, EUR two, BHD three)."""
    places = minor_units(currency)
    digits = format_number(abs(value), number, places=2 if places is None else places)
    sign = "-" if value < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    if style == "symbol_before" and symbol:
        return f"{sign}{symbol}{digits}" if symbol == "$" else f"{sign}{symbol} {digits}"
    if style == "symbol_after" and symbol:
        return f"{sign}{digits} {symbol}"
    if style in ("code_before", "symbol_before"):
        return f"{currency} {sign}{digits}"
    if style in ("code_after", "symbol_after"):
        return f"{sign}{digits} {currency}"
    return f"{sign}{digits}"


def label(language: Language, key: str, variant: int, **params: object) -> str:
    """One printed label; `variant` picks among the language's wordings (wrapping)."""
    options = LABELS[language][key]
    text = options[variant % len(options)]
    return text.format(**params) if params else text
