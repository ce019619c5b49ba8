"""Who am I, and which formats exist."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from adcraft.accounts.roles import GRANTS
from adcraft.api.deps import ContainerDep, PrincipalDep
from adcraft.api.generation import status_of
from adcraft.api.links import preset_of
from adcraft.api.schemas import FormatOut, Me
from adcraft.db.tenants import Principal
from adcraft.domain.formats import default_registry
from adcraft.layout.styles import DEFAULT_STYLE_ORDER


def me_of(p: Principal) -> Me:
    """The /me answer for a principal."""
    return Me(
        tenant_id=p.tenant_id,
        tenant_name=p.tenant_name,
        key_prefix=p.key_prefix,
        role=p.role,
        permissions=sorted(GRANTS.get(p.role, ())),
        user_id=p.user_id,
        user_name=p.user_name,
    )


router = APIRouter(tags=["meta"])


@router.get("/me")
def me(p: PrincipalDep) -> Me:
    """The caller's tenant, role and permissions (the web app shows and hides controls by them)."""
    return me_of(p)


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
            safe_zone=f.safe_zone.model_dump(),
        )
        for f in default_registry()
    ]


@router.get("/capabilities")
def capabilities(p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """What this installation can do, and why not where it cannot (the web app shows it)."""
    found: dict[str, Any] = dict(c.extras.get("capabilities") or {})  # type: ignore[call-overload]
    generation = status_of(c).as_dict()
    # One status for both: a picture and a scene are painted by the same configured model.
    found.setdefault("image_generation", generation)
    found.setdefault("scene_generation", generation)
    bank = c.settings.bank
    found.setdefault(
        "image_bank",
        {
            "available": True,
            # What the bank page's search does: meaning, not words, so the query's language
            # need not be the caption's.
            "search": f"semantic: '{bank.encoder}' text embeddings of captions",
            "min_score": bank.min_score,
            "index": "qdrant server" if bank.qdrant_url else "embedded qdrant",
            "demo_bank": bank.demo_path is not None,
        },
    )
    found.setdefault("providers", _providers())
    found.setdefault("runner", c.settings.tasks.runner)
    found.setdefault("max_variants", c.settings.limits.max_variants)
    found.setdefault("max_upload_bytes", c.settings.limits.max_upload_bytes)
    # The brief form's style and image format choices (POST /generate's styles, image_format).
    found.setdefault("styles", list(DEFAULT_STYLE_ORDER))
    found.setdefault("image_formats", ["jpeg", "png", "webp"])
    return found


def _providers() -> dict[str, Any]:
    """Registered providers per kind and the one configured (adcraft.wiring)."""
    from adcraft.wiring.registry import configured, names

    return {
        kind: {"configured": configured(kind), "registered": names(kind)}
        for kind in ("copywriter", "ranker")
    }
