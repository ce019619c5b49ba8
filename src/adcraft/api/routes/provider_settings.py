"""A tenant's own providers: its LLM endpoint (the key is write-only), default remover and
default styles. Saving makes a real test call to the endpoint first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.domain.style import DEFAULT_STYLE_ORDER
from adcraft.problem_codes import refuse
from adcraft.tenants import providers as store
from adcraft.tenants.checks import TENANT_REMOVERS, check_all
from adcraft.tenants.providers import TenantLLM, TenantProviders

router = APIRouter(prefix="/settings", tags=["settings"], route_class=ParsedJSONRoute)
StyleName = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class TenantLLMIn(BaseModel):
    """An OpenAI-compatible endpoint: ``base_url`` usually ends in ``/v1``."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(min_length=1, max_length=500)
    model: str = Field(min_length=1, max_length=200)
    api_key: str | None = Field(default=None, max_length=500)
    """Omit to keep the stored key (same endpoint); an empty string removes it."""


class ProviderSettingsIn(BaseModel):
    """What to use for this tenant's tasks; null or empty fields use the server's own."""

    model_config = ConfigDict(extra="forbid")

    llm: TenantLLMIn | None = None
    default_remover: str | None = Field(default=None, max_length=40)
    default_styles: list[StyleName] = Field(default_factory=list, max_length=12)


class TenantLLMOut(BaseModel):
    base_url: str
    model: str
    api_key_set: bool
    """Whether a key is stored; the key itself is never returned."""


class ProviderSettingsOut(BaseModel):
    llm: TenantLLMOut | None
    default_remover: str | None
    default_styles: list[str]
    removers: list[str] = list(TENANT_REMOVERS)
    """The removers a tenant may choose."""
    styles: list[str] = list(DEFAULT_STYLE_ORDER)
    """The styles a tenant may make its default."""


def _out(value: TenantProviders, key_set: bool) -> ProviderSettingsOut:
    llm = value.llm
    return ProviderSettingsOut(
        llm=TenantLLMOut(base_url=llm.base_url, model=llm.model, api_key_set=key_set)
        if llm
        else None,
        default_remover=value.default_remover,
        default_styles=list(value.default_styles),
    )


@router.get("/providers")
def get_providers(p: PrincipalDep, s: SessionDep) -> ProviderSettingsOut:
    """The tenant's provider overrides (the LLM key is reported as set or not, never shown)."""
    value = store.load_without_key(s, p.tenant_id)
    row_llm = store.stored_llm(s, p.tenant_id)
    if row_llm is not None:
        value = value.model_copy(update={"llm": row_llm})
    return _out(value, store.has_key(s, p.tenant_id))


@router.put("/providers", responses={422: {"description": "A check or the LLM test call failed"}})
def put_providers(
    body: ProviderSettingsIn, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> ProviderSettingsOut:
    """Check and store the tenant's overrides; the LLM endpoint gets a real test call first."""
    llm = None
    if body.llm is not None:
        key = body.llm.api_key
        if key is None:
            stored = store.load(s, p.tenant_id, c.secret).llm
            if stored is None or stored.base_url != body.llm.base_url:
                # A stored key only ever goes back to the endpoint it was given for.
                if stored is not None and stored.api_key:
                    raise refuse("llm_key_needed")
                key = ""
            else:
                key = stored.api_key
        llm = TenantLLM(
            base_url=body.llm.base_url.strip(), model=body.llm.model.strip(), api_key=key
        )
    value = TenantProviders(
        llm=llm,
        default_remover=body.default_remover or None,
        default_styles=tuple(dict.fromkeys(body.default_styles)),
    )
    check_all(value, c.settings.providers)
    store.save(s, p.tenant_id, c.secret, value)
    s.commit()
    return _out(value, bool(llm and llm.api_key))
