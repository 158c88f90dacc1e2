"""The resolver every API function answers with: its routes, validation and the error map."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.api.body import parse_json
from services.api.errors import register_error_handlers


class _JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
    """Request validation that reads JSON bodies only.

    Powertools also parses form and multipart bodies, which no route takes (a multipart
    body without a boundary even raises ValueError, a 500). A body sent as anything but
    JSON is refused with the 415 every route documents; one without a Content-Type is
    read as JSON.
    """

    def _get_body(self, app: Any) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "").strip().lower()
        if content_type and not content_type.startswith("application/json"):
            raise RequestUnsupportedContentType(
                "Unsupported content type",
                errors=[{"type": "unsupported_content_type", "loc": ("body",), "msg": ""}],
            )
        body: dict[str, Any] = super()._get_body(app)
        return body


def build_resolver(router: APIGatewayHttpRouter) -> APIGatewayHttpResolver:
    """The resolver for one function: its routes, request validation and the error map.

    Requests are validated against the route signatures (Powertools' OpenAPI
    validation), the same signatures services/api/openapi.json is generated from. No
    CORS here: the HTTP API answers preflights and adds the CORS headers to every
    response from its own cors_configuration (infra/api.tf), as the local cloud does.
    Bodies are parsed as strict JSON (services/api/body.py).
    """
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json)
    # Powertools builds its validation middleware here, with no way to pass another.
    app._request_validation_middleware = _JsonBodiesOnly()  # type: ignore[no-untyped-call]
    register_error_handlers(app)
    app.include_router(router)
    return app
