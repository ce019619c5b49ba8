"""Files coming in: uploads and URLs become assets once their headers pass the caps (the workers
decode them)."""

from __future__ import annotations

import io
from typing import Literal

from fastapi import UploadFile
from sqlalchemy.orm import Session

from adcraft.api.limits import payload_too_large
from adcraft.api.textcheck import clean_name
from adcraft.container import Container
from adcraft.db.models import Asset
from adcraft.errors import ImageInputError
from adcraft.imagery.fetch import fetch_url
from adcraft.imagery.load import probe_image
from adcraft.problem_codes import refuse

MAX_FONT_BYTES = 15 * 2**20


def read_upload(upload: UploadFile, limit: int, what: str) -> bytes:
    """The upload's bytes, refusing more than ``limit`` without reading past it."""
    data = upload.file.read(limit + 1)
    # By the file's own name, as the marketer chose it; ``what`` where it has none.
    name = clean_name(upload.filename or "") or what
    if len(data) > limit:
        raise payload_too_large(limit, name)
    if not data:
        raise refuse("file_empty", kind=ImageInputError, name=name)
    return data


def fetch_image(container: Container, url: str) -> bytes:
    """Download a product image over the SSRF-safe fetcher with the configured caps."""
    lim = container.settings.limits
    allow = container.extras.get("fetch_allow_addresses", ())  # tests only, never user input
    return fetch_url(
        url,
        timeout_s=lim.fetch_timeout_s,
        total_s=lim.fetch_total_s,
        max_bytes=lim.max_upload_bytes,
        max_redirects=lim.fetch_max_redirects,
        allow_addresses=allow,  # type: ignore[arg-type]
    )


def ingest_image(
    container: Container,
    session: Session,
    tenant_id: str,
    data: bytes,
    *,
    filename: str = "",
    kind: Literal["image", "logo"] = "image",
    caption: str = "",
) -> Asset:
    """Check type, size and pixel count from the header, then keep the bytes as an asset row.

    No pixel is decoded here: the workers decode (within their memory budget) when they render,
    so a hostile image cannot grow the API process.
    """
    lim = container.settings.limits
    if len(data) > lim.max_upload_bytes:
        raise payload_too_large(lim.max_upload_bytes, clean_name(filename) or "the image")
    header = probe_image(data, clean_name(filename) or "upload", max_pixels=lim.max_pixels)
    ext, ctype = header.ext, header.content_type
    key = container.store.put(tenant_id, data, ext, ctype)
    asset = Asset(
        tenant_id=tenant_id,
        kind=kind,
        key=key,
        content_type=ctype,
        bytes=len(data),
        width=header.width,
        height=header.height,
        filename=clean_name(filename)[:300],
        caption=caption[:2000],
    )
    session.add(asset)
    session.flush()
    return asset


def ingest_font(
    container: Container, session: Session, tenant_id: str, data: bytes, filename: str
) -> Asset:
    """Keep a TrueType/OpenType font after Pillow has loaded it."""
    from PIL import ImageFont

    if data[:4] == b"OTTO":
        ext, ctype = "otf", "font/otf"
    elif data[:4] in (b"\x00\x01\x00\x00", b"true"):
        ext, ctype = "ttf", "font/ttf"
    else:
        raise refuse("font_not_supported", name=filename or "the file")
    try:
        ImageFont.truetype(io.BytesIO(data), 24)
    except OSError as exc:
        raise refuse("font_unreadable", name=filename or "the font", reason=str(exc)) from exc
    key = container.store.put(tenant_id, data, ext, ctype)
    asset = Asset(
        tenant_id=tenant_id,
        kind="font",
        key=key,
        content_type=ctype,
        bytes=len(data),
        filename=clean_name(filename)[:300],
    )
    session.add(asset)
    session.flush()
    return asset
