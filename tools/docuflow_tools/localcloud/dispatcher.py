"""The emulator's WSGI app: each request to the one port goes to whoever answers it.

Answered here, before moto sees them:
- `/_docuflow/...`: the control endpoints (control_routes.py);
- `/_aws/execute-api/{api_id}/...`: the HTTP API, from the API Gateway v2 routes stored in
  moto (events and answers shaped by httpapi.py), run as Lambda invocations;
- `POST /2015-03-31/functions/{name}/invocations`: Lambda Invoke (also what moto's Step
  Functions engine calls), run by worker processes (lambdas.py) or, in compose, by each
  function's runtime interface emulator (DOCUFLOW_LAMBDA_ENDPOINTS);
- `X-Amz-Target: Textract.*`: the Textract stand-in (textract_standin.py);
- the Step Functions calls moto lacks (moto_patches.STEP_FUNCTIONS_GAPS).
Everything else goes to moto, configured and patched by moto_patches.py: S3 requests only
once their authentication is what S3 accepts (s3_auth.py: presigned URLs verified,
anonymous requests refused), and every request under the state gate
(persistence.StateGate), so a snapshot of the state never holds half a request; requests
that change something are reported (`on_write`) for the next checkpoint. S3 notifications
to SQS and SNS deliveries to SQS are moto's own; SQS event source mappings are polled by
the server (server.py).
"""

from __future__ import annotations

import io
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from docuflow_tools.localcloud import authorizer as jwt_authorizer
from docuflow_tools.localcloud import httpapi
from docuflow_tools.localcloud.control_routes import PREFIX as CONTROL_PREFIX
from docuflow_tools.localcloud.control_routes import ControlRoutes
from docuflow_tools.localcloud.eventbridge import PutEventsFaults
from docuflow_tools.localcloud.lambdas import (
    DEFAULT_MAX_WORKERS,
    FunctionConfig,
    Invocation,
    LambdaRunner,
    LogSink,
    print_log,
)
from docuflow_tools.localcloud.moto_patches import STEP_FUNCTIONS_GAPS, configure_moto
from docuflow_tools.localcloud.persistence import FunctionCredentials, StateGate
from docuflow_tools.localcloud.s3_auth import S3Authenticator, S3Error, Secret
from docuflow_tools.localcloud.textract_recordings import RecordingIndex
from docuflow_tools.localcloud.textract_standin import TextractStandIn
from docuflow_tools.localcloud.wsgi import (
    StartResponse,
    headers_of,
    json_response,
    read_body,
    status_line,
)

SERVICES = frozenset({"aws", "textract"})
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"

_INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations/?$")
# People, tests and Terraform use these; the functions get credentials of their own.
TEST_ACCESS_KEY = "test"
TEST_SECRET_KEY = "test"  # noqa: S105 - the emulator's published dummy credentials
_READ_ACTIONS = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "TransactGet", "Receive")
# Long polls would hold a snapshot back for their whole wait; a receive changes nothing a
# snapshot needs (messages in flight are made visible again on load, persistence.py).
# Answered here while a fault is set (eventbridge.PutEventsFaults), by moto otherwise.
PUT_EVENTS_TARGET = "AWSEvents.PutEvents"
_UNGATED_TARGETS = frozenset({"AmazonSQS.ReceiveMessage"})


def changes_state(environ: dict[str, Any]) -> bool:
    """Whether a request to moto may change its state: JSON and query protocol actions by
    their name, REST calls (S3, Lambda, API Gateway) by their method. For checkpoints only,
    so a doubtful case counts as a change."""
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    action = target.rpartition(".")[2] if target else _query_action(environ)
    if action:
        return not action.startswith(_READ_ACTIONS)
    return str(environ.get("REQUEST_METHOD", "GET")).upper() not in ("GET", "HEAD", "OPTIONS")


def _query_action(environ: dict[str, Any]) -> str:
    """`Action` of a query-protocol request (SNS, IAM, STS), from the URL or the form body;
    a body read here is put back for moto."""
    for part in str(environ.get("QUERY_STRING", "")).split("&"):
        if part.startswith("Action="):
            return part[len("Action=") :]
    if not str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        return ""
    body = read_body(environ)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    for field in body.split(b"&"):
        if field.startswith(b"Action="):
            return field[len(b"Action=") :].decode("ascii", "replace")
    return ""


# Cognito's user-pool API answers browsers of any origin (the web app signs in from its
# own origin, with Amplify): a preflight naming X-Amz-Target, then the POST. Amplify 6
# also sends the SDK's retry headers (amz-sdk-request, amz-sdk-invocation-id).
COGNITO_TARGET = "AWSCognitoIdentityProviderService."
COGNITO_CORS = [("Access-Control-Allow-Origin", "*")]
COGNITO_CORS_PREFLIGHT = [
    *COGNITO_CORS,
    ("Access-Control-Allow-Methods", "POST"),
    (
        "Access-Control-Allow-Headers",
        "content-type, x-amz-target, x-amz-user-agent, cache-control, "
        "amz-sdk-request, amz-sdk-invocation-id",
    ),
    ("Access-Control-Max-Age", "300"),
]


def _cognito_preflight(environ: dict[str, Any]) -> bool:
    return (
        str(environ.get("REQUEST_METHOD", "")).upper() == "OPTIONS"
        and environ.get("PATH_INFO", "") in ("", "/")
        and "x-amz-target" in str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")).lower()
    )


def _with_headers(start_response: StartResponse, extra: list[tuple[str, str]]) -> StartResponse:
    """`extra` in place of any header of the same name (moto sets its own
    Access-Control-Allow-Origin; a browser refuses two)."""
    names = {name.lower() for name, _ in extra}

    def started(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        kept = [(name, value) for name, value in headers if name.lower() not in names]
        return start_response(status, [*kept, *extra], *args)

    return started


class _TtlCache:
    """What Terraform created, looked up at most every `ttl` seconds per key."""

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
        credentials: FunctionCredentials | None = None,
    ) -> None:
        """`services` "textract" alone is the Textract-only role (next to LocalStack): the
        stand-in then reads S3 and publishes to SNS at AWS_ENDPOINT_URL, not at itself.
        `credentials` are the functions' (persistence.EmulatorState); new ones if None."""
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
        self.moto: Any = None  # moto's DomainDispatcherApplication, in the full role
        if "aws" in services:
            # moto's settings are process-wide (MOTO_PORT): only the full role sets them.
            configure_moto(port, REGION)
            from moto.moto_server.werkzeug_app import (
                DomainDispatcherApplication,
                create_backend_app,
            )

            self.moto = DomainDispatcherApplication(create_backend_app)
        self.credentials = credentials or FunctionCredentials.issue()
        self.gate = StateGate()
        self.on_write: Callable[[], None] = lambda: None
        self.s3_auth = S3Authenticator(self._secret, REGION)
        self.runner = LambdaRunner(
            base_env={
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": self.credentials.access_key,
                "AWS_SECRET_ACCESS_KEY": self.credentials.secret_key,
                "AWS_SESSION_TOKEN": self.credentials.session_token,
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "DOCUFLOW_ACCOUNT_ID": ACCOUNT_ID,
            },
            log=log,
            pool_size=pool_size or int(os.environ.get("DOCUFLOW_LOCALCLOUD_POOL_SIZE", "3")),
            max_workers=int(
                os.environ.get("DOCUFLOW_LOCALCLOUD_MAX_WORKERS") or DEFAULT_MAX_WORKERS
            ),
        )
        self.textract = TextractStandIn(
            read_object=self._read_object,
            publish=self._publish,
            recordings=recordings,
            latency_seconds=textract_latency,
        )
        self.event_faults = PutEventsFaults()
        self.control = ControlRoutes(
            health=self.health,
            lambda_stats=self.runner.stats,
            textract=self.textract,
            event_faults=self.event_faults,
        )
        self._function_cache = _TtlCache(ttl=2.0)
        self._api_cache = _TtlCache(ttl=2.0)
        self._keys = jwt_authorizer.KeySets(
            lambda issuer: jwt_authorizer.jwks_url(issuer, self.endpoint)
        )
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        # More figures for /_docuflow/health (the server's memory and state: server.py).
        self.extra_health: Callable[[], dict[str, Any]] = dict
        self.started_at = time.time()
        self.invocations = 0

    def _secret(self, access_key: str) -> Secret | None:
        """The secret of a key this emulator issued (s3_auth.Credentials)."""
        if access_key == TEST_ACCESS_KEY:
            return Secret(TEST_SECRET_KEY)
        if access_key == self.credentials.access_key:
            return Secret(self.credentials.secret_key, self.credentials.session_token)
        return None

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
                    aws_access_key_id=TEST_ACCESS_KEY,
                    aws_secret_access_key=TEST_SECRET_KEY,
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

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "endpoint": self.endpoint,
            "uptime_seconds": round(time.time() - self.started_at, 1),
            "invocations": self.invocations,
            **self.extra_health(),
        }

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
        raw = read_body(environ)
        try:
            payload = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return json_response(
                start_response,
                400,
                {"Type": "User", "message": "Could not parse request body into json"},
                [("X-Amzn-ErrorType", "InvalidRequestContentException")],
            )
        try:
            config = self.function_config(name)
        except LookupError as exc:
            return json_response(
                start_response,
                404,
                {"Type": "User", "Message": str(exc), "message": str(exc)},
                [("X-Amzn-ErrorType", "ResourceNotFoundException")],
            )
        invocation_type = environ.get("HTTP_X_AMZ_INVOCATION_TYPE", "RequestResponse")
        if invocation_type == "DryRun":
            return json_response(start_response, 204, b"")
        if invocation_type == "Event":
            self.invocations += 1
            threading.Thread(target=self.runner.invoke, args=(config, payload), daemon=True).start()
            return json_response(start_response, 202, b"")
        self.invocations += 1
        outcome = self.runner.invoke(config, payload)
        headers = [("X-Amz-Executed-Version", "$LATEST")]
        if not outcome.ok:
            headers.append(("X-Amz-Function-Error", "Unhandled"))
            return json_response(start_response, 200, outcome.error, headers)
        return json_response(start_response, 200, outcome.result, headers)

    # ------------------------------------------------------------------ HTTP API

    def _routes(self, api_id: str) -> tuple[list[httpapi.Route], dict[str, Any] | None, set[str]]:
        def load() -> tuple[list[httpapi.Route], dict[str, Any] | None, set[str]]:
            client = self.client("apigatewayv2")
            api = client.get_api(ApiId=api_id)
            integrations = {
                item["IntegrationId"]: item
                for item in client.get_integrations(ApiId=api_id).get("Items", [])
            }
            route_items = client.get_routes(ApiId=api_id).get("Items", [])
            # One GetAuthorizer per authorizer the routes name (moto lacks GetAuthorizers).
            authorizers = {
                authorizer_id: jwt_authorizer.JwtAuthorizer.of(
                    client.get_authorizer(ApiId=api_id, AuthorizerId=authorizer_id)
                )
                for authorizer_id in {
                    str(item["AuthorizerId"])
                    for item in route_items
                    if item.get("AuthorizationType") == "JWT" and item.get("AuthorizerId")
                }
            }
            routes = []
            for item in route_items:
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
                        authorizers.get(str(item.get("AuthorizerId")))
                        if item.get("AuthorizationType") == "JWT"
                        else None,
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
            return json_response(start_response, 404, {"message": "Not Found"})
        stage = "$default"
        first = path.strip("/").split("/")[0]
        if "$default" not in stages and first in stages:
            stage = first
            path = "/" + path.strip("/").partition("/")[2]
        origin = environ.get("HTTP_ORIGIN")
        if method == "OPTIONS" and cors and environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"):
            headers = httpapi.cors_headers(cors, origin, preflight=True) or []
            return json_response(start_response, 204, b"", headers)
        selected = httpapi.select_route(routes, method, path)
        extra = httpapi.cors_headers(cors, origin, preflight=False) or []
        if selected is None:
            return json_response(start_response, 404, {"message": "Not Found"}, extra)
        route, params = selected
        headers = headers_of(environ)
        context = None
        if route.authorizer is not None:
            try:
                token = jwt_authorizer.token_from(
                    route.authorizer, {k.lower(): v for k, v in headers}
                )
                claims = jwt_authorizer.verify(route.authorizer, token, self._keys)
            except jwt_authorizer.Unauthorized as exc:
                read_body(environ)
                denied = extra + jwt_authorizer.unauthorized_headers(str(exc))
                return json_response(start_response, 401, {"message": "Unauthorized"}, denied)
            context = jwt_authorizer.as_context(claims)
        event = httpapi.build_event(
            api_id=api_id,
            route=route,
            path_parameters=params,
            method=method,
            raw_path=path,
            raw_query=environ.get("QUERY_STRING", ""),
            headers=headers,
            body=read_body(environ),
            source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
            stage=stage,
            domain_name=environ.get("HTTP_HOST", "127.0.0.1"),
            account_id=ACCOUNT_ID,
            authorizer=context,
        )
        try:
            outcome = self.invoke(route.function, event)
        except LookupError:
            return json_response(start_response, 500, {"message": "Internal Server Error"}, extra)
        if not outcome.ok:
            status = 503 if outcome.error_type == "Sandbox.Timedout" else 500
            message = "Service Unavailable" if status == 503 else "Internal Server Error"
            return json_response(start_response, status, {"message": message}, extra)
        try:
            answer = httpapi.answer_from_result(outcome.result)
        except (ValueError, TypeError):
            return json_response(start_response, 500, {"message": "Internal Server Error"}, extra)
        headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
        if extra:  # API Gateway's CORS headers replace the integration's
            names = {k.lower() for k, _ in extra}
            headers = [(k, v) for k, v in headers if k.lower() not in names] + extra
        headers.append(("Content-Length", str(len(answer.body))))
        start_response(status_line(answer.status), headers)
        return [answer.body]

    # ------------------------------------------------------------------ Textract

    def _textract(
        self, environ: dict[str, Any], start_response: StartResponse, target: str
    ) -> list[bytes]:
        raw = read_body(environ)
        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            return json_response(
                start_response,
                400,
                {"__type": "SerializationException", "message": "The body is not a JSON object"},
                content_type="application/x-amz-json-1.1",
            )
        status, answer = self.textract.handle(target, body)
        headers = [] if status == 200 else [("X-Amzn-ErrorType", str(answer.get("__type")))]
        return json_response(
            start_response, status, answer, headers, content_type="application/x-amz-json-1.1"
        )

    # ------------------------------------------------------------------ moto

    def _moto(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """A request for moto: S3's authentication first, then moto under the state gate
        (its answer is read whole inside it), then `on_write` if it may have changed
        something."""
        assert self.moto is not None  # the Textract-only role never gets here
        app = self.moto.get_application(environ)
        if getattr(app, "service", None) == "s3":
            refused = self.s3_auth.check(environ)
            if refused is not None:
                return self._s3_error(start_response, refused)
        if environ.get("HTTP_X_AMZ_TARGET") in _UNGATED_TARGETS:
            return list(app(environ, start_response))
        writes = changes_state(environ)
        with self.gate.shared():
            answer = app(environ, start_response)
            try:
                body = list(answer)
            finally:
                close = getattr(answer, "close", None)
                if close is not None:
                    close()
        if writes:
            self.on_write()
        return body

    @staticmethod
    def _s3_error(start_response: StartResponse, error: S3Error) -> list[bytes]:
        body = error.xml()
        start_response(
            status_line(error.status),
            [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
        )
        return [body]

    # ------------------------------------------------------------------ dispatch

    def __call__(  # noqa: PLR0911 - the dispatcher: one return per route
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if path.startswith(CONTROL_PREFIX):
            return self.control(environ, start_response)
        if self.moto is None and not target.startswith("Textract."):
            return json_response(
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
            return self._textract(environ, start_response, target)
        if _cognito_preflight(environ):
            return json_response(start_response, 204, b"", COGNITO_CORS_PREFLIGHT)
        if target.startswith(COGNITO_TARGET) and environ.get("HTTP_ORIGIN"):
            return self._moto(environ, _with_headers(start_response, COGNITO_CORS))
        if target == PUT_EVENTS_TARGET:
            body = read_body(environ)
            refused = self.event_faults.refuse(body)
            if refused is not None:
                return json_response(
                    start_response, 200, refused, content_type="application/x-amz-json-1.1"
                )
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        if target in STEP_FUNCTIONS_GAPS:
            read_body(environ)
            return json_response(
                start_response,
                200,
                STEP_FUNCTIONS_GAPS[target],
                content_type="application/x-amz-json-1.0",
            )
        return self._moto(environ, start_response)

    def close(self) -> None:
        self.textract.close()
        self.runner.close()
