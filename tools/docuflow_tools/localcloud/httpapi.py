"""API Gateway v2 HTTP APIs served from the routes and integrations stored in moto.

A request to `/_aws/execute-api/{api_id}/{path}` is matched against the API's route keys
("GET /jobs/{job_id}", "ANY /{proxy+}", "$default"), turned into a payload format 2.0
event, given to the integration's Lambda function, and the function's answer turned back
into an HTTP response the way API Gateway does it. CORS preflights are answered from the
API's cors configuration; a route's JWT authorizer is enforced by authorizer.py.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from docuflow_tools.localcloud.authorizer import JwtAuthorizer

PREFIX = "/_aws/execute-api/"

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Route:
    route_key: str
    method: str  # "ANY" or an HTTP method; "" for $default
    segments: tuple[str, ...]
    function: str  # the integration's Lambda function (name or ARN)
    payload_format_version: str
    authorizer: JwtAuthorizer | None = None  # None: the route is open (AuthorizationType NONE)

    def match(self, method: str, path: str) -> dict[str, str] | None:  # noqa: PLR0911
        """Path parameters when this route serves the request, else None."""
        if self.route_key == "$default":
            return {}
        if self.method not in ("ANY", method):
            return None
        parts = [p for p in path.split("/") if p]
        params: dict[str, str] = {}
        for index, segment in enumerate(self.segments):
            greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
            if greedy:
                if index >= len(parts):
                    return None
                params[greedy.group(1)] = "/".join(unquote(p) for p in parts[index:])
                return params
            if index >= len(parts):
                return None
            param = re.fullmatch(r"\{(\w+)\}", segment)
            if param:
                params[param.group(1)] = unquote(parts[index])
            elif segment != parts[index]:
                return None
        return params if len(parts) == len(self.segments) else None

    def specificity(self) -> tuple[int, int, int, int]:
        """Higher sorts first: API Gateway prefers literal segments over parameters over
        greedy parameters, and an exact method over ANY; $default comes last."""
        if self.route_key == "$default":
            return (-1, 0, 0, 0)
        literal = sum(1 for s in self.segments if not s.startswith("{"))
        greedy = any(s.endswith("+}") for s in self.segments)
        return (0 if greedy else 1, len(self.segments), literal, 0 if self.method == "ANY" else 1)


def parse_route(
    route_key: str,
    function: str,
    payload_format_version: str,
    authorizer: JwtAuthorizer | None = None,
) -> Route:
    if route_key == "$default":
        return Route(route_key, "", (), function, payload_format_version, authorizer)
    method, _, path = route_key.partition(" ")
    segments = tuple(s for s in path.split("/") if s)
    return Route(route_key, method.upper(), segments, function, payload_format_version, authorizer)


def function_from_integration_uri(uri: str) -> str:
    """A Lambda function name or ARN from an integration URI (a function ARN, or the
    `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations` form)."""
    match = re.search(r"functions/(.+?)/invocations", uri)
    return match.group(1) if match else uri


def select_route(
    routes: list[Route], method: str, path: str
) -> tuple[Route, dict[str, str]] | None:
    for route in sorted(routes, key=lambda r: r.specificity(), reverse=True):
        params = route.match(method, path)
        if params is not None:
            return route, params
    return None


def build_event(
    *,
    api_id: str,
    route: Route,
    path_parameters: dict[str, str],
    method: str,
    raw_path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    source_ip: str,
    stage: str = "$default",
    domain_name: str = "localhost",
    account_id: str = "123456789012",
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An API Gateway payload format 2.0 event; `authorizer` is what the route's
    authorizer put into `requestContext.authorizer`."""
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    now = datetime.now(UTC)
    content_type = joined.get("content-type", "")
    text = _as_text(body, content_type)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": joined,
        "requestContext": {
            "accountId": account_id,
            "apiId": api_id,
            "domainName": domain_name,
            "domainPrefix": domain_name.split(".", maxsplit=1)[0],
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex[:16],
            "routeKey": route.route_key,
            "stage": stage,
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": text is None,
    }
    if authorizer is not None:
        event["requestContext"]["authorizer"] = authorizer
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body:
        event["body"] = text if text is not None else base64.b64encode(body).decode()
    return event


def _as_text(body: bytes, content_type: str) -> str | None:
    """The body as the event's text, or None when it goes base64-encoded: a binary
    content type, or a text one whose bytes are not UTF-8 (the function then decodes
    them itself and can refuse them as the client's error)."""
    if not body:
        return ""
    if not (content_type.startswith(_TEXT_TYPES) or content_type.endswith("+json")):
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass
class HttpAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def answer_from_result(result: Any) -> HttpAnswer:
    """Turn a function's payload 2.0 answer into the HTTP response API Gateway sends."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.extend((str(name), str(v)) for v in values)
        headers.extend(("Set-Cookie", str(c)) for c in result.get("cookies") or [])
        raw = result.get("body")
        text = "" if raw is None else raw if isinstance(raw, str) else json.dumps(raw)
        body = base64.b64decode(text) if result.get("isBase64Encoded") else text.encode()
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/json"))
        return HttpAnswer(int(result["statusCode"]), headers, body)
    # API Gateway's inference for a 2.0 answer without statusCode: a JSON 200.
    body = (result if isinstance(result, str) else json.dumps(result)).encode()
    return HttpAnswer(200, [("Content-Type", "application/json")], body)


def cors_headers(
    cors: dict[str, Any] | None, origin: str | None, preflight: bool
) -> list[tuple[str, str]] | None:
    """CORS headers for a request from `origin`, or None when it is not allowed."""
    if not cors or not origin:
        return None
    origins = [o for o in cors.get("AllowOrigins") or []]
    if "*" in origins:
        allow_origin = "*" if not cors.get("AllowCredentials") else origin
    elif origin in origins:
        allow_origin = origin
    else:
        return None
    headers = [("Access-Control-Allow-Origin", allow_origin), ("Vary", "Origin")]
    if cors.get("AllowCredentials"):
        headers.append(("Access-Control-Allow-Credentials", "true"))
    if preflight:
        methods = cors.get("AllowMethods") or []
        allow_headers = cors.get("AllowHeaders") or []
        if methods:
            headers.append(("Access-Control-Allow-Methods", ",".join(methods)))
        if allow_headers:
            headers.append(("Access-Control-Allow-Headers", ",".join(allow_headers)))
        if cors.get("MaxAge") is not None:
            headers.append(("Access-Control-Max-Age", str(cors["MaxAge"])))
    elif cors.get("ExposeHeaders"):
        headers.append(("Access-Control-Expose-Headers", ",".join(cors["ExposeHeaders"])))
    return headers
