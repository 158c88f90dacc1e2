"""The demo tenants and users of the local cloud, and `docuflow token`.

`docuflow up` creates them in the user pool Terraform made (moto's Cognito): two tenants,
acme and globex, each with a clerk, a reviewer and an admin, all with one password that
satisfies the pool's policy. `docuflow token USER [--password P]` signs a user in
(USER_PASSWORD_AUTH, the web app's client) and prints the ID token the API takes, for
`curl -H "Authorization: Bearer $(uv run docuflow token clerk@acme.test)"`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docuflow_tools.paths import REPO_ROOT

DEMO_PASSWORD = "DocuFlow-demo-2026!"  # noqa: S105 - the local demo users' published password


@dataclass(frozen=True)
class DemoUser:
    email: str
    tenant: str
    group: str


DEMO_USERS = (
    DemoUser("clerk@acme.test", "acme", "clerks"),
    DemoUser("reviewer@acme.test", "acme", "reviewers"),
    DemoUser("admin@acme.test", "acme", "admins"),
    DemoUser("clerk@globex.test", "globex", "clerks"),
    DemoUser("reviewer@globex.test", "globex", "reviewers"),
    DemoUser("admin@globex.test", "globex", "admins"),
)


@dataclass(frozen=True)
class UserPool:
    """Where users sign in: a Cognito endpoint (None: AWS's own), the pool and its client."""

    endpoint: str | None
    region: str
    pool_id: str
    client_id: str

    def client(self) -> Any:
        import boto3

        local = self.endpoint is not None
        return boto3.client(
            "cognito-idp",
            endpoint_url=self.endpoint,
            region_name=self.region,
            # A local cloud takes any credentials; sign-in on AWS needs none.
            aws_access_key_id="test" if local else None,
            aws_secret_access_key="test" if local else None,
        )


def create_demo_users(pool: UserPool, password: str = DEMO_PASSWORD) -> list[DemoUser]:
    """Create every demo user with a permanent password, in their tenant and group.

    A restarted local cloud keeps its users (its state is restored), so a user who
    already exists is left as it is and only gets the password and group again."""
    cognito = pool.client()
    for user in DEMO_USERS:
        with contextlib.suppress(cognito.exceptions.UsernameExistsException):
            cognito.admin_create_user(
                UserPoolId=pool.pool_id,
                Username=user.email,
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "email", "Value": user.email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "custom:tenant", "Value": user.tenant},
                ],
            )
        cognito.admin_set_user_password(
            UserPoolId=pool.pool_id, Username=user.email, Password=password, Permanent=True
        )
        cognito.admin_add_user_to_group(
            UserPoolId=pool.pool_id, Username=user.email, GroupName=user.group
        )
    return list(DEMO_USERS)


def sign_in(pool: UserPool, username: str, password: str) -> dict[str, Any]:
    """The AuthenticationResult (IdToken, AccessToken, RefreshToken) of a password sign-in."""
    answer = pool.client().initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    if "AuthenticationResult" not in answer:
        raise RuntimeError(
            f"{username} must answer the challenge {answer.get('ChallengeName')} first "
            "(sign in once in the web app)"
        )
    result: dict[str, Any] = answer["AuthenticationResult"]
    return result


def id_token(pool: UserPool, username: str, password: str = DEMO_PASSWORD) -> str:
    """The ID token the API takes as the bearer token (what `docuflow token` prints)."""
    return str(sign_in(pool, username, password)["IdToken"])


def pool_of(record: dict[str, Any]) -> UserPool:
    """The user pool of a `docuflow up` record (its outputs.json)."""
    outputs = record.get("outputs") or {}
    return UserPool(
        endpoint=record.get("endpoint"),
        region="us-east-1",
        pool_id=str(outputs["user_pool_id"]),
        client_id=str(outputs["user_pool_client_id"]),
    )


def newest_stack() -> dict[str, Any] | None:
    """The record of the running `docuflow up` (DOCUFLOW_OUTPUTS, else the newest)."""
    named = os.environ.get("DOCUFLOW_OUTPUTS")
    candidates = (
        [Path(named)]
        if named
        else sorted(
            (REPO_ROOT / ".localcloud").glob("*/outputs.json"), key=lambda p: p.stat().st_mtime
        )
    )
    for path in reversed(candidates):
        if path.is_file():
            record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if (record.get("outputs") or {}).get("user_pool_client_id"):
                return record
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("user", help="the user's e-mail address, e.g. clerk@acme.test")
    add_sign_in_arguments(parser)


def add_sign_in_arguments(parser: argparse.ArgumentParser) -> None:
    """--password, --client-id and --region: where and how a user signs in."""
    parser.add_argument(
        "--password",
        default=os.environ.get("DOCUFLOW_PASSWORD", DEMO_PASSWORD),
        help="the password (default: DOCUFLOW_PASSWORD, else the local demo users' password)",
    )
    parser.add_argument(
        "--client-id",
        default=os.environ.get("DOCUFLOW_USER_POOL_CLIENT_ID"),
        help="the user pool client (AWS: `terraform output user_pool_client_id`; "
        "default: the running `docuflow up`)",
    )
    parser.add_argument(
        "--region", default=os.environ.get("AWS_REGION", "us-east-1"), help="AWS region"
    )


class NoUserPool(Exception):
    """Neither a client id nor a running `docuflow up` names a user pool."""


def signed_in_token(user: str, password: str, client_id: str | None, region: str) -> str:
    """`docuflow token`'s answer: the user's ID token from the pool of `client_id` on AWS,
    else of the running `docuflow up`. NoUserPool, ClientError or RuntimeError else."""
    if client_id:
        pool = UserPool(endpoint=None, region=region, pool_id="", client_id=client_id)
    else:
        record = newest_stack()
        if record is None:
            raise NoUserPool("no user pool; start `docuflow up` or pass --client-id")
        pool = pool_of(record)
    return id_token(pool, user, password)


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        token = signed_in_token(args.user, args.password, args.client_id, args.region)
    except NoUserPool as exc:
        print(f"docuflow token: {exc}", file=sys.stderr)
        return 2
    except (ClientError, BotoCoreError, RuntimeError) as exc:
        print(f"docuflow token: {args.user}: {exc}", file=sys.stderr)
        return 1
    print(token)
    return 0
