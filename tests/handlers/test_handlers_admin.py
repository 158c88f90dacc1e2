"""A company's administration (api-admin, ADR 0033): its settings, audited, used by the
pipeline and by re-scoring alike; its users in the user pool (moto's Cognito), never
another company's."""

from __future__ import annotations

from typing import Any

import pytest

from docuflow.dal.audit import tenant_audit_key
from services.api.handlers.admin import lambda_handler as admin
from services.api.handlers.review import lambda_handler as review
from services.workflow.handlers import parse_and_score
from tests.handlers.cloud import (
    ADMIN,
    OTHER_TENANT,
    REVIEWER,
    Caller,
    Cloud,
    LambdaContext,
    call,
    http_event,
    make_job,
)
from tests.handlers.openapi_check import assert_matches_openapi
from tests.handlers.test_handlers_workflow import parse_job


def send(
    method: str,
    route: str,
    body: dict[str, Any] | None = None,
    caller: Caller = ADMIN,
    path_params: dict[str, str] | None = None,
) -> dict[str, Any]:
    event = http_event(method, route, body=body, caller=caller, path_params=path_params)
    response = call(admin, event)
    assert_matches_openapi(route, method.lower(), response)
    return response


def put_settings(caller: Caller = ADMIN, **body: Any) -> dict[str, Any]:
    return send("PUT", "/settings", {"allow_self_approval": False, **body}, caller)


def add_user(cloud: Cloud, email: str, tenant: str, group: str) -> None:
    """A user as `docuflow up` or an earlier invitation made them."""
    cognito = cloud.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=cloud.user_pool_id,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "custom:tenant", "Value": tenant},
        ],
    )
    cognito.admin_add_user_to_group(UserPoolId=cloud.user_pool_id, Username=email, GroupName=group)


# ---- settings ------------------------------------------------------------------------


def test_a_tenant_without_settings_has_the_deployments_defaults(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "75")
    response = send("GET", "/settings")
    assert response["statusCode"] == 200, response["json"]
    body = response["json"]
    assert body["tenant"] == "acme" and body["version"] == 0
    assert body["allow_self_approval"] is False and body["confidence_thresholds"] == {}
    assert body["default_confidence_threshold"] == 75
    assert "total_amount" in body["threshold_fields"] and "line_items" in body["threshold_fields"]


def test_saving_settings_is_audited_with_what_changed(cloud: Cloud) -> None:
    # Given settings saved once
    first = put_settings(confidence_thresholds={"total_amount": 90, "vendor_name": 70})
    assert first["statusCode"] == 200, first["json"]
    assert first["json"]["version"] == 1 and first["json"]["updated_by"] == ADMIN.email
    # When the admin allows self-approval and raises one threshold
    second = put_settings(
        allow_self_approval=True,
        confidence_thresholds={"total_amount": 97.5, "vendor_name": 70},
        expected_version=1,
    )
    # Then the settings are saved as version 2 ...
    assert second["statusCode"] == 200, second["json"]
    assert second["json"]["version"] == 2
    assert send("GET", "/settings")["json"]["confidence_thresholds"] == {
        "total_amount": 97.5,
        "vendor_name": 70,
    }
    # ... and the tenant's audit names the admin and exactly what changed
    records = sorted(cloud.audit(tenant_audit_key("acme")), key=lambda r: r["sk"])
    assert [r["event"] for r in records] == ["settings_changed", "settings_changed"]
    assert all(r["actor"] == ADMIN.email for r in records)
    assert records[1]["before"] == {"allow_self_approval": False, "threshold.total_amount": 90}
    assert records[1]["after"] == {"allow_self_approval": True, "threshold.total_amount": 97.5}
    trail = send("GET", "/settings/audit")["json"]["items"]
    assert [item["details"]["version"] for item in trail] == [2, 1]


def test_a_stale_version_is_409_and_changes_nothing(cloud: Cloud) -> None:
    put_settings(confidence_thresholds={"total_amount": 90})
    put_settings(confidence_thresholds={"total_amount": 91})
    stale = put_settings(confidence_thresholds={"total_amount": 50}, expected_version=1)
    assert stale["statusCode"] == 409, stale["json"]
    assert stale["json"]["error"]["code"] == "CONCURRENT_UPDATE"
    assert send("GET", "/settings")["json"]["confidence_thresholds"] == {"total_amount": 91}
    assert len(cloud.audit(tenant_audit_key("acme"))) == 2


@pytest.mark.parametrize(
    ("thresholds", "named"),
    [({"totl_amount": 90}, "totl_amount"), ({"total_amount": 101}, "total_amount")],
    ids=["unknown-field", "above-100"],
)
def test_an_invalid_threshold_is_400_naming_it(
    cloud: Cloud, thresholds: dict[str, float], named: str
) -> None:
    response = put_settings(confidence_thresholds=thresholds)
    assert response["statusCode"] == 400, response["json"]
    assert named in response["json"]["error"]["message"]
    assert send("GET", "/settings")["json"]["version"] == 0


def test_settings_are_the_callers_tenants_only(cloud: Cloud) -> None:
    put_settings(OTHER_TENANT, allow_self_approval=True)
    assert send("GET", "/settings")["json"]["allow_self_approval"] is False
    assert send("GET", "/settings/audit")["json"]["items"] == []


def test_a_body_naming_a_tenant_is_400(cloud: Cloud) -> None:
    response = put_settings(confidence_thresholds={}, tenant="globex")
    assert response["statusCode"] == 400, response["json"]


# ---- the thresholds route the pipeline and re-scoring alike ---------------------------


def test_a_tenants_threshold_sends_a_job_that_would_complete_to_review(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deployment whose defaults complete this invoice
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "50")
    _, state = parse_job(cloud, "expense/invoice-2-page.json")
    assert parse_and_score.lambda_handler(state, LambdaContext())["status"] == "COMPLETED"
    # When acme's admin raises the vendor name's threshold
    put_settings(confidence_thresholds={"vendor_name": 99.5})
    # Then the same invoice of acme goes to review for it ...
    _, state = parse_job(cloud, "expense/invoice-2-page.json", sha="c" * 64)
    outcome = parse_and_score.lambda_handler(state, LambdaContext())
    assert outcome["status"] == "NEEDS_REVIEW" and "LOW_CONFIDENCE" in outcome["reasons"]
    # ... and globex's still completes (the override is acme's alone)
    job, state = parse_job(cloud, "expense/invoice-2-page.json", sha="d" * 64)
    cloud.table(cloud.jobs_table).update_item(
        Key={"job_id": job.job_id},
        UpdateExpression="SET tenant_id = :t",
        ExpressionAttributeValues={":t": "globex"},
    )
    assert parse_and_score.lambda_handler(state, LambdaContext())["status"] == "COMPLETED"


def _low_confidence_fields(job_id: str) -> set[str]:
    event = http_event(
        "POST", "/review/jobs/{job_id}/rescore", path_params={"job_id": job_id}, body={}
    )
    response = call(review, event)
    assert response["statusCode"] == 200, response["json"]
    return {
        r["field"]
        for r in response["json"]["routing"]["reasons"]
        if r["code"] == "LOW_CONFIDENCE" and r.get("field")
    }


def test_rescoring_uses_the_tenants_thresholds(cloud: Cloud) -> None:
    job = make_job(cloud)
    assert "total_amount" not in _low_confidence_fields(job.job_id)
    put_settings(confidence_thresholds={"total_amount": 100})
    assert "total_amount" in _low_confidence_fields(job.job_id)


# ---- users ---------------------------------------------------------------------------


def test_an_admin_invites_a_user_of_their_own_tenant(cloud: Cloud) -> None:
    response = send(
        "POST",
        "/users",
        {"email": "New.Clerk@acme.test", "role": "reviewer", "temporary_password": "Temp-pass-1!"},
    )
    assert response["statusCode"] == 201, response["json"]
    assert response["json"]["email"] == "new.clerk@acme.test"
    assert response["json"]["role"] == "reviewer" and response["json"]["enabled"] is True
    cognito = cloud.client("cognito-idp")
    user = cognito.admin_get_user(UserPoolId=cloud.user_pool_id, Username="new.clerk@acme.test")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:tenant"] == "acme"
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=cloud.user_pool_id, Username="new.clerk@acme.test"
    )["Groups"]
    assert [g["GroupName"] for g in groups] == ["reviewers"]
    [record] = cloud.audit(tenant_audit_key("acme"))
    assert record["event"] == "user_invited" and record["actor"] == ADMIN.email
    assert record["after"] == {"group": "reviewers", "enabled": True}


def test_an_invitation_naming_a_tenant_is_400_and_creates_nobody(cloud: Cloud) -> None:
    body = {"email": "x@globex.test", "role": "admin", "tenant": "globex"}
    response = send("POST", "/users", body)
    assert response["statusCode"] == 400, response["json"]
    assert send("GET", "/users", caller=OTHER_TENANT)["json"]["items"] == []


def test_an_address_the_user_pool_refuses_is_400_not_500(cloud: Cloud) -> None:
    # The API's pattern lets it through; Cognito (here moto) does not take it as an e-mail
    response = send("POST", "/users", {"email": "someone@acme.c", "role": "clerk"})
    assert response["statusCode"] == 400, response["json"]
    assert "refused the invitation" in response["json"]["error"]["message"]
    assert send("GET", "/users")["json"]["items"] == []


@pytest.mark.parametrize(
    "email",
    [
        "0@0.\u0085x",  # NEL: a blank to Python, not to JSON Schema's "\\s"
        "ann\ufeff@acme.test",  # BOM: a blank to JSON Schema's "\\s", not to Python
        "ann@acme.te\x01st",
        "ann\u00a0lee@acme.test",  # a no-break space: a blank to both
    ],
)
def test_an_address_with_a_blank_or_control_character_is_400(cloud: Cloud, email: str) -> None:
    # The OpenAPI document's pattern refuses these too (frontend/src/lib/email-pattern.test.ts
    # checks it with JavaScript's regexes, JSON Schema's dialect)
    response = send("POST", "/users", {"email": email, "role": "clerk"})
    assert response["statusCode"] == 400, response["json"]
    assert response["json"]["error"]["code"] == "VALIDATION_ERROR"
    assert send("GET", "/users")["json"]["items"] == []


def test_inviting_a_known_address_is_409(cloud: Cloud) -> None:
    add_user(cloud, "clerk@acme.test", "acme", "clerks")
    response = send("POST", "/users", {"email": "clerk@acme.test", "role": "admin"})
    assert response["statusCode"] == 409, response["json"]
    assert response["json"]["error"]["code"] == "USER_EXISTS"


def test_the_user_list_holds_the_callers_tenant_only(cloud: Cloud) -> None:
    add_user(cloud, "clerk@acme.test", "acme", "clerks")
    add_user(cloud, "admin@acme.test", "acme", "admins")
    add_user(cloud, "reviewer@globex.test", "globex", "reviewers")
    listed = send("GET", "/users")["json"]["items"]
    assert [(u["email"], u["role"], u["enabled"]) for u in listed] == [
        ("admin@acme.test", "admin", True),
        ("clerk@acme.test", "clerk", True),
    ]
    assert [u["email"] for u in send("GET", "/users", caller=OTHER_TENANT)["json"]["items"]] == [
        "reviewer@globex.test"
    ]


def test_another_tenants_user_is_404_and_untouched(cloud: Cloud) -> None:
    add_user(cloud, "reviewer@globex.test", "globex", "reviewers")
    response = send(
        "PATCH",
        "/users/{username}",
        {"role": "clerk", "enabled": False},
        path_params={"username": "reviewer@globex.test"},
    )
    assert response["statusCode"] == 404, response["json"]
    assert response["json"]["error"]["code"] == "USER_NOT_FOUND"
    user = cloud.client("cognito-idp").admin_get_user(
        UserPoolId=cloud.user_pool_id, Username="reviewer@globex.test"
    )
    assert user["Enabled"] is True


def test_an_admin_changes_a_role_and_disables_a_user(cloud: Cloud) -> None:
    add_user(cloud, "clerk@acme.test", "acme", "clerks")
    path = {"username": "clerk@acme.test"}
    promoted = send("PATCH", "/users/{username}", {"role": "reviewer"}, path_params=path)
    assert promoted["statusCode"] == 200, promoted["json"]
    assert promoted["json"]["role"] == "reviewer"
    disabled = send("PATCH", "/users/{username}", {"enabled": False}, path_params=path)
    assert disabled["json"]["enabled"] is False
    cognito = cloud.client("cognito-idp")
    user = cognito.admin_get_user(UserPoolId=cloud.user_pool_id, Username="clerk@acme.test")
    assert user["Enabled"] is False
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=cloud.user_pool_id, Username="clerk@acme.test"
    )["Groups"]
    assert [g["GroupName"] for g in groups] == ["reviewers"]
    records = sorted(cloud.audit(tenant_audit_key("acme")), key=lambda r: r["sk"])
    assert [(r["before"], r["after"]) for r in records] == [
        ({"groups": ["clerks"]}, {"groups": ["reviewers"]}),
        ({"enabled": True}, {"enabled": False}),
    ]


@pytest.mark.parametrize("change", [{"role": "reviewer"}, {"enabled": False}])
def test_the_last_admin_cannot_demote_or_disable_themselves(
    cloud: Cloud, change: dict[str, Any]
) -> None:
    add_user(cloud, ADMIN.email, "acme", "admins")
    path = {"username": ADMIN.email}
    refused = send("PATCH", "/users/{username}", change, path_params=path)
    assert refused["statusCode"] == 409, refused["json"]
    assert refused["json"]["error"]["code"] == "LAST_ADMIN"
    assert cloud.audit(tenant_audit_key("acme")) == []
    # With a second admin, they may
    add_user(cloud, "second@acme.test", "acme", "admins")
    allowed = send("PATCH", "/users/{username}", change, path_params=path)
    assert allowed["statusCode"] == 200, allowed["json"]


def test_a_reviewer_gets_403_on_user_management(cloud: Cloud) -> None:
    response = send("POST", "/users", {"email": "x@acme.test", "role": "admin"}, REVIEWER)
    assert response["statusCode"] == 403, response["json"]
    assert send("GET", "/users", caller=OTHER_TENANT)["json"]["items"] == []
