"""Request and response models of the admin routes (api-admin, ADR 0033): the tenant's
settings and its users."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from docuflow.dal.settings import TenantSettingsItem
from docuflow.dal.users import UserItem
from services.api.models import MAX_VERSION, AuditEvent
from services.common.tenant_settings import THRESHOLD_FIELDS

RoleName = Literal["clerk", "reviewer", "admin"]
ROLE_GROUP: dict[RoleName, str] = {"clerk": "clerks", "reviewer": "reviewers", "admin": "admins"}
GROUP_ROLE: dict[str, RoleName] = {group: role for role, group in ROLE_GROUP.items()}
_RANK: dict[RoleName, int] = {"clerk": 1, "reviewer": 2, "admin": 3}

Threshold = Annotated[float, Field(ge=0, le=100, description="A confidence, 0 to 100")]
Username = Annotated[
    str,
    Field(
        pattern=r"^[\w.@+-]{1,128}$",
        description="The user's `username` as GET /users lists it; anything else is a 404.",
    ),
]


def _known_fields(thresholds: dict[str, float]) -> dict[str, float]:
    unknown = sorted(set(thresholds) - set(THRESHOLD_FIELDS))
    if unknown:
        raise ValueError(
            f"no such field: {', '.join(unknown)} (thresholds name a field of the result: "
            f"{', '.join(THRESHOLD_FIELDS)})"
        )
    return thresholds


FieldThresholds = Annotated[
    dict[str, Threshold],
    AfterValidator(_known_fields),
    Field(
        description="Per-field confidence thresholds (0-100) that override the "
        "deployment's defaults; a field not named keeps its default.",
        json_schema_extra={"propertyNames": {"enum": list(THRESHOLD_FIELDS)}},
    ),
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Response(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class SettingsUpdate(_Request):
    """The tenant's settings as a whole (PUT replaces them)."""

    allow_self_approval: Annotated[
        bool,
        Field(description="Whether a reviewer may decide on a document they uploaded"),
    ]
    confidence_thresholds: FieldThresholds
    expected_version: Annotated[
        int | None,
        Field(
            ge=0,
            le=MAX_VERSION,
            description="The `version` the admin saw; a newer one is a 409 (absent: any)",
        ),
    ] = None


class TenantSettings(_Response):
    tenant: str
    allow_self_approval: bool
    confidence_thresholds: Annotated[
        dict[str, float], Field(description="The tenant's own per-field thresholds")
    ]
    default_confidence_threshold: Annotated[
        float, Field(description="The deployment's threshold for every field not named")
    ]
    default_field_thresholds: Annotated[
        dict[str, float], Field(description="The deployment's per-field thresholds")
    ]
    threshold_fields: Annotated[list[str], Field(description="The fields a threshold may name")]
    version: Annotated[int, Field(description="0: never saved (the defaults)")]
    updated_at: str | None
    updated_by: str | None

    @classmethod
    def of(
        cls, item: TenantSettingsItem, *, default: float, defaults: dict[str, float]
    ) -> TenantSettings:
        return cls(
            tenant=item.tenant_id,
            allow_self_approval=item.allow_self_approval,
            confidence_thresholds=dict(item.confidence_thresholds),
            default_confidence_threshold=default,
            default_field_thresholds=dict(defaults),
            threshold_fields=list(THRESHOLD_FIELDS),
            version=item.version,
            updated_at=item.updated_at,
            updated_by=item.updated_by,
        )


class SettingsAudit(_Response):
    items: Annotated[
        list[AuditEvent], Field(description="The tenant's settings and user changes, newest first")
    ]


def role_of(groups: tuple[str, ...]) -> RoleName | None:
    """The highest role of the user's groups (None: in no role group)."""
    roles = [GROUP_ROLE[g] for g in groups if g in GROUP_ROLE]
    if not roles:
        return None
    return max(roles, key=_RANK.__getitem__)


class User(_Response):
    username: Annotated[str, Field(description="What PATCH /users/{username} takes")]
    email: str
    role: Annotated[RoleName | None, Field(description="None: in no role group")]
    enabled: bool
    status: Annotated[
        str, Field(description="Cognito's: FORCE_CHANGE_PASSWORD until the first sign-in")
    ]
    created_at: str | None

    @classmethod
    def of(cls, user: UserItem) -> User:
        return cls(
            username=user.username,
            email=user.email,
            role=role_of(user.groups),
            enabled=user.enabled,
            status=user.status,
            created_at=user.created_at,
        )


class UserList(_Response):
    items: list[User]


# What an e-mail address may not hold besides "@": blanks and control characters. Spelled
# out so the pattern means the same to JSON Schema's regexes (ECMA-262: "\s" leaves out
# U+0085 and holds U+FEFF) as to pydantic's (Unicode White_Space: the other way round).
_NOT_IN_ADDRESS = r"@\s\x00-\x1f\x7f-\x9f\ufeff"
EMAIL_PATTERN = rf"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}]+\.[^{_NOT_IN_ADDRESS}]+$"


class InviteUser(_Request):
    # The constraints before the validator, so the document states them too (after it,
    # pydantic checks them but leaves them out of the JSON schema).
    email: Annotated[
        str,
        Field(
            max_length=254,
            pattern=EMAIL_PATTERN,
            description="The user's e-mail address: their sign-in name",
        ),
        AfterValidator(str.lower),
    ]
    role: RoleName
    temporary_password: Annotated[
        str | None,
        Field(
            min_length=8,
            max_length=256,
            description="Absent: Cognito makes one and e-mails it with the invitation",
        ),
    ] = None


class UserChange(_Request):
    role: RoleName | None = None
    enabled: bool | None = None
