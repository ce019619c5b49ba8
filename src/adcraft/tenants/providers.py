"""A tenant's provider overrides: its own LLM endpoint (model and sealed key), default
background remover and default styles, stored in ``tenant_providers``.

Everything a tenant saves is checked first (``adcraft.tenants.checks``): the LLM endpoint
with a real test call, the remover by building it, the styles by name.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from adcraft.db.models import TenantProviderRow, utcnow
from adcraft.tenants.sealed import seal, unseal


class TenantLLM(BaseModel):
    """An OpenAI-compatible endpoint the tenant pays for; the key only ever in memory."""

    model_config = ConfigDict(frozen=True)

    base_url: str = Field(min_length=1, max_length=500)
    model: str = Field(min_length=1, max_length=200)
    api_key: str = Field(default="", max_length=500, repr=False)


class TenantProviders(BaseModel):
    """What a tenant chose; empty fields mean the server's own configuration."""

    model_config = ConfigDict(frozen=True)

    llm: TenantLLM | None = None
    default_remover: str | None = None
    default_styles: tuple[str, ...] = ()


def load(session: Session, tenant_id: str, app_secret: str) -> TenantProviders:
    """The tenant's overrides with the key decrypted (defaults when none were saved)."""
    row = session.get(TenantProviderRow, tenant_id)
    if row is None:
        return TenantProviders()
    llm = None
    if row.llm_base_url and row.llm_model:
        key = unseal(app_secret, row.llm_key_sealed) if row.llm_key_sealed else ""
        llm = TenantLLM(base_url=row.llm_base_url, model=row.llm_model, api_key=key)
    return TenantProviders(
        llm=llm,
        default_remover=row.default_remover,
        default_styles=tuple(row.default_styles or ()),
    )


def load_without_key(session: Session, tenant_id: str) -> TenantProviders:
    """The overrides without the LLM (its key cannot be read): remover and styles still apply."""
    row = session.get(TenantProviderRow, tenant_id)
    if row is None:
        return TenantProviders()
    return TenantProviders(
        default_remover=row.default_remover, default_styles=tuple(row.default_styles or ())
    )


def stored_llm(session: Session, tenant_id: str) -> TenantLLM | None:
    """The stored endpoint and model, without the key (for showing, not for calling)."""
    row = session.get(TenantProviderRow, tenant_id)
    if row is None or not (row.llm_base_url and row.llm_model):
        return None
    return TenantLLM(base_url=row.llm_base_url, model=row.llm_model)


def has_key(session: Session, tenant_id: str) -> bool:
    """Whether a key is stored, without decrypting it."""
    row = session.get(TenantProviderRow, tenant_id)
    return bool(row is not None and row.llm_key_sealed)


def save(session: Session, tenant_id: str, app_secret: str, value: TenantProviders) -> None:
    """Store the overrides (the key sealed); the caller commits."""
    row = session.get(TenantProviderRow, tenant_id)
    if row is None:
        row = TenantProviderRow(tenant_id=tenant_id)
        session.add(row)
    llm = value.llm
    row.llm_base_url = llm.base_url if llm else None
    row.llm_model = llm.model if llm else None
    row.llm_key_sealed = seal(app_secret, llm.api_key) if llm and llm.api_key else None
    row.default_remover = value.default_remover
    row.default_styles = list(value.default_styles)
    row.updated_at = utcnow()
