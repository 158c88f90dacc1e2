"""Vendor memory through the deployed stack (issue 15): a known vendor's new bank account
goes to review whatever the confidence, an approval makes it known, and `docuflow
calibrate` reads the run's decisions.

The invoices are generated (docuflow_tools.samples, marked as generated there) with a
chosen vendor, tax id and IBAN; the local Textract stand-in replays their ground truth."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from e2e.client import Api, prepare
from e2e.documents import generated_invoice
from e2e.targets import Target
from tests.support import wait_for

PROCESSING_TIMEOUT = 180


def new_iban() -> str:
    """A valid German IBAN no other invoice of the run pays to: every test runs as acme,
    where an account known for one vendor sends another vendor's invoice to review."""
    bban = f"37040044{uuid.uuid4().int % 10**10:010d}"
    check = 98 - int(f"{bban}131400") % 97  # D=13, E=14, then "00"
    return f"DE{check:02d}{bban}"


def new_vendor() -> tuple[str, str]:
    """A tax id and a name no other test's vendor has (every test runs as acme)."""
    suffix = uuid.uuid4().hex[:6].upper()
    return f"GB{uuid.uuid4().int % 10**9:09d}", f"Brightwater {suffix} Supplies"


def upload_invoice(api: Api, target: Target, *, vendor: str, tax_id: str, iban: str) -> str:
    document = generated_invoice(
        vendor_name=f"{vendor} Ltd",
        vendor_tax_id=tax_id,
        iban=iban,
        with_remittance=True,
        invoice_number=f"BW-{uuid.uuid4().hex[:8].upper()}",
    )
    prepare(target, document)
    return api.upload(document.data, document.filename, document.content_type)


def test_a_new_bank_account_goes_to_review_until_approved(
    api: Api, reviewer: Api, sign_in: Callable[[str], Api], target: Target
) -> None:
    tax_id, vendor_name = new_vendor()
    old_account, new_account = new_iban(), new_iban()
    # Given a vendor's first invoice, completed (every value read with high confidence)
    first = api.wait_status(
        upload_invoice(api, target, vendor=vendor_name, tax_id=tax_id, iban=old_account),
        timeout=PROCESSING_TIMEOUT,
    )
    assert first["status"] == "COMPLETED", first
    # When its next invoice asks for payment to another account
    second_id = upload_invoice(api, target, vendor=vendor_name, tax_id=tax_id, iban=new_account)
    second = api.wait_status(second_id, timeout=PROCESSING_TIMEOUT)
    # Then it goes to review for that alone, naming both accounts, though it reads well
    assert second["status"] == "NEEDS_REVIEW", second
    assert [r["code"] for r in second["review_reasons"]] == ["BANK_DETAILS_CHANGED"]
    message = second["review_reasons"][0]["message"]
    assert "Bank details changed" in message and old_account in message and new_account in message
    fields: dict[str, Any] = api.result(second_id)["fields"]
    assert fields["bank_account"]["value"] == new_account
    assert min(field["confidence"] for field in fields.values()) >= 80
    # When a reviewer approves it, giving the vendor's name as the ledger knows it
    decision = reviewer.decide(
        second_id,
        {
            "decision": "APPROVE",
            "expected_version": second["version"],
            "corrected_fields": {"vendor_name": f"{vendor_name} Limited"},
        },
    )
    assert decision.status_code == 200, decision.text
    # Then a third invoice to the new account is completed
    third = api.wait_status(
        upload_invoice(api, target, vendor=vendor_name, tax_id=tax_id, iban=new_account),
        timeout=PROCESSING_TIMEOUT,
    )
    assert third["status"] == "COMPLETED", third
    # And it reads with the corrected name, as a vendor hint
    name = api.result(third["job_id"])["fields"]["vendor_name"]
    assert (name["value"], name["source"]) == (f"{vendor_name} Limited", "vendor_hint")

    # And the tenant's vendor list has it, knowing both accounts and all three invoices
    # (the pipeline remembers a completed invoice right after routing it: wait for that)
    vendor_id = f"tax-{tax_id}"

    def remembered() -> dict[str, Any] | None:
        detail = reviewer.get(f"/vendors/{vendor_id}")
        assert detail.status_code == 200, detail.text
        found: dict[str, Any] = detail.json()
        return found if found["vendor"]["invoice_count"] == 3 else None

    detail = wait_for(remembered, 30, "the vendor to know three invoices")
    vendor = detail["vendor"]
    assert [account["iban"] for account in vendor["accounts"]] == [old_account, new_account]
    assert {i["job_id"] for i in detail["invoices"]} == {
        first["job_id"],
        second_id,
        third["job_id"],
    }
    assert vendor_id in _listed_vendor_ids(reviewer)
    # And another tenant does not see it
    globex = sign_in("reviewer@globex.test")
    assert globex.get(f"/vendors/{vendor_id}").status_code == 404
    assert vendor_id not in _listed_vendor_ids(globex)


def _listed_vendor_ids(api: Api) -> set[str]:
    ids: set[str] = set()
    cursor: str | None = None
    while True:
        page = api.get("/vendors", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        ids.update(item["vendor_id"] for item in page.json()["items"])
        cursor = page.json().get("next_cursor")
        if not cursor:
            return ids


def test_calibrate_prints_its_table_on_the_runs_decisions(
    api: Api, reviewer: Api, target: Target
) -> None:
    audit_table, bucket = target.outputs.get("audit_table"), target.outputs.get("raw_bucket")
    if not (audit_table and bucket and target.aws_endpoint_url):
        pytest.skip("calibrate reads the tables directly: needs the stack's outputs and endpoint")
    # Given at least one approved job in this run (approved here, so the test stands alone)
    tax_id, vendor_name = new_vendor()
    old_account, new_account = new_iban(), new_iban()
    first = upload_invoice(api, target, vendor=vendor_name, tax_id=tax_id, iban=old_account)
    assert api.wait_status(first, timeout=PROCESSING_TIMEOUT)["status"] == "COMPLETED"
    second = upload_invoice(api, target, vendor=vendor_name, tax_id=tax_id, iban=new_account)
    job = api.wait_status(second, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "NEEDS_REVIEW", job
    decision = reviewer.decide(
        second,
        {
            "decision": "APPROVE",
            "corrected_fields": {"vendor_name": f"{vendor_name} Limited"},
        },
    )
    assert decision.status_code == 200, decision.text
    # When `docuflow calibrate` runs against the stack
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docuflow_tools.cli",
            "calibrate",
            "--audit-table",
            str(audit_table),
            "--bucket",
            str(bucket),
            "--endpoint-url",
            target.aws_endpoint_url,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    # Then it prints a row per field, with the threshold column
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    assert "approved job(s)" in run.stdout and "threshold" in run.stdout
    assert any(line.startswith("bank_account") for line in run.stdout.splitlines())
    # (the vendor name was corrected, so some threshold would have kept it in review)
    [names] = [line for line in run.stdout.splitlines() if line.startswith("vendor_name ")]
    assert not names.rstrip().endswith("any"), names
