"""HTTP plumbing shared by the API handlers: the resolver, body and query parsing, responses."""

from __future__ import annotations

import binascii
import json
import re
from typing import TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent
from pydantic import BaseModel, ValidationError

from docuflow.domain.errors import JobNotFound, ValidationFailed
from services.api.errors import register_error_handlers

M = TypeVar("M", bound=BaseModel)

_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def build_resolver(router: APIGatewayHttpRouter) -> APIGatewayHttpResolver:
    """The resolver for one function: its routes and the error map.

    No CORS here: the HTTP API answers preflights and adds the CORS headers to every
    response from its own cors_configuration (infra/api.tf), as the local cloud does.
    """
    app = APIGatewayHttpResolver()
    register_error_handlers(app)
    app.include_router(router)
    return app


def describe_validation_error(exc: ValidationError) -> str:
    """One readable sentence per problem: `field: message`."""
    parts = []
    for error in exc.errors(include_url=False):
        location = ".".join(str(part) for part in error["loc"]) or "body"
        parts.append(f"{location}: {error['msg']}")
    return "; ".join(parts)


def parse_body(event: BaseProxyEvent, model: type[M], *, required: bool = True) -> M:
    """The JSON body as `model`; ValidationFailed (400) for anything else."""
    try:
        raw = event.decoded_body
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValidationFailed("The request body is not valid base64-encoded UTF-8.") from exc
    if raw is None or not raw.strip():
        if required:
            raise ValidationFailed("The request needs a JSON object as its body.")
        raw = "{}"
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed(f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(describe_validation_error(exc)) from exc


def parse_query(event: BaseProxyEvent, model: type[M]) -> M:
    """The query string as `model`; ValidationFailed (400) for bad values."""
    try:
        return model.model_validate(event.query_string_parameters or {})
    except ValidationError as exc:
        raise ValidationFailed(describe_validation_error(exc)) from exc


def check_job_id(job_id: str) -> str:
    """A job id from the path; anything that cannot be one is an unknown job (404)."""
    if not _JOB_ID.match(job_id):
        raise JobNotFound(job_id)
    return job_id


def json_response(status: int, body: BaseModel) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
    )
