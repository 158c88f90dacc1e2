"""Learning from corrections: a reviewer's choice for a vendor becomes a hint its next
invoice follows, marked `vendor_hint`, keeping what the parser had chosen."""

from __future__ import annotations

from docuflow.extraction.parser import ParsedDocument
from docuflow.extraction.result import (
    Candidate,
    ExtractedField,
    ExtractionResult,
    OtherField,
    Routing,
)
from docuflow.vendors import VendorHints, apply_hints, learn


def number(value: str, label: str, *alternatives: Candidate) -> ExtractedField:
    return ExtractedField(
        value=value,
        text=value,
        confidence=97,
        source="expense",
        label=label,
        alternatives=list(alternatives),
    )


def candidate(value: str, label: str) -> Candidate:
    return Candidate(value=value, text=value, confidence=88, source="forms", label=label)


def test_a_corrected_invoice_number_teaches_the_label_it_was_printed_under() -> None:
    # Given a result whose invoice number was read under "Order No." and also seen under
    # "Rechnungsnr."; a reviewer corrected it to the latter
    result = ExtractionResult(
        document_type="invoice",
        pages=1,
        fields={"invoice_number": number("PO-77", "Order No.", candidate("RE-1", "Rechnungsnr."))},
        routing=Routing(status="NEEDS_REVIEW"),
    )
    hints = learn(VendorHints(), result, {"invoice_number": "RE-1"}, job_id="j1")
    assert hints.invoice_number_label == "Rechnungsnr." and hints.learned_from == ["j1"]
    # When the vendor's next invoice is read the same way
    parsed = ParsedDocument(
        document_type="invoice",
        pages=1,
        fields={"invoice_number": number("PO-78", "Order No.", candidate("RE-2", "Rechnungsnr."))},
    )
    hinted = apply_hints(parsed, hints).fields["invoice_number"]
    # Then the number under the learned label is chosen, as a hint, the parser's kept
    assert (hinted.value, hinted.source.value, hinted.confidence) == ("RE-2", "vendor_hint", 88)
    assert hinted.alternatives[0].value == "PO-78"


def test_a_label_found_among_other_key_value_pairs_is_followed() -> None:
    hints = VendorHints(invoice_number_label="Beleg")
    parsed = ParsedDocument(
        document_type="invoice",
        pages=1,
        fields={"invoice_number": number("PO-78", "Order No.")},
        other_fields=[OtherField(key="Beleg", value="B-9", confidence=91, source="forms")],
    )
    assert apply_hints(parsed, hints).fields["invoice_number"].value == "B-9"


def test_no_hint_or_nothing_under_the_label_changes_nothing() -> None:
    parsed = ParsedDocument(
        document_type="invoice", pages=1, fields={"invoice_number": number("RE-3", "Invoice")}
    )
    assert apply_hints(parsed, VendorHints()) is parsed
    assert apply_hints(parsed, VendorHints(invoice_number_label="Beleg")) is parsed
    result = ExtractionResult(document_type="invoice", pages=1, routing=Routing(status="COMPLETED"))
    assert learn(VendorHints(), result, {"total_amount": "1.00"}, job_id="j") == VendorHints()
