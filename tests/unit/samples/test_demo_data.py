"""`docuflow demo-data`: the web demo's jobs and results come from the pipeline's own code."""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from docuflow.extraction import DuplicateEvidence, ScoringSettings, parse_responses, score
from docuflow.extraction.result import ExtractionResult
from docuflow_tools import demo_data
from docuflow_tools.cli import main as docuflow
from docuflow_tools.offline_ocr import analyze_document_bytes
from services.api.models import AuditEvent, Job


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Given the demo data of seed 1, written through the command line
    out = tmp_path_factory.mktemp("demo") / "demo"
    assert docuflow(["demo-data", str(out), "--seed", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def data(written: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((written / "demo.json").read_text(encoding="utf-8"))
    return loaded


def _job(data: dict[str, Any], scene: str) -> dict[str, Any]:
    found: dict[str, Any] = next(job for job in data["jobs"] if job["scene"] == scene)
    return found


def _document(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(doc for doc in data["documents"] if doc["name"] == name)
    return found


def test_is_marked_generated_and_every_document_is_the_file_it_describes(
    written: Path, data: dict[str, Any]
) -> None:
    assert data["format"] == "docuflow-demo/1"
    assert data["generated"] is True
    for document in data["documents"]:
        raw = (written / document["file"]).read_bytes()
        assert len(raw) == document["size_bytes"]
        assert hashlib.sha256(raw).hexdigest() == document["sha256"]


HISTORY_CODES = {
    "BANK_DETAILS_CHANGED",
    "IBAN_OF_OTHER_VENDOR",
    "CURRENCY_UNUSUAL",
    "TOTAL_UNUSUAL",
    "INVOICE_NUMBER_SEEN",
}


def _without_vendor_history(stored: dict[str, Any]) -> dict[str, Any]:
    """The result as scoring alone makes it: the `vendor_history` check and its reasons
    taken out (only the vendor scenes have them)."""
    if "vendor_history" not in stored["checks"]:
        return stored
    result = copy.deepcopy(stored)
    del result["checks"]["vendor_history"]
    reasons = [r for r in result["routing"]["reasons"] if r["code"] not in HISTORY_CODES]
    result["routing"] = {"status": "NEEDS_REVIEW" if reasons else "COMPLETED", "reasons": reasons}
    return result


def test_the_bank_change_scene_is_in_review_for_the_new_account_alone(
    data: dict[str, Any],
) -> None:
    [job] = [job["job"] for job in data["jobs"] if job["scene"] == "bank-change"]
    assert [r["code"] for r in job["review_reasons"]] == ["BANK_DETAILS_CHANGED"]
    [vendor] = [
        v["detail"]["vendor"] for v in data["vendors"] if v["tenant_id"] == job["tenant_id"]
    ]
    evidence = job["review_reasons"][0]["evidence"]
    assert evidence["known_accounts"] == [a["iban"] for a in vendor["accounts"]]
    assert evidence["new_account"] not in evidence["known_accounts"]


def test_each_result_is_what_the_offline_engine_and_the_parser_make_of_the_document(
    written: Path, data: dict[str, Any]
) -> None:
    # When each written document is read again by the offline engine and scored as the
    # parse-and-score Lambda scores a document no other job shares
    for document in data["documents"]:
        raw = (written / document["file"]).read_bytes()
        response = analyze_document_bytes(raw, content_type=document["content_type"])
        parsed = parse_responses([response])
        again = score(parsed, ScoringSettings(), DuplicateEvidence()).model_dump(
            mode="json", exclude_none=True
        )
        # Then the stored result is exactly that, as GET /jobs/{id}/result returns it, plus
        # for the vendor scenes the vendor memory's check and reasons (ADR 0025)
        assert _without_vendor_history(document["result"]) == again, document["name"]


def test_jobs_and_audit_trails_have_the_api_shape(data: dict[str, Any]) -> None:
    documents = {doc["name"] for doc in data["documents"]}
    for job in data["jobs"]:
        view = Job.model_validate(job["job"])
        assert json.loads(view.model_dump_json()) == job["job"]
        for event in job["audit"]:
            AuditEvent.model_validate(event)
        assert job["document"] in documents
        assert [e["at"] for e in job["audit"]] == sorted(e["at"] for e in job["audit"])
    assert set(data["uploads_read"]) <= documents


def test_the_mix_covers_what_the_demo_shows(data: dict[str, Any]) -> None:
    statuses = {job["scene"]: job["job"]["status"] for job in data["jobs"]}
    assert statuses["completed"] == "COMPLETED"
    assert statuses["approved"] == "APPROVED"
    assert statuses["rejected"] == "REJECTED"
    assert statuses["failed"] == "FAILED"

    review = _job(data, "review")["job"]
    assert review["status"] == "NEEDS_REVIEW"
    assert len(review["review_reasons"]) >= 2
    assert "currency" in {reason["field"] for reason in review["review_reasons"]}

    credit = _document(data, _job(data, "credit-note")["document"])
    assert credit["result"]["checks"]["credit_note"]["status"] == "pass"
    assert _document(data, _job(data, "multi-page")["document"])["pages"] >= 2
    assert _document(data, _job(data, "scan")["document"])["content_type"] == "image/png"


def test_the_second_upload_of_a_file_is_flagged_as_a_duplicate(data: dict[str, Any]) -> None:
    first, second = _job(data, "completed"), _job(data, "duplicate")
    assert second["document"] == first["document"]
    assert second["job"]["file_sha256"] == first["job"]["file_sha256"]
    codes = [reason["code"] for reason in second["job"]["review_reasons"]]
    assert "DUPLICATE_FILE" in codes
    assert second["job"]["status"] == "NEEDS_REVIEW"


def test_a_result_is_readable_by_the_api_model_and_the_job_routes_as_it_says(
    data: dict[str, Any],
) -> None:
    for job in data["jobs"]:
        if job["scene"] in ("failed", "duplicate"):
            continue
        result = ExtractionResult.model_validate(_document(data, job["document"])["result"])
        routed = next(e for e in job["audit"] if e["event"] == "routed")
        assert routed["details"]["status"] == result.routing.status
        assert job["job"]["review_reasons"] == [
            r.model_dump(mode="json") for r in result.routing.reasons
        ]


def test_the_approval_carries_the_correction_and_audits_it(data: dict[str, Any]) -> None:
    approved = _job(data, "approved")
    corrections = approved["job"]["corrections"]
    assert corrections, "the approved job corrects what was misread"
    corrected = next(e for e in approved["audit"] if e["event"] == "corrected")
    assert corrected["after"] == {name: c["after"] for name, c in corrections.items()}
    assert approved["audit"][-1]["event"] == "approved"
    assert approved["audit"][-1]["details"]["version"] == approved["job"]["version"]


def test_failed_job_has_the_pipeline_reason_and_no_result(data: dict[str, Any]) -> None:
    failed = _job(data, "failed")["job"]
    assert failed["has_result"] is False
    assert (
        failed["failure_reason"]
        == "Text recognition was too busy to take the document; try again later."
    )


def test_same_seed_same_bytes_and_another_seed_other_invoices(
    tmp_path: Path, written: Path
) -> None:
    demo_data.build(1, tmp_path / "again")
    assert (tmp_path / "again" / "demo.json").read_bytes() == (written / "demo.json").read_bytes()
    for path in (written / "documents").iterdir():
        assert (tmp_path / "again" / "documents" / path.name).read_bytes() == path.read_bytes()


def test_an_unwritable_folder_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    parser = argparse.ArgumentParser()
    demo_data.add_arguments(parser)
    assert demo_data.run(parser.parse_args([str(blocker / "demo")])) == 1
    assert "docuflow demo-data: cannot write" in capsys.readouterr().err


def test_a_scene_the_pipeline_cannot_produce_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a scene that wants more pages than a one-item invoice ever has
    impossible = demo_data.Scene(
        "impossible", "one item on ten pages", {"n_items": 1}, min_pages=10
    )
    monkeypatch.setattr(demo_data, "SCENES", (impossible,))
    monkeypatch.setattr(demo_data, "_TRIES", 2)
    with pytest.raises(
        demo_data.DemoDataError, match=r"no seed from \d+ gives the 'impossible' scene"
    ):
        demo_data.build(1, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_dashboard_history_is_counted_as_the_pipeline_counts(data: dict[str, Any]) -> None:
    # Given the GENERATED roll-up the demo's dashboard shows
    days = data["history"]
    reference = data["reference_time"][:10]
    # Then it is HISTORY_DAYS days, all before the demo's own jobs' reference day
    assert len(days) == demo_data.HISTORY_DAYS
    assert all(day["day"] < reference for day in days)
    assert [day["day"] for day in days] == sorted(day["day"] for day in days)
    # and each made-up job is in exactly one outcome and received once (first attempts)
    for day in days:
        counters = day["counters"]
        outcomes = sum(counters.get(n, 0) for n in ("completed", "approved", "rejected", "failed"))
        assert counters.get("received", 0) == outcomes, day
        timed = sum(v for k, v in counters.items() if k.startswith("processing_s#"))
        assert timed == outcomes - counters.get("failed", 0), day
    # and the prices and buckets are the API's
    assert data["histogram_bounds"][0] == 5 and data["ocr_prices"]["document"] == "0.065"
