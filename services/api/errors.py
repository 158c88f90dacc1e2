"""The one place errors become HTTP responses: `{"error": {"code", "message"}}`.

Domain errors map to a status through HTTP_STATUS; Powertools' request validation
(the route signatures) maps to 400, or 404 for a path id that cannot name a job. The
routes document the same statuses with `responses(...)`, built from HTTP_STATUS too.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from docuflow.domain.errors import (
    ConcurrentUpdate,
    DocuflowError,
    DocumentMissing,
    DocumentTooLarge,
    InvalidTransition,
    JobNotFound,
    ResultNotReady,
    UnsupportedDocument,
    ValidationFailed,
    VendorNotFound,
)
from docuflow.observability import logger
from services.api.models import ErrorResponse, Unauthorized
from services.common.errors import (
    DeliveryNotFound,
    DocumentNotUploaded,
    Forbidden,
    InvalidCorrection,
    InvalidDecision,
    InvalidWebhookUrl,
    LastAdmin,
    NotAuthenticated,
    NotExportable,
    OverrideRequired,
    TooManyWebhooks,
    UserExists,
    UserNotFound,
    WebhookNotFound,
)


class UnsupportedRequestBody(DocuflowError):
    """A request body that is not JSON (Content-Type other than application/json) (415)."""

    code = "UNSUPPORTED_CONTENT_TYPE"


# Most specific first: InvalidCorrection and InvalidDecision are ValidationFailed that mean 422.
HTTP_STATUS: tuple[tuple[type[DocuflowError], int], ...] = (
    (InvalidCorrection, 422),
    (InvalidDecision, 422),
    (InvalidWebhookUrl, 422),
    (ValidationFailed, 400),
    (NotAuthenticated, 401),
    (Forbidden, 403),
    (JobNotFound, 404),
    (VendorNotFound, 404),
    (WebhookNotFound, 404),
    (DeliveryNotFound, 404),
    (UserNotFound, 404),
    (InvalidTransition, 409),
    (ConcurrentUpdate, 409),
    (DocumentNotUploaded, 409),
    (OverrideRequired, 409),
    (TooManyWebhooks, 409),
    (NotExportable, 409),
    (UserExists, 409),
    (LastAdmin, 409),
    (ResultNotReady, 409),
    (DocumentMissing, 409),
    (DocumentTooLarge, 413),
    (UnsupportedDocument, 415),
    (UnsupportedRequestBody, 415),
)


# What every route can answer besides its own errors: 401 for a token of the wrong kind
# (API Gateway answers 401 for a missing or invalid one before the function runs) and 403
# for a role that does not allow the operation.
AUTH_ERRORS: tuple[type[DocuflowError], ...] = (NotAuthenticated, Forbidden)


def status_for(error: type[DocuflowError]) -> int:
    """The HTTP status of a domain error (500 for one the API does not expect)."""
    for error_type, status in HTTP_STATUS:
        if issubclass(error, error_type):
            return status
    return 500


def responses(
    success: tuple[int, str],
    *errors: type[DocuflowError],
    body: type[BaseModel] | None = None,
    links: dict[str, str] | None = None,
) -> dict[int, OpenAPIResponse]:
    """What a route documents: its success status and the statuses of the errors it raises.

    The success body is the route's return type unless `body` names it (for a route
    that answers with JSON it has serialized itself); every error body is ErrorResponse,
    and its description names the error codes a client can get with that status.
    `links` names the operations (by operationId) that take the `job_id` of the success
    body: OpenAPI links, which clients and the stateful fuzzer (schemathesis) follow.
    """
    status, description = success
    documented: dict[int, OpenAPIResponse] = {status: {"description": description}}
    if links:
        documented[status]["links"] = {
            name: {"operationId": operation, "parameters": {"job_id": "$response.body#/job_id"}}
            for name, operation in links.items()
        }
    if body is not None:
        documented[status]["content"] = {content_types.APPLICATION_JSON: {"model": body}}
    elif status == 204:
        # No Content: without this Powertools documents the handler's return type as a body.
        documented[status]["content"] = {}
    codes: dict[int, list[str]] = {}
    for error in errors:
        codes.setdefault(status_for(error), []).append(error.code)
    for error_status, names in sorted(codes.items()):
        # A 401 may also come from API Gateway itself, before the function runs.
        model: type[BaseModel] = Unauthorized if error_status == 401 else ErrorResponse
        documented[error_status] = {
            "description": f"{HTTPStatus(error_status).phrase}: {', '.join(names)}.",
            "content": {content_types.APPLICATION_JSON: {"model": model}},
        }
    return documented


def error_response(status: int, code: str, message: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": {"code": code, "message": message}}),
    )


def describe(problems: Sequence[Any]) -> str:
    """One readable sentence per problem: `field: message`."""
    parts = []
    for problem in problems:
        if problem["type"] == "json_invalid":
            parts.append(f"The request body is not valid JSON ({problem['ctx']['error']})")
            continue
        # loc is (where, *field path): ("body", "filename"), ("query", "limit").
        where, *field = problem["loc"]
        parts.append(f"{'.'.join(str(part) for part in field) or where}: {problem['msg']}")
    return "; ".join(parts)


# What a path parameter that cannot be an id is a 404 of.
_NOT_FOUND: dict[
    str,
    type[JobNotFound]
    | type[VendorNotFound]
    | type[WebhookNotFound]
    | type[DeliveryNotFound]
    | type[UserNotFound],
] = {
    "job_id": JobNotFound,
    "vendor_id": VendorNotFound,
    "webhook_id": WebhookNotFound,
    "event_id": DeliveryNotFound,
    "username": UserNotFound,
}


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    """Map every domain error, invalid requests and unknown routes to the error shape."""

    def refuse(error: DocuflowError) -> Response[str]:
        status = status_for(type(error))
        if status >= 500:
            logger.exception("Unexpected domain error")
            return error_response(status, "INTERNAL_ERROR", "Something went wrong on our side.")
        logger.info("Request refused", extra={"status": status, "code": error.code})
        return error_response(status, error.code, str(error))

    @app.exception_handler(DocuflowError)  # type: ignore[untyped-decorator]
    def handle_domain_error(error: DocuflowError) -> Response[str]:
        return refuse(error)

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def handle_invalid_request(error: RequestValidationError) -> Response[str]:
        problems = list(error.errors())
        if any(problem["loc"][0] == "response" for problem in problems):
            # Powertools raises the same error when a route's answer does not fit its
            # return type: our bug, not the client's.
            logger.error("Response does not match its model", extra={"problems": problems})
            return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side.")
        path_problems = [problem for problem in problems if problem["loc"][0] == "path"]
        if path_problems and len(path_problems) == len(problems):
            # An id that cannot name anything names nothing: the 404 of its kind.
            name, value = path_problems[0]["loc"][1], str(path_problems[0]["input"])
            not_found = _NOT_FOUND.get(name, JobNotFound)
            return refuse(not_found(value))
        # A bad path id next to a bad body is reported as the bad body (400), as before
        # the route looks anything up.
        return refuse(ValidationFailed(describe([p for p in problems if p["loc"][0] != "path"])))

    @app.exception_handler(RequestUnsupportedContentType)  # type: ignore[untyped-decorator]
    def handle_unsupported_body(error: RequestUnsupportedContentType) -> Response[str]:
        content_type = app.current_event.headers.get("content-type", "")
        return refuse(
            UnsupportedRequestBody(
                f"The request body must be JSON (Content-Type: application/json), "
                f"not {content_type!r}."
            )
        )

    @app.exception_handler([binascii.Error, UnicodeDecodeError])  # type: ignore[untyped-decorator]
    def handle_undecodable_body(error: ValueError) -> Response[str]:
        # Powertools decodes the body (base64, then UTF-8) while validating it. A body
        # that does not decode is the client's; the same error from anywhere else is not.
        try:
            _ = app.current_event.decoded_body
        except (binascii.Error, UnicodeDecodeError):
            return refuse(ValidationFailed("The request body is not valid base64-encoded UTF-8."))
        raise error

    @app.not_found
    def handle_unknown_route(_: NotFoundError) -> Response[str]:
        event = app.current_event
        allowed = allowed_methods(app, event.path)
        if allowed:
            # A path this function serves, with a method it does not: API Gateway sends
            # such requests here through the path's ANY route (infra/api.tf).
            response = error_response(
                405,
                "METHOD_NOT_ALLOWED",
                f"{event.http_method} is not allowed on {event.path}; use {', '.join(allowed)}.",
            )
            response.headers["Allow"] = ", ".join(allowed)
            return response
        return error_response(
            404, "ROUTE_NOT_FOUND", f"No route for {event.http_method} {event.path}."
        )


def allowed_methods(app: APIGatewayHttpResolver, path: str) -> list[str]:
    """The methods the resolver's routes serve on `path` (none: the path is unknown)."""
    # Powertools keeps its compiled routes in these two lists and offers no public view.
    routes = [*app._static_routes, *app._dynamic_routes]
    return sorted({route.method for route in routes if route.rule.match(path)})
