"""Building the configured gates through the provider registry and running them on a set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from adcraft.scoring.gates.base import Gate, GateInput, GateResult
from adcraft.scoring.gates.settings import GateSettings

if TYPE_CHECKING:
    from adcraft.scoring.ranking import ImageEncoder


def build_gates(settings: GateSettings, tenant_id: str | None = None) -> list[Gate]:
    """The enabled gates for a tenant (a gate whose factory returns None is off)."""
    from adcraft.wiring import create

    resolved = settings.for_tenant(tenant_id)
    gates = [create("gate", name, {"settings": resolved}) for name in resolved.enabled]
    return [g for g in gates if g is not None]


def build_image_encoder(
    settings: GateSettings, tenant_id: str | None = None
) -> ImageEncoder | None:
    """The configured image encoder for a tenant: the CLIP model of ``clip_model_path`` (the
    same loaded model as the CLIPScore gate's), or None when no model is configured."""
    resolved = settings.for_tenant(tenant_id)
    if resolved.clip_model_path is None:
        return None
    from adcraft.scoring.gates.clip import clip_scorer

    return clip_scorer(resolved.clip_model_path)


def run_gates(gates: Sequence[Gate], items: Sequence[GateInput]) -> list[list[GateResult]]:
    """Every gate's results per item, in gate order."""
    out: list[list[GateResult]] = [[] for _ in items]
    for gate in gates:
        for acc, results in zip(out, gate.check(items), strict=True):
            acc.extend(results)
    return out
