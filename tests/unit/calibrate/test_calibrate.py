"""`docuflow calibrate`: reviewers' corrections label the values, confidences come from the
stored results, and the threshold is the one that would have kept every wrong value out."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from moto import mock_aws

from docuflow.dal.audit import AuditRepository
from docuflow_tools.calibrate import (
    NotApplied,
    apply,
    calibrate,
    observations,
    proposed_thresholds,
    read_decisions,
    render,
)
from tests.handlers.cloud import REGION, table_definition


def result(**confidences: float) -> dict[str, object]:
    return {"fields": {name: {"value": "x", "confidence": c} for name, c in confidences.items()}}


def test_the_threshold_sits_one_point_above_the_most_confident_wrong_value() -> None:
    # Given three approved jobs; the total of two was corrected, read at 91.4 and 72
    results = {
        "a": result(total_amount=97.0, vendor_name=99.0),
        "b": result(total_amount=91.4, vendor_name=98.0),
        "c": result(total_amount=72.0, vendor_name=60.0),
    }
    table = {
        row.field: row
        for row in calibrate(observations(results, {"b": {"total_amount"}, "c": {"total_amount"}}))
    }
    # Then totals need 92 to have stayed right, and vendor names were never wrong
    total = table["total_amount"]
    assert (total.count, total.wrong, total.safe_threshold) == (3, 2, 92)
    assert total.above[90] == (2, 1) and total.above[95] == (1, 1)
    assert table["vendor_name"].safe_threshold is None
    text = render(list(table.values()), jobs=3)
    assert "total_amount" in text and "92" in text and "any" in text


def test_decisions_and_corrections_are_read_from_the_audit_and_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        s3 = boto3.client("s3", region_name=REGION)
        dynamodb.create_table(TableName="audit", **table_definition("audit"))
        s3.create_bucket(Bucket="raw")
        audit = AuditRepository(boto3.resource("dynamodb", region_name=REGION).Table("audit"))
        # Given one approved job with a corrected total, one rejected, one only routed
        audit.record(
            "j1",
            "corrected",
            actor="rita",
            before={"total_amount": "1.00"},
            after={"total_amount": "2.00"},
        )
        audit.record("j1", "approved", actor="rita")
        audit.record("j2", "rejected", actor="rita")
        audit.record("j3", "routed", actor="workflow")
        for job in ("j1", "j2", "j3"):
            s3.put_object(
                Bucket="raw", Key=f"results/{job}.json", Body=json.dumps(result(total_amount=90.0))
            )
        results, corrected = read_decisions(dynamodb, s3, audit_table="audit", bucket="raw")
    # Then only the approved job counts, with its correction
    assert sorted(results) == ["j1"] and corrected == {"j1": {"total_amount"}}
    [row] = calibrate(observations(results, corrected))
    assert (row.field, row.wrong, row.safe_threshold) == ("total_amount", 1, 91)


def test_the_proposal_is_each_corrected_fields_threshold_at_most_100() -> None:
    results = {
        "a": result(total_amount=91.4, vendor_name=99.0, currency=100.0),
        "b": result(total_amount=60.0, vendor_name=98.0, currency=100.0),
    }
    table = calibrate(observations(results, {"a": {"total_amount", "currency"}}))
    # The total needs 92; a currency corrected at 100 can only be caught by 100; the
    # vendor name was never wrong and keeps the threshold it has
    assert proposed_thresholds(table) == {"total_amount": 92.0, "currency": 100.0}


class FakeApi:
    """The two calls `apply` makes, answered as api-admin would."""

    def __init__(self, settings: dict[str, Any], put_status: int = 200) -> None:
        self.settings = settings
        self.put_status = put_status
        self.sent: list[dict[str, Any]] = []

    def get(self, url: str, timeout: float) -> Any:
        assert url == "http://api/settings"
        return _Answer(200, self.settings)

    def put(self, url: str, json: dict[str, Any], timeout: float) -> Any:
        self.sent.append(json)
        return _Answer(self.put_status, {**self.settings, **json, "version": 8})


class _Answer:
    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        self.status_code, self._body, self.text = status_code, body, str(body)

    def json(self) -> dict[str, Any]:
        return self._body


def test_apply_lays_the_proposal_over_the_companys_settings() -> None:
    api = FakeApi(
        {
            "allow_self_approval": True,
            "confidence_thresholds": {"vendor_name": 70.0, "total_amount": 80.0},
            "version": 7,
        }
    )
    saved = apply(api, "http://api", {"total_amount": 92.0})  # type: ignore[arg-type]
    assert api.sent == [
        {
            "allow_self_approval": True,
            "confidence_thresholds": {"vendor_name": 70.0, "total_amount": 92.0},
            "expected_version": 7,
        }
    ]
    assert saved["version"] == 8


def test_a_refused_apply_says_why() -> None:
    api = FakeApi({"allow_self_approval": False, "confidence_thresholds": {}, "version": 0}, 409)
    with pytest.raises(NotApplied, match="409"):
        apply(api, "http://api", {"total_amount": 92.0})  # type: ignore[arg-type]


def test_one_companys_decisions_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        s3 = boto3.client("s3", region_name=REGION)
        dynamodb.create_table(TableName="audit", **table_definition("audit"))
        dynamodb.create_table(TableName="jobs", **table_definition("jobs"))
        s3.create_bucket(Bucket="raw")
        audit = AuditRepository(boto3.resource("dynamodb", region_name=REGION).Table("audit"))
        # Given an approved job of acme and one of globex
        for job, tenant in (("j1", "acme"), ("j2", "globex")):
            dynamodb.put_item(
                TableName="jobs", Item={"job_id": {"S": job}, "tenant_id": {"S": tenant}}
            )
            audit.record(job, "approved", actor="rita")
            s3.put_object(
                Bucket="raw", Key=f"results/{job}.json", Body=json.dumps(result(total_amount=90.0))
            )
        results, _ = read_decisions(
            dynamodb, s3, audit_table="audit", bucket="raw", tenant="acme", jobs_table="jobs"
        )
    # Then only acme's counts
    assert sorted(results) == ["j1"]
