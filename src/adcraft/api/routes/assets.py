"""Uploaded files: product photos (the image bank), logos and fonts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import func, or_, select

from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.intake import MAX_FONT_BYTES, ingest_font, ingest_image, read_upload
from adcraft.api.lookup import get_owned
from adcraft.api.schemas import AssetOut, Page
from adcraft.api.textcheck import check_value, clean_name
from adcraft.api.views import asset_out
from adcraft.db.models import Asset

router = APIRouter(prefix="/assets", tags=["assets"])


@router.post("", status_code=201, responses={413: {"description": "File too large"}})
def upload_asset(
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    file: Annotated[UploadFile, File(description="Image (png/jpeg/webp/...) or font (ttf/otf)")],
    kind: Annotated[Literal["image", "logo", "font"], Form()] = "image",
    caption: Annotated[str, Form(max_length=2000)] = "",
) -> AssetOut:
    """Upload a product photo, logo or font; images are decoded (within the pixel cap) first."""
    name = clean_name(file.filename or "")[:300]
    check_value(caption, "caption")
    if kind == "font":
        data = read_upload(file, min(MAX_FONT_BYTES, c.settings.limits.max_upload_bytes), "font")
        asset = ingest_font(c, s, p.tenant_id, data, name)
    else:
        data = read_upload(file, c.settings.limits.max_upload_bytes, "the image")
        asset = ingest_image(c, s, p.tenant_id, data, filename=name, kind=kind, caption=caption)
    s.commit()
    return asset_out(request, c, asset)


@router.get("")
def list_assets(
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    kind: Literal["image", "logo", "font"] | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in caption or name")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[AssetOut]:
    """The tenant's files, newest first, optionally searched by caption or file name."""
    where = [Asset.tenant_id == p.tenant_id]
    if kind:
        where.append(Asset.kind == kind)
    if q:
        pattern = f"%{q.strip()}%"
        where.append(or_(Asset.caption.ilike(pattern), Asset.filename.ilike(pattern)))
    total = s.scalar(select(func.count()).select_from(Asset).where(*where)) or 0
    rows = s.scalars(
        select(Asset).where(*where).order_by(Asset.created_at.desc()).limit(limit).offset(offset)
    ).all()
    return Page(
        items=[asset_out(request, c, a) for a in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{asset_id}")
def get_asset(
    asset_id: str, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> AssetOut:
    """One file's metadata and a signed link."""
    return asset_out(request, c, get_owned(s, Asset, asset_id, p.tenant_id, "asset"))


@router.get(
    "/{asset_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def asset_content(asset_id: str, p: PrincipalDep, s: SessionDep, c: ContainerDep) -> Response:
    """The file's bytes."""
    a = get_owned(s, Asset, asset_id, p.tenant_id, "asset")
    return Response(c.store.get(a.key), media_type=a.content_type)
