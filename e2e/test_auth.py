"""Every route, every way of not being allowed (ADR 0021): no token, an expired one, one
signed by another key, `alg: none`, an access token, another tenant, a role too low. Each
gets its documented status (401 from the authorizer or the function, 403, 404) and no data.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from docuflow_tools.localcloud.users import DEMO_PASSWORD
from docuflow_tools.localcloud.users import sign_in as password_sign_in
from e2e.client import Api, prepare
from e2e.documents import generated_invoice
from e2e.targets import Target

PROCESSING_TIMEOUT = 180
# operationId, method, path, body, the least role (clerk, reviewer or admin);
# /vendors/{vendor_id} and the webhook paths name things nobody has (well-formed ids, so
# that the refusal, which comes before any lookup, is what answers)
WEBHOOK = "/webhooks/wh_" + "0" * 32
ROUTES: list[tuple[str, str, str, dict[str, Any] | None, str]] = [
    ("listJobs", "GET", "/jobs", None, "clerk"),
    ("getJob", "GET", "/jobs/{job_id}", None, "clerk"),
    ("getJobResult", "GET", "/jobs/{job_id}/result", None, "clerk"),
    ("getJobAudit", "GET", "/jobs/{job_id}/audit", None, "clerk"),
    ("startJob", "POST", "/jobs/{job_id}/start", {}, "clerk"),
    (
        "createUpload",
        "POST",
        "/uploads",
        {"filename": "x.pdf", "content_type": "application/pdf", "size_bytes": 10},
        "clerk",
    ),
    ("listReviewJobs", "GET", "/review/jobs", None, "reviewer"),
    ("getReviewJob", "GET", "/review/jobs/{job_id}", None, "reviewer"),
    (
        "decideReviewJob",
        "POST",
        "/review/jobs/{job_id}/decision",
        {"decision": "APPROVE"},
        "reviewer",
    ),
    ("rescoreReviewJob", "POST", "/review/jobs/{job_id}/rescore", {}, "reviewer"),
    ("listVendors", "GET", "/vendors", None, "reviewer"),
    ("getVendor", "GET", "/vendors/tax-none", None, "reviewer"),
    ("getStats", "GET", "/stats", None, "reviewer"),
    ("exportInvoices", "GET", "/exports", None, "clerk"),
    ("exportInvoicesFile", "GET", "/exports/file", None, "clerk"),
    ("getJobUbl", "GET", "/jobs/{job_id}/ubl", None, "clerk"),
    ("listWebhooks", "GET", "/webhooks", None, "admin"),
    (
        "createWebhook",
        "POST",
        "/webhooks",
        {"url": "https://erp.example.com/hooks", "events": ["invoice.approved"]},
        "admin",
    ),
    ("deleteWebhook", "DELETE", WEBHOOK, None, "admin"),
    ("listWebhookDeliveries", "GET", f"{WEBHOOK}/deliveries", None, "admin"),
    (
        "retryWebhookDelivery",
        "POST",
        f"{WEBHOOK}/deliveries/00000000.approved.v1/retry",
        None,
        "admin",
    ),
    ("rotateWebhookSecret", "POST", f"{WEBHOOK}/rotate", None, "admin"),
    ("getSettings", "GET", "/settings", None, "admin"),
    (
        "putSettings",
        "PUT",
        "/settings",
        {"allow_self_approval": True, "confidence_thresholds": {"total_amount": 100}},
        "admin",
    ),
    ("getSettingsAudit", "GET", "/settings/audit", None, "admin"),
    ("listUsers", "GET", "/users", None, "admin"),
    ("inviteUser", "POST", "/users", {"email": "nobody@acme.test", "role": "admin"}, "admin"),
    ("changeUser", "PATCH", "/users/clerk@acme.test", {"role": "admin"}, "admin"),
]
IDS = [route[0] for route in ROUTES]
SPEC = Path(__file__).resolve().parents[1] / "services" / "api" / "openapi.json"


def test_the_matrix_covers_every_operation_of_the_api() -> None:
    spec = json.loads(SPEC.read_text())
    operations = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert operations == set(IDS)


@pytest.fixture(scope="module")
def acme_job(api: Api, target: Target) -> dict[str, Any]:
    """An invoice of acme, processed: what the refused callers must not see or touch. A
    generated one, so that no other test's invoice is flagged as its duplicate."""
    document = generated_invoice()
    prepare(target, document)
    job_id = api.upload(document.data, f"auth-{document.filename}", document.content_type)
    job = api.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    assert job["status"] in ("COMPLETED", "NEEDS_REVIEW"), job
    return job


def _send(target: Target, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return requests.request(
        method, f"{target.api_base_url}{path}", json=body, headers=headers, timeout=30
    )


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _expired(target: Target, token: str) -> str:
    """The same claims, expired an hour ago, signed with the pool's own key: only the
    local cloud's key (moto's) is published, so only there can the suite sign one."""
    if not target.local:
        pytest.skip("an expired token needs the pool's private key; only the emulator's is known")
    from moto.utilities.utils import load_resource

    key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"))
    now = int(time.time())
    claims = {**_claims(token), "iat": now - 7200, "exp": now - 3600, "auth_time": now - 7200}
    return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": "dummy"})


def _other_key(_: Target, token: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = jwt.get_unverified_header(token)
    return jwt.encode(_claims(token), key, algorithm="RS256", headers={"kid": header["kid"]})


def _alg_none(_: Target, token: str) -> str:
    header = {**jwt.get_unverified_header(token), "alg": "none"}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(_claims(token)).encode())}."


BAD_TOKENS: dict[str, Callable[[Target, str], str | None]] = {
    "no-token": lambda _target, _token: None,
    "expired": _expired,
    "other-key": _other_key,
    "alg-none": _alg_none,
    "garbage": lambda _target, _token: "not.a.token",
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
@pytest.mark.parametrize(("operation", "method", "path", "body", "least"), ROUTES, ids=IDS)
def test_a_request_without_a_valid_token_is_401_and_changes_nothing(
    target: Target,
    reviewer: Api,
    acme_job: dict[str, Any],
    kind: str,
    operation: str,
    method: str,
    path: str,
    body: Any,
    least: str,
) -> None:
    bad = BAD_TOKENS[kind](target, str(reviewer.token))
    headers = {} if bad is None else {"Authorization": f"Bearer {bad}"}
    job_id = acme_job["job_id"]
    response = _send(target, method, path.replace("{job_id}", job_id), body, headers)
    assert response.status_code == 401, (operation, kind, response.text)
    assert job_id not in response.text and "acme" not in response.text
    assert "invoice" not in response.text.lower()
    assert reviewer.job(job_id)["version"] == acme_job["version"]


def test_an_access_token_is_refused_by_every_route(
    target: Target, acme_job: dict[str, Any]
) -> None:
    password = os.environ.get("DOCUFLOW_PASSWORD", DEMO_PASSWORD)
    access = password_sign_in(target.user_pool(), "reviewer@acme.test", password)["AccessToken"]
    for operation, method, path, body, _ in ROUTES:
        url = path.replace("{job_id}", acme_job["job_id"])
        response = _send(target, method, url, body, {"Authorization": f"Bearer {access}"})
        assert response.status_code == 401, (operation, response.text)
        assert response.json()["error"]["code"] == "UNAUTHENTICATED", operation
        assert acme_job["job_id"] not in response.text


@pytest.mark.parametrize(
    ("operation", "method", "path", "body", "least"),
    [route for route in ROUTES if "{job_id}" in route[2]],
    ids=[route[0] for route in ROUTES if "{job_id}" in route[2]],
)
def test_another_tenant_gets_404_for_every_job_route(
    sign_in: Callable[[str], Api],
    api: Api,
    acme_job: dict[str, Any],
    operation: str,
    method: str,
    path: str,
    body: Any,
    least: str,
) -> None:
    globex = sign_in("reviewer@globex.test")
    job_id = acme_job["job_id"]
    url = path.replace("{job_id}", job_id)
    response = globex.get(url) if method == "GET" else globex.post(url, body)
    assert response.status_code == 404, (operation, response.text)
    assert response.json()["error"]["code"] == "JOB_NOT_FOUND"
    assert "invoice" not in response.text.lower() and "url" not in response.json()
    assert api.job(job_id)["version"] == acme_job["version"]


def test_another_tenant_lists_nothing_of_acme(
    sign_in: Callable[[str], Api], acme_job: dict[str, Any]
) -> None:
    for user in ("clerk@globex.test", "reviewer@globex.test"):
        globex = sign_in(user)
        listed = globex.get("/jobs", params={"limit": 100})
        assert listed.status_code == 200, listed.text
        assert acme_job["job_id"] not in listed.text
        assert all(item["job_id"] != acme_job["job_id"] for item in listed.json()["items"])
    queue = sign_in("reviewer@globex.test").get("/review/jobs", params={"limit": 100})
    assert queue.status_code == 200 and acme_job["job_id"] not in queue.text


def test_another_tenant_cannot_download_acme_documents(
    sign_in: Callable[[str], Api], reviewer: Api, acme_job: dict[str, Any]
) -> None:
    # acme's own link works; globex gets no link at all
    link = reviewer.get(f"/review/jobs/{acme_job['job_id']}").json()["document"]["url"]
    assert requests.get(link, timeout=30).status_code == 200
    globex = sign_in("reviewer@globex.test").get(f"/review/jobs/{acme_job['job_id']}")
    assert globex.status_code == 404 and "X-Amz-Signature" not in globex.text


@pytest.mark.parametrize(
    ("operation", "method", "path", "body", "least"),
    [route for route in ROUTES if route[4] != "clerk"],
    ids=[route[0] for route in ROUTES if route[4] != "clerk"],
)
def test_a_clerk_cannot_read_the_queue_or_decide(
    api: Api,
    acme_job: dict[str, Any],
    operation: str,
    method: str,
    path: str,
    body: Any,
    least: str,
) -> None:
    url = path.replace("{job_id}", acme_job["job_id"])
    response = api.session.request(method, api.url(url), json=body, timeout=30)
    assert response.status_code == 403, (operation, response.text)
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert "invoice" not in response.text.lower()
    assert api.job(acme_job["job_id"])["version"] == acme_job["version"]


@pytest.mark.parametrize(
    ("operation", "method", "path", "body", "least"),
    [route for route in ROUTES if route[4] == "admin"],
    ids=[route[0] for route in ROUTES if route[4] == "admin"],
)
def test_a_reviewer_cannot_manage_webhooks_settings_or_users(
    reviewer: Api, operation: str, method: str, path: str, body: Any, least: str
) -> None:
    response = reviewer.session.request(method, reviewer.url(path), json=body, timeout=30)
    assert response.status_code == 403, (operation, response.text)
    assert response.json()["error"]["code"] == "FORBIDDEN"


def test_a_reviewer_cannot_decide_on_their_own_upload(reviewer: Api, target: Target) -> None:
    # Given an invoice a reviewer uploaded themself
    document = generated_invoice()
    prepare(target, document)
    job_id = reviewer.upload(document.data, f"own-{document.filename}", document.content_type)
    before = reviewer.wait_status(job_id, timeout=PROCESSING_TIMEOUT)
    # When they decide on it, it is refused, whatever its status, and nothing changes
    refused = reviewer.decide(job_id, {"decision": "REJECT", "reason": "mine"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "SELF_APPROVAL"
    assert reviewer.job(job_id) == before
