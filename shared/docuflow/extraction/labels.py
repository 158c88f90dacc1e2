"""What printed labels and Textract field types mean, in normalized field names.

Label matching is on the whole label (after dropping punctuation and case), never on a
substring: "Subtotal" must not read as "Total", "Total Due" not as "Due Date".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from docuflow.extraction.evidence import WEIGHTS
from docuflow.extraction.normalize import ISO_4217

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
        factuur nr | rechnungs-nr | invoice n° | n° de facture | invoice nr | receipt number |
        receipt no | rechnungsnr | belegnummer | beleg nr | facture no | no de facture |
        numéro facture | factuurnr | factuur nummer | numer faktury | faktura nr |
        faktura vat nr | nr faktury |
        credit note no | credit note number | credit memo no | credit memo number |
        gutschrift nr | gutschriftsnummer | avoir n | numéro d'avoir | creditnotanummer""",
    "document_date": """invoice date | date of invoice | issue date | date of issue | issued |
        billing date | bill date | document date | rechnungsdatum | date de facture |
        date de facturation | fecha de factura | fecha de emisión | data fattura |
        factuurdatum | date issued | issued on | date of invoice | belegdatum |
        ausstellungsdatum | date d émission | date facture | datum factuur |
        data wystawienia | data faktury""",
    "due_date": """due date | payment due | payment due date | invoice due date |
        payment due by | due by | pay by | date due | fälligkeitsdatum | fällig am |
        zahlbar bis | date d échéance |
        échéance | fecha de vencimiento | vencimiento | data di scadenza | scadenza |
        vervaldatum | uiterste betaaldatum | fällig | date d'échéance | fälligkeit |
        fällig bis | due on | payment due on | date limite de paiement | vervaldag |
        termin płatności | termin zapłaty""",
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
        totaal excl btw | total hors taxes | gesamtnetto | nettosumme | netto summe |
        summe netto | rechnungssumme ohne ust | rechnungsbetrag netto | gesamt netto |
        rechnungssumme netto |
        total hors taxe | montant total ht | totaal exclusief btw | razem netto |
        wartość netto | suma netto | amount excl vat | subtotal excl vat""",
    "tax_amount": """tax | tax amount | total tax | sales tax | vat | vat amount | gst | hst |
        pst | gst amount | mwst | ust | umsatzsteuer | mehrwertsteuer | tva | montant tva |
        iva | impuesto | btw | steuerbetrag | mwst betrag | umsatzsteuerbetrag | total tva |
        btw bedrag | totaal btw | kwota vat | podatek vat | vat total | total vat""",
    "total_amount": """total | grand total | invoice total | total amount | total invoice |
        amount | total incl tax | total including tax | total incl vat | total inc gst |
        gesamt | gesamtbetrag | summe | rechnungsbetrag | bruttobetrag | total ttc |
        montant ttc | importe total | totale | totaal | totaal incl btw | bruttosumme |
        summe brutto | gesamtsumme | gesamtbetrag brutto | rechnungssumme | endbetrag |
        rechnungssumme brutto | rechnungsbetrag brutto |
        gesamt brutto | brutto | montant total ttc | total toutes taxes comprises |
        totaalbedrag | totaal inclusief btw | razem | razem brutto | wartość brutto |
        total at checkout | invoice amount""",
    "amount_due": """amount due | total due | balance due | balance | due | please pay |
        amount payable | total payable | amount to pay | zu zahlen | zahlbetrag |
        net à payer | montant dû | a pagar | totale da pagare | te betalen | offener betrag |
        reste à payer | openstaand bedrag | zu zahlender betrag | noch zu zahlen |
        restbetrag | montant à payer | totaal te betalen | do zapłaty | amount due now""",
    "vendor_tax_id": """vat no | vat number | vat reg no | vat registration number | vat id |
        tax id | tax number | tax reg no | tin | ein | abn | gst no | gst number |
        gst reg no | hst no | ust idnr | ust id | steuernummer | n tva | numéro de tva |
        nif | cif | partita iva | btw nummer | btw nr | tva intracommunautaire | ust id nr |
        ustid | ustidnr | ust idnr | umsatzsteuer id | umsatzsteuer identifikationsnummer |
        steuer nr | st nr | vat reg | vat registration no | n tva intracommunautaire |
        numéro tva intracommunautaire | tva intracom | btw id | btw identificatienummer |
        nip | company vat""",
    "currency": """currency | währung | devise | moneda | valuta | payment currency |
        currency code | waluta""",
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
    verkäufer | fournisseur | vendeur | proveedor | fornitore | provided by |
    product provided by | products provided by | services provided by | billed by |
    invoice from | issuer | rechnungssteller | leistungserbringer | auftragnehmer |
    émetteur | prestataire | leverancier | verkoper | sprzedawca | wystawca"""
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
    factuuradres | gefactureerd aan | käufer | leistungsempfänger | warenempfänger |
    abweichender warenempfänger | auftraggeber | acheteur | destinataire | koper | klant |
    afnemer | nabywca | odbiorca | bill to address | ship to address"""
)

_PARTIES = (
    (VENDOR_PARTY_LABELS, "vendor"),
    (REMIT_PARTY_LABELS, "remit_to"),
    (RECEIVER_PARTY_LABELS, "receiver"),
)

# Generic labels: they name a field, but other labels name it more surely. A national
# tax number is the vendor's tax id only where no VAT ID is printed.
_GENERIC = _phrases(
    """total | amount | due | balance | net | terms | acc | steuernummer | steuer nr | st nr |
    tax number | numéro fiscal"""
)

# Labels that name a date without saying which one: read as the document date, weakly.
_DATE_LABELS = _phrases("date | datum | fecha | data")


# Words of a tax line's label around its rate: "MwSt. 19%", "VAT (20 %)", "zzgl. 19% MwSt.".
_TAX_WORDS = frozenset(
    {
        *("vat", "tax", "mwst", "ust", "tva", "btw", "gst", "iva"),
        *("sales", "zzgl", "zuzüglich", "zuzuglich", "incl", "inkl", "plus"),
    }
)
_TAX_QUALIFIERS = frozenset({"sales", "zzgl", "zuzüglich", "zuzuglich", "incl", "inkl", "plus"})


# Words a label prints around its currency: "Total (EUR)", "Summe brutto (in EURO)",
# "Total in EUR". The currency is the amount's, not part of what the label names.
_PARENTHESIZED = re.compile(r"\([^)]*\)?")
_CAMEL_JOIN = re.compile(r"(?<=[a-zäöüß])(?=[A-Z][a-z])")
_CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "€": "EUR", "dollars": "USD", "zł": "PLN"}
# A label about the reader's own number ("Ihre USt-IdNr.", "Your VAT number", "Customer
# VAT ID") names the buyer's tax id, never the vendor's.
_BUYERS_OWN = frozenset(
    [
        "ihre",
        "your",
        "customer",
        "customers",
        "kunden",
        "kunde",
        "client",
        "votre",
        "uw",
        "buyer",
        "käufer",
        "acheteur",
    ]
)


def _label_forms(label: str) -> list[str]:
    """The label reduced for matching, then without what labels add around the field's
    name: a parenthesized note or currency, a trailing "in EUR", a joined compound
    ("RechnungsNr" -> "rechnungs nr")."""
    key = label_key(label)
    bare = label_key(_CAMEL_JOIN.sub(" ", _PARENTHESIZED.sub(" ", label)))
    words = bare.split()
    while words and (words[-1] in _CURRENCY_WORDS or _is_currency_code(words[-1])):
        words.pop()
        if words and words[-1] == "in":
            words.pop()
    forms = [key, bare, " ".join(words)]
    out: list[str] = []
    for form in forms:
        for variant in (form, _unaccented(form)):  # OCR drops some accents: "Echeance"
            if variant and variant not in out:
                out.append(variant)
    return out


def _is_currency_code(word: str) -> bool:
    return len(word) == 3 and word.upper() in ISO_4217


def currency_in_label(label: str) -> str | None:
    """The currency a label names for its amount ("Total (EUR)", "Summe (in EURO)",
    "Total in USD"), else None."""
    for word in label_key(label).split():
        if word in _CURRENCY_WORDS:
            return _CURRENCY_WORDS[word]
        if _is_currency_code(word):
            return word.upper()
    return None


def field_for_label(label: str) -> tuple[str | None, float]:
    """The field a printed label names and how surely (0-1, the label match strengths of
    `evidence.WEIGHTS`), or (None, 0)."""
    key = label_key(label)
    if not key:
        return None, 0.0
    field, sureness = _field_for_forms(_label_forms(label))
    if field == "vendor_tax_id" and key.split()[0] in _BUYERS_OWN:
        return None, 0.0
    return field, sureness


def _field_for_forms(forms: list[str]) -> tuple[str | None, float]:
    key = forms[0]
    for form in forms:
        field = _SPECIFIC_LABELS.get(form)
        if field is not None:
            return field, WEIGHTS.label_generic if form in _GENERIC else WEIGHTS.label_specific
        if form in _CONTACT_LABELS:
            return _CONTACT_LABELS[form], WEIGHTS.label_contact
    if key in _DATE_LABELS:
        return "document_date", WEIGHTS.label_generic
    for form in forms:
        words = [word for word in form.split() if not word.isdigit()]
        if words and set(words) <= _TAX_WORDS and set(words) - _TAX_QUALIFIERS:
            return "tax_amount", WEIGHTS.label_specific
    return None, 0.0


# Words a reference number is printed after: the title and the number's own label.
_NUMBER_PREFIX_WORDS = frozenset(
    re.split(
        r"\s+",
        "invoice inv rechnung facture factuur faktura factura fattura receipt bill credit "
        "note gutschrift avoir creditnota no nr n° nº number nummer numéro numero num # : .",
    )
)


def without_label(field: str, value: str) -> str:
    """A reference value without the label a reader kept in it: Textract's value for
    "Invoice #4471" is sometimes the whole "Invoice #4471"."""
    words = value.replace("#", " # ").replace(":", " : ").split()
    start = 0
    while start < len(words) - 1 and (
        words[start].casefold().rstrip(".") in _NUMBER_PREFIX_WORDS
        or words[start].casefold() in _NUMBER_PREFIX_WORDS
    ):
        start += 1
    if start == 0:
        return value.strip()
    if field_for_label(" ".join(words[:start]))[0] not in (field, None):
        return value.strip()
    rest = " ".join(words[start:]).strip()
    return rest if any(ch.isdigit() for ch in rest) else value.strip()


def party_for_label(label: str) -> str | None:
    """`vendor`, `remit_to` or `receiver` when the label introduces a party block
    ("Seller", "PRODUCT(S) PROVIDED BY", "Käufer/Leistungsempfänger": either name)."""
    texts = [label, _PARENTHESIZED.sub(" ", label)]
    if "/" in label:
        texts += label.split("/")
    for text in texts:
        key = label_key(text)
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
            articolo omschrijving produkt produit opis nazwa towar""",
        "quantity": """qty quantity quantities hrs hours hour units unit qté qte quantité
            quantite menge anzahl stk cantidad cant quantità quantita aantal""",
        "unit_price": """price rate unitprice cost preis einzelpreis stückpreis
            precio prix prezzo prijs stukprijs eenheidsprijs tarif cena""",
        "amount": """amount total subtotal line ext extended betrag gesamt gesamtpreis summe
            importe montant importo bedrag totaal wartość wartosc""",
    }.items()
}
_UNIT_PRICE_PHRASES = _phrases(
    """unit price | unit cost | price per unit | rate price | prix unitaire |
    prix unitaire ht | p u | p u ht | pu | pu ht | prix ht | prijs per stuk"""
)


def column_role(header: str) -> str | None:
    """The line-item column a table header names, or None (`Hrs/Qty` -> quantity)."""
    forms = _label_forms(header)
    key = forms[-1] if forms else ""
    if not key:
        return None
    words = key.split()
    # "Sub Total", "Line Total", "Ext. Price" are amounts even though they hold a price word.
    if key not in _UNIT_PRICE_PHRASES and (
        words[-1] in _COLUMN_WORDS["amount"] or key in ("ext price", "extended price")
    ):
        return "amount"
    # "Unit Price", also with a note after it: "Unit Price Excl. VAT", "Prix unitaire HT".
    if any(key == phrase or key.startswith(phrase + " ") for phrase in _UNIT_PRICE_PHRASES):
        return "unit_price"
    for role in ("description", "quantity", "unit_price", "amount"):
        if any(word in _COLUMN_WORDS[role] for word in words):
            return role
    # German compounds name the role in their last part: "Nettopreis", "Nettobetrag".
    for role, endings in _COMPOUND_ENDINGS.items():
        if any(word.endswith(endings) for word in words):
            return role
    return None


def column_roles(headers: Sequence[str]) -> list[str | None]:
    """The role of each column of one header row, each role given once. A role several
    headers name goes to the one that names it most plainly: in "UNIT for P.U." | "Qté"
    the unit of measure yields the quantity to "Qté" (ties: the leftmost)."""
    claims = [column_role(header) for header in headers]
    roles: list[str | None] = [None] * len(headers)
    for role in dict.fromkeys(claim for claim in claims if claim is not None):
        claimants = [i for i, claim in enumerate(claims) if claim == role]
        best = max(claimants, key=lambda i: (_plainness(headers[i], role), -i))
        roles[best] = role
    return roles


def _plainness(header: str, role: str) -> float:
    """The share of the header's words that name `role` (a phrase or compound: all)."""
    forms = _label_forms(header)
    key = forms[-1] if forms else ""
    words = key.split()
    if not words or key in _UNIT_PRICE_PHRASES:
        return 1.0
    endings = _COMPOUND_ENDINGS.get(role, ())
    named = sum(
        0.5 if word in _WEAK_COLUMN_WORDS.get(role, ()) else 1.0
        for word in words
        if word in _COLUMN_WORDS[role] or (endings and word.endswith(endings))
    )
    return named / len(words)


# Header words that name a role only weakly: "Unit" may be a count or the unit of measure
# ("PCE", "h") beside the quantity; "Article" often heads the article number beside the
# designation.
_WEAK_COLUMN_WORDS: dict[str, frozenset[str]] = {
    "quantity": frozenset({"unit"}),
    "description": frozenset({"article", "articles", "artikel", "articolo"}),
}


_COMPOUND_ENDINGS: dict[str, tuple[str, ...]] = {
    "description": ("beschreibung", "bezeichnung"),
    "amount": ("betrag", "summe", "gesamt", "bedrag", "totaal"),
    "unit_price": ("preis", "prijs"),
}
