"""Vendor memory rules: who an invoice is from, what remembering it changes, and what is
unusual about a new invoice given the vendor's history."""

from __future__ import annotations

import pytest

from docuflow.extraction.result import ExtractionResult, ReviewReason, Routing
from docuflow.vendors import (
    InvoiceFacts,
    VendorProfile,
    history_reasons,
    normalized_name,
    remember,
    vendor_id_for,
    with_history,
)

OLD_IBAN = "DE89370400440532013000"
NEW_IBAN = "GB82WEST12345698765432"


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("ACME GmbH", "acme"),
        ("Acme Ltd.", "acme"),
        ("ACME, Inc.", "acme"),
        ("Acme SARL", "acme"),
        ("Acme B.V.", "acme"),
        ("Müller Sp. z o.o.", "muller"),
        ("Nordlicht Handels GmbH & Co. KG", "nordlicht-handels"),
        ("Société Générale S.A.", "societe-generale"),
        ("GmbH", "gmbh"),
    ],
)
def test_names_fold_legal_form_case_punctuation_and_accents(printed: str, normalized: str) -> None:
    assert normalized_name(printed) == normalized


def test_a_tax_id_identifies_the_vendor_before_its_name() -> None:
    assert vendor_id_for(tax_id="de 123.456.789", name="Acme GmbH") == "tax-DE123456789"
    assert vendor_id_for(tax_id=None, name="ACME, Inc.") == "name-acme"
    assert vendor_id_for(tax_id=" ", name="--") is None


def facts(job_id: str = "j1", **values: str) -> InvoiceFacts:
    base = {
        "vendor_name": "Acme GmbH",
        "bank_account": f"{OLD_IBAN[:4]} {OLD_IBAN[4:]}",
        "currency": "EUR",
        "total_amount": "100.00",
        "invoice_number": "INV-1",
    }
    found = InvoiceFacts.of(job_id, {**base, **values})
    assert found is not None
    return found


def known(*invoices: InvoiceFacts) -> VendorProfile:
    profile: VendorProfile | None = None
    for number, invoice in enumerate(invoices):
        profile = remember(profile, invoice, tenant_id="t1", at=f"2026-11-0{number + 1}T10:00:00Z")
    assert profile is not None
    return profile


def test_remembering_collects_names_accounts_currencies_and_totals() -> None:
    # Given two invoices of one vendor, the second under another spelling and a new account
    profile = known(
        facts("j1"),
        facts(
            "j2",
            vendor_name="ACME GMBH",
            bank_account=NEW_IBAN,
            total_amount="250.00",
            invoice_number="INV-2",
        ),
    )
    # Then the profile holds both names, both accounts with their dates and invoices
    assert profile.vendor_id == "name-acme" and profile.invoice_count == 2
    assert profile.names == ["Acme GmbH", "ACME GMBH"]
    assert [(a.iban, a.first_seen[:10], a.job_ids) for a in profile.accounts] == [
        (OLD_IBAN, "2026-11-01", ["j1"]),
        (NEW_IBAN, "2026-11-02", ["j2"]),
    ]
    assert profile.currencies == {"EUR": 2}
    assert profile.totals["EUR"].model_dump() == {
        "minimum": "100.00",
        "maximum": "250.00",
        "count": 2,
    }
    assert profile.invoice_numbers == ["INV-1", "INV-2"]


def codes(reasons: list[ReviewReason]) -> list[str]:
    return [reason.code for reason in reasons]


def test_a_known_vendors_new_account_is_bank_details_changed_naming_both() -> None:
    profile = known(facts("j1"))
    reasons = history_reasons(
        facts("j2", bank_account=NEW_IBAN, invoice_number="INV-2"), profile, iban_owner=None
    )
    assert codes(reasons) == ["BANK_DETAILS_CHANGED"]
    assert OLD_IBAN in reasons[0].message and NEW_IBAN in reasons[0].message
    assert reasons[0].message.startswith("Bank details changed")
    assert reasons[0].evidence == {
        "vendor_id": "name-acme",
        "known_accounts": [OLD_IBAN],
        "new_account": NEW_IBAN,
    }


def test_nothing_is_unusual_about_a_known_account_and_a_new_vendor_has_no_history() -> None:
    profile = known(facts("j1"))
    assert history_reasons(facts("j2", invoice_number="INV-2"), profile, iban_owner=None) == []
    assert history_reasons(facts("j2"), None, iban_owner=None) == []


def test_an_account_known_for_another_vendor_is_named() -> None:
    other = known(facts("j1", vendor_name="Globex Ltd"))
    reasons = history_reasons(facts("j2"), None, iban_owner=other)
    assert codes(reasons) == ["IBAN_OF_OTHER_VENDOR"]
    assert "Globex Ltd" in reasons[0].message


def test_an_unused_currency_and_a_seen_invoice_number_are_reasons() -> None:
    profile = known(facts("j1"))
    reasons = history_reasons(facts("j2", currency="USD"), profile, iban_owner=None)
    assert codes(reasons) == ["CURRENCY_UNUSUAL", "INVOICE_NUMBER_SEEN"]


@pytest.mark.parametrize(
    ("total", "unusual"),
    [("301.00", True), ("300.00", False), ("30.00", False), ("29.99", True)],
)
def test_a_total_beyond_three_times_the_range_is_unusual(total: str, unusual: bool) -> None:
    # Given three invoices between 90 and 100 EUR
    profile = known(
        *(
            facts(f"j{n}", total_amount=amount, invoice_number=f"N{n}")
            for n, amount in enumerate(["90.00", "100.00", "95.00"])
        )
    )
    reasons = history_reasons(
        facts("new", total_amount=total, invoice_number="X"), profile, iban_owner=None
    )
    assert ("TOTAL_UNUSUAL" in codes(reasons)) is unusual


def test_the_total_rule_waits_for_three_invoices() -> None:
    profile = known(facts("j1"), facts("j2", invoice_number="INV-2"))
    reasons = history_reasons(
        facts("j3", total_amount="9999.00", invoice_number="INV-3"), profile, iban_owner=None
    )
    assert reasons == []


def test_history_reasons_send_even_a_perfect_result_to_review() -> None:
    result = ExtractionResult(document_type="invoice", pages=1, routing=Routing(status="COMPLETED"))
    reason = ReviewReason(code="BANK_DETAILS_CHANGED", field="bank_account", message="Bank ...")
    checked = with_history(result, known(facts()), [reason])
    assert checked.routing.status == "NEEDS_REVIEW"
    assert checked.routing.reasons == [reason]
    assert checked.checks["vendor_history"].status == "fail"
    assert with_history(result, None, []).checks["vendor_history"].status == "skipped"
    assert with_history(result, known(facts()), []).routing.status == "COMPLETED"
