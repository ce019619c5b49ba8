"""The default store: a content-addressed folder on local disk, written atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from adcraft.errors import AssetMissing, StoreUnavailable
from adcraft.store.base import check_key, content_key, tenant_prefix


class LocalStore:
    """Files under ``root/tenants/<tenant>/<aa>/<sha256>.<ext>``."""

    name = "local"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, tenant_id: str, data: bytes, ext: str, content_type: str) -> str:
        """Write once; an existing key already holds these exact bytes."""
        key = content_key(tenant_id, data, ext)
        path = self._path(key)
        if path.exists():
            return key
        tmp = ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            if tmp:  # a full disk must not also fill up with half-written temp files
                Path(tmp).unlink(missing_ok=True)
            raise StoreUnavailable(f"cannot write to the asset folder: {exc.strerror}") from exc
        return key

    def get(self, key: str) -> bytes:
        """The stored bytes."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise AssetMissing("the file for this asset is missing from the store") from None
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the asset folder: {exc.strerror}") from exc

    def exists(self, key: str) -> bool:
        """Whether the file exists."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        self._path(key).unlink(missing_ok=True)

    def delete_tenant(self, tenant_id: str) -> int:
        """Remove the tenant's folder with everything in it."""
        folder = self.root / tenant_prefix(tenant_id)
        if not folder.is_dir():
            return 0
        count = sum(1 for p in folder.rglob("*") if p.is_file())
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            raise StoreUnavailable(f"cannot delete {folder}: {exc.strerror}") from exc
        return count

    def presigned_url(self, key: str, *, ttl_s: int, filename: str, content_type: str) -> None:
        """Local files are served by the API through HMAC-signed links."""
        return None

    def ping(self) -> bool:
        """The folder exists and is writable."""
        return self.root.is_dir() and os.access(self.root, os.W_OK)
