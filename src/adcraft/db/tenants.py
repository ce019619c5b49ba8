"""Tenants and API keys: keys are shown once, stored as HMAC-SHA256 with a server pepper."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from adcraft.db import models as m
from adcraft.db.models import ApiKey, Tenant, as_utc, utcnow
from adcraft.errors import Conflict, InputError, NotFound

KEY_PREFIX = "adc"
_PREFIX_LEN = 10


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant a key belongs to, or a signed-in person of that tenant."""

    tenant_id: str
    tenant_name: str
    key_id: str
    """What rate limits and stream slots count against: the key's id, or ``user:<id>``."""
    key_prefix: str
    """The key's prefix; empty for a person."""
    role: str = "admin"
    """An API key acts for the whole tenant, as it always has; a person has their own role."""
    user_id: str | None = None
    user_name: str = ""
    """The person's name (or email) as shown in activity histories."""
    session: bool = False
    """Authenticated by the browser session cookie: unsafe methods then need the CSRF token."""


def digest(pepper: str, key: str) -> str:
    """HMAC-SHA256 of the full key under the server pepper, as hex."""
    return hmac.new(pepper.encode(), key.encode(), hashlib.sha256).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh key and its lookup prefix: ``adc_<prefix>_<secret>``."""
    prefix = secrets.token_hex(_PREFIX_LEN // 2)
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def create_tenant(session: Session, name: str, pepper: str) -> tuple[Tenant, str]:
    """Create a tenant with one API key; returns the tenant and the key (shown once)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InputError("tenant name must be 1 to 200 characters")
    if session.scalar(select(Tenant).where(Tenant.name == name)) is not None:
        raise InputError(f"a tenant named {name!r} already exists: pick another name")
    tenant = Tenant(name=name)
    session.add(tenant)
    session.flush()
    key = add_key(session, tenant.id, pepper)
    return tenant, key


def add_key(session: Session, tenant_id: str, pepper: str, name: str = "default") -> str:
    """Issue another key for a tenant; returns the key (shown once)."""
    key, prefix = new_key()
    session.add(ApiKey(tenant_id=tenant_id, prefix=prefix, digest=digest(pepper, key), name=name))
    session.flush()
    return key


def authenticate(session: Session, key: str, pepper: str) -> Principal | None:
    """The principal for a key, or None; lookup by prefix, then a constant-time comparison."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != _PREFIX_LEN:
        return None
    row = session.execute(
        select(ApiKey, Tenant)
        .join(Tenant, Tenant.id == ApiKey.tenant_id)
        .where(ApiKey.prefix == parts[1], ApiKey.revoked_at.is_(None))
    ).first()
    expected = row[0].digest if row else digest(pepper, "adc_0000000000_dummy")
    # Compare even when the prefix is unknown so timing does not reveal which prefixes exist.
    ok = hmac.compare_digest(expected, digest(pepper, key))
    if row is None or not ok or key_state(row[0]) not in ("active", "expiring"):
        return None
    api_key, tenant = row
    return Principal(tenant.id, tenant.name, api_key.id, api_key.prefix)


def count_tenants(session: Session) -> int:
    """How many tenants exist (0 on a fresh install)."""
    return len(session.scalars(select(Tenant.id).limit(2)).all())


# --- key and tenant management (the admin service adds the audit record) ---------------------


@dataclass(frozen=True)
class KeyInfo:
    """What may be shown about a key: never the secret or its digest."""

    prefix: str
    name: str
    tenant_id: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str
    """``active``, ``expiring`` (rotated, valid until expires_at), ``expired``, ``revoked``."""


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def key_state(key: ApiKey, now: datetime | None = None) -> str:
    """The key's state now (see KeyInfo.state)."""
    if key.revoked_at is not None:
        return "revoked"
    expires = _aware(key.expires_at)
    if expires is None:
        return "active"
    return "expiring" if expires > (now or utcnow()) else "expired"


def key_info(key: ApiKey) -> KeyInfo:
    """The showable facts of a key."""
    state = key_state(key)
    return KeyInfo(
        prefix=key.prefix,
        name=key.name,
        tenant_id=key.tenant_id,
        created_at=as_utc(key.created_at),
        expires_at=_aware(key.expires_at),
        revoked_at=_aware(key.revoked_at),
        state=state,
    )


def find_tenant(session: Session, ref: str) -> Tenant:
    """A tenant by id or by name; NotFound naming the reference otherwise."""
    ref = ref.strip()
    tenant = session.get(Tenant, ref) or session.scalar(select(Tenant).where(Tenant.name == ref))
    if tenant is None:
        raise NotFound(f"no tenant with id or name {ref!r}: `adcraft tenant list` shows them")
    return tenant


def find_key(session: Session, ref: str) -> ApiKey:
    """A key by its prefix (``3f9a0c1b2d``, ``adc_3f9a0c1b2d`` or the whole key)."""
    parts = ref.strip().split("_")
    prefix = parts[1] if len(parts) >= 2 and parts[0] == KEY_PREFIX else parts[0]
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix)) if prefix else None
    if key is None:
        raise NotFound(f"no API key with prefix {prefix!r}: `adcraft key list TENANT` shows them")
    return key


def list_keys(session: Session, tenant_id: str) -> list[KeyInfo]:
    """A tenant's keys, oldest first, by prefix."""
    rows = session.scalars(
        select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(ApiKey.created_at)
    ).all()
    return [key_info(k) for k in rows]


def revoke_key(session: Session, key: ApiKey) -> KeyInfo:
    """Refuse the key from now on (its requests answer 401 at once)."""
    if key.revoked_at is not None:
        raise Conflict(f"key {key.prefix} is already revoked")
    key.revoked_at = utcnow()
    session.flush()
    return key_info(key)


def rotate_key(
    session: Session, key: ApiKey, pepper: str, overlap_s: int
) -> tuple[KeyInfo, str, KeyInfo]:
    """A new key for the same tenant and name; the old one works ``overlap_s`` more seconds.

    Returns (the new key's info, the new key shown once, the old key's info).
    """
    state = key_state(key)
    if state in ("revoked", "expired"):
        raise Conflict(f"key {key.prefix} is {state}: issue a new key with `adcraft key create`")
    until = utcnow() + timedelta(seconds=overlap_s)
    current = _aware(key.expires_at)
    # Rotating twice never lengthens the old key's life.
    key.expires_at = until if current is None else min(current, until)
    if overlap_s == 0:
        key.revoked_at = utcnow()
    new = add_key(session, key.tenant_id, pepper, key.name)
    new_row = session.scalar(select(ApiKey).where(ApiKey.prefix == new.split("_")[1]))
    assert new_row is not None
    return key_info(new_row), new, key_info(key)


def unfinished_tasks(session: Session, tenant_id: str) -> int:
    """Pending or running tasks of a tenant."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(m.Task)
            .where(m.Task.tenant_id == tenant_id, m.Task.status.in_(("pending", "running")))
        )
        or 0
    )


# Children before parents: the foreign keys between tenant tables are not all cascading.
_TENANT_TABLES: tuple[type[m.Base], ...] = (
    m.WebSession,
    m.Invitation,
    m.User,
    m.ExperimentArmRow,
    m.ExperimentRow,
    m.Feedback,
    m.Version,
    m.CreativeRow,
    m.Task,
    m.BriefRow,
    m.Product,
    m.BrandKitRow,
    m.Asset,
    m.Campaign,
    m.TenantProviderRow,
    m.PreviewFile,
    m.ApiKey,
)


def delete_tenant_rows(session: Session, tenant: Tenant) -> dict[str, int]:
    """Delete every row of a tenant and the tenant itself; rows deleted per table."""
    counts: dict[str, int] = {}
    experiments = select(m.ExperimentRow.id).where(m.ExperimentRow.tenant_id == tenant.id)
    res = session.execute(
        delete(m.ExperimentAssignmentRow).where(
            m.ExperimentAssignmentRow.experiment_id.in_(experiments)
        )
    )
    counts[m.ExperimentAssignmentRow.__tablename__] = res.rowcount  # type: ignore[attr-defined]
    for table in _TENANT_TABLES:
        res = session.execute(delete(table).where(table.tenant_id == tenant.id))  # type: ignore[attr-defined]
        counts[table.__tablename__] = res.rowcount  # type: ignore[attr-defined]
    session.execute(delete(Tenant).where(Tenant.id == tenant.id))
    counts["tenants"] = 1
    session.flush()
    return counts
