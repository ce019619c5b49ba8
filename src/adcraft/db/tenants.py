"""Tenants and API keys: keys are shown once, stored as HMAC-SHA256 with a server pepper."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from adcraft.db.models import ApiKey, Tenant
from adcraft.errors import InputError

KEY_PREFIX = "adc"
_PREFIX_LEN = 10


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant a key belongs to."""

    tenant_id: str
    tenant_name: str
    key_id: str
    key_prefix: str


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
    if row is None or not ok:
        return None
    api_key, tenant = row
    return Principal(tenant.id, tenant.name, api_key.id, api_key.prefix)


def count_tenants(session: Session) -> int:
    """How many tenants exist (0 on a fresh install)."""
    return len(session.scalars(select(Tenant.id).limit(2)).all())
