"""The emulator's control endpoints under `/_docuflow/`, for tests, benchmarks and people.

    GET    /_docuflow/health               status, endpoint, uptime, invocations
    GET    /_docuflow/lambda               per-function invocation and duration figures
    GET    /_docuflow/textract             the Textract stand-in's mode, faults, jobs, stats
    GET    /_docuflow/textract/faults      the faults it has been told to inject
    POST   /_docuflow/textract/faults      set any of throttle_next_starts, throttle_seconds
                                           (every start for that long), fail_next_jobs,
                                           fail_sha256, latency_seconds, status_message, reset
    DELETE /_docuflow/textract/faults      clear them
    GET    /_docuflow/textract/quotas      the account quotas it holds (null: unlimited)
    POST   /_docuflow/textract/quotas      set start_tps and max_concurrent_jobs
    GET    /_docuflow/events/faults        the PutEvents faults set (and how many it refused)
    POST   /_docuflow/events/faults        {"fail_next_puts": n, "detail_contains": "text"}:
                                           the next n PutEvents calls (whose entries carry
                                           the text) fail their entries
    DELETE /_docuflow/events/faults        clear them
    GET    /_docuflow/textract/recordings  the recordings it replays (sha256, api, source)
    POST   /_docuflow/textract/recordings  {"sha256", "api": "expense" | "document", "response"}

Answers are JSON; a body that is not what the endpoint takes is a 400 with
`{"error": {"code", "message"}}`, an unknown path a 404 and a known path with another
method a 405.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docuflow_tools.localcloud.eventbridge import PutEventsFaults
from docuflow_tools.localcloud.textract_standin import TextractStandIn
from docuflow_tools.localcloud.wsgi import StartResponse, json_object, json_response, read_body

PREFIX = "/_docuflow/"

Handler = Callable[[bytes], tuple[int, Any]]


class ControlRoutes:
    """WSGI app for `/_docuflow/...`: (method, path) -> handler(body) -> (status, JSON)."""

    def __init__(
        self,
        *,
        health: Callable[[], dict[str, Any]],
        lambda_stats: Callable[[], dict[str, Any]],
        textract: TextractStandIn,
        event_faults: PutEventsFaults,
    ) -> None:
        self.textract = textract
        self.routes: dict[tuple[str, str], Handler] = {
            ("GET", "/_docuflow/health"): lambda _: (200, health()),
            ("GET", "/_docuflow/lambda"): lambda _: (200, {"functions": lambda_stats()}),
            ("GET", "/_docuflow/textract"): lambda _: (200, textract.status()),
            ("GET", "/_docuflow/textract/faults"): lambda _: (200, textract.faults.snapshot()),
            ("DELETE", "/_docuflow/textract/faults"): lambda _: (200, textract.clear_faults()),
            ("POST", "/_docuflow/textract/faults"): lambda raw: (
                200,
                textract.set_faults(json_object(raw)),
            ),
            ("GET", "/_docuflow/textract/quotas"): lambda _: (200, textract.quotas.snapshot()),
            ("POST", "/_docuflow/textract/quotas"): lambda raw: (
                200,
                textract.set_quotas(json_object(raw)),
            ),
            ("GET", "/_docuflow/textract/recordings"): lambda _: (
                200,
                textract.recordings.describe(),
            ),
            ("POST", "/_docuflow/textract/recordings"): self._add_recording,
            ("GET", "/_docuflow/events/faults"): lambda _: (200, event_faults.snapshot()),
            ("DELETE", "/_docuflow/events/faults"): lambda _: (200, event_faults.clear()),
            ("POST", "/_docuflow/events/faults"): lambda raw: (
                200,
                event_faults.set(json_object(raw)),
            ),
        }

    def _add_recording(self, raw: bytes) -> tuple[int, Any]:
        body = json_object(raw)
        if "response" not in body:
            raise ValueError('the body is {"sha256", "api": "expense" | "document", "response"}')
        sha256, api = str(body.get("sha256", "")).lower(), body.get("api")
        if api not in ("expense", "document"):
            raise ValueError('api must be "expense" or "document"')
        self.textract.recordings.add(sha256, api, body["response"])
        return 201, {"sha256": sha256, "api": api}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ["REQUEST_METHOD"].upper()
        handler = self.routes.get((method, path))
        if handler is None:
            known = any(route_path == path for _, route_path in self.routes)
            status = 405 if known else 404
            message = f"{method} {path} is not a control endpoint"
            return json_response(
                start_response, status, {"error": {"code": "NOT_FOUND", "message": message}}
            )
        try:
            status, answer = handler(read_body(environ))
        except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError too
            return json_response(
                start_response, 400, {"error": {"code": "BAD_REQUEST", "message": str(exc)}}
            )
        return json_response(start_response, status, answer)
