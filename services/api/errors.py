"""The one place domain errors become HTTP responses: `{"error": {"code", "message"}}`."""

from __future__ import annotations

import json

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

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
)
from docuflow.observability import logger
from services.common.errors import DocumentNotUploaded, InvalidCorrection

# Most specific first: InvalidCorrection is a ValidationFailed that means 422.
HTTP_STATUS: tuple[tuple[type[DocuflowError], int], ...] = (
    (InvalidCorrection, 422),
    (ValidationFailed, 400),
    (JobNotFound, 404),
    (InvalidTransition, 409),
    (ConcurrentUpdate, 409),
    (DocumentNotUploaded, 409),
    (ResultNotReady, 409),
    (DocumentMissing, 409),
    (DocumentTooLarge, 413),
    (UnsupportedDocument, 415),
)


def status_for(error: DocuflowError) -> int:
    """The HTTP status of a domain error (500 for one the API does not expect)."""
    for error_type, status in HTTP_STATUS:
        if isinstance(error, error_type):
            return status
    return 500


def error_response(status: int, code: str, message: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": {"code": code, "message": message}}),
    )


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    """Map every domain error, and unknown routes, to the error shape."""

    @app.exception_handler(DocuflowError)  # type: ignore[untyped-decorator]
    def handle_domain_error(error: DocuflowError) -> Response[str]:
        status = status_for(error)
        if status >= 500:
            logger.exception("Unexpected domain error")
            return error_response(status, "INTERNAL_ERROR", "Something went wrong on our side.")
        logger.info("Request refused", extra={"status": status, "code": error.code})
        return error_response(status, error.code, str(error))

    @app.not_found
    def handle_unknown_route(_: NotFoundError) -> Response[str]:
        event = app.current_event
        return error_response(
            404, "ROUTE_NOT_FOUND", f"No route for {event.http_method} {event.path}."
        )
