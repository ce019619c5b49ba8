"""A quick look at each style before a set is made: one size per style, from the form's brief.

The preview renders through the same pipeline and the same wiring as a generation task
(``generate_job.engine_for``: the tenant's copywriter, remover, gates and ranker), with the
request's seed and image format, so a style looks in the preview as it will in the set. Nothing
is saved but the images: no campaign, brief or task. Each image's key is recorded in
``preview_files`` before it is written; the sweeper removes it after ``tasks.preview_ttl_s``
(``tasks.preview_expiry``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.models import PreviewFile, utcnow
from adcraft.domain.formats import Format, default_registry
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style
from adcraft.output import MANIFEST
from adcraft.pipeline import generate
from adcraft.store.base import AssetStore, content_key
from adcraft.tasks.generate_job import engine_for
from adcraft.tasks.inputs import brief_of

DEFAULT_PREVIEW_FORMAT = "meta_feed_square"
"""The size previewed when the request's formats have none that can be shown (logo sizes)."""
_CTYPE = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}


@dataclass(frozen=True)
class PreviewImage:
    """One style in the previewed size."""

    style: str
    format: str
    width: int
    height: int
    image_format: str
    key: str
    content_type: str
    bytes: int


@dataclass(frozen=True)
class StylePreview:
    """The previewed size, one image per style, and what to say about them."""

    format: Format
    images: list[PreviewImage]
    warnings: list[str]


def preview_format(formats: Sequence[str]) -> Format:
    """The first requested size that needs no logo, else a square feed."""
    registry = default_registry()
    for f in registry.select(list(formats)) if formats else []:
        if f.kind != "logo":
            return f
    return registry[DEFAULT_PREVIEW_FORMAT]


def preview_styles(
    requested: Sequence[str] | None, tenant_defaults: Sequence[str], variants: int
) -> list[str]:
    """The styles to preview: those asked for (each once), else the ones a set of ``variants``
    would use (variant i takes style i of the tenant's order, or the built-in one)."""
    if requested:
        names = list(dict.fromkeys(requested))
    else:
        order = list(tenant_defaults) or list(DEFAULT_STYLE_ORDER)
        names = list(dict.fromkeys(order[: max(1, variants)]))
    for name in names:
        get_style(name)  # an unknown style is an InputError naming the known ones
    return names


def render_style_preview(
    session: Session,
    sessions: sessionmaker[Session],
    store: AssetStore,
    settings: Settings,
    tenant_id: str,
    fields: dict[str, Any],
    *,
    formats: Sequence[str],
    styles: Sequence[str] | None,
    variants: int,
    seed: int,
    image_format: str,
    image_asset_id: str | None = None,
    image: bytes | None = None,
    brand_kit_id: str | None = None,
) -> StylePreview:
    """Render one size per style for brief ``fields`` and keep the images for a while."""
    engine = engine_for(session, tenant_id, settings)
    names = preview_styles(styles, engine.default_styles, variants)
    fmt = preview_format(formats)
    with tempfile.TemporaryDirectory(prefix="adcraft-preview-") as tmp:
        folder = Path(tmp)
        brief = brief_of(
            session,
            store,
            tenant_id,
            {k: v for k, v in fields.items() if v is not None},
            folder,
            image_asset_id=image_asset_id,
            image=image,
            brand_kit_id=brand_kit_id,
        )
        session.rollback()  # end the read transaction: rendering takes a moment
        out = folder / "out"
        # One variant per style: variant i takes style i, as in a set of that many variants.
        generate(
            brief,
            formats=[fmt.id],
            styles=names,
            variants=len(names),
            seed=seed,
            out_dir=out,
            image_format=image_format,
            workers=1,
            copywriter=engine.copywriter,
            ranker=engine.ranker,
            gates=engine.gates,
            remover=engine.remover,
        )
        manifest = json.loads((out / MANIFEST).read_text("utf-8"))
        by_style: dict[str, dict[str, Any]] = {}
        for c in sorted(manifest["creatives"], key=lambda c: int(c["variant"])):
            by_style.setdefault(str(c["style"]), c)
        images: list[PreviewImage] = []
        for name in names:
            c = by_style.get(name)
            if c is None:
                continue  # identical to another style's image: shown once
            data = (out / c["file"]).read_bytes()
            fmt_name = str(c["image_format"])
            key = content_key(tenant_id, data, _EXT[fmt_name])
            _record(sessions, tenant_id, key)
            store.put(tenant_id, data, _EXT[fmt_name], _CTYPE[fmt_name])
            images.append(
                PreviewImage(
                    style=name,
                    format=str(c["format"]),
                    width=int(c["width"]),
                    height=int(c["height"]),
                    image_format=fmt_name,
                    key=key,
                    content_type=_CTYPE[fmt_name],
                    bytes=len(data),
                )
            )
        warnings = [str(w) for w in manifest.get("warnings", [])]
    return StylePreview(format=fmt, images=images, warnings=warnings)


def _record(sessions: sessionmaker[Session], tenant_id: str, key: str) -> None:
    """Note the key as shown now, before the file is written (a preview of the same bytes
    renews the row)."""
    now = utcnow()
    with unit_of_work(sessions) as s:
        renewed = s.execute(
            update(PreviewFile).where(PreviewFile.key == key).values(created_at=now)
        ).rowcount  # type: ignore[attr-defined]
    if renewed:
        return
    try:
        with unit_of_work(sessions) as s:
            s.add(PreviewFile(key=key, tenant_id=tenant_id, created_at=now))
    except IntegrityError:  # another preview of the same bytes recorded it meanwhile
        with unit_of_work(sessions) as s:
            s.execute(update(PreviewFile).where(PreviewFile.key == key).values(created_at=now))
