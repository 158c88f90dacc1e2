"""`docuflow eval-hints`: what learning from corrections (ADR 0026) gains on a vendor's
second invoice after one corrected first one.

On GENERATED data only (docuflow_tools.samples, fictional companies): for each pair, two
invoices of one vendor (same name, tax id, template and labels, different numbers and
amounts) are rendered, read by the offline OCR engine and parsed. A simulated reviewer
corrects the first invoice's vendor name and invoice number to the truth where the parser
got them wrong; the hints learned from that (`docuflow.vendors.learn`) are applied to the
second invoice (`apply_hints`), and both readings of the second are compared with its
truth. The pipeline finds the vendor by tax id or name; here the pair is known to be one
vendor, so the figure is what the hints can gain once the vendor is found.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from docuflow.extraction import ScoringSettings, parse_responses, score
from docuflow.extraction.parser import ParsedDocument
from docuflow.vendors import VendorHints, apply_hints, learn
from docuflow_tools.evaluation.truth import same_value

FIELDS = ("vendor_name", "invoice_number")

Reader = Callable[[bytes], dict[str, Any]]


class FieldGain(BaseModel):
    field: str
    pairs: int
    first_corrected: int
    """First invoices whose value a reviewer had to correct."""
    second_right_without: int
    second_right_with: int


class HintReport(BaseModel):
    generated: bool = True
    pairs: int
    seed: int
    fields: list[FieldGain]


def _default_reader(data: bytes) -> dict[str, Any]:
    from docuflow_tools.offline_ocr import analyze_document_bytes

    return analyze_document_bytes(data)


def _value(parsed: ParsedDocument, name: str) -> str | None:
    field = parsed.fields.get(name)
    return field.value if field else None


def measure(pairs: int, seed: int, reader: Reader = _default_reader) -> HintReport:
    from docuflow_tools.samples import make_invoice, render_pdf

    rng = random.Random(seed)  # noqa: S311 - synthetic evaluation data, not security
    counts = {name: [0, 0, 0] for name in FIELDS}
    for index in range(pairs):
        first = make_invoice(rng.randrange(1, 2**31), credit_note=False)
        second = make_invoice(
            rng.randrange(1, 2**31),
            credit_note=False,
            vendor_name=first.vendor.name,
            vendor_tax_id=first.vendor.tax_id,
            language=first.language,
            layout=first.layout,
            label_variant=first.label_variant,
            currency=first.currency,
        )
        parsed_first = parse_responses([reader(render_pdf(first))])
        truth_first = first.ground_truth_fields()
        corrections = {
            name: truth_first[name]
            for name in FIELDS
            if name in truth_first
            and not same_value(name, truth_first[name], _value(parsed_first, name))
        }
        hints = learn(
            VendorHints(),
            score(parsed_first, ScoringSettings()),
            corrections,
            job_id=f"pair-{index}",
        )
        parsed_second = parse_responses([reader(render_pdf(second))])
        hinted_second = apply_hints(parsed_second, hints)
        truth_second = second.ground_truth_fields()
        for name in FIELDS:
            counts[name][0] += name in corrections
            expected = truth_second.get(name)
            if expected is None:
                continue
            counts[name][1] += same_value(name, expected, _value(parsed_second, name))
            counts[name][2] += same_value(name, expected, _value(hinted_second, name))
    return HintReport(
        pairs=pairs,
        seed=seed,
        fields=[
            FieldGain(
                field=name,
                pairs=pairs,
                first_corrected=corrected,
                second_right_without=without,
                second_right_with=with_hints,
            )
            for name, (corrected, without, with_hints) in counts.items()
        ],
    )


def format_report(report: HintReport) -> str:
    lines = [
        f"Vendor hints on GENERATED data: {report.pairs} vendors, each a corrected first "
        f"invoice then a second one (seed {report.seed})",
        f"{'field':16} {'1st corrected':>14} {'2nd right without':>18} {'2nd right with':>15}",
    ]
    for gain in report.fields:
        lines.append(
            f"{gain.field:16} {gain.first_corrected:>14} "
            f"{gain.second_right_without:>18} {gain.second_right_with:>15}"
        )
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pairs", type=int, default=10, help="vendors (pairs of invoices)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same invoices")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    report = measure(args.pairs, args.seed)
    print(report.model_dump_json(indent=1) if args.json else format_report(report))
    return 0
