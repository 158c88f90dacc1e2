"""POST /uploads and POST /jobs/{job_id}/start, through the api-uploads handler."""

from __future__ import annotations

import base64
import urllib.parse
from datetime import datetime
from typing import Any

import pytest

from services.api.handlers.uploads import lambda_handler as uploads
from tests.handlers.cloud import ADMIN, Cloud, call, http_event
from tests.handlers.openapi_check import assert_matches_openapi

PDF = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


def create(body: dict, **kwargs) -> dict:
    response = call(uploads, http_event("POST", "/uploads", body=body, **kwargs))
    assert_matches_openapi("/uploads", "post", response)
    return response


def start(job_id: str, body: dict | None = None) -> dict:
    response = call(
        uploads,
        http_event("POST", "/jobs/{job_id}/start", path_params={"job_id": job_id}, body=body),
    )
    assert_matches_openapi("/jobs/{job_id}/start", "post", response)
    return response


def new_upload(cloud: Cloud, filename: str = "invoice 1.pdf") -> dict:
    response = create({"filename": filename, "content_type": "application/pdf"})
    assert response["statusCode"] == 201, response
    return response["json"]


def test_create_upload_writes_a_created_job_and_presigns_the_put(cloud: Cloud) -> None:
    # Given a valid request / When it is posted
    response = create(
        {
            "filename": "March invoice.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1234,
        }
    )
    # Then a CREATED job exists and the URL is a presigned PUT of its raw/ key
    assert response["statusCode"] == 201
    body = response["json"]
    assert body["status"] == "CREATED"
    assert body["upload_headers"] == {"Content-Type": "application/pdf", "If-None-Match": "*"}
    assert body["key"] == f"raw/acme/{body['job_id']}/March invoice.pdf"
    assert "X-Amz-Signature=" in body["upload_url"] and "X-Amz-Expires=900" in body["upload_url"]
    signed = urllib.parse.parse_qs(urllib.parse.urlparse(body["upload_url"]).query)
    # the declared size is bound: S3 takes a body of exactly 1234 bytes, no other
    assert signed["X-Amz-SignedHeaders"] == ["content-length;content-type;host;if-none-match"]
    assert body["expires_at"].endswith("Z")
    job = cloud.job(body["job_id"])
    assert (
        job["status"] == "CREATED"
        and job["tenant_id"] == "acme"
        and job["uploaded_by"] == ADMIN.sub
    )
    assert int(job["size_bytes"]) == 1234 and int(job["version"]) == 1
    assert [r["event"] for r in cloud.audit(body["job_id"])] == ["created"]
    # and it expires (DynamoDB TTL) an hour after its upload link, unless a document comes
    link_expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert int(job["expires_at_epoch"]) == int(link_expires.timestamp()) + 3600


def test_presigned_put_uploads_to_the_job_key(cloud: Cloud) -> None:
    import urllib.parse

    body = new_upload(cloud)
    url = urllib.parse.urlparse(body["upload_url"])
    query = urllib.parse.parse_qs(url.query)
    # no size declared: the type and If-None-Match are signed, any length is taken
    assert query["X-Amz-SignedHeaders"] == ["content-type;host;if-none-match"]
    assert urllib.parse.unquote(url.path).endswith(body["key"])


@pytest.mark.parametrize(
    ("content_type", "normalized"),
    [
        ("image/png", "image/png"),
        ("IMAGE/JPEG", "image/jpeg"),
        ("image/jpg", "image/jpeg"),
        ("image/tiff", "image/tiff"),
        ("application/pdf; charset=binary", "application/pdf"),
    ],
)
def test_accepted_content_types(cloud: Cloud, content_type: str, normalized: str) -> None:
    response = create({"filename": "a.bin", "content_type": content_type})
    assert response["statusCode"] == 201
    assert response["json"]["upload_headers"] == {"Content-Type": normalized, "If-None-Match": "*"}


@pytest.mark.parametrize(
    ("event_kwargs", "status", "code"),
    [
        ({"raw_body": "{not json"}, 400, "VALIDATION_ERROR"),
        ({"raw_body": "[1, 2]"}, 400, "VALIDATION_ERROR"),
        ({"raw_body": ""}, 400, "VALIDATION_ERROR"),
        ({"body": {"content_type": "application/pdf"}}, 400, "VALIDATION_ERROR"),
        (
            {
                "body": {
                    "filename": "a.pdf",
                    "content_type": "application/pdf",
                    "colour": "red",
                }
            },
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": 12, "content_type": "application/pdf"}},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {
                "body": {
                    "filename": "../etc/passwd",
                    "content_type": "application/pdf",
                }
            },
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": "a\\b.pdf", "content_type": "application/pdf"}},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": "a\nb.pdf", "content_type": "application/pdf"}},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": "  ", "content_type": "application/pdf"}},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": "a.pdf", "content_type": "application/pdf", "owner_id": "a/b"}},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {
                "body": {
                    "filename": "a.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": -5,
                }
            },
            400,
            "VALIDATION_ERROR",
        ),
        (
            {
                "body": {
                    "filename": "a.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": "12",
                }
            },
            400,
            "VALIDATION_ERROR",
        ),
        (
            {
                "body": {
                    "filename": "a.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": 12.5,
                }
            },
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": "a.pdf", "content_type": "application/pdf", "owner_id": "acme"}},
            400,
            "VALIDATION_ERROR",
        ),
        (
            {"body": {"filename": "a.docx", "content_type": "application/msword"}},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            {
                "body": {
                    "filename": "a.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": 1_000_001,
                }
            },
            413,
            "DOCUMENT_TOO_LARGE",
        ),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "empty-body",
        "missing-filename",
        "unknown-field",
        "wrong-type",
        "path-separator",
        "backslash",
        "control-char",
        "blank-name",
        "bad-owner",
        "negative-size",
        "size-as-string",
        "size-with-a-fraction",
        "owner-with-blank",
        "unsupported-type",
        "too-large",
    ],
)
def test_bad_upload_requests_get_a_4xx_json_error(
    cloud: Cloud, event_kwargs: dict, status: int, code: str
) -> None:
    response = (
        create(None, **event_kwargs) if "raw_body" in event_kwargs else create(event_kwargs["body"])
    )
    assert response["statusCode"] == status, response["json"]
    assert response["json"]["error"]["code"] == code
    assert response["json"]["error"]["message"]
    assert cloud.client("dynamodb").scan(TableName=cloud.jobs_table)["Count"] == 0


def test_a_whole_number_written_with_a_fraction_is_an_integer(cloud: Cloud) -> None:
    # JSON Schema's integer: 12.0 is one (12.5, "12" and true are refused above)
    body = {"filename": "a.pdf", "content_type": "application/pdf"}
    response = create(body | {"size_bytes": 12.0})
    assert response["statusCode"] == 201, response["json"]
    assert int(cloud.job(response["json"]["job_id"])["size_bytes"]) == 12


def test_base64_encoded_body_is_decoded(cloud: Cloud) -> None:
    body = {"filename": "a.pdf", "content_type": "application/pdf"}
    response = create(body, base64_body=True)
    assert response["statusCode"] == 201


def test_a_body_that_is_not_utf8_is_400(cloud: Cloud) -> None:
    # Given a body API Gateway had to base64-encode because it is not UTF-8 text
    event = http_event("POST", "/uploads")
    event["body"] = base64.b64encode(b'{"filename": "\xff.pdf"}').decode()
    event["isBase64Encoded"] = True
    # When it is posted, then it is the client's error, in the error shape
    response = call(uploads, event)
    assert response["statusCode"] == 400, response["json"]
    assert response["json"]["error"]["code"] == "VALIDATION_ERROR"
    assert_matches_openapi("/uploads", "post", response)


@pytest.mark.parametrize(
    ("raw_body", "why"),
    [
        ("[" * 990 + "]" * 990, "nest deeper"),
        ('{"a":' * 40 + "1" + "}" * 40, "nest deeper"),
        (
            '{"filename": "a.pdf", "filename": "b.pdf", "content_type": "application/pdf"}',
            "appears twice",
        ),
        (
            '{"filename": "a.pdf", "content_type": "application/pdf", "size_bytes": NaN}',
            "not a JSON number",
        ),
    ],
    ids=["arrays-990-deep", "objects-40-deep", "duplicate-key", "nan"],
)
@pytest.mark.parametrize("route", ["/uploads", "/jobs/{job_id}/start"])
def test_json_the_api_cannot_read_exactly_is_400_and_stores_nothing(
    cloud: Cloud, route: str, raw_body: str, why: str
) -> None:
    event = http_event(
        "POST",
        route,
        path_params={"job_id": "j-1"} if "{job_id}" in route else None,
        raw_body=raw_body,
    )
    response = call(uploads, event)
    assert response["statusCode"] == 400, response["json"]
    assert response["json"]["error"]["code"] == "VALIDATION_ERROR"
    assert why in response["json"]["error"]["message"]
    assert_matches_openapi(route, "post", response)
    assert cloud.client("dynamodb").scan(TableName=cloud.jobs_table)["Count"] == 0


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        # Powertools would parse these two itself (a multipart body without a boundary
        # even raised ValueError, a 500); no route takes them
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ],
)
@pytest.mark.parametrize("route", ["/uploads", "/jobs/{job_id}/start"])
def test_a_body_that_is_not_json_is_415(cloud: Cloud, route: str, content_type: str) -> None:
    event = http_event(
        "POST",
        route,
        path_params={"job_id": "j-1"} if "{job_id}" in route else None,
        raw_body='{"actor": "a"}',
        headers={"content-type": content_type},
    )
    response = call(uploads, event)
    assert response["statusCode"] == 415, response["json"]
    assert response["json"]["error"]["code"] == "UNSUPPORTED_CONTENT_TYPE"
    assert_matches_openapi(route, "post", response)


def test_a_bad_body_on_a_bad_job_id_is_reported_as_the_bad_body(cloud: Cloud) -> None:
    response = call(
        uploads,
        http_event("POST", "/jobs/{job_id}/start", path_params={"job_id": "bad id"}, body={"x": 1}),
    )
    assert response["statusCode"] == 400
    assert response["json"]["error"]["message"] == "x: Extra inputs are not permitted"


def test_start_before_upload_is_409(cloud: Cloud) -> None:
    body = new_upload(cloud)
    response = start(body["job_id"])
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "DOCUMENT_NOT_UPLOADED"
    assert cloud.job(body["job_id"])["status"] == "CREATED"


def test_start_after_upload_marks_uploaded_and_starts_the_execution(cloud: Cloud) -> None:
    import hashlib

    # Given an uploaded document that intake has not seen yet
    body = new_upload(cloud)
    cloud.put_object(body["key"], PDF)
    # When the job is started by hand
    response = start(body["job_id"], {})
    # Then it is PROCESSING with size and hash, and one execution named after the job runs
    assert response["statusCode"] == 202, response["json"]
    job = cloud.job(body["job_id"])
    assert job["status"] == "PROCESSING"
    assert job["file_sha256"] == hashlib.sha256(PDF).hexdigest()
    assert int(job["size_bytes"]) == len(PDF)
    executions = cloud.executions()
    assert [e["name"] for e in executions] == [body["job_id"]]
    assert job["execution_arn"] == executions[0]["executionArn"]
    assert [r["event"] for r in sorted(cloud.audit(body["job_id"]), key=lambda r: r["sk"])] == [
        "created",
        "uploaded",
        "started",
    ]


def test_second_start_of_a_running_job_is_409(cloud: Cloud) -> None:
    body = new_upload(cloud)
    cloud.put_object(body["key"], PDF)
    assert start(body["job_id"])["statusCode"] == 202
    response = start(body["job_id"])
    assert response["statusCode"] == 409
    assert response["json"]["error"]["code"] == "INVALID_TRANSITION"
    assert len(cloud.executions()) == 1


def test_retry_of_a_failed_job_starts_the_next_attempt(cloud: Cloud) -> None:
    body = new_upload(cloud)
    cloud.put_object(body["key"], PDF)
    start(body["job_id"])
    table = cloud.table(cloud.jobs_table)
    table.update_item(
        Key={"job_id": body["job_id"]},
        UpdateExpression="SET #s = :f, failure_reason = :r, task_token = :t",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":f": "FAILED", ":r": "OCR failed", ":t": "old-token"},
    )
    response = start(body["job_id"])
    assert response["statusCode"] == 202, response["json"]
    job = cloud.job(body["job_id"])
    assert job["status"] == "PROCESSING" and int(job["attempt"]) == 2
    assert "failure_reason" not in job and "task_token" not in job
    assert sorted(e["name"] for e in cloud.executions()) == sorted(
        [body["job_id"], f"{body['job_id']}-retry-2"]
    )
    assert "retried" in {r["event"] for r in cloud.audit(body["job_id"])}


def test_two_retries_at_once_write_exactly_one_retried_record(cloud: Cloud) -> None:
    from dataclasses import replace

    from docuflow.domain.status import JobStatus
    from services.api.dependencies import processing
    from services.api.logic.uploads import start_job
    from services.api.models import Job

    # Given a FAILED job
    body = new_upload(cloud)
    cloud.put_object(body["key"], PDF)
    start(body["job_id"])
    cloud.table(cloud.jobs_table).update_item(
        Key={"job_id": body["job_id"]},
        UpdateExpression="SET #s = :f",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":f": "FAILED"},
    )
    ports = processing()
    answers: list[Job] = []
    raced: list[bool] = []

    class RacingWorkflow:
        """StartExecution of the first retry answers late: meanwhile its execution's
        first step writes to the job and a second retry request comes in."""

        def start(self, name: str, payload: dict) -> str:
            if not raced:
                raced.append(True)
                ports.jobs.update(
                    body["job_id"],
                    expected_status=JobStatus.PROCESSING,
                    set_fields={"task_token": "token-of-the-first-step"},
                )
                # The second request, as its route runs it (a nested handler call
                # would share the resolver the first request is still inside).
                answers.append(Job.of(start_job(processing(), "acme", body["job_id"], actor="b")))
            return ports.workflow.start(name, payload)

    processing.override(replace(ports, workflow=RacingWorkflow()))  # type: ignore[arg-type]
    # When both retries run
    first = start(body["job_id"])
    # Then both are answered, the job is on its second attempt, and one retry is audited
    assert first["statusCode"] == 202, first["json"]
    assert answers[0].status == "PROCESSING"
    assert int(cloud.job(body["job_id"])["attempt"]) == 2
    assert [r["event"] for r in cloud.audit(body["job_id"])].count("retried") == 1


@pytest.mark.parametrize("job_id", ["no-such-job", "x" * 300, "bad%20id"])
def test_start_of_an_unknown_job_is_404(cloud: Cloud, job_id: str) -> None:
    response = start(job_id)
    assert response["statusCode"] == 404
    assert response["json"]["error"]["code"] == "JOB_NOT_FOUND"


@pytest.mark.parametrize(
    ("raw_body", "headers", "status"),
    [
        ("null", {}, 409),
        ("", {}, 409),
        ("{}", {"content-type": ""}, 409),
        (" ", {}, 400),
    ],
    ids=["null-is-no-request", "empty", "no-content-type-is-json", "blank-is-not-json"],
)
def test_start_takes_an_empty_or_null_body_as_no_request(
    cloud: Cloud, raw_body: str, headers: dict[str, str], status: int
) -> None:
    # Given a job whose document is not uploaded: a request that gets past validation
    # is answered 409 DOCUMENT_NOT_UPLOADED
    job_id = new_upload(cloud)["job_id"]
    event = http_event(
        "POST",
        "/jobs/{job_id}/start",
        path_params={"job_id": job_id},
        raw_body=raw_body,
        headers=headers,
    )
    response = call(uploads, event)
    assert response["statusCode"] == status, response["json"]
    assert_matches_openapi("/jobs/{job_id}/start", "post", response)


def test_start_with_unknown_body_field_is_400(cloud: Cloud) -> None:
    body = new_upload(cloud)
    response = start(body["job_id"], {"force": True})
    assert response["statusCode"] == 400


def test_unknown_route_is_a_json_404(cloud: Cloud) -> None:
    response = call(uploads, http_event("POST", "/nowhere"))
    assert response["statusCode"] == 404
    assert response["json"]["error"]["code"] == "ROUTE_NOT_FOUND"


@pytest.mark.parametrize("body", [[None, None], [], "go", 1])
def test_a_start_body_that_is_not_an_object_is_refused_and_starts_nothing(
    cloud: Cloud, body: Any
) -> None:
    created = new_upload(cloud)
    response = call(
        uploads,
        http_event(
            "POST", "/jobs/{job_id}/start", path_params={"job_id": created["job_id"]}, body=body
        ),
    )
    assert response["statusCode"] == 400, response["json"]
    assert cloud.job(created["job_id"])["status"] == "CREATED"
