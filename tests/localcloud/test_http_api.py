"""The HTTP API is served from API Gateway v2 routes as payload format 2.0 events."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from tests.localcloud.helpers import create_function, unique


@pytest.fixture(scope="module")
def api(cloud: Any) -> str:
    function = create_function(cloud, "http")
    arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function}"
    client = cloud.client("apigatewayv2")
    api_id = client.create_api(
        Name=unique("api"),
        ProtocolType="HTTP",
        CorsConfiguration={
            "AllowOrigins": ["http://127.0.0.1:4173"],
            "AllowMethods": ["GET", "POST"],
            "AllowHeaders": ["content-type"],
            "MaxAge": 300,
        },
    )["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations",
        PayloadFormatVersion="2.0",
    )["IntegrationId"]
    for key in [
        "GET /jobs/{job_id}",
        "GET /jobs/{job_id}/result",
        "POST /uploads",
        "GET /files/{path+}",
    ]:
        client.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integration}")
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return f"{cloud.endpoint}/_aws/execute-api/{api_id}"


def test_path_parameters_query_and_headers_reach_the_function(api: str) -> None:
    response = requests.get(
        f"{api}/jobs/j-123/result?x=1&x=2&y=", headers={"X-Test": "yes"}, timeout=30
    )
    assert response.status_code == 200
    event = response.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /jobs/{job_id}/result"
    assert event["rawPath"] == "/jobs/j-123/result"
    assert event["pathParameters"] == {"job_id": "j-123"}
    assert event["rawQueryString"] == "x=1&x=2&y="
    assert event["queryStringParameters"] == {"x": "1,2", "y": ""}
    assert event["headers"]["x-test"] == "yes"
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["requestContext"]["http"]["path"] == "/jobs/j-123/result"
    assert event["requestContext"]["routeKey"] == "GET /jobs/{job_id}/result"
    assert event["requestContext"]["stage"] == "$default"
    assert event["isBase64Encoded"] is False
    assert "body" not in event
    assert response.headers["x-route"] == "GET /jobs/{job_id}/result"


def test_json_body_is_passed_as_text_and_binary_as_base64(api: str) -> None:
    event = requests.post(f"{api}/uploads", json={"filename": "a.pdf"}, timeout=30).json()
    assert event["routeKey"] == "POST /uploads"
    assert json.loads(event["body"]) == {"filename": "a.pdf"}
    assert event["isBase64Encoded"] is False
    binary = requests.post(
        f"{api}/uploads",
        data=b"%PDF\x00\xff",
        headers={"Content-Type": "application/pdf"},
        timeout=30,
    ).json()
    assert binary["isBase64Encoded"] is True
    assert binary["body"] == "JVBERgD/"


def test_a_json_body_that_is_not_utf8_reaches_the_function_base64_encoded(api: str) -> None:
    # Given bytes that claim to be JSON but are not UTF-8 text
    raw = b'{"filename": "\xff\xfe.pdf"}'
    # When they are posted, then the function gets them intact (to refuse them itself)
    response = requests.post(
        f"{api}/uploads", data=raw, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 200, response.text
    event = response.json()
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == raw


def test_greedy_path_parameter_and_unknown_route(api: str) -> None:
    event = requests.get(f"{api}/files/a/b/c.txt", timeout=30).json()
    assert event["pathParameters"] == {"path": "a/b/c.txt"}
    missing = requests.get(f"{api}/nothing/here", timeout=30)
    assert missing.status_code == 404
    wrong_method = requests.delete(f"{api}/jobs/j-1", timeout=30)
    assert wrong_method.status_code == 404


def test_cors_preflight_is_answered_from_the_api_configuration(api: str) -> None:
    preflight = requests.options(
        f"{api}/uploads",
        headers={"Origin": "http://127.0.0.1:4173", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:4173"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Max-Age"] == "300"
    actual = requests.get(
        f"{api}/jobs/j-1", headers={"Origin": "http://127.0.0.1:4173"}, timeout=30
    )
    assert actual.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:4173"
    foreign = requests.get(f"{api}/jobs/j-1", headers={"Origin": "http://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_route_selection_prefers_literal_segments() -> None:
    from docuflow_tools.localcloud.httpapi import parse_route, select_route

    routes = [
        parse_route("ANY /{proxy+}", "f0", "2.0"),
        parse_route("GET /review/jobs/{job_id}", "f1", "2.0"),
        parse_route("GET /review/jobs", "f2", "2.0"),
        parse_route("$default", "f3", "2.0"),
    ]
    assert select_route(routes, "GET", "/review/jobs")[0].function == "f2"  # type: ignore[index]
    assert select_route(routes, "GET", "/review/jobs/7")[0].function == "f1"  # type: ignore[index]
    assert select_route(routes, "POST", "/review/jobs/7")[0].function == "f0"  # type: ignore[index]
    assert select_route(routes, "GET", "/")[0].function == "f3"  # type: ignore[index]


def test_a_method_no_route_names_goes_to_the_paths_any_route() -> None:
    from docuflow_tools.localcloud.httpapi import parse_route, select_route

    # Given a path with its operation's route and the ANY route Terraform adds (infra/api.tf)
    routes = [
        parse_route("GET /jobs/{job_id}", "jobs-get", "2.0"),
        parse_route("ANY /jobs/{job_id}", "jobs-any", "2.0"),
    ]
    # Then the operation keeps its route, and any other method reaches the function (405)
    assert select_route(routes, "GET", "/jobs/7")[0].function == "jobs-get"  # type: ignore[index]
    assert select_route(routes, "TRACE", "/jobs/7")[0].function == "jobs-any"  # type: ignore[index]
    assert select_route(routes, "TRACE", "/jobs/7/x") is None


# Every request header Amplify 6's Cognito client sends from the browser (seen in a
# Playwright trace of the web app's sign-in).
AMPLIFY_HEADERS = (
    "content-type, x-amz-target, x-amz-user-agent, cache-control, "
    "amz-sdk-request, amz-sdk-invocation-id"
)


def test_the_cognito_preflight_allows_every_header_amplify_sends(cloud: Any) -> None:
    preflight = requests.options(
        f"{cloud.endpoint}/",
        headers={
            "Origin": "http://127.0.0.1:4173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": AMPLIFY_HEADERS,
        },
        timeout=30,
    )
    assert preflight.status_code == 204
    allowed = {h.strip() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")}
    assert {h.strip() for h in AMPLIFY_HEADERS.split(",")} <= allowed
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_a_cognito_answer_to_a_browser_has_one_allow_origin(cloud: Any) -> None:
    answer = requests.post(
        f"{cloud.endpoint}/",
        data="{}",
        headers={
            "Origin": "http://127.0.0.1:4173",
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
        },
        timeout=30,
    )
    # (requests joins repeated headers with ", ": one value means one header)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
