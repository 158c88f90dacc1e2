"""The one table of evidence weights: what makes a reading the value of a field, and how much.

Every number that decides between readings lives in `WEIGHTS`. A reading carries the
kinds of evidence found for it (`Evidence`); its score is the sum of their weights, each
times its strength (1 unless the kind says otherwise). `choosing.rank` orders the readings
of a field by score, then by where they are printed, then by confidence; `choosing.choose`
takes the first (and, for the total, prefers one that adds up).

The text finder (`from_text`) reads fields from printed lines alone. Its readings score
`text_finder` and are told apart by their confidence, which it derives from the line's
OCR confidence and the factors at the end of the table; they are offered only for fields
no Textract reading names.

To add a rule: add an `Evidence` kind, its weight below (with the comment saying what it
means), and attach the kind to the readings it applies to where they are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Evidence(StrEnum):
    """A kind of evidence that a reading is the field it is offered as.

    Each value is the name of its weight in `EvidenceWeights`.
    """

    EXPENSE_TYPE = "expense_type"
    EXPENSE_GROUP = "expense_group"
    EXPENSE_GROUP_ADDRESS_BLOCK = "expense_group_address_block"
    EXPENSE_RELATED_TYPE = "expense_related_type"
    PRINTED_LABEL = "printed_label"
    PARTY_BLOCK = "party_block"
    TEXT_FINDER = "text_finder"
    TEXT_SURENESS = "text_sureness"
    LABEL_MATCH = "label_match"
    LABEL_AGREES_WITH_TYPE = "label_agrees_with_type"
    LABEL_OVERRULES_TYPE = "label_overrules_type"
    TYPE_OVERRULED_BY_LABEL = "type_overruled_by_label"
    AMOUNT_DUE_AS_TOTAL = "amount_due_as_total"
    CURRENCY_CODE_OF_AMOUNT = "currency_code_of_amount"
    CURRENCY_PRINTED_WITH_AMOUNT = "currency_printed_with_amount"
    CURRENCY_CODE_IN_TEXT = "currency_code_in_text"


@dataclass(frozen=True, slots=True)
class EvidenceWeights:
    """How much each kind of evidence counts. Scores are comparable across all sources."""

    # ---- Source kind: what names the field (a reading has one of these) ------------------
    # Textract's AnalyzeExpense typed the value as this field (TOTAL, VENDOR_NAME, ...).
    expense_type: float = 3.0
    # A NAME or ADDRESS in a Textract party group (VENDOR, VENDOR_REMIT_TO): these repeat
    # the typed fields, so they count a little less.
    expense_group: float = 2.8
    # The same as an ADDRESS_BLOCK, which leaves out the address's first line.
    expense_group_address_block: float = 2.7
    # A type that names a related field, not this one: VENDOR_PHONE offered as the
    # remittance phone (a printed "Remittance phone" label is surer).
    expense_related_type: float = 2.3
    # A printed label names the field: a FORMS key-value pair, or an expense OTHER field
    # with its label. Plus `label_match` times how surely the label names it.
    printed_label: float = 2.0
    # The first line (name), the next lines (address) or an e-mail line under a party
    # label ("From:", "Remit to:").
    party_block: float = 2.4
    # Read by the text finder from printed lines and their positions alone ...
    text_finder: float = 1.0
    # ... plus this per point of its confidence (0-85), which the text finder derives from
    # the evidence it found (how the value is paired with its label, a specific or generic
    # label, the letterhead's most prominent line or the runner-up): the factors below.
    text_sureness: float = 0.01

    # ---- Label match strength -------------------------------------------------------------
    # Per unit of how surely a printed label names the field (one of the three below).
    label_match: float = 0.5
    # A label that names exactly one field ("Invoice number", "Grand total", "Rechnungsdatum").
    label_specific: float = 1.0
    # A contact label ("Phone:", "E-mail:"): the vendor's contact, the usual one for remittance.
    label_contact: float = 0.8
    # A label other labels name more surely ("Total", "Amount", "Due", "Date", "Terms").
    label_generic: float = 0.3

    # ---- Agreement with other readings ------------------------------------------------------
    # The printed label names the same field as Textract's type (added to the type's weight).
    label_agrees_with_type: float = 0.3
    # A specific printed label names another field than Textract's type (a SUBTOTAL
    # printed as "Total"): the label's reading replaces the type's as the better one ...
    label_overrules_type: float = 2.9
    # ... and the type's reading stays, weaker, as an alternative (instead of its weight).
    type_overruled_by_label: float = 2.2
    # "Amount due" also offered as the total (many invoices print only that); checked by
    # totals_add_up like any other total, and never preferred for adding up.
    amount_due_as_total: float = 1.2

    # ---- Currency ---------------------------------------------------------------------------
    # Textract's own currency reading (Currency.Code) of a money field: the surest clue.
    currency_code_of_amount: float = 3.0
    # A symbol or code printed with an amount that names one currency ("€ 12", "12.00 SEK").
    currency_printed_with_amount: float = 2.5
    # An ISO code printed anywhere ("All amounts in AUD") that is one of a shared symbol's
    # currencies; looked for only when nothing else names the currency.
    currency_code_in_text: float = 1.5

    # ---- Position on the page (one rule for every source, `choosing.position_bonus`) ------
    # Totals sit at the foot of the last page, header fields at the top of the first. Per
    # share of the document's pages, and per page height; together under 0.1, so position
    # only breaks ties between equally named readings.
    page_position: float = 0.05
    top_position: float = 0.04

    # ---- OCR confidence ---------------------------------------------------------------------
    # Per point (0-100) of the reading's confidence: the last tie-breaker (under 0.1).
    confidence: float = 0.001

    # ---- Thresholds on scores ---------------------------------------------------------------
    # The same value read in several places: among readings within this much of the chosen
    # one's score, the surest place is reported.
    same_value_margin: float = 0.5
    # A total that equals subtotal plus tax is preferred only when a label or a Textract
    # type names it (not the amount-due fallback, not the text finder).
    total_adds_up_min_score: float = 2.0
    # Currency readings at least this strong that disagree make a CURRENCY_CONFLICT hint.
    strong_currency_min_score: float = 2.5

    # ---- Text finder: how sure a reading from printed lines is (factors on the line's
    # OCR confidence, 0-100). Deliberately below what Textract reports for the same text.
    # The ceiling of any text reading's confidence.
    text_max_confidence: float = 85.0
    # Every label-value reading, before the factors below.
    text_labelled: float = 0.85
    # Where the value is printed: after the label on its line, beside it, in a row of
    # labels over a row of values, or under the label.
    text_value_inline: float = 1.0
    text_value_beside: float = 0.97
    text_value_in_band: float = 0.97
    text_value_below: float = 0.92
    # A generic label (`label_generic`); an e-mail address or a phone number after a contact
    # label checks itself by its form, which undoes this factor.
    text_generic_label: float = 0.9
    # A date whose day and month could be swapped.
    text_ambiguous_date: float = 0.75
    # A currency read beside one amount; beside several amounts that agree, the factor
    # no longer applies.
    text_currency_beside_amount: float = 0.95
    # The vendor's name from the letterhead: evidence points, times the line's OCR
    # confidence (as a share of 100).
    text_letterhead_name: float = 72.0
    text_letterhead_company_suffix: float = 6.0  # "GmbH", "Ltd", "B.V." in the line
    text_letterhead_first: float = 4.0  # the most prominent letterhead line
    text_letterhead_second: float = -8.0  # the runner-up, offered as an alternative
    # Lines under the name that hold no digit (no house number, no postcode): points off.
    text_letterhead_address_without_digits: float = -6.0
    # Which letterhead lines are most prominent: height over the page's typical line
    # height, plus this for a company suffix, minus `text_letterhead_top` per page height.
    text_letterhead_suffix_prominence: float = 0.6
    text_letterhead_top: float = 1.0
    # The lines under a remit-to or bank-details label; the address points off the name's.
    text_remit_to: float = 0.78
    text_remit_to_address: float = -4.0
    # An e-mail address printed without a label, offered as the remittance e-mail.
    text_unlabelled_email: float = 0.7
    # Values inside a title line ("Rechnung Nr. 2024-117 vom 12.02.2024", "Invoice #4471"):
    # a factor on a labelled value's confidence (the title is a label, less exact).
    text_title_line: float = 0.95
    # A due date named in a sentence of payment terms ("Zahlbar ... bis 15.12.2024").
    text_due_in_sentence: float = 0.9
    # The header's one unlabelled date (a letter's "place, date") as the issue date.
    text_letter_date: float = 0.8
    # The vendor's name, per place it is printed (evidence points, as for the letterhead):
    # the name under a seller heading ("Verkäufer", "Seller", "From") or its "Name:" row;
    text_vendor_section: float = 82.0
    # the first part of the sender line above the address window ("Acme GmbH • Str. 1 •
    # 12345 Stadt");
    text_vendor_sender_line: float = 76.0
    # a company name (with its legal form) in the page footer, beside VAT ID and IBAN.
    text_vendor_footer: float = 72.0
    # Each further kind of place that prints the same name (letterhead and footer, sender
    # line and seller block) adds this: evidence that agrees.
    text_vendor_agreement: float = 6.0

    def of(self, kind: Evidence) -> float:
        """The weight of one kind of evidence."""
        weight: float = getattr(self, kind.value)
        return weight


WEIGHTS = EvidenceWeights()
