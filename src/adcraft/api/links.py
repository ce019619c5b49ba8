"""Download links and upload-friendly file names."""

from __future__ import annotations

import re

from fastapi import Request

from adcraft.container import Container
from adcraft.domain.formats import default_registry
from adcraft.store.signing import sign

_PRESETS = ("meta", "tiktok", "google", "iab", "pinterest", "linkedin", "x", "snapchat")
CTYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def preset_of(format_id: str) -> str:
    """The short platform key of a format id (``meta_feed_square`` -> ``meta``)."""
    head = format_id.split("_", 1)[0]
    return head if head in _PRESETS else "generic"


def upload_name(format_id: str, width: int, height: int, variant: int, image_format: str) -> str:
    """``platform_format_WxH_vN.ext``: what ad platforms and media buyers expect to see."""
    fid = re.sub(r"[^0-9A-Za-z_-]+", "x", format_id)
    if preset_of(format_id) == "generic":
        fid = f"generic_{fid}"
    return f"{fid}_{width}x{height}_v{variant}.{EXTS.get(image_format, image_format)}"


def signed_url(
    request: Request,
    container: Container,
    key: str,
    *,
    filename: str,
    content_type: str,
    ttl_s: int | None = None,
) -> str:
    """A short-lived link to a stored file: presigned by S3, or HMAC-signed and served here."""
    ttl = ttl_s or container.settings.store.signed_url_ttl_s
    direct = container.store.presigned_url(
        key, ttl_s=ttl, filename=filename, content_type=content_type
    )
    if direct:
        return direct
    token, _exp = sign(
        container.secret, key, ttl_s=ttl, filename=filename, content_type=content_type
    )
    base = container.settings.server.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return f"{base}/api/v1/files/{token}"


def known_format(format_id: str) -> bool:
    """Whether the registry resolves this id."""
    return format_id in default_registry()
