"""The AssetStore port and content-addressed keys.

Keys are ``tenants/<tenant>/<sha256[:2]>/<sha256>.<ext>``: the same bytes always get the same
key, so a retried task that re-renders identical images writes nothing new, and one tenant's
objects never share a key with another's.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol, runtime_checkable

from adcraft.errors import AdcraftError, AssetMissing

TENANT_RE = re.compile(r"^[0-9a-zA-Z_-]{1,64}$")
KEY_RE = re.compile(r"^tenants/[0-9a-zA-Z_-]{1,64}/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{1,8}$")


def content_key(tenant_id: str, data: bytes, ext: str) -> str:
    """The content-addressed key of ``data`` for a tenant."""
    sha = hashlib.sha256(data).hexdigest()
    return f"tenants/{tenant_id}/{sha[:2]}/{sha}.{ext.lower().lstrip('.')}"


def check_key(key: str) -> str:
    """The key itself when well formed (no traversal, no foreign layout), else AssetMissing."""
    if not KEY_RE.match(key):
        raise AssetMissing("no such asset")
    return key


def tenant_prefix(tenant_id: str) -> str:
    """The key prefix holding all of a tenant's objects."""
    if not TENANT_RE.match(tenant_id):
        raise AssetMissing("no such tenant folder")
    return f"tenants/{tenant_id}/"


@runtime_checkable
class AssetStore(Protocol):
    """Where originals, cut-outs and every rendered size and version are kept."""

    name: str

    def put(self, tenant_id: str, data: bytes, ext: str, content_type: str) -> str:
        """Store bytes under their content key and return the key (idempotent)."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes of a key; AssetMissing when absent."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a key is stored."""
        ...

    def delete(self, key: str) -> None:
        """Remove a key (no error when absent)."""
        ...

    def delete_tenant(self, tenant_id: str) -> int:
        """Remove every object of a tenant (``tenants/<tenant>/``); how many were removed."""
        ...

    def presigned_url(
        self, key: str, *, ttl_s: int, filename: str, content_type: str
    ) -> str | None:
        """A direct download URL valid for ttl_s, or None when the API must serve it."""
        ...

    def ping(self) -> bool:
        """True when the store answers."""
        ...


def open_store(url: str, **options: str) -> AssetStore:
    """The store for a URL: ``file:///path`` or ``s3://bucket/prefix``."""
    if url.startswith("s3://"):
        from adcraft.store.s3 import S3Store

        return S3Store.from_url(url, **options)
    if url.startswith("file://"):
        from urllib.parse import unquote, urlsplit

        from adcraft.store.local import LocalStore

        return LocalStore(unquote(urlsplit(url).path))
    raise AdcraftError(f"store URL {url!r} is not file:///path or s3://bucket/prefix")
