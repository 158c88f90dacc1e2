"""The HTTP API's JWT authorizer, enforced locally the way API Gateway enforces it.

For a route with a JWT authorizer API Gateway (HTTP APIs) takes the token from the
identity source (the Authorization header, with or without `Bearer `), and answers 401
itself unless the token is a JWS signed with an RSA key of the issuer's JWKS, its `iss`
is the configured issuer, its `aud` (or, for access tokens, `client_id`) is one of the
configured audiences, and it is neither expired nor not yet valid. It does not look at
`token_use`: which kind of token the API takes is the functions' rule (ADR 0021), so
the emulator does not add a check AWS would not make. The verified claims reach the
function as `requestContext.authorizer.jwt.claims`, every value a string (a list as
`[a b]`), exactly as API Gateway flattens them.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from jwt import PyJWKClient

# API Gateway's JWT authorizers accept RSA signatures only.
_ALGORITHMS = ["RS256", "RS384", "RS512"]
_COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)$")


@dataclass(frozen=True)
class JwtAuthorizer:
    """One API Gateway v2 authorizer of type JWT, as Terraform stored it."""

    issuer: str
    audience: tuple[str, ...]
    identity_source: str = "$request.header.Authorization"

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> JwtAuthorizer:
        config = item.get("JwtConfiguration") or {}
        sources = item.get("IdentitySource") or ["$request.header.Authorization"]
        return cls(
            issuer=str(config.get("Issuer") or ""),
            audience=tuple(str(a) for a in config.get("Audience") or []),
            identity_source=str(sources[0]),
        )


class Unauthorized(Exception):
    """The request gets API Gateway's 401; the message is its `error_description`."""


def jwks_url(issuer: str, endpoint: str) -> str:
    """Where the issuer's keys are: a Cognito pool's on this emulator (moto serves the
    pool's JWKS at /{pool_id}/.well-known/jwks.json), any other issuer's at its own
    well-known address."""
    match = _COGNITO_ISSUER.match(issuer)
    if match:
        return f"{endpoint}/{match.group('pool')}/.well-known/jwks.json"
    return f"{issuer.rstrip('/')}/.well-known/jwks.json"


class KeySets:
    """The issuers' signing keys, fetched once and cached (as API Gateway caches them)."""

    def __init__(self, url_for: Callable[[str], str]) -> None:
        self._url_for = url_for
        self._clients: dict[str, PyJWKClient] = {}
        self._lock = threading.Lock()

    def key(self, issuer: str, token: str) -> Any:
        with self._lock:
            client = self._clients.get(issuer)
            if client is None:
                client = PyJWKClient(self._url_for(issuer), cache_keys=True, lifespan=300)
                self._clients[issuer] = client
        try:
            return client.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientError as exc:
            raise Unauthorized("the token's key is not the issuer's") from exc
        except jwt.DecodeError as exc:
            raise Unauthorized("the token is not a JWT") from exc


def token_from(authorizer: JwtAuthorizer, headers: Mapping[str, str]) -> str:
    """The token from the identity source (lower-cased header names), else Unauthorized."""
    source = authorizer.identity_source
    prefix = "$request.header."
    if not source.startswith(prefix):
        raise Unauthorized(f"identity source {source} is not served by the emulator")
    value = headers.get(source[len(prefix) :].lower(), "").strip()
    scheme, _, rest = value.partition(" ")
    if scheme.lower() == "bearer":
        value = rest.strip()
    if not value:
        raise Unauthorized("no token")
    return value


def verify(authorizer: JwtAuthorizer, token: str, keys: KeySets) -> dict[str, Any]:
    """The token's claims when API Gateway would let it through, else Unauthorized."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise Unauthorized("the token is not a JWT") from exc
    if header.get("alg") not in _ALGORITHMS:
        raise Unauthorized(f"signing algorithm {header.get('alg')!r} is not accepted")
    key = keys.key(authorizer.issuer, token)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=_ALGORITHMS,
            issuer=authorizer.issuer,
            options={"verify_aud": False, "require": ["exp", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("the token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(f"the token is invalid: {exc}") from exc
    audiences = claims.get("aud") or claims.get("client_id")
    listed = audiences if isinstance(audiences, list) else [audiences]
    if not any(a in authorizer.audience for a in listed):
        raise Unauthorized("the token's audience is not accepted")
    return claims


def as_context(claims: Mapping[str, Any]) -> dict[str, Any]:
    """`requestContext.authorizer` as API Gateway fills it: claims flattened to strings."""

    def flat(value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return "[" + " ".join(flat(v) for v in value) + "]"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    scope = claims.get("scope")
    return {
        "jwt": {
            "claims": {name: flat(value) for name, value in claims.items()},
            "scopes": str(scope).split() if scope else None,
        }
    }


def unauthorized_headers(reason: str) -> list[tuple[str, str]]:
    """API Gateway's 401 names the problem in WWW-Authenticate, never in the body."""
    description = reason.replace('"', "'")
    return [
        (
            "WWW-Authenticate",
            f'Bearer scope="" error="invalid_token" error_description="{description}"',
        )
    ]
