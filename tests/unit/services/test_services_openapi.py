"""services/api/openapi.json: generated from the handlers (`docuflow openapi`), committed,
and a valid OpenAPI 3.1 document whose every operation names the function serving it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from openapi_spec_validator import validate
from pydantic import create_model

from docuflow_tools import openapi
from docuflow_tools.cli import main
from tests.handlers.cloud import OPENAPI, functions


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(OPENAPI.read_text())
    return document


def test_the_committed_document_is_what_the_handlers_say() -> None:
    # Given the handlers as they are, when `docuflow openapi --check` compares, then nothing
    # differs (else: run `uv run docuflow openapi` and commit services/api/openapi.json).
    assert main(["openapi", "--check"]) == 0


def test_check_fails_on_a_stale_document(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    document = json.loads(OPENAPI.read_text())
    del document["paths"]["/uploads"]
    stale.write_text(openapi.render(document))
    assert main(["openapi", "--check", "--output", str(stale)]) == 1
    assert main(["openapi", "--output", str(stale)]) == 0
    assert stale.read_text() == OPENAPI.read_text()


def test_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_operation_is_served_by_an_http_function(spec: dict[str, Any]) -> None:
    http = {name for name, f in functions().items() if f["trigger"] == "http"}
    served = [op["x-docuflow-function"] for item in spec["paths"].values() for op in item.values()]
    assert set(served) == http


def test_every_answer_is_documented_with_a_json_body(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            statuses = list(operation["responses"])
            assert len([s for s in statuses if s.startswith("2")]) == 1, (method, path)
            for status, response in operation["responses"].items():
                if status == "204":
                    # No Content, and nothing else: no body documented
                    assert response["content"] == {}, (method, path)
                    continue
                if status.startswith("2") and "application/json" not in response["content"]:
                    # A document of its own type (UBL XML): documented as that type
                    assert set(response["content"]) == {"application/xml"}, (method, path)
                    continue
                schema = response["content"]["application/json"]["schema"]
                if status == "401":
                    # API Gateway's own {"message": …} or the function's ErrorResponse
                    assert schema == {"$ref": "#/components/schemas/Unauthorized"}, (method, path)
                elif status.startswith("4"):
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (
                        method,
                        path,
                        status,
                    )
                else:
                    assert status.startswith("2"), (method, path, status)


def test_request_bodies_refuse_unknown_fields(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("CreateUploadRequest", "StartRequest", "DecisionRequest", "CreateWebhookRequest"):
        assert schemas[name]["additionalProperties"] is False, name


def _module_with(name: str, path: str, field: str) -> ModuleType:
    """A handler module whose one route takes a body model called `Thing`."""
    thing = create_model("Thing", **{field: (str, ...)})

    def post(thing: Any) -> None:
        return None

    # Set after the fact: under `from __future__ import annotations` Powertools could not
    # resolve a local class named in the signature.
    post.__annotations__ = {"thing": Annotated[thing, Body()], "return": None}
    router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]
    router.post(path)(post)
    module = ModuleType(name)
    module.router = router  # type: ignore[attr-defined]
    return module


def test_two_models_with_one_name_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given two handler modules whose different body models share a class name
    for name, path, field in (("fake.uploads", "/a", "x"), ("fake.jobs", "/b", "y")):
        monkeypatch.setitem(sys.modules, name, _module_with(name, path, field))
    monkeypatch.setattr(
        openapi, "http_functions", lambda: {"fn-a": "fake.uploads", "fn-b": "fake.jobs"}
    )
    # When the document is built, then the generator refuses rather than keep one of them
    with pytest.raises(SystemExit, match="'Thing' differs"):
        openapi.build_document()


def test_every_handler_in_the_manifest_imports() -> None:
    import importlib

    for name, spec in functions().items():
        module, _, attribute = spec["handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute)), name
