"""The OpenAPI document (services/api/openapi.json) checked against the running API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from e2e.client import Api, prepare
from e2e.documents import generated_invoice
from e2e.targets import Target

SPEC_PATH = Path(__file__).resolve().parents[1] / "services" / "api" / "openapi.json"
SPEC_URI = "urn:docuflow:openapi"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    validate(document)  # the document itself is valid OpenAPI
    return document


def response_schema(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    operation = spec["paths"][path][method]
    responses = operation["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered {status}, not documented"
    schema: dict[str, Any] = responses[str(status)]["content"]["application/json"]["schema"]
    return schema


def check(spec: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    schema = response_schema(spec, path, method, status)
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    rooted = (
        {"$ref": f"{SPEC_URI}#/components/schemas/{schema['$ref'].rsplit('/', 1)[-1]}"}
        if "$ref" in schema
        else schema
    )
    validator = jsonschema.Draft202012Validator(rooted, registry=registry)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{method.upper()} {path} {status}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )


def test_responses_match_the_documented_schemas(
    api: Api, reviewer: Api, target: Target, spec: dict[str, Any]
) -> None:
    document = generated_invoice()
    prepare(target, document)
    created = api.create_upload(document.filename, document.content_type, len(document.data))
    check(spec, "/uploads", "post", 201, created)
    requests.put(
        created["upload_url"], data=document.data, headers=created["upload_headers"], timeout=30
    ).raise_for_status()
    job_id = created["job_id"]
    job = api.wait_status(job_id, timeout=180)
    check(spec, "/jobs/{job_id}", "get", 200, job)
    result = api.get(f"/jobs/{job_id}/result")
    assert result.status_code == 200, result.text
    check(spec, "/jobs/{job_id}/result", "get", 200, result.json())
    audit = api.get(f"/jobs/{job_id}/audit")
    check(spec, "/jobs/{job_id}/audit", "get", 200, audit.json())
    listing = api.get("/jobs")
    assert listing.status_code == 200, listing.text
    assert job_id in [item["job_id"] for item in listing.json()["items"]]
    check(spec, "/jobs", "get", 200, listing.json())
    queue = reviewer.get("/review/jobs")
    check(spec, "/review/jobs", "get", 200, queue.json())


def test_every_documented_operation_is_routed_and_errors_are_documented(
    reviewer: Api, spec: dict[str, Any]
) -> None:
    # An unknown job id on every operation: each answers with a documented status and body
    bodies = {
        "createUpload": {"filename": "x.pdf"},
        "decideReviewJob": {"decision": "APPROVE"},
    }
    # Ids that name nothing; the export asked for as JSON (its CSV is not JSON).
    ids = {
        "{job_id}": "openapi-no-such-job",
        "{webhook_id}": "wh_" + "0" * 32,
        "{event_id}": "openapi-no-such-job.approved.v1",
    }
    # The file export over a day with no invoices: this probes routing and the documented
    # answer, not how long writing the whole company's invoices takes.
    params = {
        "exportInvoices": {"format": "json"},
        "exportInvoicesFile": {"format": "json", "from": "2000-01-01", "to": "2000-01-02"},
    }
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            url = path
            for placeholder, value in ids.items():
                url = url.replace(placeholder, value)
            body = bodies.get(operation["operationId"], {})
            response = reviewer.session.request(
                method.upper(),
                reviewer.url(url),
                json=body if method == "post" else None,
                params=params.get(operation["operationId"]),
                timeout=30,
            )
            assert response.headers.get("content-type", "").startswith("application/json"), (
                method,
                path,
                response.status_code,
            )
            check(spec, path, method, response.status_code, response.json())
