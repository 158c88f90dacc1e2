"""The local cloud's single process: moto's server behind a WSGI layer.

The layer answers, before moto sees them:
- `POST /2015-03-31/functions/{name}/invocations` (Lambda Invoke, also what moto's Step
  Functions engine calls) by running the function in a worker process;
- `X-Amz-Target: AWSStepFunctions.ValidateStateMachineDefinition` (missing in moto, called
  by the Terraform AWS provider);
- `X-Amz-Target: Textract.*` from the Textract stand-in;
- `/_aws/execute-api/{api_id}/...` from the API Gateway v2 routes stored in moto;
- `/_docuflow/...` control endpoints (health, Textract faults and recordings).
Everything else goes to moto. S3 notifications to SQS and SNS deliveries to SQS are moto's
own; SQS event source mappings are polled here.

Where moto 5.2.5 falls short, and what this layer does about it:
- no ValidateStateMachineDefinition / ListStateMachineVersions / ListStateMachineAliases
  (the Terraform provider calls them): answered with AWS's answers for an unversioned machine;
- Lambda Invoke would need Docker: answered by worker processes (or, in compose, by each
  function's runtime interface emulator: DOCUFLOW_LAMBDA_ENDPOINTS);
- SendMessage to a mapped queue invokes the function inside moto, synchronously and
  without ReportBatchItemFailures: disabled, the SqsPoller does it the Lambda way;
- bucket policies are evaluated without their conditions, so a TLS-only Deny refuses every
  presigned request: such statements are left out (the emulator stands in for the TLS
  endpoint); other statements are enforced as moto enforces them;
- no Textract: the stand-in in textract.py.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from docuflow_tools.localcloud import httpapi
from docuflow_tools.localcloud.eventsources import SqsPoller
from docuflow_tools.localcloud.lambdas import (
    FunctionConfig,
    Invocation,
    LambdaRunner,
    LogSink,
    print_log,
)
from docuflow_tools.localcloud.textract_standin import RecordingIndex, TextractStandIn

SERVICES = frozenset({"aws", "textract"})
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
DEFAULT_PORT = 4566

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# Step Functions calls moto lacks and the Terraform provider makes: answered with what
# AWS answers for a state machine that was never published as a version.
_STEP_FUNCTIONS_GAPS: dict[str, dict[str, Any]] = {
    "AWSStepFunctions.ValidateStateMachineDefinition": {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    },
    "AWSStepFunctions.ListStateMachineVersions": {"stateMachineVersions": []},
    "AWSStepFunctions.ListStateMachineAliases": {"stateMachineAliases": []},
}

_INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations/?$")


def configure_moto(port: int) -> None:
    """Settings moto reads from the environment and its config, set before it is imported."""
    os.environ["MOTO_PORT"] = str(port)  # where its Step Functions engine calls Lambda
    os.environ.setdefault("MOTO_LAMBDA_STUB_ECR", "TRUE")  # image functions without a push
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    _disable_moto_sqs_delivery()
    _treat_local_transport_as_tls()


class _NoMappings(dict[str, Any]):
    """A queue's mapping table that never holds anything (writes are dropped)."""

    def __setitem__(self, key: str, value: Any) -> None:
        return None


def _without_secure_transport_denials(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy minus its "deny unless TLS" statements.

    moto evaluates bucket policies without conditions, so a TLS-only statement
    (Deny when aws:SecureTransport is false) would deny every presigned request. The
    emulator stands in for AWS's TLS endpoint: such statements never apply to it."""
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    kept = [
        statement
        for statement in statements
        if not (
            statement.get("Effect") == "Deny"
            and "aws:securetransport" in json.dumps(statement.get("Condition", {})).lower()
        )
    ]
    return {**policy, "Statement": kept}


def _treat_local_transport_as_tls() -> None:
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    if getattr(FakeBucket.get_permission, "_docuflow", False):
        return

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = _without_secure_transport_denials(json.loads(self.policy.decode()))
        return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)

    get_permission._docuflow = True  # type: ignore[attr-defined]
    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]


def _disable_moto_sqs_delivery() -> None:
    """moto would invoke a mapped function inside SendMessage itself (blocking the sender,
    ignoring ReportBatchItemFailures, and through Docker). The SqsPoller does that job, so
    moto's queues are made to forget their mappings."""
    from moto.sqs.models import Queue

    if not isinstance(getattr(Queue, "lambda_event_source_mappings", None), property):
        Queue.lambda_event_source_mappings = property(  # type: ignore[assignment]
            lambda self: _NoMappings(), lambda self, value: None
        )


def _json_response(
    start_response: StartResponse,
    status: int,
    body: Any,
    headers: list[tuple[str, str]] | None = None,
    content_type: str = "application/json",
) -> list[bytes]:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    all_headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
    all_headers.extend(headers or [])
    start_response(f"{status} {_REASONS.get(status, 'Status')}", all_headers)
    return [payload]


_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ["wsgi.input"]
    if length > 0:
        data: bytes = stream.read(length)
        return data
    if environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
        chunks = []
        while True:
            chunk = stream.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    return b""


def _json_object(raw: bytes) -> dict[str, Any]:
    body = json.loads(raw or b"{}")
    if not isinstance(body, dict):
        raise TypeError("the body must be a JSON object")
    return body


def _headers_of(environ: dict[str, Any]) -> list[tuple[str, str]]:
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").title(), str(value)))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    if environ.get("CONTENT_LENGTH"):
        headers.append(("Content-Length", environ["CONTENT_LENGTH"]))
    return headers


class _TtlCache:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        value = load()
        with self._lock:
            self._items[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class LocalCloudApp:
    """The WSGI layer in front of moto."""

    def __init__(
        self,
        port: int,
        *,
        textract_latency: float = 1.0,
        log: LogSink = print_log,
        pool_size: int | None = None,
        recordings: RecordingIndex | None = None,
        services: frozenset[str] = SERVICES,
    ) -> None:
        """`services` "textract" alone is the Textract-only role (next to LocalStack): the
        stand-in then reads S3 and publishes to SNS at AWS_ENDPOINT_URL, not at itself."""
        unknown = services - SERVICES
        if unknown or not services:
            raise ValueError(
                f"services must be a subset of {sorted(SERVICES)}, not {sorted(services)}"
            )
        self.services = services

        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        # Where the stand-in finds documents and publishes completions.
        self.backing_endpoint = self.endpoint
        if "aws" not in services:
            external = os.environ.get("AWS_ENDPOINT_URL")
            if not external:
                raise ValueError("the Textract-only role needs AWS_ENDPOINT_URL (S3 and SNS)")
            self.backing_endpoint = external
        self.moto: WsgiApp | None = None
        if "aws" in services:
            # moto's settings are process-wide (MOTO_PORT): only the full role sets them.
            configure_moto(port)
            from moto.moto_server.werkzeug_app import (
                DomainDispatcherApplication,
                create_backend_app,
            )

            self.moto = DomainDispatcherApplication(create_backend_app)
        self.runner = LambdaRunner(
            base_env={
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_SESSION_TOKEN": "test",
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "DOCUFLOW_ACCOUNT_ID": ACCOUNT_ID,
            },
            log=log,
            pool_size=pool_size or int(os.environ.get("DOCUFLOW_LOCALCLOUD_POOL_SIZE", "3")),
        )
        self.textract = TextractStandIn(
            read_object=self._read_object,
            publish=self._publish,
            recordings=recordings,
            latency_seconds=textract_latency,
        )
        self._function_cache = _TtlCache(ttl=2.0)
        self._api_cache = _TtlCache(ttl=2.0)
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        self.started_at = time.time()
        self.invocations = 0

    # ------------------------------------------------------------------ clients

    def client(self, service: str, endpoint: str | None = None) -> Any:
        """A boto3 client for this emulator (for reading what Terraform created), or for
        `endpoint` when given."""
        url = endpoint or self.endpoint
        key = f"{service}@{url}"
        with self._clients_lock:
            if key not in self._clients:
                import boto3
                from botocore.config import Config

                self._clients[key] = boto3.client(
                    service,  # type: ignore[call-overload]
                    endpoint_url=url,
                    region_name=REGION,
                    aws_access_key_id="test",
                    aws_secret_access_key="test",  # noqa: S106 - the emulator's dummy credentials
                    config=Config(retries={"max_attempts": 2}, read_timeout=60),
                )
            return self._clients[key]

    def _read_object(self, bucket: str, key: str, version: str | None) -> bytes:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version:
            kwargs["VersionId"] = version
        s3 = self.client("s3", self.backing_endpoint)
        body: bytes = s3.get_object(**kwargs)["Body"].read()
        return body

    def _publish(self, topic_arn: str, message: str) -> None:
        self.client("sns", self.backing_endpoint).publish(TopicArn=topic_arn, Message=message)

    # ------------------------------------------------------------------ Lambda

    def function_config(self, name_or_arn: str) -> FunctionConfig:
        def load() -> FunctionConfig:
            from botocore.exceptions import ClientError

            try:
                answer = self.client("lambda").get_function(FunctionName=name_or_arn)
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "ResourceNotFoundException":
                    raise LookupError(f"Function not found: {name_or_arn}") from exc
                raise
            config = answer["Configuration"]
            image = (config.get("ImageConfigResponse") or {}).get("ImageConfig") or {}
            command = image.get("Command") or []
            handler = command[0] if command else config.get("Handler")
            if not handler:
                raise LookupError(
                    f"Function {config['FunctionName']} has neither an image command "
                    "(ImageConfig.Command) nor a handler to run"
                )
            env = (config.get("Environment") or {}).get("Variables") or {}
            concurrency = answer.get("Concurrency", {}).get("ReservedConcurrentExecutions")
            return FunctionConfig(
                name=config["FunctionName"],
                handler=str(handler),
                timeout=int(config.get("Timeout") or 3),
                memory_size=int(config.get("MemorySize") or 128),
                environment=tuple(sorted((str(k), str(v)) for k, v in env.items())),
                reserved_concurrency=int(concurrency) if concurrency is not None else None,
            )

        config: FunctionConfig = self._function_cache.get(name_or_arn, load)
        return config

    def invoke(self, name_or_arn: str, payload: Any) -> Invocation:
        self.invocations += 1
        return self.runner.invoke(self.function_config(name_or_arn), payload)

    def _lambda_invoke(
        self, environ: dict[str, Any], start_response: StartResponse, name: str
    ) -> list[bytes]:
        raw = _read_body(environ)
        try:
            payload = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return _json_response(
                start_response,
                400,
                {"Type": "User", "message": "Could not parse request body into json"},
                [("X-Amzn-ErrorType", "InvalidRequestContentException")],
            )
        try:
            config = self.function_config(name)
        except LookupError as exc:
            return _json_response(
                start_response,
                404,
                {"Type": "User", "Message": str(exc), "message": str(exc)},
                [("X-Amzn-ErrorType", "ResourceNotFoundException")],
            )
        invocation_type = environ.get("HTTP_X_AMZ_INVOCATION_TYPE", "RequestResponse")
        if invocation_type == "DryRun":
            return _json_response(start_response, 204, b"")
        if invocation_type == "Event":
            self.invocations += 1
            threading.Thread(target=self.runner.invoke, args=(config, payload), daemon=True).start()
            return _json_response(start_response, 202, b"")
        self.invocations += 1
        outcome = self.runner.invoke(config, payload)
        headers = [("X-Amz-Executed-Version", "$LATEST")]
        if not outcome.ok:
            headers.append(("X-Amz-Function-Error", "Unhandled"))
            return _json_response(start_response, 200, outcome.error, headers)
        return _json_response(start_response, 200, outcome.result, headers)

    # ------------------------------------------------------------------ HTTP API

    def _routes(self, api_id: str) -> tuple[list[httpapi.Route], dict[str, Any] | None, set[str]]:
        def load() -> tuple[list[httpapi.Route], dict[str, Any] | None, set[str]]:
            client = self.client("apigatewayv2")
            api = client.get_api(ApiId=api_id)
            integrations = {
                item["IntegrationId"]: item
                for item in client.get_integrations(ApiId=api_id).get("Items", [])
            }
            routes = []
            for item in client.get_routes(ApiId=api_id).get("Items", []):
                target = str(item.get("Target") or "")
                integration = integrations.get(target.removeprefix("integrations/"))
                if integration is None:
                    continue
                routes.append(
                    httpapi.parse_route(
                        item["RouteKey"],
                        httpapi.function_from_integration_uri(
                            str(integration.get("IntegrationUri", ""))
                        ),
                        str(integration.get("PayloadFormatVersion") or "2.0"),
                    )
                )
            stages = {s["StageName"] for s in client.get_stages(ApiId=api_id).get("Items", [])}
            return routes, api.get("CorsConfiguration"), stages

        result: tuple[list[httpapi.Route], dict[str, Any] | None, set[str]] = self._api_cache.get(
            api_id, load
        )
        return result

    def _http_api(  # noqa: PLR0911 - one answer per way API Gateway can answer
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> list[bytes]:
        rest = environ.get("PATH_INFO", "")[len(httpapi.PREFIX) :]
        api_id, _, path = rest.partition("/")
        path = "/" + path
        method = environ["REQUEST_METHOD"].upper()
        from botocore.exceptions import ClientError

        try:
            routes, cors, stages = self._routes(api_id)
        except ClientError:
            return _json_response(start_response, 404, {"message": "Not Found"})
        stage = "$default"
        first = path.strip("/").split("/")[0]
        if "$default" not in stages and first in stages:
            stage = first
            path = "/" + path.strip("/").partition("/")[2]
        origin = environ.get("HTTP_ORIGIN")
        if method == "OPTIONS" and cors and environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"):
            headers = httpapi.cors_headers(cors, origin, preflight=True) or []
            return _json_response(start_response, 204, b"", headers)
        selected = httpapi.select_route(routes, method, path)
        extra = httpapi.cors_headers(cors, origin, preflight=False) or []
        if selected is None:
            return _json_response(start_response, 404, {"message": "Not Found"}, extra)
        route, params = selected
        event = httpapi.build_event(
            api_id=api_id,
            route=route,
            path_parameters=params,
            method=method,
            raw_path=path,
            raw_query=environ.get("QUERY_STRING", ""),
            headers=_headers_of(environ),
            body=_read_body(environ),
            source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
            stage=stage,
            domain_name=environ.get("HTTP_HOST", "127.0.0.1"),
            account_id=ACCOUNT_ID,
        )
        try:
            outcome = self.invoke(route.function, event)
        except LookupError:
            return _json_response(start_response, 500, {"message": "Internal Server Error"}, extra)
        if not outcome.ok:
            status = 503 if outcome.error_type == "Sandbox.Timedout" else 500
            message = "Service Unavailable" if status == 503 else "Internal Server Error"
            return _json_response(start_response, status, {"message": message}, extra)
        try:
            answer = httpapi.answer_from_result(outcome.result)
        except (ValueError, TypeError):
            return _json_response(start_response, 500, {"message": "Internal Server Error"}, extra)
        headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
        if extra:  # API Gateway's CORS headers replace the integration's
            names = {k.lower() for k, _ in extra}
            headers = [(k, v) for k, v in headers if k.lower() not in names] + extra
        headers.append(("Content-Length", str(len(answer.body))))
        start_response(f"{answer.status} {_REASONS.get(answer.status, 'Status')}", headers)
        return [answer.body]

    # ------------------------------------------------------------------ control

    def _control_routes(self) -> dict[tuple[str, str], Callable[[bytes], tuple[int, Any]]]:
        """(method, path) -> handler(body) -> (status, JSON answer)."""
        return {
            ("GET", "/_docuflow/health"): lambda _: (200, self.health()),
            ("GET", "/_docuflow/lambda"): lambda _: (200, {"functions": self.runner.stats()}),
            ("GET", "/_docuflow/textract"): lambda _: (200, self.textract.status()),
            ("GET", "/_docuflow/textract/faults"): lambda _: (200, self.textract.faults.snapshot()),
            ("DELETE", "/_docuflow/textract/faults"): lambda _: (200, self.textract.clear_faults()),
            ("POST", "/_docuflow/textract/faults"): lambda raw: (
                200,
                self.textract.set_faults(_json_object(raw)),
            ),
            ("GET", "/_docuflow/textract/recordings"): lambda _: (
                200,
                self.textract.recordings.describe(),
            ),
            ("POST", "/_docuflow/textract/recordings"): self._add_recording,
        }

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "endpoint": self.endpoint,
            "uptime_seconds": round(time.time() - self.started_at, 1),
            "invocations": self.invocations,
        }

    def _add_recording(self, raw: bytes) -> tuple[int, Any]:
        body = _json_object(raw)
        if "response" not in body:
            raise ValueError('the body is {"sha256", "api": "expense" | "document", "response"}')
        sha256, api = str(body.get("sha256", "")).lower(), body.get("api")
        if api not in ("expense", "document"):
            raise ValueError('api must be "expense" or "document"')
        self.textract.recordings.add(sha256, api, body["response"])
        return 201, {"sha256": sha256, "api": api}

    def _control(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ["REQUEST_METHOD"].upper()
        routes = self._control_routes()
        handler = routes.get((method, path))
        if handler is None:
            known = any(route_path == path for _, route_path in routes)
            status = 405 if known else 404
            message = f"{method} {path} is not a control endpoint"
            return _json_response(
                start_response, status, {"error": {"code": "NOT_FOUND", "message": message}}
            )
        try:
            status, answer = handler(_read_body(environ))
        except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError too
            return _json_response(
                start_response, 400, {"error": {"code": "BAD_REQUEST", "message": str(exc)}}
            )
        return _json_response(start_response, status, answer)

    # ------------------------------------------------------------------ dispatch

    def __call__(  # noqa: PLR0911 - the dispatcher: one return per route
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if path.startswith("/_docuflow/"):
            return self._control(environ, start_response)
        if self.moto is None and not target.startswith("Textract."):
            return _json_response(
                start_response,
                501,
                {"message": "this emulator runs in the Textract-only role (--services textract)"},
            )
        if path.startswith(httpapi.PREFIX):
            return self._http_api(environ, start_response)
        if environ.get("REQUEST_METHOD") == "POST":
            match = _INVOKE_PATH.match(path)
            if match:
                return self._lambda_invoke(environ, start_response, unquote(match.group("name")))
        if target.startswith("Textract."):
            raw = _read_body(environ)
            try:
                body = json.loads(raw) if raw else {}
            except json.JSONDecodeError:
                body = None
            if not isinstance(body, dict):
                return _json_response(
                    start_response,
                    400,
                    {
                        "__type": "SerializationException",
                        "message": "The body is not a JSON object",
                    },
                    content_type="application/x-amz-json-1.1",
                )
            status, answer = self.textract.handle(target, body)
            headers = [] if status == 200 else [("X-Amzn-ErrorType", str(answer.get("__type")))]
            return _json_response(
                start_response, status, answer, headers, content_type="application/x-amz-json-1.1"
            )
        if target in _STEP_FUNCTIONS_GAPS:
            _read_body(environ)
            return _json_response(
                start_response,
                200,
                _STEP_FUNCTIONS_GAPS[target],
                content_type="application/x-amz-json-1.0",
            )
        assert self.moto is not None  # the Textract-only role answered above
        return self.moto(environ, start_response)

    def close(self) -> None:
        self.textract.close()
        self.runner.close()


def _quiet_handler() -> type:
    """moto's request handler without a log line per request (errors still print)."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietHandler(MotoRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if str(code).startswith("5"):
                super().log_request(code, size)

    return QuietHandler


class LocalCloud:
    """The emulator as a server: start(), stop(), and the SQS pollers."""

    def __init__(
        self,
        *,
        port: int = DEFAULT_PORT,
        host: str = "127.0.0.1",
        textract_latency: float = 1.0,
        log: LogSink = print_log,
        pool_size: int | None = None,
        recordings: RecordingIndex | None = None,
        services: frozenset[str] = SERVICES,
    ) -> None:
        self.host = host
        self.port = port
        self.app = LocalCloudApp(
            port,
            textract_latency=textract_latency,
            log=log,
            pool_size=pool_size,
            recordings=recordings,
            services=services,
        )
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.poller: SqsPoller | None = None

    @property
    def endpoint(self) -> str:
        return self.app.endpoint

    def start(self) -> None:
        from werkzeug.serving import make_server

        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_quiet_handler()
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="localcloud"
        )
        self._thread.start()
        if "aws" not in self.app.services:
            return  # the Textract-only role has no queues to poll
        self.poller = SqsPoller(
            lambda_client=self.app.client("lambda"),
            sqs_client=self.app.client("sqs"),
            invoke=self.app.invoke,
            region=REGION,
            pollers_per_mapping=int(os.environ.get("DOCUFLOW_LOCALCLOUD_SQS_POLLERS", "2")),
        )
        self.poller.start()

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.app.close()
