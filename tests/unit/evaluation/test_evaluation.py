"""`docuflow eval`: figures that are internally consistent and move when the truth is wrong."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from docuflow_tools.evaluation import EvalReport, TruthError, evaluate, same_value
from docuflow_tools.evaluation import cli as eval_cli
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
