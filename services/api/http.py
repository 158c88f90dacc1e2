"""The resolver every API function answers with: its routes, validation, CORS, the error map."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.api.config import get_settings
from services.api.errors import register_error_handlers


def build_resolver(router: APIGatewayHttpRouter) -> APIGatewayHttpResolver:
    """The resolver for one function: its routes, CORS from ALLOWED_ORIGINS, the error map.

    Requests are validated against the route signatures (Powertools' OpenAPI
    validation), the same signatures services/api/openapi.json is generated from.
    Built on the first request, so settings are read when the handler starts, not at import.
    """
    origins = get_settings().origins or ["*"]
    cors = CORSConfig(
        allow_origin=origins[0],
        extra_origins=origins[1:],
        allow_headers=["Content-Type"],
        max_age=600,
    )
    app = APIGatewayHttpResolver(cors=cors, enable_validation=True)
    register_error_handlers(app)
    app.include_router(router)
    return app
