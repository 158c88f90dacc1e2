"""`docuflow openapi [--check]`: the API's OpenAPI document, generated from its handlers.

Every route is written once, in its handler's router decorator: path, method, request
and response models, parameters and the errors it documents. Each http function of
services/functions.json names its handler module; this command asks Powertools for the
schema of each module's router, marks every operation with the function that serves it
(`x-docuflow-function`, from which Terraform makes the API Gateway routes and
integrations) and with the module's tag, merges them (Powertools' OpenAPIMerge) under the
title and description below, and writes services/api/openapi.json. `--check` writes
nothing and fails when the committed document differs from what the handlers say now.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
from aws_lambda_powertools.event_handler.openapi.models import (
    HTTPBearer,
    License,
    Server,
    Tag,
)

from docuflow_tools.paths import REPO_ROOT

OPENAPI_JSON = REPO_ROOT / "services" / "api" / "openapi.json"
FUNCTIONS_JSON = REPO_ROOT / "services" / "functions.json"
FUNCTION_EXTENSION = "x-docuflow-function"

# What the document says about the API as a whole; everything else comes from the routes.
TITLE = "DocuFlow OCR API"
VERSION = "0.1.0"
SUMMARY = "Invoice uploads, processing status, normalized results and the finance review queue."
DESCRIPTION = """\
Every call carries `Authorization: Bearer <ID token>` of the project's Cognito user pool;
without a valid one API Gateway answers 401 `{"message": "Unauthorized"}`. The tenant and
role come from the token: another tenant's job is a 404, a role that does not allow the
operation a 403. Every other error is JSON `{"error": {"code", "message"}}` with status
400, 401, 403, 404, 405, 409, 413, 415 or 422; client input never produces a 500. Lists
are newest first and paginated with `limit` and an opaque `cursor` (pass back
`next_cursor`). Each operation names the Lambda function
that serves it in `x-docuflow-function` (a key of services/functions.json)."""
# One tag per handler module, named after it.
TAGS = {
    "uploads": "Creating a job with an upload link, and starting its processing.",
    "jobs": "Job status, lists, normalized results and audit trails.",
    "review": "The finance review queue and reviewer decisions.",
    "vendors": "The vendor memory: known vendors, their bank accounts and invoices.",
    "exports": "Invoices out for ERPs: CSV/JSON exports and UBL 2.1 e-invoices.",
    "webhooks": "Signed webhooks of the invoice events (admins): endpoints and delivery logs.",
    "admin": "The company's administration (admins): settings and users.",
    "stats": "The AP manager's figures: outcomes, timings, backlog, corrections and OCR cost.",
}
# Powertools documents its own answer to a failed validation (422, HTTPValidationError) on
# every route, and a response-validation error schema; services/api/errors.py answers
# with the error shape instead (400, or 404 for a path id), so these never reach a client.
_POWERTOOLS_ONLY_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")


def http_functions() -> dict[str, str]:
    """functions.json key -> handler module, for every function API Gateway invokes."""
    functions: dict[str, dict[str, Any]] = json.loads(FUNCTIONS_JSON.read_text())["functions"]
    return {
        name: spec["handler"].rpartition(".")[0]
        for name, spec in functions.items()
        if spec["trigger"] == "http"
    }


def function_schema(function: str, module_name: str) -> dict[str, Any]:
    """The OpenAPI schema of one function's routes, each operation marked as its own."""
    module = importlib.import_module(module_name)
    tag = module_name.rpartition(".")[2]
    if tag not in TAGS:
        raise SystemExit(f"{module_name}: add a description for tag {tag!r} to TAGS")
    resolver = APIGatewayHttpResolver(enable_validation=True)
    resolver.include_router(module.router)
    schema: dict[str, Any] = resolver.get_openapi_schema().model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    if not schema.get("paths"):
        raise SystemExit(f"{module_name} (function {function}) has no routes")
    for _, operation in _operations(schema):
        operation["tags"] = [tag]
        operation[FUNCTION_EXTENSION] = function
    return schema


def build_document() -> dict[str, Any]:
    """The whole API: every http function's routes, in one document."""
    merge = OpenAPIMerge(
        title=TITLE,
        version=VERSION,
        summary=SUMMARY,
        description=DESCRIPTION,
        license_info=License(name="Apache-2.0", identifier="Apache-2.0"),
        servers=[Server(url="/")],
        tags=[Tag(name=name, description=text) for name, text in TAGS.items()],
        security_schemes={
            "cognito": HTTPBearer(
                bearerFormat="JWT",
                description="The ID token of the user pool (`docuflow token USER`).",
            )
        },
        security=[{"cognito": []}],
        on_conflict="error",
    )
    components: dict[str, Any] = {}
    for function, module_name in http_functions().items():
        schema = function_schema(function, module_name)
        for name, definition in schema.get("components", {}).get("schemas", {}).items():
            # OpenAPIMerge keeps the last of two definitions with one name; two models
            # with the same class name must not silently replace each other.
            if components.setdefault(name, definition) != definition:
                raise SystemExit(f"schema {name!r} differs between handler modules")
        merge.add_schema(schema)
    document = merge.get_openapi_schema()
    for _, operation in _operations(document):
        operation["responses"] = {
            status: response
            for status, response in sorted(operation["responses"].items())
            if not _refers_to_powertools_schema(response)
        }
    schemas = {
        name: definition
        for name, definition in sorted(document["components"]["schemas"].items())
        if name not in _POWERTOOLS_ONLY_SCHEMAS
    }
    document["components"]["schemas"] = schemas
    # OpenAPIMerge leaves the security schemes as models in its otherwise plain answer.
    document["components"]["securitySchemes"] = {
        name: scheme.model_dump(mode="json", by_alias=True, exclude_none=True)
        for name, scheme in document["components"].get("securitySchemes", {}).items()
    }
    document["paths"] = dict(sorted(document["paths"].items()))
    dangling = _refs(document) - {f"#/components/schemas/{name}" for name in schemas}
    if dangling:
        raise SystemExit(f"the document refers to schemas it does not define: {dangling}")
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for operation in item.values():
            yield path, operation


def _refers_to_powertools_schema(response: dict[str, Any]) -> bool:
    refs = _refs(response)
    return any(ref.rpartition("/")[2] in _POWERTOOLS_ONLY_SCHEMAS for ref in refs)


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `docuflow openapi`."""
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the committed document differs from the handlers",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=OPENAPI_JSON,
        help=f"where the document is (default {OPENAPI_JSON.relative_to(REPO_ROOT)})",
    )


def run(args: argparse.Namespace) -> int:
    text = render(build_document())
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current != text:
            print(
                f"{output} is not what the handlers say: run `uv run docuflow openapi`",
                file=sys.stderr,
            )
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)
    return 0
