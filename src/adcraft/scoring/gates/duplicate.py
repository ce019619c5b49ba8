"""Near-duplicate creatives: a later creative of the same format that looks like an earlier one.

The items come in rank order, so the copy that fails is the worse-ranked one; the pipeline then
stores and shows it once. Only creatives of one format are compared: the same design in two
platforms' square formats is two deliverables, not a duplicate.
"""

from __future__ import annotations

from collections.abc import Sequence

from adcraft.scoring.duplicates import perceptual_hash
from adcraft.scoring.gates.base import GateInput, GateResult


class DuplicateGate:
    """Fails every creative within ``max_distance`` pHash bits of a better one of its format."""

    name = "duplicate"

    def __init__(self, max_distance: int) -> None:
        self.max_distance = max_distance

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        """One result per creative: the distance to the nearest earlier kept one."""
        hashes = [perceptual_hash(i.image) for i in items]
        kept: dict[str, list[int]] = {}
        out = []
        for n, item in enumerate(items):
            group = kept.setdefault(item.format_id, [])
            dist = {k: int(hashes[n] - hashes[k]) for k in group}
            near = min(dist, key=lambda k: dist[k], default=None)
            d = dist[near] if near is not None else 64
            if near is not None and d <= self.max_distance:
                ok = False
                reason = f"same picture as creative {items[near].id} ({d} of 64 bits differ)"
            else:
                ok = True
                group.append(n)
                reason = (
                    "no near-copy among the better creatives of its format"
                    if near is None
                    else f"differs from every better creative of its format ({d} of 64 bits)"
                )
            out.append(
                [
                    GateResult(
                        gate=self.name,
                        subject="creative",
                        passed=ok,
                        reason=reason,
                        value=float(d),
                        threshold=f"> {self.max_distance}",
                    )
                ]
            )
        return out
