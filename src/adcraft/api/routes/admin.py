"""The admin API: tenants, their keys and the audit log, behind ``security.admin_token``.

Tenant API keys never reach these routes; the admin token never reaches tenant routes (it is not
an API key). Every action is written to the audit log with the caller's address as the actor.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, Field

from adcraft import admin
from adcraft.api.admission import api_key_from_headers
from adcraft.api.clientaddr import client_address
from adcraft.api.deps import ContainerDep, SessionDep
from adcraft.api.schemas import _In
from adcraft.container import Container
from adcraft.db.tenants import KeyInfo, find_tenant, list_keys
from adcraft.errors import Forbidden, NotFound, Unauthorized

router = APIRouter(prefix="/admin", tags=["admin"])


def admin_actor(
    request: Request,
    container: ContainerDep,
    x_admin_actor: Annotated[
        str | None,
        Header(max_length=100, description="Who is acting, for the audit log (e.g. a login)"),
    ] = None,
) -> str:
    """The audit actor of a request with the admin token; 401/403/404 otherwise."""
    token = container.settings.security.admin_token
    if not token:
        raise NotFound("the admin API is off: set ADCRAFT_SECURITY__ADMIN_TOKEN to turn it on")
    given = api_key_from_headers(dict(request.scope.get("headers") or []))
    if not given:
        raise Unauthorized("missing admin token: send 'Authorization: Bearer <admin token>'")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Forbidden("this is not the admin token (tenant API keys cannot use /admin)")
    where = client_address(request.scope, tuple(container.settings.server.trusted_proxies))
    who = "".join(ch for ch in (x_admin_actor or "") if ch.isprintable())[:100]
    return f"admin-api:{who}@{where}" if who else f"admin-api@{where}"


ActorDep = Annotated[str, Depends(admin_actor)]


class TenantIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=200)]


class KeyIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=200)] = "default"


def rotation_overlap(body: RotateIn | None, default_s: int) -> int:
    """How long a rotated key keeps working: the request's ``overlap_s``, else the setting."""
    return body.overlap_s if body and body.overlap_s is not None else default_s


class RotateIn(_In):
    overlap_s: Annotated[int | None, Field(ge=0, le=30 * 86_400)] = None
    """How long the old key keeps working (default: security.key_rotation_overlap_s)."""


class KeyOut(BaseModel):
    """A key by its prefix: the secret is never shown again after it is issued."""

    prefix: str
    name: str
    tenant_id: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str


class NewKeyOut(BaseModel):
    key: str
    """The new API key, shown this once."""
    info: KeyOut


class RotatedOut(NewKeyOut):
    old: KeyOut


class TenantOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    active_keys: int


class NewTenantOut(BaseModel):
    tenant: TenantOut
    key: str
    """The tenant's first API key, shown this once."""


class DeletionOut(BaseModel):
    tenant_id: str
    tenant_name: str
    rows: dict[str, int]
    files: int
    analytics: str
    notes: list[str]


class AuditOut(BaseModel):
    at: datetime
    actor: str
    action: str
    target: str
    tenant_id: str | None
    detail: dict[str, Any]


def _key(info: KeyInfo) -> KeyOut:
    return KeyOut(**info.__dict__)


@router.get("/tenants")
def tenants(actor: ActorDep, s: SessionDep) -> list[TenantOut]:
    """Every tenant with its number of working keys."""
    return [TenantOut(**i.__dict__) for i in admin.list_tenants(s)]


@router.post("/tenants", status_code=201)
def create_tenant(body: TenantIn, actor: ActorDep, s: SessionDep, c: ContainerDep) -> NewTenantOut:
    """Create a tenant; its first key is in the answer (and only there)."""
    tenant, key = admin.create_tenant(s, body.name, c.secret, actor)
    s.commit()
    return NewTenantOut(
        tenant=TenantOut(
            id=tenant.id, name=tenant.name, created_at=tenant.created_at, active_keys=1
        ),
        key=key,
    )


@router.delete("/tenants/{tenant}")
def delete_tenant(
    tenant: str, request: Request, actor: ActorDep, s: SessionDep, c: ContainerDep
) -> DeletionOut:
    """Delete a tenant (by id or name) with all its rows, files and local analytics events."""
    done = admin.delete_tenant(s, c.store, tenant, actor, analytics=_analytics_deleter(request, c))
    s.commit()
    return DeletionOut(**done.__dict__)


@router.get("/tenants/{tenant}/keys")
def keys(tenant: str, actor: ActorDep, s: SessionDep) -> list[KeyOut]:
    """A tenant's keys by prefix, with their state."""
    return [_key(k) for k in list_keys(s, find_tenant(s, tenant).id)]


@router.post("/tenants/{tenant}/keys", status_code=201)
def create_key(
    tenant: str, body: KeyIn, actor: ActorDep, s: SessionDep, c: ContainerDep
) -> NewKeyOut:
    """Issue another key for a tenant (shown once)."""
    info, key = admin.issue_key(s, tenant, body.name, c.secret, actor)
    s.commit()
    return NewKeyOut(key=key, info=_key(info))


@router.post("/keys/{prefix}/revoke")
def revoke(prefix: str, actor: ActorDep, s: SessionDep) -> KeyOut:
    """Refuse a key from now on (401 on its next request)."""
    info = admin.revoke_key(s, prefix, actor)
    s.commit()
    return _key(info)


@router.post("/keys/{prefix}/rotate", status_code=201)
def rotate(
    prefix: str, actor: ActorDep, s: SessionDep, c: ContainerDep, body: RotateIn | None = None
) -> RotatedOut:
    """A new key for the same tenant; the old one works for the overlap window, then 401."""
    overlap = rotation_overlap(body, c.settings.security.key_rotation_overlap_s)
    new, key, old = admin.rotate_key(s, prefix, c.secret, overlap, actor)
    s.commit()
    return RotatedOut(key=key, info=_key(new), old=_key(old))


@router.get("/audit")
def audit_log(
    actor: ActorDep,
    s: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    tenant: Annotated[str | None, Query(max_length=64)] = None,
) -> list[AuditOut]:
    """Admin actions, newest first (optionally of one tenant id)."""
    return [
        AuditOut(
            at=e.at,
            actor=e.actor,
            action=e.action,
            target=e.target,
            tenant_id=e.tenant_id,
            detail=e.detail,
        )
        for e in admin.audit_log(s, limit=limit, tenant_id=tenant)
    ]


def _analytics_deleter(request: Request, c: Container) -> admin.AnalyticsDeleter | None:
    """The events store this process owns, if any (else the events are not local)."""
    analytics = getattr(request.app.state, "analytics", None)
    store = getattr(analytics, "store", None)
    return None if store is None else store.delete_tenant
