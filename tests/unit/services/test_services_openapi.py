"""services/api/openapi.yaml: a valid OpenAPI 3.1 document describing exactly the routes
of services/functions.json, with the error shape on every 4xx."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from tests.handlers.cloud import OPENAPI, functions


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI.read_text())


def test_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_paths_and_methods_equal_the_manifest_routes(spec: dict[str, Any]) -> None:
    documented = {
        f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item
    }
    routes = {route for f in functions().values() for route in f.get("routes", [])}
    assert documented == routes


def test_every_error_response_uses_the_error_shape(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    ref = response["$ref"].split("/")[-1]
                    schema = responses[ref]["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (
                        method,
                        path,
                        status,
                    )


def test_every_handler_in_the_manifest_imports() -> None:
    import importlib

    for name, spec in functions().items():
        module, _, attribute = spec["handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute)), name
