"""Check handler responses against services/api/openapi.yaml (status documented, body matches)."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.handlers.cloud import OPENAPI

_URI = "urn:docuflow:openapi"


@cache
def _document() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI.read_text())


@cache
def _registry() -> Registry:
    return Registry().with_resource(_URI, Resource.from_contents(_document(), DRAFT202012))


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def assert_matches_openapi(path: str, method: str, response: dict[str, Any]) -> None:
    """The response's status is documented for this operation and its body fits the schema."""
    status = str(response["statusCode"])
    operation = _document()["paths"][path][method]
    assert status in operation["responses"], f"{method.upper()} {path} does not document {status}"
    documented = operation["responses"][status]
    pointer = _pointer("paths", path, method, "responses", status)
    if "$ref" in documented:
        pointer = documented["$ref"].lstrip("#/")
        documented = _document()["components"]["responses"][pointer.split("/")[-1]]
    content = documented.get("content", {}).get("application/json")
    if content is None:
        return
    schema = {"$ref": f"{_URI}#/{pointer}/content/application~1json/schema"}
    validator = Draft202012Validator(schema, registry=_registry())
    errors = sorted(validator.iter_errors(response["json"]), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
