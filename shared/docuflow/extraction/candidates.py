"""Readings of fields (candidates with their evidence) and what else a document says.

`Findings` accumulates everything the readers find in one document's responses: for
each field every reading of it (`Reading`, with the evidence that it is that field),
other labelled values, line items, text lines, warnings and review hints. A value that
cannot be read as its field's kind is never dropped: it becomes a warning, a hint and
an other field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from docuflow.extraction.dates import DateReading, normalize_date
from docuflow.extraction.evidence import Evidence
from docuflow.extraction.labels import (
    currency_in_label,
    field_for_label,
    label_key,
    party_for_label,
    without_label,
)
from docuflow.extraction.lines import TextLine
from docuflow.extraction.normalize import (
    EMAIL,
    MoneyReading,
    clean_text,
    normalize_currency,
    normalize_money,
    normalize_quantity,
)
from docuflow.extraction.result import (
    DATE_FIELDS,
    MONEY_FIELDS,
    BoundingBox,
    Candidate,
    FieldSource,
    OtherField,
    ReviewReason,
)

_ADDRESS_FIELDS = frozenset({"vendor_address", "remit_to_address"})
# The fewest digits a phone number has (a local number without its area code).
_PHONE_DIGITS = 7


@dataclass(frozen=True, slots=True)
class Where:
    """Where a reading was printed and how sure the OCR was of it."""

    confidence: float
    page: int | None
    bbox: BoundingBox | None
    source: FieldSource


# Evidence of one kind with its strength (1 unless the kind is a scale: LABEL_MATCH).
Weighted = tuple[Evidence, float]


def kinds(*found: Evidence) -> tuple[Weighted, ...]:
    """Evidence of full strength of each kind found."""
    return tuple((kind, 1.0) for kind in found)


def labelled(sureness: float) -> tuple[Weighted, ...]:
    """A printed label names the field, as surely as `sureness` (0-1)."""
    return ((Evidence.PRINTED_LABEL, 1.0), (Evidence.LABEL_MATCH, sureness))


def found_in_lines(confidence: float) -> tuple[Weighted, ...]:
    """The text finder read it from printed lines, as surely as `confidence` (0-85)."""
    return ((Evidence.TEXT_FINDER, 1.0), (Evidence.TEXT_SURENESS, confidence))


@dataclass(slots=True)
class Reading:
    """One reading of a field: its normalized value, where it was printed, and why it is
    thought to be that field (scored by `choosing.score`)."""

    field: str
    value: str
    text: str
    confidence: float
    page: int | None
    bbox: BoundingBox | None
    source: FieldSource
    label: str | None
    evidence: tuple[Weighted, ...]
    # The day/month reading of a date field, settled later from the document's own dates.
    date: DateReading | None = None
    # The reading of an amount once the document's currency and decimal mark are known
    # (`amounts.settle_amounts`): whether "1.234" is still in doubt.
    money: MoneyReading | None = None

    @classmethod
    def at(
        cls,
        name: str,
        value: str,
        text: str,
        where: Where,
        *,
        label: str | None,
        evidence: tuple[Weighted, ...],
        date: DateReading | None = None,
    ) -> Reading:
        return cls(
            name,
            value,
            text,
            where.confidence,
            where.page,
            where.bbox,
            where.source,
            label or None,
            evidence,
            date,
        )

    def to_candidate(self) -> Candidate:
        return Candidate(
            value=self.value,
            text=self.text,
            confidence=self.confidence,
            page=self.page,
            bbox=self.bbox,
            source=self.source,
            label=self.label,
        )


@dataclass(frozen=True, slots=True)
class PrintedItem:
    """A line item as printed: the text of its readable parts by role (description,
    quantity, unit_price, amount). Its numbers are read once the document's currency and
    decimal mark are known (`amounts.read_items`), as "1.234" may mean either."""

    parts: Mapping[str, str]
    confidence: float
    page: int | None
    bbox: BoundingBox | None
    source: FieldSource


@dataclass(slots=True)
class Findings:
    """Accumulates what every response says about one document."""

    page_count: int = 0
    candidates: dict[str, list[Reading]] = field(default_factory=dict)
    other_fields: list[OtherField] = field(default_factory=list)
    expense_items: list[PrintedItem] = field(default_factory=list)
    table_items: list[PrintedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hints: list[ReviewReason] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    # Who the document is addressed to (bill-to, ship-to): never the vendor.
    receiver_names: set[str] = field(default_factory=set)
    receiver_texts: list[str] = field(default_factory=list)
    # Symbols printed with amounts that several currencies use ("$": USD, AUD, CAD ...).
    ambiguous_symbols: dict[str, tuple[str, ...]] = field(default_factory=dict)
    invoice_ids_by_expense_doc: dict[int, set[str]] = field(default_factory=dict)
    label_texts: list[str] = field(default_factory=list)
    saw_expense: bool = False
    max_page_seen: int = 0

    @property
    def pages(self) -> int:
        return max(self.page_count, self.max_page_seen)

    def note_page(self, page: int | None) -> None:
        if page is not None and page > self.max_page_seen:
            self.max_page_seen = page

    def add_lines(self, lines: Sequence[TextLine]) -> None:
        for line in lines:
            self.note_page(line.page)
        self.lines.extend(lines)

    def add(self, reading: Reading) -> None:
        self.candidates.setdefault(reading.field, []).append(reading)

    def add_other(self, key: str, value: str, where: Where) -> None:
        self.other_fields.append(
            OtherField(
                key=key,
                value=value,
                confidence=where.confidence,
                page=where.page,
                bbox=where.bbox,
                source=where.source,
            )
        )

    def add_candidate(
        self,
        name: str,
        text: str,
        where: Where,
        *,
        label: str | None,
        evidence: tuple[Weighted, ...],
    ) -> bool:
        """Normalize `text` for field `name` and keep it as a reading of it.

        Returns False (with a warning and a review hint) when the text cannot be read as
        that field's kind of value, so the caller keeps it as an other field instead.
        """
        date: DateReading | None = None
        try:
            if name in DATE_FIELDS:
                date = normalize_date(text)
                value = date.value
            elif name in MONEY_FIELDS:
                money = normalize_money(text)
                value = money.value
                if money.currency is not None:
                    self.add(
                        Reading.at(
                            "currency",
                            money.currency,
                            text,
                            where,
                            label=label,
                            evidence=kinds(Evidence.CURRENCY_PRINTED_WITH_AMOUNT),
                        )
                    )
                elif label and (named := currency_in_label(label)) is not None:
                    # "Total (EUR)  83.20": the label names the amount's currency.
                    self.add(
                        Reading.at(
                            "currency",
                            named,
                            label,
                            where,
                            label=label,
                            evidence=kinds(Evidence.CURRENCY_PRINTED_WITH_AMOUNT),
                        )
                    )
                elif money.currency_options and money.symbol is not None:
                    self.ambiguous_symbols[money.symbol] = money.currency_options
            elif name == "currency":
                code = normalize_currency(text)
                if code is None:
                    raise ValueError(f"{text!r} is not an ISO 4217 currency")  # noqa: TRY301
                value = code
            else:
                value = _clean_value(name, text)
                if not value:
                    return False
        except ValueError as exc:
            on_page = f" on page {where.page}" if where.page else ""
            self.warnings.append(f"Could not read {name}{on_page}: {exc}")
            self.hints.append(
                ReviewReason(
                    code="UNREADABLE_VALUE",
                    field=name,
                    message=f"The {human(name)} printed as {text.strip()!r} could not be read.",
                )
            )
            return False
        self.add(Reading.at(name, value, text, where, label=label, evidence=evidence, date=date))
        return True

    def add_labelled(
        self, label: str, text: str, where: Where, lines: Sequence[str] | None = None
    ) -> None:
        """A printed label with its value (a FORMS key-value pair or an expense OTHER)."""
        self.label_texts.append(label)
        party = party_for_label(label)
        key = clean_text(label) or label.strip() or "Unlabelled"
        value_lines = [line for line in (lines or text.splitlines()) if line.strip()]
        if party in ("vendor", "remit_to") and value_lines:
            self._add_party(party, label, key, value_lines, where)
            return
        if party == "receiver":
            if value_lines:
                self.receiver_names.add(label_key(value_lines[0]))
                self.receiver_texts.append(label_key(" ".join(value_lines)))
            self.add_other(key, "\n".join(value_lines), where)
            return
        name, sureness = field_for_label(label)
        if name == "bank_account" and "*" in text:
            # A masked card number ("**** 3433") is a payment card, not a bank account.
            name = None
        if (
            name is not None
            and text.strip()
            and self.add_candidate(name, text, where, label=label, evidence=labelled(sureness))
        ):
            if name == "amount_due":
                self.add_candidate(
                    "total_amount",
                    text,
                    where,
                    label=label,
                    evidence=kinds(Evidence.AMOUNT_DUE_AS_TOTAL),
                )
            return
        self.add_other(key, text.strip(), where)

    def _add_party(
        self, party: str, label: str, key: str, value_lines: Sequence[str], where: Where
    ) -> None:
        # "From:" blocks print the name on the first line and the address below it.
        block = kinds(Evidence.PARTY_BLOCK)
        address = [line for line in value_lines[1:] if not EMAIL.fullmatch(line.strip())]
        self.add_candidate(f"{party}_name", value_lines[0], where, label=label, evidence=block)
        if address:
            self.add_candidate(
                f"{party}_address", "\n".join(address), where, label=label, evidence=block
            )
        for line in value_lines[1:]:
            if not EMAIL.fullmatch(line.strip()):
                continue
            if party == "remit_to":
                self.add_candidate("remittance_email", line, where, label=label, evidence=block)
            else:
                # The vendor's own e-mail has no field of its own: keep it, not drop it.
                self.add_other(f"{key} e-mail", line.strip(), where)

    def line_item(
        self,
        parts: Mapping[str, str],
        confidence: float,
        page: int | None,
        bbox: BoundingBox | None,
        source: FieldSource,
    ) -> PrintedItem:
        """A line item from its printed parts (description, quantity, unit_price, amount).

        A number that cannot be read at all is left out, with a warning and a review hint.
        """
        readable = dict(parts)
        for role in ("quantity", "unit_price", "amount"):
            text = parts.get(role)
            if text is None:
                continue
            try:
                if role == "quantity":
                    normalize_quantity(text)
                else:
                    money = normalize_money(text)
                    if money.currency_options and money.symbol:
                        self.ambiguous_symbols[money.symbol] = money.currency_options
            except ValueError as exc:
                del readable[role]
                self.warnings.append(f"Could not read a line item's {role}: {exc}")
                self.hints.append(
                    ReviewReason(
                        code="UNREADABLE_VALUE",
                        field="line_items",
                        message=f"A line item's {role.replace('_', ' ')} printed as "
                        f"{text.strip()!r} could not be read.",
                    )
                )
        return PrintedItem(MappingProxyType(readable), confidence, page, bbox, source)


def _clean_value(name: str, text: str) -> str:
    if name in _ADDRESS_FIELDS:
        parts = [clean_text(line) for line in text.splitlines()]
        return ", ".join(part for part in parts if part)
    if name == "remittance_email":
        match = EMAIL.search(text)
        if match is None:
            raise ValueError(f"{text.strip()!r} is not an e-mail address")
        return match[0]
    value = clean_text(text)
    if name == "remittance_phone" and sum(ch.isdigit() for ch in value) < _PHONE_DIGITS:
        # "Tel.:" paired with a fragment ("+1") or with something else: not a phone number,
        # so the pair stays an other field.
        return ""
    if name in ("invoice_number", "purchase_order"):
        value = without_label(name, value)
        value = value.strip("#№ ").removeprefix("No.").removeprefix("No ").strip()
    return value


def human(name: str) -> str:
    """A field name in words ("total_amount" -> "total amount")."""
    return name.replace("_", " ")
