"""Brand kits: colors, fonts, logo, tone words, banned words and whether deals need deadlines."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.lookup import get_owned, optional_owned
from adcraft.api.schemas import BrandKitIn, BrandKitOut
from adcraft.api.views import brand_kit_out
from adcraft.db.models import Asset, BrandKitRow
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/brand-kits", tags=["brand kits"], route_class=ParsedJSONRoute)


def _check_assets(s: SessionDep, tenant_id: str, body: BrandKitIn) -> None:
    # Each slot's refusal: a logo that is a font, a font that is a picture (image or logo).
    wanted = (
        (body.logo_asset_id, ("image", "logo"), "logo", "brand_kit_logo_not_picture"),
        (body.heading_font_asset_id, ("font",), "heading font", "brand_kit_heading_font_not_font"),
        (body.body_font_asset_id, ("font",), "body font", "brand_kit_body_font_not_font"),
    )
    for asset_id, kinds, what, code in wanted:
        asset = optional_owned(s, Asset, asset_id, tenant_id, what)
        if asset is not None and asset.kind not in kinds:
            raise refuse(code, asset=asset.id)


def _apply(row: BrandKitRow, body: BrandKitIn) -> None:
    row.name = body.name.strip()
    row.colors = list(body.colors)
    row.tone_words = list(body.tone_words)
    row.banned_words = list(body.banned_words)
    row.deadline_required = body.deadline_required
    row.logo_asset_id = body.logo_asset_id
    row.heading_font_asset_id = body.heading_font_asset_id
    row.body_font_asset_id = body.body_font_asset_id


@router.post("", status_code=201)
def create_brand_kit(
    body: BrandKitIn, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> BrandKitOut:
    """Create a brand kit (upload logo and fonts to /assets first)."""
    _check_assets(s, p.tenant_id, body)
    row = BrandKitRow(tenant_id=p.tenant_id, name=body.name)
    _apply(row, body)
    s.add(row)
    s.commit()
    return brand_kit_out(request, c, s, row)


@router.get("")
def list_brand_kits(
    request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> list[BrandKitOut]:
    """The tenant's brand kits."""
    rows = s.scalars(
        select(BrandKitRow).where(BrandKitRow.tenant_id == p.tenant_id).order_by(BrandKitRow.name)
    ).all()
    return [brand_kit_out(request, c, s, k) for k in rows]


@router.get("/{kit_id}")
def get_brand_kit(
    kit_id: str, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> BrandKitOut:
    """One brand kit."""
    return brand_kit_out(request, c, s, get_owned(s, BrandKitRow, kit_id, p.tenant_id, "brand kit"))


@router.put("/{kit_id}")
def replace_brand_kit(
    kit_id: str,
    body: BrandKitIn,
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
) -> BrandKitOut:
    """Replace a brand kit's fields (used by tasks queued from now on)."""
    row = get_owned(s, BrandKitRow, kit_id, p.tenant_id, "brand kit")
    _check_assets(s, p.tenant_id, body)
    _apply(row, body)
    s.commit()
    return brand_kit_out(request, c, s, row)


@router.delete("/{kit_id}", status_code=204, response_class=Response)
def delete_brand_kit(kit_id: str, p: PrincipalDep, s: SessionDep) -> Response:
    """Delete a brand kit (briefs that used it keep rendering without it)."""
    row = get_owned(s, BrandKitRow, kit_id, p.tenant_id, "brand kit")
    s.delete(row)
    s.commit()
    return Response(status_code=204)
