"""Gate thresholds: defaults, environment (``ADCRAFT_GATES__*``), and per-tenant overrides.

Every threshold is documented in docs/quality-gates.md with how it was chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adcraft.errors import ConfigError

EXPLICIT_CLASSES: tuple[str, ...] = (
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
)
"""NudeNet's explicit classes. Covered body parts, faces, feet, bellies and armpits are not
unsafe for an ad and are never counted (a swimsuit or a sneaker shot must pass)."""

ALL_GATES: tuple[str, ...] = ("blur", "exposure", "nsfw", "text", "duplicate", "clipscore")


class GateSettings(BaseModel):
    """Which gates run and their thresholds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: tuple[str, ...] = ALL_GATES
    """Gate names, resolved through the provider registry (kind ``gate``)."""
    blur_min_product: float = Field(default=6.0, ge=0)
    """Variance of the Laplacian (grey 0..255, longest side 512 px) inside the product."""
    blur_min_creative: float = Field(default=100.0, ge=0)
    """The same measure over the whole finished creative (text edges make it higher)."""
    dark_below: float = Field(default=0.10, ge=0, le=1)
    """Mean luminance (0..1) under which a picture is too dark."""
    bright_above: float = Field(default=0.97, ge=0, le=1)
    """Mean luminance above which a picture is washed out (white products on white pass)."""
    nsfw_min_score: float = Field(default=0.45, gt=0, le=1)
    """NudeNet detection score from which an explicit class counts."""
    nsfw_classes: tuple[str, ...] = EXPLICIT_CLASSES
    duplicate_max_distance: int = Field(default=6, ge=0, le=64)
    """pHash bits (of 64) under which two creatives of one format are the same picture."""
    clip_model_path: Path | None = None
    """A local CLIP model folder (transformers' CLIPModel); the gate is off without one."""
    clip_min_score: float = Field(default=0.5, ge=0, le=2.5)
    """CLIPScore = 2.5 · max(cos(image, text), 0) (Hessel et al. 2021)."""
    tenants: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-tenant overrides of the fields above, by tenant id."""

    def for_tenant(self, tenant_id: str | None) -> GateSettings:
        """These settings with the tenant's overrides applied (a bad override is a ConfigError)."""
        override = self.tenants.get(tenant_id or "", {})
        if not override:
            return self
        if "tenants" in override:
            raise ConfigError(f"gates.tenants.{tenant_id}: an override cannot nest tenants")
        try:
            return GateSettings(**{**self.model_dump(exclude={"tenants"}), **override})
        except ValidationError as exc:
            e = exc.errors()[0]
            where = ".".join(map(str, e["loc"]))
            raise ConfigError(f"gates.tenants.{tenant_id}.{where}: {e['msg']}") from None


def default_gate_settings() -> GateSettings:
    """The gate settings from the environment and config file (as ``adcraft serve`` reads)."""
    from adcraft.config import load_settings

    return load_settings().gates
