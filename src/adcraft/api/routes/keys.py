"""A tenant's own API keys, for its admins: list, issue, revoke, rotate (the machines' keys).

The same actions as the operators' admin API (routes/admin.py), limited to the caller's tenant: a
key of another tenant is a 404 like a missing one. Every action is in the audit log.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from adcraft import admin
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.routes.admin import (
    KeyIn,
    KeyOut,
    NewKeyOut,
    RotatedOut,
    RotateIn,
    _key,
    rotation_overlap,
)
from adcraft.api.routes.users import actor_of
from adcraft.db.tenants import Principal, find_key, list_keys
from adcraft.errors import NotFound

router = APIRouter(prefix="/keys", tags=["people"])


def _own(s: Session, p: Principal, prefix: str) -> str:
    try:
        key = find_key(s, prefix)
    except NotFound:
        key = None
    if key is None or key.tenant_id != p.tenant_id:
        raise NotFound(f"no API key with prefix {prefix!r} in this workspace")
    return key.prefix


@router.get("")
def keys(p: PrincipalDep, s: SessionDep) -> list[KeyOut]:
    """The workspace's keys by prefix and state (never the secret)."""
    return [_key(k) for k in list_keys(s, p.tenant_id)]


@router.post("", status_code=201)
def create_key(body: KeyIn, p: PrincipalDep, s: SessionDep, c: ContainerDep) -> NewKeyOut:
    """Issue another key for a machine (shown once)."""
    info, key = admin.issue_key(s, p.tenant_id, body.name, c.secret, actor_of(p))
    s.commit()
    return NewKeyOut(key=key, info=_key(info))


@router.post("/{prefix}/revoke")
def revoke(prefix: str, p: PrincipalDep, s: SessionDep) -> KeyOut:
    """Refuse the key from its next request on."""
    info = admin.revoke_key(s, _own(s, p, prefix), actor_of(p))
    s.commit()
    return _key(info)


@router.post("/{prefix}/rotate", status_code=201)
def rotate(
    prefix: str, p: PrincipalDep, s: SessionDep, c: ContainerDep, body: RotateIn | None = None
) -> RotatedOut:
    """A replacement key; the old one keeps working ``overlap_s`` seconds more."""
    overlap = rotation_overlap(body, c.settings.security.key_rotation_overlap_s)
    new, key, old = admin.rotate_key(s, _own(s, p, prefix), c.secret, overlap, actor_of(p))
    s.commit()
    return RotatedOut(key=key, info=_key(new), old=_key(old))
