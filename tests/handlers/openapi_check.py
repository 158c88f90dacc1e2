"""Check handler responses against services/api/openapi.json (status documented, body matches)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.handlers.cloud import OPENAPI

_URI = "urn:docuflow:openapi"


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(OPENAPI.read_text())
    return document


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
    if status == "204":
        # No Content: documented without a body, answered without one
        assert documented.get("content", {}) == {}
        assert not response.get("body")
        return
    media = response["headers"].get("Content-Type", "").split(";")[0].strip()
    if media and media != "application/json":
        # A document of another type (CSV, XML): documented as that type
        assert media in documented.get("content", {}), f"{method.upper()} {path} {status} {media}"
        return
    content = documented.get("content", {}).get("application/json")
    assert content is not None, f"{method.upper()} {path} {status} documents no JSON body"
    assert response["headers"]["Content-Type"] == "application/json"
    pointer = _pointer("paths", path, method, "responses", status, "content", "application/json")
    schema = {"$ref": f"{_URI}#/{pointer}/schema"}
    validator = Draft202012Validator(schema, registry=_registry())
    errors = sorted(validator.iter_errors(response["json"]), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
