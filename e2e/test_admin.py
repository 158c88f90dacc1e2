"""A company's administration through the deployed stack (ADR 0033): an admin invites a
user who then signs in with the role given; another company's admin sees none of it; a
company's thresholds route its next invoices (and leave decided ones alone); allowing
self-approval lets a reviewer approve their own upload, and the audit says so.

The settings tests change acme's settings and put them back as they found them (the
suite runs one test at a time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests

from docuflow_tools.localcloud.users import sign_in as password_sign_in
from e2e.client import Api
from e2e.targets import Target
from e2e.test_vendors import new_iban, new_vendor, upload_invoice

PROCESSING_TIMEOUT = 180
# Above any confidence OCR reports for these fields but 100, and 100 is what only an
# exact reading (an e-invoice) has: a job that read them at all goes to review.
STRICT = {"invoice_number": 100.0, "total_amount": 100.0, "vendor_name": 100.0}


def send(api: Api, method: str, path: str, body: Any = None) -> requests.Response:
    return api.session.request(method, api.url(path), json=body, timeout=30)


@pytest.fixture
def admin(sign_in: Callable[[str], Api]) -> Api:
    return sign_in("admin@acme.test")


@pytest.fixture
def acme_settings(admin: Api) -> Iterator[dict[str, Any]]:
    """acme's settings as the test found them; put back afterwards."""
    found = send(admin, "GET", "/settings")
    assert found.status_code == 200, found.text
    original: dict[str, Any] = found.json()
    yield original
    current = send(admin, "GET", "/settings").json()
    restored = send(
        admin,
        "PUT",
        "/settings",
        {
            "allow_self_approval": original["allow_self_approval"],
            "confidence_thresholds": original["confidence_thresholds"],
            "expected_version": current["version"],
        },
    )
    assert restored.status_code == 200, restored.text


def put_settings(admin: Api, **changes: Any) -> dict[str, Any]:
    current = send(admin, "GET", "/settings").json()
    body = {
        "allow_self_approval": current["allow_self_approval"],
        "confidence_thresholds": current["confidence_thresholds"],
        "expected_version": current["version"],
        **changes,
    }
    saved = send(admin, "PUT", "/settings", body)
    assert saved.status_code == 200, saved.text
    result: dict[str, Any] = saved.json()
    return result


def test_an_invited_user_signs_in_with_the_role_given(admin: Api, target: Target) -> None:
    # Given an admin of acme who invites a reviewer with a temporary password
    email = f"invitee-{uuid.uuid4().hex[:8]}@acme.test"
    temporary, chosen = "Temporary-pass-2026!", "Chosen-pass-2026!"
    invited = send(
        admin,
        "POST",
        "/users",
        {"email": email, "role": "reviewer", "temporary_password": temporary},
    )
    assert invited.status_code == 201, invited.text
    assert invited.json()["status"] == "FORCE_CHANGE_PASSWORD"
    listed = send(admin, "GET", "/users").json()["items"]
    assert [u["role"] for u in listed if u["email"] == email] == ["reviewer"]
    # When the user signs in the first time, they must choose their own password
    pool = target.user_pool()
    cognito = pool.client()
    first = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": temporary},
    )
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    answered = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": chosen},
    )
    token = answered["AuthenticationResult"]["IdToken"]
    # Then their token carries acme and the reviewers group, and the API treats them so
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["custom:tenant"] == "acme" and "reviewers" in claims["cognito:groups"]
    invitee = Api(target, token)
    assert invitee.get("/review/jobs").status_code == 200
    assert invitee.get("/users").status_code == 403
    # And once the admin disables them, they cannot sign in again
    username = invited.json()["username"]
    disabled = send(admin, "PATCH", f"/users/{username}", {"enabled": False})
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False, disabled.text
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        password_sign_in(pool, email, chosen)
    # And the company's audit names the admin for both
    trail = send(admin, "GET", "/settings/audit").json()["items"]
    mine = [i for i in trail if i["details"].get("email") == email]
    assert [(i["event"], i["actor"]) for i in mine] == [
        ("user_changed", "admin@acme.test"),
        ("user_invited", "admin@acme.test"),
    ]


def test_a_clerk_gets_403_from_every_admin_route(api: Api) -> None:
    for method, path, body in (
        ("GET", "/settings", None),
        ("PUT", "/settings", {"allow_self_approval": True, "confidence_thresholds": {}}),
        ("GET", "/users", None),
        ("POST", "/users", {"email": "x@acme.test", "role": "admin"}),
        ("PATCH", "/users/clerk@acme.test", {"role": "admin"}),
    ):
        response = send(api, method, path, body)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"]["code"] == "FORBIDDEN"


def test_another_companys_admin_sees_none_of_acmes_users(
    sign_in: Callable[[str], Api], admin: Api
) -> None:
    globex = sign_in("admin@globex.test")
    theirs = send(globex, "GET", "/users")
    assert theirs.status_code == 200, theirs.text
    emails = {u["email"] for u in theirs.json()["items"]}
    assert "admin@globex.test" in emails
    assert not any(email.endswith("@acme.test") for email in emails)
    # acme's clerk is a 404 to them, and stays as they were
    refused = send(globex, "PATCH", "/users/clerk@acme.test", {"enabled": False})
    assert refused.status_code == 404, refused.text
    assert refused.json()["error"]["code"] == "USER_NOT_FOUND"
    acme = {u["email"]: u for u in send(admin, "GET", "/users").json()["items"]}
    assert acme["clerk@acme.test"]["enabled"] is True


def test_a_raised_threshold_sends_the_next_invoice_to_review_and_leaves_decided_jobs(
    api: Api, admin: Api, target: Target, acme_settings: dict[str, Any]
) -> None:
    # Given an invoice that completes with acme's settings as they are
    tax_id, vendor = new_vendor()
    iban = new_iban()
    before = api.wait_status(
        upload_invoice(api, target, vendor=vendor, tax_id=tax_id, iban=iban),
        timeout=PROCESSING_TIMEOUT,
    )
    assert before["status"] == "COMPLETED", before
    # When the admin raises the thresholds of the fields it read
    put_settings(admin, confidence_thresholds={**acme_settings["confidence_thresholds"], **STRICT})
    # Then the vendor's next invoice goes to review for low confidence
    after = api.wait_status(
        upload_invoice(api, target, vendor=vendor, tax_id=tax_id, iban=iban),
        timeout=PROCESSING_TIMEOUT,
    )
    assert after["status"] == "NEEDS_REVIEW", after
    assert "LOW_CONFIDENCE" in {r["code"] for r in after["review_reasons"]}, after
    # When the thresholds are lowered back, the jobs already routed stay as they are
    put_settings(admin, confidence_thresholds=acme_settings["confidence_thresholds"])
    assert api.job(before["job_id"])["status"] == "COMPLETED"
    again = api.job(after["job_id"])
    assert (again["status"], again["version"]) == ("NEEDS_REVIEW", after["version"])


def test_self_approval_allowed_by_the_admin_is_audited(
    reviewer: Api, admin: Api, target: Target, acme_settings: dict[str, Any]
) -> None:
    # Given an invoice a reviewer uploaded themself that is waiting for review
    put_settings(admin, confidence_thresholds={**acme_settings["confidence_thresholds"], **STRICT})
    tax_id, vendor = new_vendor()
    job_id = upload_invoice(reviewer, target, vendor=vendor, tax_id=tax_id, iban=new_iban())
    job = reviewer.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] == "NEEDS_REVIEW", job
    refused = reviewer.decide(job_id, {"decision": "APPROVE"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "SELF_APPROVAL"
    # When the admin allows self-approval for acme
    saved = put_settings(admin, allow_self_approval=True)
    assert saved["allow_self_approval"] is True
    # Then the reviewer may approve it, and the audit says it was their own upload
    approved = reviewer.decide(job_id, {"decision": "APPROVE", "expected_version": job["version"]})
    assert approved.status_code == 200, approved.text
    [record] = [r for r in reviewer.audit(job_id) if r["event"] == "approved"]
    assert record["actor"] == "reviewer@acme.test"
    assert record["details"]["self_approval"] is True
    # And the settings change is in acme's audit, naming the admin
    [change, *_] = send(admin, "GET", "/settings/audit").json()["items"]
    assert change["event"] == "settings_changed" and change["actor"] == "admin@acme.test"
    assert change["after"] == {"allow_self_approval": True}


def test_calibrate_applies_the_thresholds_it_proposes(
    api: Api,
    reviewer: Api,
    admin: Api,
    target: Target,
    acme_settings: dict[str, Any],
    tmp_path: Path,
) -> None:
    if not (target.outputs.get("audit_table") and target.aws_endpoint_url):
        pytest.skip("calibrate reads the tables directly: needs the stack's outputs and endpoint")
    # Given an approved job of acme whose vendor name a reviewer corrected (a known vendor's
    # new account sends it to review)
    tax_id, vendor = new_vendor()
    first = upload_invoice(api, target, vendor=vendor, tax_id=tax_id, iban=new_iban())
    assert api.wait_status(first, timeout=PROCESSING_TIMEOUT)["status"] == "COMPLETED"
    second = upload_invoice(api, target, vendor=vendor, tax_id=tax_id, iban=new_iban())
    assert api.wait_status(second, timeout=PROCESSING_TIMEOUT)["status"] == "NEEDS_REVIEW"
    decision = reviewer.decide(
        second, {"decision": "APPROVE", "corrected_fields": {"vendor_name": f"{vendor} plc"}}
    )
    assert decision.status_code == 200, decision.text
    # When acme's admin runs `docuflow calibrate --apply` against the stack
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "endpoint": target.aws_endpoint_url,
                "api_base_url": target.api_base_url,
                "outputs": target.outputs,
            }
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docuflow_tools.cli",
            "calibrate",
            "--outputs",
            str(outputs),
            "--endpoint-url",
            target.aws_endpoint_url,
            "--json",
            "--apply",
            "--user",
            "admin@acme.test",
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        },
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    print(run.stdout)
    table, _, applied = run.stdout.rpartition("\nApplied to acme")
    assert applied, run.stdout
    proposed = {
        row["field"]: float(min(row["safe_threshold"], 100))
        for row in json.loads(table)
        if row["safe_threshold"] is not None
    }
    # Then what it proposed is what acme's settings now hold, the vendor name among them
    assert "vendor_name" in proposed
    settings = send(admin, "GET", "/settings").json()
    assert {name: settings["confidence_thresholds"][name] for name in proposed} == proposed
    [change, *_] = send(admin, "GET", "/settings/audit").json()["items"]
    assert change["actor"] == "admin@acme.test"
