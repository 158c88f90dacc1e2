"""GET /jobs, /jobs/{job_id}, /jobs/{job_id}/result, /jobs/{job_id}/audit (api-jobs)."""

from __future__ import annotations

import dataclasses

import pytest

from services.api.handlers.jobs import lambda_handler as jobs
from tests.handlers.cloud import ADMIN, Cloud, call, http_event, make_job
from tests.handlers.openapi_check import assert_matches_openapi


def get(
    route: str,
    *,
    job_id: str | None = None,
    query: dict[str, str] | None = None,
    tenant: str = ADMIN.tenant,
) -> dict:
    """`route` as a member of `tenant` (the tests' tenants keep their jobs apart)."""
    event = http_event(
        "GET",
        route,
        path_params={"job_id": job_id} if job_id else None,
        query=query,
        caller=dataclasses.replace(ADMIN, tenant=tenant),
    )
    response = call(jobs, event)
    assert_matches_openapi(route, "get", response)
    return response


def test_get_job_returns_its_view(cloud: Cloud) -> None:
    job = make_job(cloud)
    response = get("/jobs/{job_id}", job_id=job.job_id)
    assert response["statusCode"] == 200
    body = response["json"]
    assert body["job_id"] == job.job_id and body["status"] == "NEEDS_REVIEW"
    assert body["has_result"] is True
    assert body["review_reasons"] and body["review_reasons"][0]["code"]
    # Never the stored item as it is: no task token or S3 internals leak out
    assert "task_token" not in body and "result_key" not in body


@pytest.mark.parametrize(
    "route", ["/jobs/{job_id}", "/jobs/{job_id}/result", "/jobs/{job_id}/audit"]
)
def test_unknown_job_is_404(cloud: Cloud, route: str) -> None:
    response = get(route, job_id="00000000-0000-0000-0000-000000000000")
    assert response["statusCode"] == 404
    assert response["json"]["error"]["code"] == "JOB_NOT_FOUND"


def test_result_is_the_normalized_result(cloud: Cloud) -> None:
    job = make_job(cloud, fixture="analyze_document/sample-invoice.json")
    response = get("/jobs/{job_id}/result", job_id=job.job_id)
    assert response["statusCode"] == 200
    fields = response["json"]["fields"]
    assert fields["invoice_number"]["value"] == "INV-3337"
    assert fields["total_amount"]["value"] == "93.50"
    assert response["json"]["routing"]["status"] in ("COMPLETED", "NEEDS_REVIEW")


def test_result_before_parsing_is_409(cloud: Cloud) -> None:
    job = make_job(cloud, status="PROCESSING", fixture=None)
    response = get("/jobs/{job_id}/result", job_id=job.job_id)
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "RESULT_NOT_READY"


def test_audit_trail_lists_events_oldest_first(cloud: Cloud) -> None:
    from docuflow.dal.audit import AuditRepository

    job = make_job(cloud)
    audit = AuditRepository(cloud.table(cloud.audit_table))
    audit.record(job.job_id, "created", actor="clerk-1")
    audit.record(job.job_id, "routed", actor="workflow", details={"status": "NEEDS_REVIEW"})
    response = get("/jobs/{job_id}/audit", job_id=job.job_id)
    assert response["statusCode"] == 200
    assert [e["event"] for e in response["json"]["items"]] == ["created", "routed"]
    assert response["json"]["items"][1]["details"] == {"status": "NEEDS_REVIEW"}


def test_list_of_a_tenant_is_newest_first_and_paginates(cloud: Cloud) -> None:
    # Given five jobs of one tenant (and one of another)
    made = [
        make_job(cloud, tenant_id="alice", created_at=f"2026-11-0{day}T10:00:00.000Z", fixture=None)
        for day in range(1, 6)
    ]
    make_job(cloud, tenant_id="bob", fixture=None)
    # When listing two at a time
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        query = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        response = get("/jobs", query=query, tenant="alice")
        assert response["statusCode"] == 200
        seen += [item["job_id"] for item in response["json"]["items"]]
        cursor = response["json"]["next_cursor"]
        if cursor is None:
            break
    # Then every job of tenant alice comes once, newest first
    assert seen == [job.job_id for job in reversed(made)]


def test_list_of_a_tenant_and_status(cloud: Cloud) -> None:
    failed = make_job(cloud, tenant_id="carol", status="FAILED", fixture=None)
    make_job(cloud, tenant_id="carol", status="COMPLETED", fixture=None)
    response = get("/jobs", query={"status": "FAILED", "limit": "100"}, tenant="carol")
    assert [item["job_id"] for item in response["json"]["items"]] == [failed.job_id]


def test_a_filtered_list_fills_every_page_and_never_ends_on_an_empty_one(cloud: Cloud) -> None:
    # Given a tenant's five oldest jobs FAILED under twelve newer COMPLETED ones
    failed = [
        make_job(
            cloud,
            tenant_id="dave",
            status="FAILED",
            created_at=f"2026-10-0{day}T10:00:00.000Z",
            fixture=None,
        )
        for day in range(1, 6)
    ]
    for day in range(10, 22):
        make_job(
            cloud,
            tenant_id="dave",
            status="COMPLETED",
            created_at=f"2026-11-{day}T10:00:00.000Z",
            fixture=None,
        )
    # When the FAILED ones are listed two at a time
    pages: list[list[str]] = []
    cursor = None
    for _ in range(10):
        query = {"status": "FAILED", "limit": "2"}
        response = get("/jobs", query=query | ({"cursor": cursor} if cursor else {}), tenant="dave")
        assert response["statusCode"] == 200, response["json"]
        pages.append([item["job_id"] for item in response["json"]["items"]])
        cursor = response["json"]["next_cursor"]
        if cursor is None:
            break
    # Then every page is full but the last, and the five come once, newest first
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [job_id for page in pages for job_id in page] == [j.job_id for j in reversed(failed)]
    # And a filter nothing passes is one empty page without a cursor
    response = get("/jobs", query={"status": "APPROVED", "limit": "2"}, tenant="dave")
    assert response["json"] == {"items": [], "next_cursor": None}


def test_list_by_status_alone(cloud: Cloud) -> None:
    done = make_job(cloud, tenant_id="erin", status="APPROVED", fixture=None)
    response = get("/jobs", query={"status": "APPROVED"}, tenant="erin")
    assert [item["job_id"] for item in response["json"]["items"]] == [done.job_id]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "many"},
        {"limit": "101"},
        {"status": "SLEEPING"},
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJ4IjogMX0"},
        {"cursor": "eyJqb2JfaWQiOiAiYSJ9"},
    ],
    ids=[
        "zero",
        "nan",
        "too-many",
        "bad-status",
        "garbage-cursor",
        "cursor-not-strings",
        "cursor-wrong-keys",
    ],
)
def test_bad_list_queries_are_400(cloud: Cloud, query: dict[str, str]) -> None:
    response = get("/jobs", query=query)
    assert response["statusCode"] == 400, response["json"]
    assert response["json"]["error"]["code"] == "VALIDATION_ERROR"


def test_an_answer_that_breaks_its_model_is_a_server_error_not_a_client_error(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a route whose answer no longer fits the model it declares
    from services.api.models import Job

    job = make_job(cloud)
    monkeypatch.setattr(Job, "of", classmethod(lambda cls, item: {"job_id": item.job_id}))
    # When a valid request reaches it, then the answer is a 500 in the error shape
    response = call(jobs, http_event("GET", "/jobs/{job_id}", path_params={"job_id": job.job_id}))
    assert response["statusCode"] == 500
    assert response["json"]["error"]["code"] == "INTERNAL_ERROR"


@pytest.mark.parametrize("status", [" FAILED", "failed"])
def test_status_filter_is_exactly_one_of_the_documented_values(cloud: Cloud, status: str) -> None:
    response = get("/jobs", query={"status": status})
    assert response["statusCode"] == 400


def test_a_decoding_error_of_our_own_is_not_blamed_on_the_request(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given stored data that does not decode (the request itself is fine)
    from services.api.logic import jobs as logic

    def undecodable(*_: object, **__: object) -> None:
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    monkeypatch.setattr(logic, "get_result", undecodable)
    event = http_event("GET", "/jobs/{job_id}/result", path_params={"job_id": "j-1"})
    # When the route runs into it, then it is not answered as a 400: the error propagates
    # (API Gateway answers 500)
    with pytest.raises(UnicodeDecodeError):
        call(jobs, event)


@pytest.mark.parametrize(
    ("handler", "method", "route", "allow"),
    [
        ("jobs", "TRACE", "/jobs/{job_id}", "GET"),
        ("jobs", "DELETE", "/jobs", "GET"),
        ("uploads", "GET", "/uploads", "POST"),
        ("uploads", "PUT", "/jobs/{job_id}/start", "POST"),
        ("review", "PATCH", "/review/jobs/{job_id}/decision", "POST"),
    ],
)
def test_a_method_a_path_does_not_serve_is_405_with_allow(
    cloud: Cloud, handler: str, method: str, route: str, allow: str
) -> None:
    from services.api.handlers import jobs as jobs_module
    from services.api.handlers import review, uploads

    functions = {"jobs": jobs_module, "review": review, "uploads": uploads}
    # Given a request API Gateway sent through the path's ANY route (infra/api.tf)
    event = http_event(method, route, path_params={"job_id": "j-1"})
    event["routeKey"] = event["requestContext"]["routeKey"] = f"ANY {route}"
    # When the function serving the path answers it
    response = call(functions[handler].lambda_handler, event)
    # Then it is 405 naming the methods the path serves, in the error shape
    assert response["statusCode"] == 405, response["json"]
    assert response["headers"]["Allow"] == allow
    assert response["json"]["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_a_path_no_route_serves_is_still_404(cloud: Cloud) -> None:
    response = call(jobs, http_event("TRACE", "/nowhere"))
    assert response["statusCode"] == 404
    assert response["json"]["error"]["code"] == "ROUTE_NOT_FOUND"
