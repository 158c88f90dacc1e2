"""What printed labels and Textract field types mean, in normalized field names.

Label matching is on the whole label (after dropping punctuation and case), never on a
substring: "Subtotal" must not read as "Total", "Total Due" not as "Due Date".
"""

from __future__ import annotations

import re
import unicodedata

from docuflow.extraction.evidence import WEIGHTS

_NON_WORD = re.compile(r"[^\w]+")


def label_key(label: str) -> str:
    """A label reduced for matching: casefolded words separated by single spaces."""
    return _NON_WORD.sub(" ", label.casefold()).strip()


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _phrases(text: str) -> frozenset[str]:
    """Label phrases written one per `|`, reduced with `label_key`, each also without its
    accents: OCR often drops them (`Fallig am`, `Echeance`)."""
    keys = {label_key(phrase) for phrase in text.split("|") if phrase.strip()}
    return frozenset(keys | {_unaccented(key) for key in keys})


# Labels that name exactly one field, in the languages invoices here come in.
_LABELS_BY_FIELD: dict[str, str] = {
    "invoice_number": """invoice number | invoice no | invoice # | invoice num | inv no |
        inv # | invoice id | bill number | bill no | document number | rechnungsnummer |
        rechnung nr | rechnungs nr | numéro de facture | facture n | n de facture |
        factura n | número de factura | numero fattura | fattura n | factuurnummer |
        factuur nr | rechnungs-nr | invoice n° | n° de facture |
        credit note no | credit note number | credit memo no | credit memo number |
        gutschrift nr | gutschriftsnummer | avoir n | numéro d'avoir | creditnotanummer""",
    "document_date": """invoice date | date of invoice | issue date | date of issue | issued |
        billing date | bill date | document date | rechnungsdatum | date de facture |
        date de facturation | fecha de factura | fecha de emisión | data fattura |
        factuurdatum""",
    "due_date": """due date | payment due | payment due date | payment due by | due by |
        pay by | date due | fälligkeitsdatum | fällig am | zahlbar bis | date d échéance |
        échéance | fecha de vencimiento | vencimiento | data di scadenza | scadenza |
        vervaldatum | uiterste betaaldatum | fällig | date d'échéance""",
    "purchase_order": """po | po number | po no | po # | p o | p o number | purchase order |
        purchase order number | purchase order no | order number | order no | order # |
        your order | customer po | bestellnummer | bestellung | bon de commande |
        orden de compra | numero ordine |
        ihre bestellung | commande n | inkoopordernummer | po-nummer | uw referentie""",
    "payment_terms": """terms | payment terms | terms of payment | zahlungsbedingungen |
        zahlungsziel | conditions de paiement | condiciones de pago | termini di pagamento |
        betalingsvoorwaarden | règlement | betalingstermijn""",
    "subtotal": """subtotal | sub total | sub total amount | net | net amount | net total |
        total net | total excl tax | total excluding tax | total before tax |
        amount before tax | total excl vat | total ex vat | total ex gst | zwischensumme |
        nettobetrag | summe netto | netto | sous total | total ht | montant ht |
        base imponible | imponibile | subtotaal |
        totaal excl btw | total hors taxes""",
    "tax_amount": """tax | tax amount | total tax | sales tax | vat | vat amount | gst | hst |
        pst | gst amount | mwst | ust | umsatzsteuer | mehrwertsteuer | tva | montant tva |
        iva | impuesto | btw""",
    "total_amount": """total | grand total | invoice total | total amount | total invoice |
        amount | total incl tax | total including tax | total incl vat | total inc gst |
        gesamt | gesamtbetrag | summe | rechnungsbetrag | bruttobetrag | total ttc |
        montant ttc | importe total | totale | totaal | totaal incl btw""",
    "amount_due": """amount due | total due | balance due | balance | due | please pay |
        amount payable | total payable | amount to pay | zu zahlen | zahlbetrag |
        net à payer | montant dû | a pagar | totale da pagare | te betalen | offener betrag |
        reste à payer | openstaand bedrag""",
    "vendor_tax_id": """vat no | vat number | vat reg no | vat registration number | vat id |
        tax id | tax number | tax reg no | tin | ein | abn | gst no | gst number |
        gst reg no | hst no | ust idnr | ust id | steuernummer | n tva | numéro de tva |
        nif | cif | partita iva | btw nummer | btw nr | tva intracommunautaire""",
    "currency": "currency | währung | devise | moneda | valuta",
    "bank_account": """iban | account number | account no | acc | acc # | acc no |
        bank account | bank account number | kontonummer | konto | numéro de compte |
        número de cuenta""",
    "remittance_email": """remittance email | remit email | remittance advice to |
        send remittance to""",
    "remittance_phone": "remittance phone | remit phone",
}
# A contact line ("Phone:", "E-mail:") is the vendor's own contact, the usual one for
# remittance: it names the remittance field, less surely than "Remittance email" does.
_CONTACT_LABELS_BY_FIELD: dict[str, str] = {
    "remittance_email": "email | e mail | courriel",
    "remittance_phone": "phone | tel | telephone | telefon | telefoon | téléphone | tél",
}


def _table(by_field: dict[str, str]) -> dict[str, str]:
    return {phrase: field for field, text in by_field.items() for phrase in _phrases(text)}


_SPECIFIC_LABELS = _table(_LABELS_BY_FIELD)
_CONTACT_LABELS = _table(_CONTACT_LABELS_BY_FIELD)

# Labels that introduce a party block: the first line is the name, the rest the address.
VENDOR_PARTY_LABELS = _phrases(
    """from | vendor | supplier | seller | sold by | bill from | issued by | lieferant |
    verkäufer | fournisseur | vendeur | proveedor | fornitore"""
)
REMIT_PARTY_LABELS = _phrases(
    """remit to | remit payment to | remittance address | make checks payable to |
    make cheques payable to | pay to | payable to | please remit to |
    please remit payment to"""
)
# Labels over a block of bank details: the payee (if printed) and the account follow.
BANK_DETAILS_LABELS = _phrases(
    """payment details | bank details | bankverbindung | zahlung an |
    coordonnées bancaires | paiement à | betaalgegevens | gelieve te betalen aan"""
)
# Parties that must never become the vendor (bill-to, ship-to, the customer).
RECEIVER_PARTY_LABELS = _phrases(
    """to | bill to | billed to | ship to | shipped to | sold to | deliver to |
    delivery address | invoice to | customer | client | buyer | recipient | attn |
    attention | rechnungsempfänger | kunde | lieferadresse | facturer à | livrer à |
    cliente | facturar a | rechnungsadresse | facturé à | adresse de facturation |
    factuuradres | gefactureerd aan"""
)

_PARTIES = (
    (VENDOR_PARTY_LABELS, "vendor"),
    (REMIT_PARTY_LABELS, "remit_to"),
    (RECEIVER_PARTY_LABELS, "receiver"),
)

# Generic labels: they name a field, but other labels name it more surely.
_GENERIC = _phrases("total | amount | due | balance | net | terms | acc")

# Labels that name a date without saying which one: read as the document date, weakly.
_DATE_LABELS = _phrases("date | datum | fecha | data")


# Words of a tax line's label around its rate: "MwSt. 19%", "VAT (20 %)", "zzgl. 19% MwSt.".
_TAX_WORDS = frozenset(
    {"vat", "tax", "mwst", "ust", "tva", "btw", "gst", "iva", "sales", "zzgl", "incl", "inkl"}
)
_TAX_QUALIFIERS = frozenset({"sales", "zzgl", "incl", "inkl"})


def field_for_label(label: str) -> tuple[str | None, float]:
    """The field a printed label names and how surely (0-1, the label match strengths of
    `evidence.WEIGHTS`), or (None, 0)."""
    key = label_key(label)
    if not key:
        return None, 0.0
    for form in (key, _unaccented(key)):  # OCR drops some accents: "Echéance"
        field = _SPECIFIC_LABELS.get(form)
        if field is not None:
            return field, WEIGHTS.label_generic if form in _GENERIC else WEIGHTS.label_specific
        if form in _CONTACT_LABELS:
            return _CONTACT_LABELS[form], WEIGHTS.label_contact
    if key in _DATE_LABELS:
        return "document_date", WEIGHTS.label_generic
    words = [word for word in key.split() if not word.isdigit()]
    if words and set(words) <= _TAX_WORDS and set(words) - _TAX_QUALIFIERS:
        return "tax_amount", WEIGHTS.label_specific
    return None, 0.0


def party_for_label(label: str) -> str | None:
    """`vendor`, `remit_to` or `receiver` when the label introduces a party block."""
    key = label_key(label)
    bare = _unaccented(key)
    for labels, party in _PARTIES:
        if key in labels or bare in labels:
            return party
    return None


def is_bank_details_label(label: str) -> bool:
    """Whether `label` heads a block of bank details ("Bankverbindung:", "Payment Details:")."""
    return _unaccented(label_key(label)) in BANK_DETAILS_LABELS


# AnalyzeExpense standard field types -> normalized field names.
EXPENSE_TYPES: dict[str, str] = {
    "VENDOR_NAME": "vendor_name",
    "VENDOR_ADDRESS": "vendor_address",
    "VENDOR_GST_NUMBER": "vendor_tax_id",
    "VENDOR_ABN_NUMBER": "vendor_tax_id",
    "VENDOR_VAT_NUMBER": "vendor_tax_id",
    "TAX_PAYER_ID": "vendor_tax_id",
    "INVOICE_RECEIPT_ID": "invoice_number",
    "INVOICE_RECEIPT_DATE": "document_date",
    "ORDER_DATE": "document_date",
    "DUE_DATE": "due_date",
    "PO_NUMBER": "purchase_order",
    "PAYMENT_TERMS": "payment_terms",
    "SUBTOTAL": "subtotal",
    "TAX": "tax_amount",
    "TOTAL": "total_amount",
    "AMOUNT_DUE": "amount_due",
    # DESIGN has no vendor phone field: the vendor's phone on an invoice is the usual
    # contact for remittance, so it is offered as that (weaker than a remittance label).
    "VENDOR_PHONE": "remittance_phone",
}
# Expense types that name a related field, not the field itself (weighed less for it).
RELATED_EXPENSE_TYPES: frozenset[str] = frozenset({"VENDOR_PHONE"})
# Party groups Textract attaches to NAME / ADDRESS fields (GroupProperties.Types).
EXPENSE_GROUP_FIELDS: dict[tuple[str, str], str] = {
    ("VENDOR", "NAME"): "vendor_name",
    ("VENDOR", "ADDRESS"): "vendor_address",
    ("VENDOR_REMIT_TO", "NAME"): "remit_to_name",
    ("VENDOR_REMIT_TO", "ADDRESS"): "remit_to_address",
}
# Expense types that describe the customer: never the vendor.
RECEIVER_EXPENSE_TYPES: frozenset[str] = frozenset(
    {"RECEIVER_NAME", "RECEIVER_ADDRESS", "RECEIVER_PHONE", "RECEIVER_GST_NUMBER"}
)

# Column headers of line-item tables, per role. Matched on whole header words.
_COLUMN_WORDS: dict[str, frozenset[str]] = {
    role: frozenset(words.split()) | frozenset(_unaccented(word) for word in words.split())
    for role, words in {
        "description": """description desc item items service services product products
            details particulars article articles designation désignation beschreibung
            bezeichnung artikel leistung descripción descripcion concepto descrizione
            articolo omschrijving""",
        "quantity": """qty quantity quantities hrs hours hour units unit qté qte quantité
            quantite menge anzahl stk cantidad cant quantità quantita aantal""",
        "unit_price": """price rate unitprice cost preis einzelpreis stückpreis
            precio prix prezzo prijs stukprijs eenheidsprijs tarif""",
        "amount": """amount total subtotal line ext extended betrag gesamt gesamtpreis summe
            importe montant importo bedrag totaal""",
    }.items()
}
_UNIT_PRICE_PHRASES = _phrases(
    """unit price | unit cost | price per unit | rate price | prix unitaire |
    prix unitaire ht | p u | p u ht | pu | pu ht | prix ht | prijs per stuk"""
)


def column_role(header: str) -> str | None:
    """The line-item column a table header names, or None (`Hrs/Qty` -> quantity)."""
    key = label_key(header)
    if not key:
        return None
    if key in _UNIT_PRICE_PHRASES:
        return "unit_price"
    words = key.split()
    # "Sub Total", "Line Total", "Ext. Price" are amounts even though they hold a price word.
    if words[-1] in _COLUMN_WORDS["amount"] or key in ("ext price", "extended price"):
        return "amount"
    for role in ("description", "quantity", "unit_price", "amount"):
        if any(word in _COLUMN_WORDS[role] for word in words):
            return role
    return None
