"""Who is calling: the one place the API reads the JWT authorizer's claims.

API Gateway has verified the token (signature, issuer, audience, expiry) before the
function runs and put its claims into `requestContext.authorizer.jwt.claims`, every
value a string (a list such as `cognito:groups` as `[a b]`). Handlers never see a token;
they ask `require(event, Role.X)` for the caller and get 401/403 as errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from services.common.errors import Forbidden, NotAuthenticated


class Role(IntEnum):
    """Each role has the rights of the ones below it."""

    CLERK = 1
    REVIEWER = 2
    ADMIN = 3


# The user pool's groups (infra/identity.tf) and the role each gives.
GROUP_ROLES = {"clerks": Role.CLERK, "reviewers": Role.REVIEWER, "admins": Role.ADMIN}

# custom:tenant becomes a part of S3 keys and index keys: a plain lower-case slug.
TENANT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Identity:
    user_id: str  # the user pool's `sub`: stable, never reused
    email: str  # what the audit shows as the actor
    tenant: str
    role: Role


def groups_of(value: Any) -> list[str]:
    """`cognito:groups` as API Gateway passes it (`[a b]`), or as a JSON list."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return value.strip().removeprefix("[").removesuffix("]").split()
    return []


def identity_of(event: APIGatewayProxyEventV2) -> Identity:
    """The caller from the authorizer's claims; NotAuthenticated or Forbidden else."""
    claims = event.request_context.authorizer.jwt_claim or {}
    if not claims.get("sub"):
        raise NotAuthenticated("The request carries no verified token.")
    # Only the ID token carries the tenant and the e-mail; API Gateway would also let the
    # same client's access token through.
    if claims.get("token_use") != "id":
        raise NotAuthenticated("Send the user pool's ID token as the bearer token.")
    tenant = str(claims.get("custom:tenant") or "")
    if not TENANT_PATTERN.fullmatch(tenant):
        raise Forbidden("The user belongs to no tenant; an admin must set custom:tenant.")
    roles = [GROUP_ROLES[g] for g in groups_of(claims.get("cognito:groups")) if g in GROUP_ROLES]
    if not roles:
        raise Forbidden("The user is in none of the groups clerks, reviewers, admins.")
    return Identity(
        user_id=str(claims["sub"]),
        email=str(claims.get("email") or claims["sub"]),
        tenant=tenant,
        role=max(roles),
    )


def require(event: APIGatewayProxyEventV2, role: Role) -> Identity:
    """The caller, when their role is at least `role`; Forbidden (403) else."""
    caller = identity_of(event)
    if caller.role < role:
        raise Forbidden(
            f"This needs the {role.name.lower()} role; you are a {caller.role.name.lower()}."
        )
    return caller
