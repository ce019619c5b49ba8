"""Admin actions on tenants and API keys, shared by the CLI and the admin API.

Each action runs in the caller's session and writes its audit record in the same transaction,
so an action that is rolled back leaves no record and no record is missing for one that stuck.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adcraft.db import tenants as t
from adcraft.db.models import ApiKey, AuditEntry, Tenant
from adcraft.errors import Conflict
from adcraft.store.base import AssetStore

log = logging.getLogger("adcraft.admin")

AnalyticsDeleter = Callable[[str], None]
"""Deletes a tenant's analytics events (raises when the events store cannot be reached)."""


@dataclass(frozen=True)
class TenantInfo:
    """A tenant and how many keys it has (active or expiring)."""

    id: str
    name: str
    created_at: Any
    active_keys: int


@dataclass(frozen=True)
class Deletion:
    """What deleting a tenant removed."""

    tenant_id: str
    tenant_name: str
    rows: dict[str, int]
    files: int
    analytics: str
    """``deleted``, ``none`` (no local analytics) or why the events are still there."""
    notes: list[str] = field(default_factory=list)


def audit(
    session: Session,
    actor: str,
    action: str,
    target: str,
    tenant_id: str | None = None,
    **detail: Any,
) -> None:
    """Write one audit record (committed with the action it records)."""
    session.add(
        AuditEntry(
            actor=actor[:200],
            action=action,
            target=target[:200],
            tenant_id=tenant_id,
            detail=detail,
        )
    )
    log.info("admin %s %s by %s", action, target, actor)


def audit_log(
    session: Session, *, limit: int = 100, tenant_id: str | None = None
) -> list[AuditEntry]:
    """The newest audit records first."""
    q = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit)
    if tenant_id:
        q = q.where(AuditEntry.tenant_id == tenant_id)
    return list(session.scalars(q).all())


def create_tenant(session: Session, name: str, pepper: str, actor: str) -> tuple[Tenant, str]:
    """A new tenant with its first key (shown once)."""
    tenant, key = t.create_tenant(session, name, pepper)
    audit(session, actor, "tenant.create", tenant.name, tenant.id, key_prefix=key.split("_")[1])
    return tenant, key


def list_tenants(session: Session) -> list[TenantInfo]:
    """Every tenant, oldest first, with its count of keys that still work."""
    keys = dict(
        session.execute(
            select(ApiKey.tenant_id, func.count())
            .where(ApiKey.revoked_at.is_(None))
            .group_by(ApiKey.tenant_id)
        ).all()
    )
    rows = session.scalars(select(Tenant).order_by(Tenant.created_at, Tenant.name)).all()
    return [TenantInfo(r.id, r.name, r.created_at, int(keys.get(r.id, 0))) for r in rows]


def issue_key(
    session: Session, tenant_ref: str, name: str, pepper: str, actor: str
) -> tuple[t.KeyInfo, str]:
    """Another key for a tenant (shown once)."""
    tenant = t.find_tenant(session, tenant_ref)
    key = t.add_key(session, tenant.id, pepper, name.strip()[:200] or "default")
    info = t.key_info(t.find_key(session, key))
    audit(session, actor, "key.create", info.prefix, tenant.id, name=info.name)
    return info, key


def revoke_key(session: Session, prefix: str, actor: str) -> t.KeyInfo:
    """Refuse a key from now on."""
    info = t.revoke_key(session, t.find_key(session, prefix))
    audit(session, actor, "key.revoke", info.prefix, info.tenant_id)
    return info


def rotate_key(
    session: Session, prefix: str, pepper: str, overlap_s: int, actor: str
) -> tuple[t.KeyInfo, str, t.KeyInfo]:
    """A replacement key; the old one keeps working for ``overlap_s`` seconds."""
    new, key, old = t.rotate_key(session, t.find_key(session, prefix), pepper, overlap_s)
    audit(
        session,
        actor,
        "key.rotate",
        old.prefix,
        old.tenant_id,
        new_prefix=new.prefix,
        old_valid_until=old.expires_at.isoformat() if old.expires_at else None,
    )
    return new, key, old


def delete_tenant(
    session: Session,
    store: AssetStore,
    tenant_ref: str,
    actor: str,
    *,
    analytics: AnalyticsDeleter | None = None,
) -> Deletion:
    """Delete a tenant with every row, stored file and (where local) analytics event.

    Refused while the tenant has unfinished tasks: a worker still rendering would write files
    after the folder is gone. Rows go first (in the caller's transaction), then files; the
    caller commits, so a store failure leaves the rows in place and the deletion can be rerun.
    """
    tenant = t.find_tenant(session, tenant_ref)
    busy = t.unfinished_tasks(session, tenant.id)
    if busy:
        raise Conflict(
            f"tenant {tenant.name!r} has {busy} unfinished task(s): wait until they complete "
            "or fail, then delete again"
        )
    tenant_id, name = tenant.id, tenant.name
    rows = t.delete_tenant_rows(session, tenant)
    files = store.delete_tenant(tenant_id)
    notes: list[str] = []
    if analytics is None:
        analytics_state = "none"
    else:
        try:
            analytics(tenant_id)
            analytics_state = "deleted"
        except Exception as exc:  # the events store is separate: report, never undo the rest
            analytics_state = f"not deleted: {exc}"
            notes.append(
                f"analytics events of {tenant_id} are still stored ({exc}): run "
                f"`adcraft events delete --tenant {tenant_id}` where the events store is reachable"
            )
    audit(
        session,
        actor,
        "tenant.delete",
        name,
        tenant_id,
        rows=rows,
        files=files,
        analytics=analytics_state,
    )
    return Deletion(tenant_id, name, rows, files, analytics_state, notes)
