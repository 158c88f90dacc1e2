"""The one label table: every wording the invoice generator prints is recognized.

`docuflow_tools.samples.conventions` holds the generator's labels in en/de/fr/nl; a label it
prints that the table does not know is a field the offline engine cannot find.
"""

from __future__ import annotations

import pytest

from docuflow.extraction import from_text
from docuflow.extraction.labels import (
    column_role,
    column_roles,
    field_for_label,
    party_for_label,
)
from docuflow_tools.samples.conventions import LABELS

# Generator label key -> the field (or column role, or party) it names.
FIELD_OF_LABEL = {
    "invoice_number": "invoice_number",
    "credit_number": "invoice_number",
    "document_date": "document_date",
    "due_date": "due_date",
    "purchase_order": "purchase_order",
    "payment_terms": "payment_terms",
    "currency": "currency",
    "subtotal": "subtotal",
    "tax": "tax_amount",
    "total": "total_amount",
    "amount_due": "amount_due",
    "iban": "bank_account",
    "email": "remittance_email",
    "phone": "remittance_phone",
    "tax_id": "vendor_tax_id",
}
COLUMNS = ("description", "quantity", "unit_price", "amount")


def printed(keys: tuple[str, ...]) -> list[tuple[str, str, str]]:
    return [
        (language, key, wording.format(rate="19"))
        for language, labels in LABELS.items()
        for key in keys
        for wording in labels[key]
    ]


@pytest.mark.parametrize(("language", "key", "wording"), printed(COLUMNS))
def test_every_generated_column_header_names_its_column(
    language: str, key: str, wording: str
) -> None:
    assert column_role(wording) == key, f"{language} header {wording!r}"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("P.U. HT", "unit_price"),
        ("PU HT", "unit_price"),
        ("Stukprijs", "unit_price"),
        ("Stückpreis", "unit_price"),
        ("Stuckpreis", "unit_price"),  # OCR without the umlaut
        ("Totaal", "amount"),
        ("Total HT", "amount"),
        ("Gesamtpreis", "amount"),
        ("Qte", "quantity"),
        ("Unit Price Excl. VAT", "unit_price"),
        ("Prix unitaire HT (EUR)", "unit_price"),
    ],
)
def test_header_wordings_the_column_detection_used_to_miss(header: str, role: str) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(("language", "key", "wording"), printed(tuple(FIELD_OF_LABEL)))
def test_every_generated_field_label_names_its_field(language: str, key: str, wording: str) -> None:
    field, sureness = field_for_label(wording)
    assert field == FIELD_OF_LABEL[key], f"{language} label {wording!r}"
    assert sureness > 0


@pytest.mark.parametrize(("language", "key", "wording"), printed(("bill_to",)))
def test_every_generated_bill_to_label_is_a_receiver(language: str, key: str, wording: str) -> None:
    assert party_for_label(wording) == "receiver", f"{language} label {wording!r}"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        # OCR drops accents, sometimes only some of them.
        ("Echéance", "due_date"),
        ("Echeance", "due_date"),
        ("Fallig am", "due_date"),
        ("Numero de facture", "invoice_number"),
        ("Net a payer", "amount_due"),
        ("Tel.", "remittance_phone"),
        # Tax words around a rate.
        ("MwSt. 19%", "tax_amount"),
        ("zzgl. 19% MwSt.", "tax_amount"),
        ("Sales Tax 8%", "tax_amount"),
    ],
)
def test_labels_read_as_ocr_prints_them(label: str, field: str) -> None:
    assert field_for_label(label)[0] == field


def test_the_text_finder_has_no_label_table_of_its_own() -> None:
    # One table: the text finder asks `labels`, so the parser's FORMS pairs and the text
    # finder can never disagree about what a label means.
    assert not hasattr(from_text, "_EXTRA_LABELS")
    for wording in ("Gutschriftsnummer:", "Uiterste betaaldatum", "Offener Betrag", "Courriel"):
        assert from_text._field_for(wording) == field_for_label(wording)
        assert field_for_label(wording)[0] is not None


def test_generic_contact_labels_are_less_sure_than_remittance_labels() -> None:
    assert field_for_label("Phone:")[1] < field_for_label("Remittance phone")[1]
    assert field_for_label("E-mail:")[1] < field_for_label("Remittance email")[1]


@pytest.mark.parametrize(
    ("headers", "roles"),
    [
        # Each role once: a header that names it plainly wins over one that only mentions it.
        (
            ["Désignation", "P.U. HT", "UNIT for P.U.", "Qté"],
            ["description", "unit_price", None, "quantity"],
        ),
        (["Description", "Unit", "Qty", "Amount"], ["description", None, "quantity", "amount"]),
        (["Description", "Units", "Amount"], ["description", "quantity", "amount"]),
        (["Code article", "Désignation", "Qté"], [None, "description", "quantity"]),
        (["Artikel", "Menge", "Preis"], ["description", "quantity", "unit_price"]),
        # Equally plain: the leftmost.
        (["Item", "Total", "Amount"], ["description", "amount", None]),
    ],
)
def test_a_role_named_by_several_headers_goes_to_the_plainest(
    headers: list[str], roles: list[str | None]
) -> None:
    assert column_roles(headers) == roles


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Rechnungssumme netto", "subtotal"),
        ("Rechnungssumme brutto", "total_amount"),
        ("zuzüglich 19% MwSt.", "tax_amount"),
    ],
)
def test_totals_labels_of_german_item_tables(label: str, field: str) -> None:
    assert field_for_label(label)[0] == field
