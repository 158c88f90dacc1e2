"""Client input never produces a 500: arbitrary JSON bodies, query strings and path ids
get a 2xx or a 4xx with the error shape, never an exception, and every answer is one the
OpenAPI document describes (status and body)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.api.handlers.jobs import lambda_handler as jobs
from services.api.handlers.review import lambda_handler as review
from services.api.handlers.uploads import lambda_handler as uploads
from tests.handlers.cloud import Cloud, call, http_event, make_job
from tests.handlers.openapi_check import assert_matches_openapi

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
upload_like = st.fixed_dictionaries(
    {},
    optional={
        "filename": json_values | st.text(max_size=300),
        "content_type": json_values
        | st.sampled_from(["application/pdf", "image/png", "text/html", "image/tiff; x=1"]),
        "size_bytes": json_values | st.integers(min_value=-5, max_value=10**9),
    },
)
decision_like = st.fixed_dictionaries(
    {},
    optional={
        "decision": json_values | st.sampled_from(["APPROVE", "REJECT"]),
        "corrected_fields": json_values
        | st.dictionaries(
            st.sampled_from(["total_amount", "document_date", "currency", "nope"]),
            json_values,
            max_size=3,
        ),
        "reason": json_values,
        "expected_version": json_values,
    },
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_client_answer(response: dict[str, Any], method: str, path: str) -> None:
    assert response["statusCode"] < 500, response
    if response["statusCode"] >= 400:
        assert set(response["json"]["error"]) == {"code", "message"}
    assert_matches_openapi(path, method, response)


@FUZZ
@given(body=upload_like | json_values, raw=st.none() | st.text(max_size=30))
def test_upload_requests_never_500(cloud: Cloud, body: Any, raw: str | None) -> None:
    event = http_event("POST", "/uploads", raw_body=raw if raw is not None else json.dumps(body))
    assert_client_answer(call(uploads, event), "post", "/uploads")


@FUZZ
@given(body=decision_like | json_values)
def test_decisions_never_500(cloud: Cloud, body: Any) -> None:
    job = make_job(cloud)
    event = http_event(
        "POST", "/review/jobs/{job_id}/decision", path_params={"job_id": job.job_id}, body=body
    )
    assert_client_answer(call(review, event), "post", "/review/jobs/{job_id}/decision")


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["status", "limit", "cursor", "other"]),
        st.text(max_size=40),
        max_size=4,
    ),
    job_id=st.text(min_size=1, max_size=80).filter(lambda s: "/" not in s),
)
def test_queries_never_500(cloud: Cloud, query: dict[str, str], job_id: str) -> None:
    assert_client_answer(call(jobs, http_event("GET", "/jobs", query=query)), "get", "/jobs")
    assert_client_answer(
        call(review, http_event("GET", "/review/jobs", query=query)), "get", "/review/jobs"
    )
    for route in ("/jobs/{job_id}", "/jobs/{job_id}/result", "/jobs/{job_id}/audit"):
        event = http_event("GET", route, path_params={"job_id": job_id})
        assert_client_answer(call(jobs, event), "get", route)


webhook_like = st.fixed_dictionaries(
    {},
    optional={
        "url": json_values
        | st.text(max_size=60)
        | st.builds(
            lambda scheme, host, rest: f"{scheme}://{host}{rest}",
            st.sampled_from(["https", "http", "HTTPS", "ftp", ""]),
            st.sampled_from(
                ["erp.example.com", "127.0.0.1", "[::1", "[fe80::1%eth0]", "10.0.0.1:0", "::"]
            )
            | st.text(max_size=20),
            st.text(max_size=20),
        ),
        "events": json_values | st.lists(st.sampled_from(["invoice.approved", "x"]), max_size=5),
        "description": json_values,
    },
)


@FUZZ
@given(body=webhook_like | json_values)
def test_webhook_registrations_never_500(cloud: Cloud, body: Any) -> None:
    from services.api.handlers.webhooks import lambda_handler as webhooks

    event = http_event("POST", "/webhooks", body=body)
    assert_client_answer(call(webhooks, event), "post", "/webhooks")


settings_like = st.fixed_dictionaries(
    {},
    optional={
        "allow_self_approval": json_values,
        "confidence_thresholds": json_values
        | st.dictionaries(
            st.sampled_from(["total_amount", "line_items", "nope", ""]),
            json_values | st.floats(min_value=-10, max_value=110),
            max_size=3,
        ),
        "expected_version": json_values,
    },
)
invitation_like = st.fixed_dictionaries(
    {},
    optional={
        "email": json_values
        | st.from_regex(r"[a-z.%+-]{1,8}@[a-z.-]{1,8}\.[a-z]{1,3}", fullmatch=True),
        "role": json_values | st.sampled_from(["clerk", "reviewer", "admin", "owner"]),
        "temporary_password": json_values | st.text(min_size=8, max_size=20),
    },
)


@FUZZ
@given(body=settings_like | json_values)
def test_settings_never_500(cloud: Cloud, body: Any) -> None:
    from services.api.handlers.admin import lambda_handler as admin

    event = http_event("PUT", "/settings", body=body)
    assert_client_answer(call(admin, event), "put", "/settings")


@FUZZ
@given(body=invitation_like | json_values)
def test_invitations_never_500(cloud: Cloud, body: Any) -> None:
    from services.api.handlers.admin import lambda_handler as admin

    event = http_event("POST", "/users", body=body)
    assert_client_answer(call(admin, event), "post", "/users")
