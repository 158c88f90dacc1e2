"""A tenant's administration (ADR 0033): its settings and its users, every change
audited in the tenant's own audit partition (`tenant_audit_key`) with the admin as the
actor and the values before and after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docuflow.dal.audit import AuditRepository, tenant_audit_key
from docuflow.dal.models import AuditRecord, utc_now
from docuflow.dal.settings import TenantSettingsItem, TenantSettingsRepository
from docuflow.dal.users import UserDirectory, UserItem
from services.common.errors import LastAdmin, UserExists, UserNotFound

ADMINS = "admins"


@dataclass(frozen=True)
class AdminPorts:
    settings: TenantSettingsRepository
    audit: AuditRepository
    users: UserDirectory


@dataclass(frozen=True)
class Admin:
    """The caller: an admin of `tenant`."""

    tenant: str
    email: str
    """Unique in the pool (the sign-in name): how a change to oneself is told."""


def _changed(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, before and after."""
    keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def update_settings(
    ports: AdminPorts,
    admin: Admin,
    *,
    allow_self_approval: bool,
    confidence_thresholds: dict[str, float],
    expected_version: int | None,
) -> TenantSettingsItem:
    """Replace the tenant's settings, with a `settings_changed` record of what changed
    (nothing is written when nothing changed). ConcurrentUpdate when `expected_version`
    is not the stored one."""
    current = ports.settings.get(admin.tenant)
    version = current.version if expected_version is None else expected_version
    proposed = current.model_copy(
        update={
            "allow_self_approval": allow_self_approval,
            "confidence_thresholds": dict(sorted(confidence_thresholds.items())),
        }
    )
    before, after = _changed(
        {"allow_self_approval": current.allow_self_approval, **_prefixed(current)},
        {"allow_self_approval": proposed.allow_self_approval, **_prefixed(proposed)},
    )
    if not after and version == current.version:
        return current
    at = utc_now()
    written = proposed.model_copy(update={"updated_at": at, "updated_by": admin.email})
    record = ports.audit.new_record(
        tenant_audit_key(admin.tenant),
        "settings_changed",
        at=at,
        event_id=f"settings-v{version + 1}",
        actor=admin.email,
        details={"version": version + 1},
        before=before,
        after=after,
    )
    return ports.settings.save(
        written, expected_version=version, audit_puts=[ports.audit.transaction_put(record)]
    )


def _prefixed(settings: TenantSettingsItem) -> dict[str, float]:
    """Thresholds as flat keys (`threshold.total_amount`), so the audit's before and after
    name exactly the fields that changed."""
    return {f"threshold.{name}": value for name, value in settings.confidence_thresholds.items()}


def audit_trail(ports: AdminPorts, tenant: str) -> list[AuditRecord]:
    """The tenant's settings and user changes, newest first."""
    return list(reversed(ports.audit.list(tenant_audit_key(tenant))))


def tenant_user(ports: AdminPorts, tenant: str, username: str) -> UserItem:
    """The user, when they belong to `tenant`; UserNotFound else (another tenant's user
    is not found either)."""
    user = ports.users.find(username)
    if user is None or user.tenant != tenant:
        raise UserNotFound(username)
    return user


def invite(
    ports: AdminPorts, admin: Admin, *, email: str, group: str, temporary_password: str | None
) -> UserItem:
    """Create a user of the admin's tenant (never another: the tenant is the caller's)."""
    created = ports.users.create(
        email=email, tenant=admin.tenant, group=group, temporary_password=temporary_password
    )
    if created is None:
        raise UserExists(f"A user with the e-mail address {email} exists already.")
    ports.audit.record(
        tenant_audit_key(admin.tenant),
        "user_invited",
        actor=admin.email,
        details={"username": created.username, "email": email},
        after={"group": group, "enabled": True},
    )
    return created


def change_user(
    ports: AdminPorts,
    admin: Admin,
    username: str,
    *,
    group: str | None,
    enabled: bool | None,
) -> UserItem:
    """Change a user's role group and/or whether they may sign in. LastAdmin when an
    admin would take the admin role from themselves, or disable themselves, with no other
    enabled admin left in the tenant."""
    user = tenant_user(ports, admin.tenant, username)
    before = {"groups": list(user.groups), "enabled": user.enabled}
    new_groups = [group] if group is not None else list(user.groups)
    new_enabled = user.enabled if enabled is None else enabled
    after = {"groups": new_groups, "enabled": new_enabled}
    if before == after:
        return user
    oneself = user.email == admin.email
    loses_admin = ADMINS in user.groups and (ADMINS not in new_groups or not new_enabled)
    if oneself and loses_admin and not _other_enabled_admin(ports, admin.tenant, user):
        raise LastAdmin(
            "You are the only enabled admin of your company: make someone else an admin "
            "before you give up the role or disable yourself."
        )
    if group is not None and list(user.groups) != new_groups:
        ports.users.set_group(user, group)
    if new_enabled != user.enabled:
        ports.users.set_enabled(user.username, new_enabled)
    changed_before, changed_after = _changed(before, after)
    ports.audit.record(
        tenant_audit_key(admin.tenant),
        "user_changed",
        actor=admin.email,
        details={"username": user.username, "email": user.email},
        before=changed_before,
        after=changed_after,
    )
    return user.model_copy(update={"groups": tuple(new_groups), "enabled": new_enabled})


def _other_enabled_admin(ports: AdminPorts, tenant: str, user: UserItem) -> bool:
    return any(
        other.username != user.username and other.enabled and ADMINS in other.groups
        for other in ports.users.list(tenant)
    )
