"""Ranking by predicted CTR: the tenant's latest trained model, the quality score without one.

Registered as ranker ``ctr``. The service builds it per tenant (``wiring.create_ranker`` with
the tenant and the data folder: generation, re-renders and ``GET /api/v1/ctr/ranking``); the
CLI's ``ADCRAFT_RANKER=ctr`` reads ``ADCRAFT_DATA_DIR`` and ``ADCRAFT_CTR_TENANT`` instead. The
score is the calibrated CTR in percent, so it reads on the page as "2.31"; the reasons are the
model's feature contributions in words (scoring/ctr/explain.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adcraft.experiments.creative_features import CLAIM_KINDS, CreativeFeatures
from adcraft.scoring.ctr.model import CtrModel
from adcraft.scoring.ctr.registry import ModelRegistry, NoModel
from adcraft.scoring.rank import QualityRanker, ScoreResult
from adcraft.scoring.reasons import say

NO_MODEL = say("no_ctr_model")


def features_of(metrics: dict[str, float], context: dict[str, Any]) -> CreativeFeatures:
    """A finished creative as the CTR model sees it, from its metrics and ranking context."""
    return CreativeFeatures(
        creative_id=str(context.get("id") or "new"),
        format_id=str(context.get("format") or "unknown"),
        style=str(context.get("style") or "unknown"),
        category=str(context.get("category") or "general")[:64],
        template=str(context.get("template") or "default"),
        language=str(context.get("language") or "en"),
        claim_kinds=tuple(k for k in context.get("claim_kinds", ()) if k in CLAIM_KINDS),
        headline_chars=int(context.get("headline_chars", 0)),
        body_chars=int(context.get("body_chars", 0)),
        copy_text=str(context.get("copy_text") or "")[:2000],
        metrics={k: float(v) for k, v in metrics.items()},
    )


class CtrRanker:
    """Predicted CTR (percent) from a trained model; the quality score when there is none."""

    name = "ctr"

    def __init__(self, model: CtrModel | None) -> None:
        self.model = model
        self._fallback = QualityRanker()

    @classmethod
    def from_registry(cls, data_dir: Path, tenant: str) -> CtrRanker:
        """The tenant's latest model, or none yet."""
        try:
            return cls(ModelRegistry(data_dir).load(tenant))
        except NoModel:
            return cls(None)

    def score(self, metrics: dict[str, float], context: dict[str, Any]) -> ScoreResult:
        """Predicted CTR in percent, with the strongest reasons in words."""
        if self.model is None:
            q = self._fallback.score(metrics, context)
            return ScoreResult(q.score, (NO_MODEL, *q.reasons))
        from adcraft.scoring.ctr.explain import explain

        c = features_of(metrics, context)
        # A stored creative the model saw clicks for keeps what its features miss (its
        # multiplier); a creative made just now has no history: its features are its prior.
        p = float(self.model.predict([c])[0])
        reasons = (say("predicted_ctr", ctr=p), *explain(self.model, c))
        return ScoreResult(round(100 * p, 4), reasons)
