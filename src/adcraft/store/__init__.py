"""Asset store: one interface, a local content-addressed folder or any S3-compatible service."""

from adcraft.errors import AssetMissing, StoreUnavailable
from adcraft.store.base import AssetStore, content_key, open_store

__all__ = ["AssetMissing", "AssetStore", "StoreUnavailable", "content_key", "open_store"]
