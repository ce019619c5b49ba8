"""What a bulk run makes for every product, and the key that makes outputs reusable."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from adcraft.catalog.bulk.rules import Rule

#: Bumped when a change to the catalog renderer should invalidate every stored creative.
#: 2: sale prices drawn with the feed's price struck through; manifests carry the verdict.
OUTPUT_VERSION = 2


class RunSpec(BaseModel):
    """Formats x variants x styles x rules, applied to every product of a feed."""

    model_config = ConfigDict(frozen=True)

    formats: tuple[str, ...] = ("meta_feed_square",)
    variants: int = Field(default=2, ge=1, le=24)
    styles: tuple[str, ...] | None = None
    seed: int = 0
    image_format: str = Field(default="jpeg", pattern=r"^(jpeg|png|webp)$")
    rules: tuple[Rule, ...] = ()
    now: datetime | None = None
    """When sale dates are judged; None means every sale price applies."""

    def settings_hash(self) -> str:
        """SHA-256 of the settings (with the renderer's version), for output keys."""
        data = self.model_dump(mode="json")
        data["output_version"] = OUTPUT_VERSION
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


def output_key(content_hash: str, settings_hash: str) -> str:
    """Where a product's creatives live: same content and settings, same key."""
    return hashlib.sha256(f"{content_hash}:{settings_hash}".encode()).hexdigest()[:24]
