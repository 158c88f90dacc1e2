"""Who may do what: the caller comes only from the authorizer's claims (ADR 0021).

Every route needs a verified ID token (401 otherwise), a role (403), and sees only the
caller's tenant (another tenant's job is a 404, never a 403 that confirms it exists);
a reviewer may not decide on their own upload (403 SELF_APPROVAL) unless the tenant's
settings allow it (ADR 0033), and then the audit says so."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from docuflow.dal.models import JobItem
from docuflow.extraction import invoice_key
from services.api.handlers.admin import lambda_handler as admin
from services.api.handlers.exports import lambda_handler as exports
from services.api.handlers.jobs import lambda_handler as jobs
from services.api.handlers.review import lambda_handler as review
from services.api.handlers.stats import lambda_handler as stats
from services.api.handlers.uploads import lambda_handler as uploads
from services.api.handlers.vendors import lambda_handler as vendors
from services.api.handlers.webhooks import lambda_handler as webhooks
from tests.handlers.cloud import (
    ADMIN,
    CLERK,
    OTHER_TENANT,
    REVIEWER,
    UPLOADER,
    Caller,
    Cloud,
    call,
    http_event,
    load_fixture,
    make_job,
)
from tests.handlers.openapi_check import assert_matches_openapi

# (handler, method, route, body, the least role that may call it)
ROUTES: list[tuple[Any, str, str, dict[str, Any] | None, str]] = [
    (jobs, "GET", "/jobs", None, "clerks"),
    (jobs, "GET", "/jobs/{job_id}", None, "clerks"),
    (jobs, "GET", "/jobs/{job_id}/result", None, "clerks"),
    (jobs, "GET", "/jobs/{job_id}/audit", None, "clerks"),
    (uploads, "POST", "/jobs/{job_id}/start", {}, "clerks"),
    (
        uploads,
        "POST",
        "/uploads",
        {"filename": "a.pdf", "content_type": "application/pdf", "size_bytes": 10},
        "clerks",
    ),
    (review, "GET", "/review/jobs", None, "reviewers"),
    (review, "GET", "/review/jobs/{job_id}", None, "reviewers"),
    (review, "POST", "/review/jobs/{job_id}/decision", {"decision": "REJECT"}, "reviewers"),
    (review, "POST", "/review/jobs/{job_id}/rescore", {}, "reviewers"),
    (vendors, "GET", "/vendors", None, "reviewers"),
    (vendors, "GET", "/vendors/{vendor_id}", None, "reviewers"),
    (stats, "GET", "/stats", None, "reviewers"),
    (exports, "GET", "/exports", None, "clerks"),
    (exports, "GET", "/exports/file", None, "clerks"),
    (exports, "GET", "/jobs/{job_id}/ubl", None, "clerks"),
    (webhooks, "GET", "/webhooks", None, "admins"),
    (
        webhooks,
        "POST",
        "/webhooks",
        {"url": "https://erp.example.com/hooks", "events": ["invoice.approved"]},
        "admins",
    ),
    (webhooks, "DELETE", "/webhooks/{webhook_id}", None, "admins"),
    (webhooks, "GET", "/webhooks/{webhook_id}/deliveries", None, "admins"),
    (webhooks, "POST", "/webhooks/{webhook_id}/deliveries/{event_id}/retry", None, "admins"),
    (webhooks, "POST", "/webhooks/{webhook_id}/rotate", None, "admins"),
    (admin, "GET", "/settings", None, "admins"),
    (
        admin,
        "PUT",
        "/settings",
        {"allow_self_approval": True, "confidence_thresholds": {"total_amount": 99}},
        "admins",
    ),
    (admin, "GET", "/settings/audit", None, "admins"),
    (admin, "GET", "/users", None, "admins"),
    (admin, "POST", "/users", {"email": "new@acme.test", "role": "admin"}, "admins"),
    (admin, "PATCH", "/users/{username}", {"role": "admin"}, "admins"),
]
IDS = [f"{method} {route}" for _, method, route, _, _ in ROUTES]
SPEC = Path(__file__).resolve().parents[2] / "services" / "api" / "openapi.json"
JOB_ROUTES = [r for r in ROUTES if "{job_id}" in r[2]]
JOB_IDS = [f"{method} {route}" for _, method, route, _, _ in JOB_ROUTES]


def request(
    cloud: Cloud,
    handler: Any,
    method: str,
    route: str,
    body: dict[str, Any] | None,
    caller: Caller | None,
    job_id: str | None = None,
) -> dict[str, Any]:
    path_params = {"job_id": job_id or "0" * 8} if "{job_id}" in route else None
    if "{vendor_id}" in route:
        path_params = {"vendor_id": "tax-none"}
    if "{webhook_id}" in route:
        path_params = {"webhook_id": "wh_" + "0" * 32, "event_id": "0" * 8 + ".approved.v1"}
    if "{username}" in route:
        path_params = {"username": CLERK.email}
    event = http_event(method, route, path_params=path_params, body=body, caller=caller)
    response = call(handler, event)
    assert_matches_openapi(route, method.lower(), response)
    return response


@pytest.mark.parametrize(("handler", "method", "route", "body", "least"), ROUTES, ids=IDS)
def test_no_verified_token_is_401(
    cloud: Cloud, handler: Any, method: str, route: str, body: Any, least: str
) -> None:
    job = make_job(cloud)
    response = request(cloud, handler, method, route, body, None, job.job_id)
    assert response["statusCode"] == 401, response["json"]
    assert response["json"]["error"]["code"] == "UNAUTHENTICATED"
    assert job.job_id not in response["body"]


@pytest.mark.parametrize(("handler", "method", "route", "body", "least"), ROUTES, ids=IDS)
def test_an_access_token_is_401(
    cloud: Cloud, handler: Any, method: str, route: str, body: Any, least: str
) -> None:
    job = make_job(cloud)
    access = dataclasses.replace(REVIEWER, token_use="access")
    response = request(cloud, handler, method, route, body, access, job.job_id)
    assert response["statusCode"] == 401, response["json"]
    assert "ID token" in response["json"]["error"]["message"]


@pytest.mark.parametrize(
    ("handler", "method", "route", "body", "least"),
    [r for r in ROUTES if r[4] != "clerks"],
    ids=[i for i, r in zip(IDS, ROUTES, strict=True) if r[4] != "clerks"],
)
def test_a_clerk_cannot_read_the_queue_or_decide(
    cloud: Cloud, handler: Any, method: str, route: str, body: Any, least: str
) -> None:
    job = make_job(cloud)
    response = request(cloud, handler, method, route, body, CLERK, job.job_id)
    assert response["statusCode"] == 403, response["json"]
    assert response["json"]["error"]["code"] == "FORBIDDEN"
    assert job.job_id not in response["body"]
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"


def test_the_matrix_covers_every_operation_of_the_api() -> None:
    spec = json.loads(SPEC.read_text())
    operations = {
        f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item
    }
    assert operations == set(IDS)


@pytest.mark.parametrize(
    ("handler", "method", "route", "body", "least"),
    [r for r in ROUTES if r[4] == "admins"],
    ids=[i for i, r in zip(IDS, ROUTES, strict=True) if r[4] == "admins"],
)
def test_a_reviewer_cannot_manage_webhooks_settings_or_users(
    cloud: Cloud, handler: Any, method: str, route: str, body: Any, least: str
) -> None:
    response = request(cloud, handler, method, route, body, REVIEWER)
    assert response["statusCode"] == 403, response["json"]
    assert response["json"]["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("groups", [(), ("accountants",)], ids=["no-group", "unknown-group"])
def test_a_user_in_no_known_group_is_403(cloud: Cloud, groups: tuple[str, ...]) -> None:
    caller = dataclasses.replace(CLERK, groups=groups)
    response = request(cloud, jobs, "GET", "/jobs", None, caller)
    assert response["statusCode"] == 403, response["json"]


def test_a_user_without_a_tenant_is_403(cloud: Cloud) -> None:
    caller = dataclasses.replace(CLERK, tenant="")
    response = request(cloud, jobs, "GET", "/jobs", None, caller)
    assert response["statusCode"] == 403, response["json"]


def test_a_reviewer_reads_the_queue_and_decides(cloud: Cloud) -> None:
    job = make_job(cloud)
    queue = request(cloud, review, "GET", "/review/jobs", None, REVIEWER)
    assert [i["job_id"] for i in queue["json"]["items"]] == [job.job_id]
    decided = request(
        cloud,
        review,
        "POST",
        "/review/jobs/{job_id}/decision",
        {"decision": "REJECT", "reason": "No PO"},
        REVIEWER,
        job.job_id,
    )
    assert decided["statusCode"] == 200, decided["json"]
    [record] = [r for r in cloud.audit(job.job_id) if r["event"] == "rejected"]
    assert record["actor"] == REVIEWER.email


@pytest.mark.parametrize(("handler", "method", "route", "body", "least"), JOB_ROUTES, ids=JOB_IDS)
def test_another_tenants_job_is_404_and_untouched(
    cloud: Cloud, handler: Any, method: str, route: str, body: Any, least: str
) -> None:
    # Given a job of acme, and an admin of globex (whose role allows every route)
    job = make_job(cloud, status="UPLOADED" if route.endswith("/start") else "NEEDS_REVIEW")
    before = cloud.job(job.job_id)
    response = request(cloud, handler, method, route, body, OTHER_TENANT, job.job_id)
    # Then it is as if the job did not exist, and nothing changed
    assert response["statusCode"] == 404, response["json"]
    assert response["json"]["error"]["code"] == "JOB_NOT_FOUND"
    assert "acme" not in response["body"] and "invoice.pdf" not in response["body"]
    assert cloud.job(job.job_id) == before
    assert cloud.audit(job.job_id) == []


@pytest.mark.parametrize("route", ["/jobs", "/review/jobs"])
def test_lists_hold_only_the_callers_tenant(cloud: Cloud, route: str) -> None:
    ours = make_job(cloud, fixture=None)
    theirs = make_job(cloud, fixture=None, tenant_id="globex", uploaded_by="user-globex")
    handler = jobs if route == "/jobs" else review
    for caller, visible, hidden in ((ADMIN, ours, theirs), (OTHER_TENANT, theirs, ours)):
        listed = request(cloud, handler, "GET", route, None, caller)
        ids = [i["job_id"] for i in listed["json"]["items"]]
        assert ids == [visible.job_id], (caller.tenant, ids)
        assert hidden.job_id not in listed["body"]


def test_an_upload_is_stored_under_the_callers_tenant_and_names_the_uploader(
    cloud: Cloud,
) -> None:
    body = {"filename": "a.pdf", "content_type": "application/pdf", "size_bytes": 10}
    created = request(cloud, uploads, "POST", "/uploads", body, CLERK)
    assert created["statusCode"] == 201, created["json"]
    stored = cloud.job(created["json"]["job_id"])
    assert stored["tenant_id"] == "acme" and stored["uploaded_by"] == CLERK.sub
    assert stored["s3_key"].startswith("raw/acme/")


@pytest.mark.parametrize(
    "sent", [{"owner_id": "globex"}, {"tenant_id": "globex"}, {"uploaded_by": "someone"}]
)
def test_an_upload_naming_an_owner_or_tenant_is_400(cloud: Cloud, sent: dict[str, str]) -> None:
    body = {"filename": "a.pdf", "content_type": "application/pdf", "size_bytes": 10, **sent}
    response = request(cloud, uploads, "POST", "/uploads", body, CLERK)
    assert response["statusCode"] == 400, response["json"]


# ---- separation of duties ------------------------------------------------------------

SELF = dataclasses.replace(REVIEWER, sub=UPLOADER)  # the reviewer who uploaded the job


def _decide_own(cloud: Cloud) -> tuple[Any, dict[str, Any]]:
    job = make_job(cloud)  # uploaded by UPLOADER
    response = request(
        cloud,
        review,
        "POST",
        "/review/jobs/{job_id}/decision",
        {"decision": "REJECT", "reason": "Not ours"},
        SELF,
        job.job_id,
    )
    return job, response


def test_a_reviewer_cannot_decide_on_their_own_upload(cloud: Cloud) -> None:
    job, response = _decide_own(cloud)
    assert response["statusCode"] == 403, response["json"]
    assert response["json"]["error"]["code"] == "SELF_APPROVAL"
    assert cloud.job(job.job_id)["status"] == "NEEDS_REVIEW"
    assert cloud.audit(job.job_id) == []


def _allow_self_approval(cloud: Cloud, caller: Caller) -> None:
    body = {"allow_self_approval": True, "confidence_thresholds": {}}
    saved = request(cloud, admin, "PUT", "/settings", body, caller)
    assert saved["statusCode"] == 200, saved["json"]


def test_a_tenant_that_allows_it_may_self_approve_and_the_audit_says_so(cloud: Cloud) -> None:
    _allow_self_approval(cloud, ADMIN)
    job, response = _decide_own(cloud)
    assert response["statusCode"] == 200, response["json"]
    [record] = [r for r in cloud.audit(job.job_id) if r["event"] == "rejected"]
    assert record["actor"] == SELF.email
    assert record["details"]["self_approval"] is True


def test_another_tenants_setting_does_not_allow_it(cloud: Cloud) -> None:
    _allow_self_approval(cloud, OTHER_TENANT)
    _, response = _decide_own(cloud)
    assert response["statusCode"] == 403, response["json"]


# ---- duplicates are looked for in the tenant only -------------------------------------


@pytest.mark.parametrize("same", ["invoice_key", "file_sha256"])
def test_another_tenants_accepted_invoice_does_not_block_an_approval(
    cloud: Cloud, same: str
) -> None:
    # Given globex has the same invoice (or file) accepted for payment
    shared = {"invoice_key": "acme|inv7"} if same == "invoice_key" else {"file_sha256": "cd" * 32}
    theirs = make_job(
        cloud, fixture=None, status="APPROVED", tenant_id="globex", uploaded_by="g", **shared
    )
    ours = make_job(cloud, fixture=None, **shared)
    # Then an acme reviewer approves without an override, and nothing names globex's job
    response = request(
        cloud,
        review,
        "POST",
        "/review/jobs/{job_id}/decision",
        {"decision": "APPROVE"},
        REVIEWER,
        ours.job_id,
    )
    assert response["statusCode"] == 200, response["json"]
    assert theirs.job_id not in str(cloud.audit(ours.job_id))


@pytest.mark.parametrize("same", ["invoice_key", "file_sha256"])
def test_reading_finds_duplicates_in_the_tenant_only(cloud: Cloud, same: str) -> None:
    from docuflow.extraction import DuplicateEvidence, analyze
    from docuflow.extraction.result import ExtractionResult
    from services.workflow.dependencies import storage
    from services.workflow.logic.scoring import score_with_duplicates

    result = analyze([load_fixture("analyze_document/sample-invoice.json")])
    key = invoice_key(result.fields)
    shared = {"invoice_key": key} if same == "invoice_key" else {"file_sha256": "ef" * 32}
    theirs = make_job(cloud, fixture=None, tenant_id="globex", uploaded_by="g", **shared)
    ours = make_job(cloud, fixture=None, **shared)
    reading = make_job(cloud, fixture=None, status="PROCESSING", file_sha256="ef" * 32)
    seen: list[DuplicateEvidence] = []

    def scorer(duplicates: DuplicateEvidence) -> ExtractionResult:
        seen.append(duplicates)
        return result

    score_with_duplicates(storage(), scorer, JobItem.model_validate(cloud.job(reading.job_id)))
    found = seen[-1].same_invoice_job_ids + seen[-1].same_file_job_ids
    assert found == [ours.job_id]
    assert theirs.job_id not in found
