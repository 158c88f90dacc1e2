"""The browser's view: the web app's origins may call the API and PUT to the presigned
upload URL (CORS preflights answered for them, CORS headers on every answer), and a
foreign origin may not."""

from __future__ import annotations

import pytest
import requests

from e2e.client import TIMEOUT, Api
from e2e.targets import Target

FOREIGN_ORIGIN = "http://foreign.invalid:8080"


@pytest.fixture
def origins(target: Target) -> tuple[str, ...]:
    if not target.web_origins:
        pytest.skip(
            f"no web origins known for target {target.name}: set DOCUFLOW_WEB_ORIGINS "
            "(a `docuflow up` outputs file lists its own)"
        )
    return target.web_origins


def _preflight(url: str, origin: str, method: str, headers: str) -> requests.Response:
    return requests.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
        timeout=TIMEOUT,
    )


def test_the_web_origins_may_call_the_api(api: Api, origins: tuple[str, ...]) -> None:
    for origin in origins:
        answer = _preflight(api.url("/uploads"), origin, "POST", "content-type")
        assert answer.status_code in (200, 204), (origin, answer.status_code)
        assert answer.headers.get("Access-Control-Allow-Origin") == origin
    foreign = _preflight(api.url("/uploads"), FOREIGN_ORIGIN, "POST", "content-type")
    assert foreign.headers.get("Access-Control-Allow-Origin") != FOREIGN_ORIGIN


def test_the_api_adds_cors_headers_to_its_answers(api: Api, origins: tuple[str, ...]) -> None:
    # Given the functions answer no CORS themselves, when the browser reads an answer
    # (a success or an error), then the HTTP API has added the CORS headers for its origin.
    for origin in origins:
        listed = api.get("/jobs", headers={"Origin": origin})
        assert listed.status_code == 200, listed.text
        assert listed.headers.get("Access-Control-Allow-Origin") == origin
        missing = api.get("/jobs/no-such-job", headers={"Origin": origin})
        assert missing.status_code == 404, missing.text
        assert missing.headers.get("Access-Control-Allow-Origin") == origin
    foreign = api.get("/jobs", headers={"Origin": FOREIGN_ORIGIN})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_the_web_origins_may_put_to_the_presigned_upload_url(
    api: Api, origins: tuple[str, ...]
) -> None:
    created = api.create_upload("cors-check.pdf", "application/pdf", 1024)
    upload_url = created["upload_url"]
    # The browser asks for exactly the headers the API told it to send.
    asked = ",".join(name.lower() for name in created["upload_headers"])
    for origin in origins:
        answer = _preflight(upload_url, origin, "PUT", asked)
        assert answer.status_code in (200, 204), (origin, answer.status_code, answer.text[:200])
        assert answer.headers.get("Access-Control-Allow-Origin") == origin
    foreign = _preflight(upload_url, FOREIGN_ORIGIN, "PUT", asked)
    assert foreign.status_code == 403, foreign.status_code
