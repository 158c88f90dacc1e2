"""`docuflow eval`: figures that are internally consistent and move when the truth is wrong."""

from __future__ import annotations

import argparse
import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from docuflow_tools.evaluation import EvalReport, TruthError, evaluate, same_value
from docuflow_tools.evaluation import cli as eval_cli
from docuflow_tools.evaluation.floor import Floor, ModeFloor, load_floor, shortfalls
from docuflow_tools.evaluation.runner import HEADER_FIELDS
from docuflow_tools.evaluation.scans import (
    MAX_TILT_DEGREES,
    SCAN_DPIS,
    degrade_pdf,
    scan_settings,
)
from docuflow_tools.samples.cli import generate


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six generated documents: five PDFs and one PNG scan."""
    directory = tmp_path_factory.mktemp("labelled")
    generate(directory, count=6, first_seed=101, image_every=6, dpi=150)
    return directory


@pytest.fixture(scope="module")
def report(labelled: Path) -> EvalReport:
    return evaluate(labelled)


def test_the_figures_add_up(report: EvalReport) -> None:
    assert report.documents == 6
    assert report.failed_documents == 0
    for field in report.fields:
        assert field.right + field.wrong + field.missing == field.expected
        if field.expected:
            assert field.accuracy == pytest.approx(field.right / field.expected)
    expected = sum(f.expected for f in report.fields)
    assert report.overall_field_accuracy == pytest.approx(
        sum(f.right for f in report.fields) / expected
    )
    assert (
        0 <= report.completed_with_wrong_field <= report.completed_automatically <= report.documents
    )
    assert report.completed_share == pytest.approx(
        report.completed_automatically / report.documents
    )
    assert report.line_items_matched <= report.line_items_expected
    assert report.line_item_recall == pytest.approx(
        report.line_items_matched / report.line_items_expected
    )
    # Each document's outcome agrees with the routing it reports.
    assert (
        sum(1 for d in report.per_document if d.routing == "COMPLETED")
        == report.completed_automatically
    )


def test_generated_pdfs_are_read_well(report: EvalReport) -> None:
    # Not a quality bar: a check that the pipeline is wired (a broken parser reads ~0%).
    assert report.overall_field_accuracy is not None and report.overall_field_accuracy > 0.5
    assert report.line_items_matched > 0


def test_a_wrong_truth_value_lowers_accuracy(
    labelled: Path, report: EvalReport, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(labelled, copy)
    pdf_truths = [
        p
        for p in sorted(copy.glob("*.truth.json"))
        if json.loads(p.read_text())["document"].endswith(".pdf")
    ]
    target = pdf_truths[0]
    truth = json.loads(target.read_text())
    truth["fields"]["total_amount"] = "999999.99"
    target.write_text(json.dumps(truth))

    corrupted = evaluate(copy)

    before = next(f for f in report.fields if f.field == "total_amount")
    after = next(f for f in corrupted.fields if f.field == "total_amount")
    assert after.right == before.right - 1
    assert after.wrong == before.wrong + 1
    assert (
        corrupted.overall_field_accuracy is not None and report.overall_field_accuracy is not None
    )
    assert corrupted.overall_field_accuracy < report.overall_field_accuracy
    document = next(d for d in corrupted.per_document if d.name == truth["document"])
    assert "total_amount" in document.wrong_fields


def test_truth_with_an_unknown_field_is_refused(tmp_path: Path) -> None:
    generate(tmp_path, count=1, image_every=0)
    truth_path = next(tmp_path.glob("*.truth.json"))
    truth = json.loads(truth_path.read_text())
    truth["fields"]["colour"] = "blue"
    truth_path.write_text(json.dumps(truth))
    with pytest.raises(TruthError, match="colour"):
        evaluate(tmp_path)


def test_truth_without_its_document_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lonely.truth.json").write_text(json.dumps({"fields": {"invoice_number": "1"}}))
    with pytest.raises(TruthError, match="no document"):
        evaluate(tmp_path)


def test_a_minimal_truth_file_works_for_your_own_invoice(tmp_path: Path) -> None:
    generate(tmp_path, count=1, image_every=0)
    document = next(tmp_path.glob("*.pdf"))
    full = json.loads(next(tmp_path.glob("*.truth.json")).read_text())
    for path in tmp_path.glob("*.truth.json"):
        path.unlink()
    own = document.rename(tmp_path / "my-invoice.pdf")
    (tmp_path / "my-invoice.truth.json").write_text(
        json.dumps({"fields": {"invoice_number": full["fields"]["invoice_number"]}})
    )
    result = evaluate(tmp_path)
    assert result.documents == 1 and result.per_document[0].name == own.name
    invoice_number = next(f for f in result.fields if f.field == "invoice_number")
    assert invoice_number.expected == 1
    assert result.line_item_recall is None  # no line items in the truth, no figure


def test_value_comparison_rules() -> None:
    assert same_value("total_amount", "1190.00", "1190.0")
    assert not same_value("total_amount", "1190.00", "1190.01")
    assert same_value(
        "vendor_address", "Hauptstraße 1, 10115 Berlin", "Hauptstraße 1\n10115 Berlin"
    )
    assert not same_value("vendor_name", "Lumière SAS", "Lumiere SAS")
    assert same_value("currency", "EUR", "eur")
    assert not same_value("document_date", "2025-03-04", "2025-04-03")
    assert not same_value("invoice_number", "A1", None)


def test_cli_prints_figures_and_json(
    labelled: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    parser = argparse.ArgumentParser()
    eval_cli.add_arguments(parser)
    assert eval_cli.run(parser.parse_args([str(labelled), "--json"])) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["documents"] == 6
    assert eval_cli.run(parser.parse_args([str(tmp_path)])) == 1
    assert "No *.truth.json" in capsys.readouterr().err


def test_subfolders_are_walked_and_reported_per_folder(labelled: Path, tmp_path: Path) -> None:
    # Given the same labelled documents split over two subfolders.
    truths = sorted(labelled.glob("*.truth.json"))[:4]
    for index, truth_path in enumerate(truths):
        folder = tmp_path / ("first" if index < 2 else "second")
        folder.mkdir(exist_ok=True)
        document = json.loads(truth_path.read_text())["document"]
        shutil.copy(truth_path, folder / truth_path.name)
        shutil.copy(labelled / document, folder / document)

    report = evaluate(tmp_path)

    assert report.documents == 4
    assert [f.folder for f in report.folders] == ["first", "second"]
    assert sum(f.documents for f in report.folders) == 4
    assert {d.folder for d in report.per_document} == {"first", "second"}
    assert sum(f.header_fields_expected for f in report.folders) == sum(
        1
        for d in report.per_document
        for o in d.fields
        if o.outcome != "extra" and o.field in HEADER_FIELDS
    )


def test_calibration_counts_every_found_value_once(report: EvalReport) -> None:
    found = {
        field: sum(
            1
            for d in report.per_document
            for o in d.fields
            if o.field == field and o.outcome in ("right", "wrong")
        )
        for field in {row.field for row in report.calibration}
    }
    for row in report.calibration:
        assert row.above + row.below == found[row.field]
        assert row.above_right <= row.above and row.below_right <= row.below


def test_the_floor_holds_or_names_what_fell(report: EvalReport) -> None:
    lowest = ModeFloor(fields={"total_amount": 0.0}, header_fields=0.0)
    assert shortfalls(report, Floor(text_layer=lowest, scans=lowest)) == []
    impossible = ModeFloor(fields={"total_amount": 1.0, "payment_terms": 0.5}, header_fields=1.0)
    below = shortfalls(report, Floor(text_layer=impossible, scans=lowest))
    terms = next(f for f in report.fields if f.field == "payment_terms")
    assert any(line.startswith("payment_terms:") for line in below) == (
        terms.accuracy is None or terms.accuracy < 0.5
    )
    assert any(line.startswith("header fields:") for line in below) == (
        report.header_field_accuracy != 1.0
    )


def test_the_checked_in_floor_is_usable_and_names_the_header_fields() -> None:
    floor = load_floor()
    for mode in (floor.text_layer, floor.scans):
        assert set(mode.fields) == set(HEADER_FIELDS)
        assert mode.completed_with_wrong_field == 0


def test_cli_exits_3_below_the_floor(labelled: Path, tmp_path: Path) -> None:
    # Given one document whose truth has only its invoice number.
    truth_path = sorted(labelled.glob("*.truth.json"))[0]
    truth = json.loads(truth_path.read_text())
    shutil.copy(labelled / truth["document"], tmp_path / truth["document"])
    only_number = {"invoice_number": truth["fields"]["invoice_number"]}
    (tmp_path / truth_path.name).write_text(
        json.dumps({"document": truth["document"], "fields": only_number})
    )
    floor_file = tmp_path / "floor.json"
    parser = argparse.ArgumentParser()
    eval_cli.add_arguments(parser)
    args = parser.parse_args([str(tmp_path), "--floor", str(floor_file)])

    floor_file.write_text(json.dumps({"text_layer": {"fields": {}, "header_fields": 1.5}}))
    assert eval_cli.run(args) == 1  # not a usable floor: said so, not compared

    # A floor on a figure the run cannot give (no total in the truth) is not held.
    unreachable = {"fields": {"total_amount": 0.5}, "header_fields": 0.0}
    floor_file.write_text(json.dumps({"text_layer": unreachable, "scans": unreachable}))
    assert eval_cli.run(args) == eval_cli.EXIT_BELOW_FLOOR

    held = {"fields": {"invoice_number": 0.0}, "header_fields": 0.0}
    floor_file.write_text(json.dumps({"text_layer": held, "scans": held}))
    assert eval_cli.run(args) == 0


def test_degraded_scans_are_deterministic_and_bounded(labelled: Path) -> None:
    pdf = next(p for p in sorted(labelled.glob("*.pdf")))
    data = pdf.read_bytes()
    first, how = degrade_pdf(data, "a/b.pdf", seed=7)
    again, _ = degrade_pdf(data, "a/b.pdf", seed=7)
    other, _ = degrade_pdf(data, "a/b.pdf", seed=8)
    assert first == again and first != other
    assert how.dpi in SCAN_DPIS and abs(how.tilt) <= MAX_TILT_DEGREES
    with Image.open(io.BytesIO(first)) as scan:
        assert scan.n_frames == len(how.pages) <= 2
        assert scan.info.get("compression") == "jpeg"
    assert scan_settings("x.pdf", 5, 0).pages == (0, 4)


def test_eval_hints_reads_pairs_of_one_vendor_and_never_loses_with_hints() -> None:
    from docuflow_tools.evaluation.vendor_hints import format_report, measure

    report = measure(2, seed=3)
    assert report.generated and [gain.field for gain in report.fields] == [
        "vendor_name",
        "invoice_number",
    ]
    for gain in report.fields:
        assert gain.pairs == 2 and gain.second_right_with >= gain.second_right_without
    assert "GENERATED" in format_report(report)
