"""The emulator's container roles: Lambda functions behind runtime interface emulators
(DOCUFLOW_LAMBDA_ENDPOINTS) and the Textract-only role next to another AWS endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from docuflow_tools.localcloud.lambdas import invoke_remote
from docuflow_tools.localcloud.ports import free_port
from docuflow_tools.localcloud.server import LocalCloud
from docuflow_tools.paths import textract_fixtures_dir
from tests.localcloud.helpers import unique
from tests.support import wait_for


@Request.application  # type: ignore[misc]
def fake_rie(request: Request) -> Response:
    """Answers like the Lambda runtime interface emulator."""
    assert request.path == "/2015-03-31/functions/function/invocations"
    event = json.loads(request.data)
    if event.get("fail"):
        body = {"errorType": "OcrFailed", "errorMessage": "no text", "stackTrace": []}
        return Response(json.dumps(body), headers={"X-Amz-Function-Error": "Unhandled"})
    return Response(json.dumps({"echo": event}))


@pytest.fixture(scope="module")
def rie_url() -> Iterator[str]:
    port = free_port()
    server = make_server("127.0.0.1", port, fake_rie, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


def test_remote_invocation_returns_results_and_lambda_errors(rie_url: str) -> None:
    ok = invoke_remote(rie_url, {"a": 1}, timeout=5)
    assert ok.ok
    assert ok.result == {"echo": {"a": 1}}
    failed = invoke_remote(rie_url, {"fail": True}, timeout=5)
    assert not failed.ok
    assert failed.error_type == "OcrFailed"
    down = invoke_remote("http://127.0.0.1:9", {}, timeout=1)
    assert down.error_type == "Runtime.Unavailable"


def test_textract_only_role_reads_documents_from_the_other_endpoint(
    cloud: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a document in the "other" cloud's S3 (the session emulator plays LocalStack)
    s3 = cloud.client("s3")
    bucket = unique("elsewhere")
    s3.create_bucket(Bucket=bucket)
    receipt = (textract_fixtures_dir() / "documents" / "receipt-mega.jpg").read_bytes()
    s3.put_object(Bucket=bucket, Key="raw/r.jpg", Body=receipt)
    monkeypatch.setenv("AWS_ENDPOINT_URL", cloud.endpoint)
    # When a Textract-only emulator analyses it
    only = LocalCloud(port=free_port(), textract_latency=0.1, services=frozenset({"textract"}))
    only.start()
    try:
        import boto3

        textract = boto3.client(
            "textract",
            endpoint_url=only.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        job = textract.start_expense_analysis(
            DocumentLocation={"S3Object": {"Bucket": bucket, "Name": "raw/r.jpg"}}
        )
        # Then the job succeeds from the recording, and other AWS calls are refused
        done = wait_for(
            lambda: (
                (r := textract.get_expense_analysis(JobId=job["JobId"]))["JobStatus"]
                != "IN_PROGRESS"
                and r
            )
        )
        assert done["JobStatus"] == "SUCCEEDED"
        refused = requests.get(f"{only.endpoint}/", timeout=10)
        assert refused.status_code == 501
        assert requests.get(f"{only.endpoint}/_docuflow/health", timeout=10).status_code == 200
    finally:
        only.stop()
