"""Who am I, and which formats exist."""

from __future__ import annotations

from fastapi import APIRouter

from adcraft.api.deps import PrincipalDep
from adcraft.api.links import preset_of
from adcraft.api.schemas import FormatOut, Me
from adcraft.domain.formats import default_registry

router = APIRouter(tags=["meta"])


@router.get("/me")
def me(p: PrincipalDep) -> Me:
    """The tenant of the API key (the web app shows its name after sign-in)."""
    return Me(tenant_id=p.tenant_id, tenant_name=p.tenant_name, key_prefix=p.key_prefix)


@router.get("/formats")
def formats(p: PrincipalDep) -> list[FormatOut]:
    """Every known ad format with its size, platform preset and text limits."""
    return [
        FormatOut(
            id=f.id,
            preset=preset_of(f.id),
            platform=f.platform,
            placement=f.placement,
            width=f.width,
            height=f.height,
            aspect=f.aspect,
            kind=f.kind,
            text_limits=dict(f.text_limits),
        )
        for f in default_registry()
    ]
