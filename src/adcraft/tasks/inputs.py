"""Rebuild a pipeline Brief from stored rows: brief fields, product photo and brand kit files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adcraft.db.models import Asset, BrandKitRow, BriefRow
from adcraft.domain.brief import BrandKit, Brief
from adcraft.errors import InputError
from adcraft.store.base import AssetStore

_FONT_EXT = {"font/ttf": "ttf", "font/otf": "otf"}


def asset_bytes(session: Session, store: AssetStore, tenant_id: str, asset_id: str) -> bytes:
    """The bytes of one of the tenant's assets."""
    asset = session.get(Asset, asset_id)
    if asset is None or asset.tenant_id != tenant_id:
        raise InputError(f"asset {asset_id} no longer exists: upload the file again")
    return store.get(asset.key)


def _materialise(
    session: Session, store: AssetStore, tenant_id: str, asset_id: str | None, folder: Path
) -> Path | None:
    """Write an asset into the work folder (the pipeline reads brand files from paths)."""
    if asset_id is None:
        return None
    asset = session.get(Asset, asset_id)
    if asset is None or asset.tenant_id != tenant_id:
        raise InputError(f"brand kit file {asset_id} no longer exists: upload it again")
    ext = _FONT_EXT.get(asset.content_type) or asset.key.rsplit(".", 1)[-1]
    path = folder / f"{asset_id}.{ext}"
    path.write_bytes(store.get(asset.key))
    return path


def brand_kit(
    session: Session, store: AssetStore, tenant_id: str, kit_id: str | None, folder: Path
) -> BrandKit:
    """The brand kit with its logo and fonts written to ``folder``."""
    if kit_id is None:
        return BrandKit()
    row = session.get(BrandKitRow, kit_id)
    if row is None or row.tenant_id != tenant_id:
        return BrandKit()  # the kit was deleted since: render without it
    return BrandKit(
        name=row.name,
        colors=tuple(row.colors),
        tone_words=tuple(row.tone_words),
        banned_words=tuple(row.banned_words),
        deadline_required=row.deadline_required,
        logo=_materialise(session, store, tenant_id, row.logo_asset_id, folder),
        heading_font=_materialise(session, store, tenant_id, row.heading_font_asset_id, folder),
        body_font=_materialise(session, store, tenant_id, row.body_font_asset_id, folder),
    )


def load_brief(
    session: Session,
    store: AssetStore,
    brief_row: BriefRow,
    folder: Path,
    *,
    image_asset_id: str | None = None,
) -> Brief:
    """The Brief of a stored brief, with the product photo as bytes (or another photo)."""
    return brief_of(
        session,
        store,
        brief_row.tenant_id,
        dict(brief_row.data),
        folder,
        image_asset_id=image_asset_id or brief_row.image_asset_id,
        brand_kit_id=brief_row.brand_kit_id,
    )


def brief_of(
    session: Session,
    store: AssetStore,
    tenant_id: str,
    fields: dict[str, Any],
    folder: Path,
    *,
    image_asset_id: str | None = None,
    image: bytes | None = None,
    brand_kit_id: str | None = None,
) -> Brief:
    """The Brief of brief fields (stored or not yet), with the photo of an asset or ``image``."""
    data: dict[str, Any] = dict(fields)
    if image is not None:
        data["image"] = image
    elif image_asset_id is not None:
        data["image"] = asset_bytes(session, store, tenant_id, image_asset_id)
    data["brand"] = brand_kit(session, store, tenant_id, brand_kit_id, folder)
    return Brief.model_validate(data)
