"""The control endpoints under /_docuflow/: what each answers, and 400/404/405 otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import Client

from docuflow_tools.localcloud.control_routes import ControlRoutes
from docuflow_tools.localcloud.eventbridge import PutEventsFaults
from docuflow_tools.localcloud.textract_recordings import RecordingIndex
from docuflow_tools.localcloud.textract_standin import TextractStandIn

SHA = "ab" * 32


def _unused(*args: Any) -> Any:
    raise AssertionError("the control endpoints never read S3 nor publish")


@pytest.fixture
def client() -> Client:
    textract = TextractStandIn(_unused, publish=_unused, recordings=RecordingIndex(), mode="replay")
    routes = ControlRoutes(
        health=lambda: {"status": "ok"},
        lambda_stats=lambda: {"f": {"invocations": 2}},
        textract=textract,
        event_faults=PutEventsFaults(),
    )
    return Client(routes)


def test_health_lambda_and_textract_status(client: Client) -> None:
    assert client.get("/_docuflow/health").json == {"status": "ok"}
    assert client.get("/_docuflow/lambda/").json == {"functions": {"f": {"invocations": 2}}}
    status = client.get("/_docuflow/textract").json
    assert status is not None and status["mode"] == "replay"


def test_faults_are_set_read_and_cleared(client: Client) -> None:
    response = client.post("/_docuflow/textract/faults", json={"throttle_next_starts": 2})
    assert response.status_code == 200
    assert client.get("/_docuflow/textract/faults").json["throttle_next_starts"] == 2  # type: ignore[index]
    cleared = client.delete("/_docuflow/textract/faults").json
    assert cleared is not None and cleared["throttle_next_starts"] == 0


def test_a_recording_is_registered_and_listed(client: Client) -> None:
    response = client.post(
        "/_docuflow/textract/recordings",
        json={"sha256": SHA.upper(), "api": "expense", "response": {"ExpenseDocuments": []}},
    )
    assert response.status_code == 201
    assert response.json == {"sha256": SHA, "api": "expense"}
    listed = client.get("/_docuflow/textract/recordings").json
    assert listed == [{"sha256": SHA, "api": "expense", "source": "runtime"}]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "Expecting value"),
        (b"[1]", "must be a JSON object"),
        (b'{"sha256": "' + SHA.encode() + b'", "api": "expense"}', '"response"'),
        (b'{"sha256": "' + SHA.encode() + b'", "api": "forms", "response": {}}', "api must be"),
        (b'{"sha256": "nope", "api": "expense", "response": {}}', "64 lowercase hex"),
    ],
)
def test_a_bad_recording_is_a_400_saying_why(client: Client, body: bytes, message: str) -> None:
    response = client.post(
        "/_docuflow/textract/recordings", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json
    assert error is not None and error["error"]["code"] == "BAD_REQUEST"
    assert message in error["error"]["message"]
    assert client.get("/_docuflow/textract/recordings").json == []


def test_unknown_paths_are_404_and_other_methods_405(client: Client) -> None:
    assert client.get("/_docuflow/nothing").status_code == 404
    wrong = client.put("/_docuflow/textract/faults")
    assert wrong.status_code == 405
    assert wrong.json == {
        "error": {
            "code": "NOT_FOUND",
            "message": "PUT /_docuflow/textract/faults is not a control endpoint",
        }
    }
