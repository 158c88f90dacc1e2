"""`docuflow parse`: prints the normalized result, one-line errors for unreadable input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docuflow.extraction.result import ExtractionResult
from docuflow_tools.cli import main
from docuflow_tools.paths import textract_fixtures_dir


def run_parse(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["parse", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_prints_the_sample_invoice_values(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    code, out, err = run_parse(capsys, str(fixtures_dir / "analyze_document/sample-invoice.json"))
    assert (code, err) == (0, "")
    result = ExtractionResult.model_validate_json(out)
    values = {name: field.value for name, field in result.fields.items()}
    assert values["vendor_name"] == "DEMO - Sliced Invoices"
    assert values["invoice_number"] == "INV-3337"
    assert values["document_date"] == "2016-01-25"
    assert values["due_date"] == "2016-01-31"
    assert values["purchase_order"] == "12345"
    assert (values["subtotal"], values["tax_amount"], values["total_amount"]) == (
        "85.00",
        "8.50",
        "93.50",
    )
    assert len(result.line_items) == 1


def test_prints_the_two_page_invoice_values(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    code, out, _ = run_parse(capsys, "--compact", str(fixtures_dir / "expense/invoice-2-page.json"))
    assert code == 0
    assert len(out.strip().splitlines()) == 1
    payload = json.loads(out)
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert values["invoice_number"] == "00000135"
    assert values["document_date"] == "2020-03-12"
    assert values["due_date"] == "2020-03-26"
    assert values["total_amount"] == "5715.00"
    assert values["vendor_name"] == "META"


def test_pages_as_several_files_or_one_array_give_the_same_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fixtures_dir: Path
) -> None:
    whole = json.loads((fixtures_dir / "expense/invoice-2-page.json").read_text())
    first = {**whole, "ExpenseDocuments": whole["ExpenseDocuments"][:1], "NextToken": "t"}
    second = {**whole, "ExpenseDocuments": whole["ExpenseDocuments"][1:]}
    (tmp_path / "0001.json").write_text(json.dumps(first))
    (tmp_path / "0002.json").write_text(json.dumps(second))
    (tmp_path / "all.json").write_text(json.dumps([first, second]))
    _, from_files, _ = run_parse(capsys, str(tmp_path / "0001.json"), str(tmp_path / "0002.json"))
    _, from_array, _ = run_parse(capsys, str(tmp_path / "all.json"))
    _, from_whole, _ = run_parse(capsys, str(fixtures_dir / "expense/invoice-2-page.json"))
    assert from_files == from_array == from_whole


def test_threshold_options_change_routing(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    path = str(fixtures_dir / "expense/invoice-2-page.json")
    _, default, _ = run_parse(capsys, path)
    _, lenient, _ = run_parse(capsys, "--threshold", "0", path)
    _, strict, _ = run_parse(
        capsys, "--threshold", "0", "--field-threshold", "total_amount=100", path
    )
    assert "LOW_CONFIDENCE" in default
    assert "LOW_CONFIDENCE" not in lenient
    reasons = json.loads(strict)["routing"]["reasons"]
    # Textract read the total with 99.99...% confidence: under a 100 threshold it is reviewed.
    assert ("LOW_CONFIDENCE", "total_amount") in [(r["code"], r["field"]) for r in reasons]


@pytest.mark.parametrize(
    "options",
    [
        ["--threshold", "150"],
        ["--field-threshold", "total_amount=-1"],
        ["--field-threshold", "total_amount=high"],
    ],
)
def test_bad_threshold_options_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, options: list[str]
) -> None:
    code, out, err = run_parse(capsys, *options, str(fixtures_dir / "expense/invoice-2-page.json"))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not JSON"),
        ('{"hello": "world"}', "not a Textract response"),
        ("[]", "empty array"),
        ('"just a string"', "not a JSON object"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_unreadable_input_exits_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "input.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = run_parse(capsys, str(path))
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("docuflow parse: ")
    assert message in err


def test_installed_command_runs_as_a_process(fixtures_dir: Path) -> None:
    env = {**os.environ, "DOCUFLOW_SHARED_DIR": str(textract_fixtures_dir().parents[1])}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "docuflow_tools.cli",
            "parse",
            str(fixtures_dir / "expense/receipt-mega.json"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fields"]["total_amount"]["value"] == "1810.46"
    missing = subprocess.run(
        [sys.executable, "-m", "docuflow_tools.cli", "parse", str(fixtures_dir / "nope.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1
