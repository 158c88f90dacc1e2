"""GET /jobs, /jobs/{job_id}, /jobs/{job_id}/result, /jobs/{job_id}/audit (api-jobs)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

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


def _received(cloud: Cloud, tenant: str, *days: str, status: str = "COMPLETED") -> list[str]:
    """Jobs of `tenant` created at each of `days` (ISO times), their ids in that order."""
    return [
        make_job(cloud, tenant_id=tenant, status=status, created_at=day, fixture=None).job_id
        for day in days
    ]


def _listed(query: dict[str, str], tenant: str) -> list[str]:
    response = get("/jobs", query=query | {"limit": "100"}, tenant=tenant)
    assert response["statusCode"] == 200, response["json"]
    return [item["job_id"] for item in response["json"]["items"]]


def test_a_range_lists_the_jobs_received_from_from_up_to_to_not_included(cloud: Cloud) -> None:
    # Given jobs received around November's first week (UTC), and another company's
    # job inside it
    before, first, last, on_to = _received(
        cloud,
        "frank",
        "2026-10-31T23:59:59.999Z",
        "2026-11-01T00:00:00.000Z",
        "2026-11-07T23:59:59.999Z",
        "2026-11-08T00:00:00.000Z",
    )
    _received(cloud, "grace", "2026-11-03T12:00:00.000Z")
    # When the week is listed (`to` is the day after the last one, as for /stats)
    listed = _listed({"from": "2026-11-01", "to": "2026-11-08"}, "frank")
    # Then the jobs of its first and last day are in it, newest first, and neither the
    # day before nor the `to` day is
    assert listed == [last, first]
    # And each side can be left open
    assert _listed({"from": "2026-11-08"}, "frank") == [on_to]
    assert _listed({"to": "2026-11-01"}, "frank") == [before]
    assert _listed({"from": "2026-11-01", "to": "2026-11-02"}, "frank") == [first]


def test_a_range_and_a_status_select_both(cloud: Cloud) -> None:
    # Given failed and completed jobs inside and outside a day
    failed_in = _received(cloud, "heidi", "2026-11-05T08:00:00.000Z", status="FAILED")
    _received(cloud, "heidi", "2026-11-05T09:00:00.000Z", status="COMPLETED")
    _received(cloud, "heidi", "2026-11-06T08:00:00.000Z", status="FAILED")
    # When the failed ones of that day are listed, then only the failed one of the day is
    query = {"status": "FAILED", "from": "2026-11-05", "to": "2026-11-06"}
    assert _listed(query, "heidi") == failed_in


def test_a_range_pages_through_with_its_cursor(cloud: Cloud) -> None:
    # Given three jobs in a range and one after it
    inside = _received(
        cloud,
        "ivan",
        "2026-11-10T01:00:00.000Z",
        "2026-11-10T02:00:00.000Z",
        "2026-11-11T03:00:00.000Z",
    )
    _received(cloud, "ivan", "2026-11-12T00:00:00.000Z")
    # When the range is read one job at a time
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        query = {"from": "2026-11-10", "to": "2026-11-12", "limit": "1"}
        query |= {"cursor": cursor} if cursor else {}
        response = get("/jobs", query=query, tenant="ivan")
        assert response["statusCode"] == 200, response["json"]
        seen += [item["job_id"] for item in response["json"]["items"]]
        cursor = response["json"]["next_cursor"]
        if cursor is None:
            break
    # Then the three come once each, newest first, and the list ends with the range
    assert seen == list(reversed(inside))


def test_a_range_is_a_key_condition_on_the_tenant_index_not_a_filter(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.client

    # Given every request the function sends is recorded as it goes on the wire
    requests: list[tuple[str, dict[str, Any]]] = []
    send = botocore.client.BaseClient._make_request

    def recording(client: Any, operation: Any, request: dict[str, Any], context: Any) -> Any:
        requests.append((operation.name, json.loads(request["body"] or b"{}")))
        return send(client, operation, request, context)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_request", recording)
    _received(cloud, "judy", "2026-11-20T10:00:00.000Z")
    requests.clear()
    # When a day is listed without a status
    assert len(_listed({"from": "2026-11-20", "to": "2026-11-21"}, "judy")) == 1
    # Then it is one Query of the tenant's index, the days in its key condition and no
    # filter reading past them (no Scan)
    assert [operation for operation, _ in requests] == ["Query"]
    params = requests[0][1]
    assert params["IndexName"] == "tenant_id-created_at-index"
    assert "BETWEEN" in params["KeyConditionExpression"]
    assert sorted(params["ExpressionAttributeValues"].values(), key=str) == sorted(
        [{"S": "judy"}, {"S": "2026-11-20"}, {"S": "2026-11-21"}], key=str
    )
    assert "FilterExpression" not in params


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-11-24", "to": "2026-11-24"},
        {"from": "2026-11-25", "to": "2026-11-24"},
        {"from": "yesterday"},
        {"to": "0"},  # a number is not a day (pydantic's date would read a Unix time)
        {"from": "2026-02-30"},  # nor is a day the calendar has not
        {"to": "0000-00-00"},
    ],
    ids=["empty", "backwards", "word", "number", "no-such-day", "zeros"],
)
def test_a_range_the_calendar_cannot_have_is_400(cloud: Cloud, query: dict[str, str]) -> None:
    response = get("/jobs", query=query)
    assert response["statusCode"] == 400, response["json"]
    assert response["json"]["error"]["code"] == "VALIDATION_ERROR"


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
