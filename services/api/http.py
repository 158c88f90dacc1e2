"""The resolver every API function answers with: its routes, validation and the error map."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.api.body import parse_json
from services.api.errors import register_error_handlers


def build_resolver(router: APIGatewayHttpRouter) -> APIGatewayHttpResolver:
    """The resolver for one function: its routes, request validation and the error map.

    Requests are validated against the route signatures (Powertools' OpenAPI
    validation), the same signatures services/api/openapi.json is generated from. No
    CORS here: the HTTP API answers preflights and adds the CORS headers to every
    response from its own cors_configuration (infra/api.tf), as the local cloud does.
    Bodies are parsed as strict JSON (services/api/body.py).
    """
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json)
    register_error_handlers(app)
    app.include_router(router)
    return app
