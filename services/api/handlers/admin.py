"""The tenant's administration (admins only, ADR 0033): its settings (self-approval, the
per-field confidence thresholds routing uses) and its users in the user pool. The tenant
is always the caller's, from the token; every change is audited."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.typing import LambdaContext

from docuflow.dal import clients
from docuflow.dal.audit import AuditRepository
from docuflow.dal.settings import TenantSettingsItem, TenantSettingsRepository
from docuflow.dal.users import UserDirectory
from docuflow.domain.errors import ConcurrentUpdate, ValidationFailed
from docuflow.observability import logger, metrics, tracer
from services.api.config import get_admin_settings
from services.api.errors import AUTH_ERRORS, UnsupportedRequestBody, responses
from services.api.http import build_resolver
from services.api.identity import Role, require
from services.api.logic import admin
from services.api.models import AuditEvent
from services.api.models_admin import (
    ROLE_GROUP,
    InviteUser,
    SettingsAudit,
    SettingsUpdate,
    TenantSettings,
    User,
    UserChange,
    UserList,
    Username,
)
from services.common.errors import LastAdmin, UserExists, UserNotFound
from services.common.wiring import Provider


def _ports() -> admin.AdminPorts:
    settings = get_admin_settings()
    dynamodb = clients.dynamodb()
    return admin.AdminPorts(
        settings=TenantSettingsRepository(dynamodb.Table(settings.settings_table)),
        audit=AuditRepository(dynamodb.Table(settings.audit_table)),
        users=UserDirectory(clients.cognito_idp(), settings.user_pool_id),
    )


ports: Provider[admin.AdminPorts] = Provider(_ports)
router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


def _admin() -> admin.Admin:
    caller = require(router.current_event, Role.ADMIN)
    return admin.Admin(tenant=caller.tenant, email=caller.email)


def _answer(item: TenantSettingsItem) -> TenantSettings:
    defaults = get_admin_settings()
    return TenantSettings.of(
        item, default=defaults.confidence_threshold, defaults=defaults.confidence_thresholds
    )


@router.get(
    "/settings",
    operation_id="getSettings",
    summary="The company's settings: self-approval and confidence thresholds",
    description=(
        "`confidence_thresholds` are the company's own per-field thresholds; every other "
        "field routes with the deployment's defaults (`default_*`)."
    ),
    responses=responses((200, "The settings (version 0: never saved)."), *AUTH_ERRORS),
)
def get_settings() -> TenantSettings:
    caller = _admin()
    return _answer(ports().settings.get(caller.tenant))


@router.put(
    "/settings",
    operation_id="putSettings",
    summary="Replace the company's settings",
    description=(
        "Audited (`settings_changed`, with what changed before and after). A threshold "
        "applies to jobs routed from then on and to re-scoring in review; decided jobs "
        "keep their status. With `expected_version`, a newer version is a 409."
    ),
    responses=responses(
        (200, "The settings as saved."),
        ValidationFailed,
        ConcurrentUpdate,
        UnsupportedRequestBody,
        *AUTH_ERRORS,
    ),
)
def put_settings(request: Annotated[SettingsUpdate, Body()]) -> TenantSettings:
    caller = _admin()
    saved = admin.update_settings(
        ports(),
        caller,
        allow_self_approval=request.allow_self_approval,
        confidence_thresholds=request.confidence_thresholds,
        expected_version=request.expected_version,
    )
    logger.info("Tenant settings saved", extra={"version": saved.version})
    return _answer(saved)


@router.get(
    "/settings/audit",
    operation_id="getSettingsAudit",
    summary="Who changed the company's settings and users, and how",
    responses=responses((200, "The changes, newest first."), *AUTH_ERRORS),
)
def get_settings_audit() -> SettingsAudit:
    caller = _admin()
    records = admin.audit_trail(ports(), caller.tenant)
    return SettingsAudit(items=[AuditEvent.of(record) for record in records])


@router.get(
    "/users",
    operation_id="listUsers",
    summary="The company's users, with their role and whether they may sign in",
    responses=responses((200, "Every user of the company, by e-mail."), *AUTH_ERRORS),
)
def list_users() -> UserList:
    caller = _admin()
    return UserList(items=[User.of(user) for user in ports().users.list(caller.tenant)])


@router.post(
    "/users",
    operation_id="inviteUser",
    summary="Invite a user to the company with a role",
    description=(
        "The user belongs to the caller's company. Cognito e-mails a temporary password "
        "(or takes `temporary_password`); the user chooses their own at first sign-in. "
        "Audited (`user_invited`). An e-mail address the user pool knows is a 409."
    ),
    status_code=201,
    responses=responses(
        (201, "The new user (status FORCE_CHANGE_PASSWORD)."),
        ValidationFailed,
        UserExists,
        UnsupportedRequestBody,
        *AUTH_ERRORS,
    ),
)
def invite_user(request: Annotated[InviteUser, Body()]) -> User:
    caller = _admin()
    created = admin.invite(
        ports(),
        caller,
        email=request.email,
        group=ROLE_GROUP[request.role],
        temporary_password=request.temporary_password,
    )
    return User.of(created)


@router.patch(
    "/users/<username>",
    operation_id="changeUser",
    summary="Change a user's role, or disable or enable them",
    description=(
        "A user of another company is a 404. An admin cannot give up the admin role or "
        "disable themselves while no other enabled admin is left (409 LAST_ADMIN). "
        "Audited (`user_changed`)."
    ),
    responses=responses(
        (200, "The user as changed."),
        ValidationFailed,
        UserNotFound,
        LastAdmin,
        UnsupportedRequestBody,
        *AUTH_ERRORS,
    ),
)
def change_user(
    username: Annotated[Username, Path()], request: Annotated[UserChange, Body()]
) -> User:
    caller = _admin()
    changed = admin.change_user(
        ports(),
        caller,
        username,
        group=None if request.role is None else ROLE_GROUP[request.role],
        enabled=request.enabled,
    )
    return User.of(changed)


app = Provider(lambda: build_resolver(router))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app().resolve(event, context)
