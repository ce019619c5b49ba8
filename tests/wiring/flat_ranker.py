"""A whole provider in one module: the class and its one registration line.

Loaded in any process by ``ADCRAFT_PROVIDER_MODULES=tests.wiring.flat_ranker``."""

from __future__ import annotations

from typing import Any

from adcraft.scoring.rank import ScoreResult
from adcraft.wiring import register


class FlatRanker:
    """Every creative scores 42, with a reason naming this provider."""

    name = "test-flat"

    def score(self, metrics: dict[str, float], context: dict[str, Any]) -> ScoreResult:
        return ScoreResult(42.0, ("flat test ranker",))


register("ranker", "test-flat")(lambda options: FlatRanker())
