"""A thin HTTP client of the DocuFlow API, used the way the web app uses it."""

from __future__ import annotations

from typing import Any, TypeVar

import requests

from e2e.documents import Document
from e2e.targets import Target
from tests.support import wait_for

T = TypeVar("T")
FINAL = {"COMPLETED", "NEEDS_REVIEW", "FAILED", "APPROVED", "REJECTED"}
TIMEOUT = 30


class Api:
    """The API as one signed-in user (`token`, an ID token) or as nobody (None)."""

    def __init__(self, target: Target, token: str | None = None) -> None:
        self.target = target
        self.base = target.api_base_url
        self.token = token
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.url(path), timeout=TIMEOUT, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url(path), json=body, timeout=TIMEOUT, **kwargs)

    def create_upload(self, filename: str, content_type: str, size: int) -> dict[str, Any]:
        response = self.post(
            "/uploads", {"filename": filename, "content_type": content_type, "size_bytes": size}
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def upload(self, data: bytes, filename: str, content_type: str) -> str:
        """POST /uploads, then PUT the bytes to the presigned URL; returns the job id."""
        created = self.create_upload(filename, content_type, len(data))
        put = requests.put(
            created["upload_url"],
            data=data,
            headers=created.get("upload_headers") or {},
            timeout=TIMEOUT,
        )
        assert put.status_code in (200, 204), f"presigned PUT failed: {put.status_code} {put.text}"
        return str(created["job_id"])

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.get(f"/jobs/{job_id}")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        return job

    def wait_status(
        self, job_id: str, statuses: set[str] | None = None, timeout: float = 120
    ) -> dict[str, Any]:
        wanted = statuses or FINAL

        def reached() -> dict[str, Any] | None:
            job = self.job(job_id)
            return job if job["status"] in wanted else None

        return wait_for(
            reached,
            timeout,
            f"job {job_id} to reach {sorted(wanted)}",
        )

    def result(self, job_id: str) -> dict[str, Any]:
        response = self.get(f"/jobs/{job_id}/result")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def audit(self, job_id: str) -> list[dict[str, Any]]:
        response = self.get(f"/jobs/{job_id}/audit")
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def decide(self, job_id: str, body: dict[str, Any]) -> requests.Response:
        return self.post(f"/review/jobs/{job_id}/decision", body)


def prepare(target: Target, document: Document) -> None:
    """Register the document's expected Textract response on a local target."""
    if target.control_url is not None and document.expense_recording is not None:
        Control(target.control_url).record(document.sha256, "expense", document.expense_recording)


class Control:
    """The local cloud's controls: the Textract stand-in's faults and recordings, and
    PutEvents faults."""

    def __init__(self, control_url: str) -> None:
        self.base = control_url.rstrip("/")

    def faults(self, **settings: Any) -> dict[str, Any]:
        response = requests.post(f"{self.base}/textract/faults", json=settings, timeout=TIMEOUT)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def clear_faults(self) -> None:
        requests.delete(f"{self.base}/textract/faults", timeout=TIMEOUT).raise_for_status()

    def event_faults(self, **settings: Any) -> dict[str, Any]:
        """Fail the next PutEvents calls (fail_next_puts, detail_contains): see
        docuflow_tools.localcloud.eventbridge."""
        response = requests.post(f"{self.base}/events/faults", json=settings, timeout=TIMEOUT)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def event_fault_status(self) -> dict[str, Any]:
        status: dict[str, Any] = requests.get(f"{self.base}/events/faults", timeout=TIMEOUT).json()
        return status

    def clear_event_faults(self) -> None:
        requests.delete(f"{self.base}/events/faults", timeout=TIMEOUT).raise_for_status()

    def record(self, sha256: str, api: str, response: Any) -> None:
        answer = requests.post(
            f"{self.base}/textract/recordings",
            json={"sha256": sha256, "api": api, "response": response},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 201, answer.text

    def textract(self) -> dict[str, Any]:
        status: dict[str, Any] = requests.get(f"{self.base}/textract", timeout=TIMEOUT).json()
        return status
