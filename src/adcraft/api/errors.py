"""Old import path of the HTTP-layer errors; they live in :mod:`adcraft.errors` (import them
from there). Kept so modules written against this path keep working."""

from __future__ import annotations

from adcraft.errors import Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized

__all__ = ["Conflict", "Forbidden", "NotFound", "PayloadTooLarge", "Unauthorized"]
