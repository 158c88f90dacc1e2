"""The local cloud's JWT authorizer lets through only what API Gateway would (ADR 0021):
an RSA-signed token of the issuer's keys, for the configured audience, not expired."""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from docuflow_tools.localcloud.authorizer import (
    JwtAuthorizer,
    KeySets,
    Unauthorized,
    as_context,
    token_from,
    verify,
)

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"
CLIENT = "webclient"
AUTHORIZER = JwtAuthorizer(issuer=ISSUER, audience=(CLIENT,))
POOL_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> dict[str, Any]:
    jwk = RSAAlgorithm.to_jwk(POOL_KEY.public_key(), as_dict=True)
    return {"keys": [{**jwk, "kid": "pool-key", "alg": "RS256", "use": "sig"}]}


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> KeySets:
    """The pool's JWKS as the emulator would serve it, without an HTTP round trip."""
    fetched: list[str] = []

    def fetch_data(client: jwt.PyJWKClient) -> Any:
        fetched.append(client.uri)
        return _jwks()

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", fetch_data)
    return KeySets(lambda issuer: f"http://emulator/{issuer.rsplit('/', 1)[-1]}/jwks.json")


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "user-1",
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "email": "clerk@acme.test",
        "custom:tenant": "acme",
        "cognito:groups": ["clerks"],
        "iat": now,
        "exp": now + 3600,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def token(payload: dict[str, Any], key: Any = POOL_KEY, kid: str = "pool-key") -> str:
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


def test_a_valid_id_token_passes_with_its_claims(keys: KeySets) -> None:
    verified = verify(AUTHORIZER, token(claims()), keys)
    assert verified["sub"] == "user-1" and verified["custom:tenant"] == "acme"


def test_an_access_token_passes_by_its_client_id(keys: KeySets) -> None:
    # API Gateway checks client_id for access tokens; the functions refuse them (401).
    access = claims(aud=None, client_id=CLIENT, token_use="access")
    assert verify(AUTHORIZER, token(access), keys)["token_use"] == "access"


def _alg_none(payload: dict[str, Any]) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    import json

    header = part(json.dumps({"alg": "none", "kid": "pool-key"}).encode())
    return f"{header}.{part(json.dumps(payload).encode())}."


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: token(claims(exp=int(time.time()) - 60)), "expired"),
        (lambda: token(claims(), key=OTHER_KEY), "invalid"),
        (lambda: token(claims(), key=OTHER_KEY, kid="other-key"), "key"),
        (lambda: _alg_none(claims()), "algorithm"),
        (lambda: jwt.encode(claims(), "secret" * 8, algorithm="HS256"), "algorithm"),
        (lambda: token(claims(aud="another-client")), "audience"),
        (lambda: token(claims(iss=ISSUER + "x")), "invalid"),
        (lambda: token(claims(exp=None)), "invalid"),
        (lambda: token(claims(nbf=int(time.time()) + 600)), "invalid"),
        (lambda: "not-a-jwt", "not a JWT"),
    ],
    ids=[
        "expired",
        "signed-by-another-key",
        "unknown-key-id",
        "alg-none",
        "hmac",
        "wrong-audience",
        "wrong-issuer",
        "no-expiry",
        "not-yet-valid",
        "garbage",
    ],
)
def test_tokens_api_gateway_refuses_are_unauthorized(keys: KeySets, make: Any, reason: str) -> None:
    with pytest.raises(Unauthorized, match=reason):
        verify(AUTHORIZER, make(), keys)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"authorization": "Bearer abc"}, "abc"),
        ({"authorization": "bearer  abc "}, "abc"),
        ({"authorization": "abc"}, "abc"),
    ],
)
def test_the_token_comes_from_the_authorization_header(
    headers: dict[str, str], expected: str
) -> None:
    assert token_from(AUTHORIZER, headers) == expected


@pytest.mark.parametrize("headers", [{}, {"authorization": ""}, {"authorization": "Bearer "}])
def test_no_token_is_unauthorized(headers: dict[str, str]) -> None:
    with pytest.raises(Unauthorized, match="no token"):
        token_from(AUTHORIZER, headers)


def test_claims_reach_the_function_flattened_as_api_gateway_does() -> None:
    context = as_context({"cognito:groups": ["clerks", "admins"], "exp": 5, "email_verified": True})
    assert context["jwt"]["claims"] == {
        "cognito:groups": "[clerks admins]",
        "exp": "5",
        "email_verified": "true",
    }
