"""The users of the Cognito user pool, as a tenant's admins manage them (ADR 0033).

The pool is shared by every tenant; a user's company is the immutable `custom:tenant`
attribute and their role is their group (`clerks`, `reviewers`, `admins`). Cognito's
ListUsers cannot filter on a custom attribute, so a tenant's users are the pool's users
read page by page and kept when their tenant matches; every other operation first reads
the one user and the caller's logic checks the tenant before it changes anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from docuflow.domain.errors import ValidationFailed

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

TENANT_ATTRIBUTE = "custom:tenant"
ROLE_GROUPS = ("clerks", "reviewers", "admins")
_NOT_FOUND = "UserNotFoundException"
_EXISTS = "UsernameExistsException"
# What Cognito refuses in an invitation: a temporary password its policy does not allow,
# an address it does not take as an e-mail. The client's to fix, with Cognito's words.
_REFUSED_INPUT = frozenset({"InvalidPasswordException", "InvalidParameterException"})


class UserItem(BaseModel):
    """One user of the pool, with the groups of the pool's roles they are in."""

    model_config = ConfigDict(frozen=True)

    username: str
    email: str
    tenant: str | None
    groups: tuple[str, ...]
    enabled: bool
    status: str
    created_at: str | None = None


def _attributes(values: list[Any]) -> dict[str, str]:
    return {str(a["Name"]): str(a["Value"]) for a in values}


def _user(raw: Any, attributes: dict[str, str], groups: tuple[str, ...]) -> UserItem:
    created = raw.get("UserCreateDate")
    return UserItem(
        username=str(raw["Username"]),
        email=attributes.get("email", str(raw["Username"])),
        tenant=attributes.get(TENANT_ATTRIBUTE),
        groups=groups,
        enabled=bool(raw.get("Enabled", True)),
        status=str(raw.get("UserStatus", "UNKNOWN")),
        created_at=created.isoformat() if created is not None else None,
    )


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class UserDirectory:
    """Reads and changes users of one user pool."""

    def __init__(self, client: CognitoIdentityProviderClient, pool_id: str) -> None:
        self._client = client
        self._pool_id = pool_id

    def _pool_users(self) -> Iterator[Any]:
        for page in self._client.get_paginator("list_users").paginate(UserPoolId=self._pool_id):
            yield from page.get("Users", [])

    def _group_members(self) -> dict[str, list[str]]:
        """username -> the role groups they are in (one ListUsersInGroup per group)."""
        members: dict[str, list[str]] = {}
        paginator = self._client.get_paginator("list_users_in_group")
        for group in ROLE_GROUPS:
            for page in paginator.paginate(UserPoolId=self._pool_id, GroupName=group):
                for user in page.get("Users", []):
                    members.setdefault(str(user["Username"]), []).append(group)
        return members

    def list(self, tenant: str) -> list[UserItem]:
        """Every user whose `custom:tenant` is `tenant`, by e-mail."""
        members = self._group_members()
        users = []
        for raw in self._pool_users():
            attributes = _attributes(raw.get("Attributes", []))
            if attributes.get(TENANT_ATTRIBUTE) == tenant:
                groups = tuple(members.get(str(raw["Username"]), []))
                users.append(_user(raw, attributes, groups))
        return sorted(users, key=lambda u: u.email)

    def find(self, username: str) -> UserItem | None:
        """One user, or None when the pool has no such user."""
        try:
            raw = self._client.admin_get_user(UserPoolId=self._pool_id, Username=username)
            groups = self._client.admin_list_groups_for_user(
                UserPoolId=self._pool_id, Username=username
            )
        except ClientError as exc:
            if _code(exc) == _NOT_FOUND:
                return None
            raise
        names = {str(g["GroupName"]) for g in groups.get("Groups", [])}
        return _user(
            raw,
            _attributes(raw.get("UserAttributes", [])),
            tuple(g for g in ROLE_GROUPS if g in names),
        )

    def create(
        self, *, email: str, tenant: str, group: str, temporary_password: str | None
    ) -> UserItem | None:
        """Create a user of `tenant` in `group`. Cognito sends the invitation with a
        temporary password (its own, or `temporary_password`); the user sets their own
        at first sign-in. None when a user with that e-mail exists already;
        ValidationFailed when Cognito refuses the password or the address."""
        request: dict[str, Any] = {
            "UserPoolId": self._pool_id,
            "Username": email,
            "UserAttributes": [
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": TENANT_ATTRIBUTE, "Value": tenant},
            ],
            "DesiredDeliveryMediums": ["EMAIL"],
        }
        if temporary_password is not None:
            request["TemporaryPassword"] = temporary_password
        try:
            created = self._client.admin_create_user(**request)["User"]
        except ClientError as exc:
            if _code(exc) == _EXISTS:
                return None
            if _code(exc) in _REFUSED_INPUT:
                message = exc.response.get("Error", {}).get("Message", "refused by the user pool")
                raise ValidationFailed(f"The user pool refused the invitation: {message}") from exc
            raise
        username = str(created["Username"])
        self._client.admin_add_user_to_group(
            UserPoolId=self._pool_id, Username=username, GroupName=group
        )
        return _user(created, _attributes(created.get("Attributes", [])), (group,))

    def set_group(self, user: UserItem, group: str) -> None:
        """Put the user in `group` and out of the other role groups they are in."""
        username = user.username
        self._client.admin_add_user_to_group(
            UserPoolId=self._pool_id, Username=username, GroupName=group
        )
        for other in user.groups:
            if other != group:
                self._client.admin_remove_user_from_group(
                    UserPoolId=self._pool_id, Username=username, GroupName=other
                )

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Let the user sign in again, or no more (their tokens run out within the hour)."""
        if enabled:
            self._client.admin_enable_user(UserPoolId=self._pool_id, Username=username)
        else:
            self._client.admin_disable_user(UserPoolId=self._pool_id, Username=username)
