"""GET /exports and GET /jobs/{job_id}/ubl (api-exports)."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from typing import Any

import pytest
from lxml import etree

from docuflow.dal.models import FieldCorrection
from services.api.handlers.exports import lambda_handler as exports
from services.api.logic import exports as exports_logic
from tests.handlers.cloud import (
    CLERK,
    OTHER_TENANT,
    Caller,
    Cloud,
    LambdaContext,
    http_event,
    make_job,
)
from tests.handlers.openapi_check import assert_matches_openapi
from tests.ubl_schema import ubl_schema


def answer(event: dict[str, Any]) -> dict[str, Any]:
    """The handler's answer; JSON bodies decoded (a CSV or XML body stays text)."""
    response = exports(event, LambdaContext())
    if response["headers"].get("Content-Type") == "application/json":
        response["json"] = json.loads(response["body"])
    return response


def export(query: dict[str, str], caller: Caller = CLERK, path: str = "/exports") -> dict[str, Any]:
    response = answer(http_event("GET", path, query=query, caller=caller))
    assert_matches_openapi(path, "get", response)
    return response


def export_file(query: dict[str, str], caller: Caller = CLERK) -> dict[str, Any]:
    return export(query, caller, "/exports/file")


def rows(response: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response["body"])))


def approved(cloud: Cloud, created_at: str, **corrections: str) -> str:
    job = make_job(
        cloud,
        status="APPROVED",
        created_at=created_at,
        decision="APPROVE",
        reviewer="reviewer@acme.test",
        decided_at=created_at,
        corrections={
            name: FieldCorrection(before="as read", after=v) for name, v in corrections.items()
        },
    )
    return job.job_id


def test_the_csv_export_has_the_corrected_values_and_no_formula_cells(cloud: Cloud) -> None:
    job_id = approved(
        cloud, "2026-11-20T10:00:00.000Z", currency="USD", purchase_order="=HYPERLINK(1)"
    )
    make_job(cloud, created_at="2026-11-20T11:00:00.000Z")  # in review: filtered out
    response = export({"status": "APPROVED", "from": "2026-11-20", "to": "2026-11-21"})
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"].startswith("text/csv")
    body = response["body"]
    assert body.splitlines()[0].startswith("job_id,status,filename,created_at")
    [row] = rows(response)
    assert row["job_id"] == job_id and row["status"] == "APPROVED"
    assert row["currency"] == "USD" and row["vendor_name"] == "DEMO - Sliced Invoices"
    assert row["purchase_order"] == "'=HYPERLINK(1)"
    assert row["corrected_fields"] == "currency;purchase_order"
    assert not any(cell.startswith(("=", "+", "@")) for cell in row.values())


def test_the_date_range_selects_by_creation_day(cloud: Cloud) -> None:
    inside = approved(cloud, "2026-11-21T23:59:59.999Z")
    approved(cloud, "2026-11-22T00:00:00.000Z")  # `to` is not included
    approved(cloud, "2026-11-20T23:59:59.999Z")
    response = export({"from": "2026-11-21", "to": "2026-11-22"})
    assert [row["job_id"] for row in rows(response)] == [inside]


def test_json_pages_follow_the_cursor_and_lines_have_their_own_rows(cloud: Cloud) -> None:
    ids = {approved(cloud, f"2026-11-23T1{n}:00:00.000Z") for n in range(3)}
    first = export({"format": "json", "limit": "2", "from": "2026-11-23"})
    assert first["statusCode"] == 200 and len(first["json"]["items"]) == 2
    second = export(
        {
            "format": "json",
            "limit": "2",
            "from": "2026-11-23",
            "cursor": first["json"]["next_cursor"],
        }
    )
    seen = {r["job_id"] for r in first["json"]["items"] + second["json"]["items"]}
    assert seen == ids and second["json"]["next_cursor"] is None
    assert first["json"]["columns"][0] == "job_id"
    csv_page = export({"limit": "2", "from": "2026-11-23"})
    assert csv_page["headers"]["X-Next-Cursor"]
    assert 'rel="next"' in csv_page["headers"]["Link"]
    lines = export({"lines": "true", "from": "2026-11-23"})
    line_rows = rows(lines)
    assert line_rows and {r["job_id"] for r in line_rows} <= ids
    assert list(line_rows[0])[:3] == ["job_id", "invoice_number", "line_number"]


def test_another_tenants_invoices_are_never_exported(cloud: Cloud) -> None:
    approved(cloud, "2026-11-24T10:00:00.000Z")
    assert rows(export({"from": "2026-11-24"}, caller=OTHER_TENANT)) == []


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-11-24", "to": "2026-11-24"},
        {"from": "yesterday"},
        {"to": "0"},  # a number is not a day (pydantic's date would read a Unix time)
        {"from": "2026-02-30"},  # nor is a day the calendar has not
        {"format": "xlsx"},
        {"limit": "0"},
        {"cursor": "%%%"},
    ],
)
def test_bad_export_queries_are_400(cloud: Cloud, query: dict[str, str]) -> None:
    response = export(query)
    assert response["statusCode"] == 400, response


def ubl(job_id: str, caller: Caller = CLERK) -> dict[str, Any]:
    event = http_event("GET", "/jobs/{job_id}/ubl", path_params={"job_id": job_id}, caller=caller)
    response = answer(event)
    assert_matches_openapi("/jobs/{job_id}/ubl", "get", response)
    return response


def test_an_approved_invoice_is_valid_ubl_with_its_corrections(cloud: Cloud) -> None:
    job_id = approved(cloud, "2026-11-25T10:00:00.000Z", currency="USD")
    response = ubl(job_id)
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "application/xml"
    document = etree.fromstring(response["body"].encode())
    schema = ubl_schema(document)
    assert schema.validate(document), schema.error_log
    assert "<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>" in response["body"]


def test_ubl_of_an_invoice_in_review_is_409_and_of_another_tenant_404(cloud: Cloud) -> None:
    in_review = make_job(cloud)
    response = ubl(in_review.job_id)
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "NOT_EXPORTABLE"
    job_id = approved(cloud, "2026-11-25T10:00:00.000Z", currency="USD")
    assert ubl(job_id, caller=OTHER_TENANT)["statusCode"] == 404


def _stored_export(cloud: Cloud, url: str) -> tuple[str, dict[str, list[str]], bytes]:
    """The key a presigned export link names, its query, and the object's bytes."""
    parsed = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parsed.path).lstrip("/")
    key = path.removeprefix(f"{cloud.bucket}/")
    body = cloud.client("s3").get_object(Bucket=cloud.bucket, Key=key)["Body"].read()
    return key, urllib.parse.parse_qs(parsed.query), body


def test_a_large_export_is_written_to_the_tenants_prefix_behind_a_short_lived_link(
    cloud: Cloud,
) -> None:
    # Given three approved invoices of one day
    ids = {approved(cloud, f"2026-11-25T1{n}:00:00.000Z", currency="USD") for n in range(3)}
    # When the export is asked for as a link
    response = export_file({"from": "2026-11-25", "to": "2026-11-26"})
    # Then it was written as one CSV under the tenant's prefix, linked for 15 minutes
    assert response["statusCode"] == 200
    link = response["json"]
    assert link["invoices"] == 3 and link["rows"] == 3 and link["next_cursor"] is None
    assert link["format"] == "csv" and link["expires_at"].endswith("Z")
    key, query, body = _stored_export(cloud, link["url"])
    assert key.startswith("exports/acme/") and key.endswith(".csv")
    assert query["X-Amz-Expires"] == ["900"]
    assert query["response-content-disposition"][0].startswith("attachment")
    written = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert {row["job_id"] for row in written} == ids
    assert {row["currency"] for row in written} == {"USD"}
    # and as JSON, the same object a page is
    as_json = export_file({"from": "2026-11-25", "format": "json"})
    _, _, json_body = _stored_export(cloud, as_json["json"]["url"])
    assert {row["job_id"] for row in json.loads(json_body)["items"]} == ids


def test_a_link_export_holds_only_the_callers_company(cloud: Cloud) -> None:
    approved(cloud, "2026-11-26T10:00:00.000Z")
    response = export_file({"from": "2026-11-26"}, caller=OTHER_TENANT)
    assert response["statusCode"] == 200 and response["json"]["invoices"] == 0
    key, _, body = _stored_export(cloud, response["json"]["url"])
    assert not key.startswith("exports/acme/")
    assert body.decode("utf-8").splitlines()[1:] == []


def test_bad_link_export_queries_are_400(cloud: Cloud) -> None:
    assert export_file({"format": "xlsx"})["statusCode"] == 400
    assert export_file({"from": "2026-11-27", "to": "2026-11-27"})["statusCode"] == 400
    assert export_file({"cursor": "%%%"})["statusCode"] == 400


def test_a_link_export_short_of_time_stops_at_a_round_and_its_cursor_goes_on(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given more invoices of a day than one round reads, and a function almost out of time
    ids = {approved(cloud, f"2026-11-24T10:{n:02d}:00.000Z") for n in range(5)}
    monkeypatch.setattr(exports_logic, "LINK_CHUNK", 2)
    monkeypatch.setattr(LambdaContext, "get_remaining_time_in_millis", lambda self: 5_000)
    seen: set[str] = set()
    cursor: str | None = None
    files = 0
    while True:
        query = {"from": "2026-11-24", "to": "2026-11-25"} | ({"cursor": cursor} if cursor else {})
        link = export_file(query)["json"]
        _, _, body = _stored_export(cloud, link["url"])
        written = {row["job_id"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))}
        # Then each file holds one round, and the cursors together give every invoice once
        assert link["invoices"] == len(written) <= 2 and not written & seen
        seen |= written
        files += 1
        cursor = link["next_cursor"]
        if cursor is None:
            break
    assert seen == ids and files >= 3
