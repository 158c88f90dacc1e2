"""Document hints on findings built by hand: receivers, currency from lines, day/month order."""

from __future__ import annotations

from docuflow.extraction import hints
from docuflow.extraction.candidates import Findings, Reading, found_in_lines, kinds, labelled
from docuflow.extraction.dates import normalize_date
from docuflow.extraction.evidence import Evidence
from docuflow.extraction.lines import TextLine
from docuflow.extraction.result import FieldSource


def reading(name: str, value: str, source: FieldSource, *, text: str | None = None) -> Reading:
    evidence = found_in_lines(80.0) if source is FieldSource.TEXT else labelled(1.0)
    return Reading(name, value, text or value, 95.0, 1, None, source, None, evidence)


def test_the_receiver_is_dropped_as_vendor_weaker_text_readings_also_inside_its_block() -> None:
    findings = Findings()
    findings.receiver_names.add("big customer inc")
    findings.receiver_texts.append("big customer inc 1 main street buyer big test")
    findings.candidates = {
        "vendor_name": [
            reading("vendor_name", "Big Customer Inc", FieldSource.EXPENSE),
            reading("vendor_name", "Real Supplier GmbH", FieldSource.FORMS),
        ],
        # Inside the receiver's block: dropped only when the text finder offered it.
        "vendor_address": [
            reading("vendor_address", "1 Main Street", FieldSource.FORMS),
            reading("vendor_address", "1 Main Street", FieldSource.TEXT),
        ],
        # Too short to tell ("Big" is in many names).
        "remit_to_name": [reading("remit_to_name", "Big", FieldSource.TEXT)],
    }
    hints.drop_receivers_as_vendor(findings)
    kept = {name: [(r.value, r.source) for r in rs] for name, rs in findings.candidates.items()}
    assert kept == {
        "vendor_name": [("Real Supplier GmbH", FieldSource.FORMS)],
        "vendor_address": [("1 Main Street", FieldSource.FORMS)],
        "remit_to_name": [("Big", FieldSource.TEXT)],
    }


def test_an_iso_code_in_the_lines_is_offered_only_for_a_shared_symbol() -> None:
    line = TextLine(text="All amounts in AUD, not EUR", page=1, confidence=99.0)
    findings = Findings(lines=[line])
    hints.currency_from_lines(findings)
    assert "currency" not in findings.candidates  # no symbol to settle
    findings.ambiguous_symbols["$"] = ("USD", "AUD", "CAD")
    hints.currency_from_lines(findings)
    offered = findings.candidates["currency"]
    assert [(r.value, r.source, r.evidence) for r in offered] == [
        ("AUD", FieldSource.TEXT, kinds(Evidence.CURRENCY_CODE_IN_TEXT))
    ]


def _date_reading(text: str) -> Reading:
    date = normalize_date(text)
    return Reading(
        "document_date",
        date.value,
        text,
        95.0,
        1,
        None,
        FieldSource.FORMS,
        "Date",
        labelled(1.0),
        date,
    )


def test_a_date_printed_the_same_way_settles_day_and_month() -> None:
    findings = Findings(lines=[TextLine(text="Delivered 25/04/2021", page=1, confidence=99.0)])
    ambiguous = _date_reading("03/04/2021")
    findings.candidates["document_date"] = [ambiguous]
    hints.settle_dates(findings, currency="USD")
    assert ambiguous.value == "2021-04-03"
    assert hints.ambiguous_date_hint("document_date", ambiguous) is None


def test_the_currency_only_orders_an_unsettled_date_which_stays_a_hint() -> None:
    findings = Findings()
    ambiguous = _date_reading("03/04/2021")
    findings.candidates["document_date"] = [ambiguous]
    hints.settle_dates(findings, currency="EUR")
    assert ambiguous.value == "2021-04-03"  # day first shown first for the euro
    hint = hints.ambiguous_date_hint("document_date", ambiguous)
    assert hint is not None
    assert (hint.code, hint.field) == ("DATE_AMBIGUOUS", "document_date")
    assert "2021-03-04" in hint.message
