"""How good is a CTR model? Discrimination, calibration and ranking, against simulated truth."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from adcraft.experiments.creative_features import CreativeFeatures
from adcraft.experiments.simulator import (
    World,
    WorldConfig,
    count_rows,
    make_world,
    simulate_impressions,
)
from adcraft.scoring.ctr.model import (
    CtrModel,
    expected_calibration_error,
    train,
    weighted_auc,
)
from adcraft.scoring.rank import QualityRanker

if TYPE_CHECKING:
    from adcraft.imagery.bank.ports import TextEncoder


def ndcg_at_k(scores: NDArray[np.float64], gains: NDArray[np.float64], k: int = 5) -> float:
    """NDCG@k of ranking by ``scores`` with relevance ``gains`` (here: true CTRs)."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    top = np.argsort(-scores, kind="stable")[:k]
    ideal = np.sort(gains)[::-1][:k]
    dcg = float(np.sum(gains[top] * discounts[: top.size]))
    idcg = float(np.sum(ideal * discounts[: ideal.size]))
    return dcg / idcg if idcg > 0 else 0.0


def mean_ndcg(
    scores: NDArray[np.float64], gains: NDArray[np.float64], group: int, k: int = 5
) -> float:
    """Mean NDCG@k over consecutive groups of ``group`` creatives (one generated set each)."""
    vals = [
        ndcg_at_k(scores[i : i + group], gains[i : i + group], k)
        for i in range(0, scores.size - group + 1, group)
    ]
    return float(np.mean(vals))


def quality_scores(creatives: Sequence[CreativeFeatures]) -> NDArray[np.float64]:
    """The transparent layout-quality score of each creative (the no-model ranking)."""
    ranker = QualityRanker()
    return np.array([ranker.score(c.metrics, {}).score for c in creatives], dtype=float)


@dataclass(frozen=True)
class BenchmarkResult:
    """Figures of one simulated train/test run."""

    train_impressions: int
    test_impressions: int
    test_clicks: int
    oracle_auc: float
    model_auc: float
    model_ece: float
    ndcg_model: float
    ndcg_quality: float
    ndcg_random: float
    ndcg_cold_model: float
    ndcg_cold_quality: float
    model: CtrModel


def simulated_benchmark(
    n_creatives: int,
    n_impressions: int,
    seed: int,
    *,
    group: int = 10,
    cold_share: float = 0.2,
    rounds: int = 300,
    log: Callable[[str], None] | None = None,
    text_encoder: TextEncoder | None = None,
    config: WorldConfig | None = None,
) -> BenchmarkResult:
    """Train on the first 80 % of a simulated log, test on the last 20 %.

    A ``cold_share`` of the creatives never appears in training (brand-new creatives): the
    cold-start NDCG ranks only those, on features alone. With a ``text_encoder`` the model
    also reads the copy's wording.
    """
    say = log or (lambda _m: None)
    world: World = make_world(n_creatives, seed, config)
    n_cold = round(cold_share * n_creatives)
    warm_alloc = np.r_[np.ones(n_creatives - n_cold), np.zeros(n_cold)]
    imps = simulate_impressions(world, n_impressions, seed + 1, allocation=warm_alloc)
    split = int(0.8 * len(imps))
    in_train = np.arange(len(imps)) < split
    say(f"simulated {len(imps)} impressions, {int(imps.click.sum())} clicks")
    model = train(
        world.creatives,
        count_rows(world, imps, in_train),
        rounds=rounds,
        text_encoder=text_encoder,
        encoder_setting=getattr(text_encoder, "setting", ""),
    )
    say("trained")
    test_rows = count_rows(world, imps, ~in_train)
    by_id = {c.creative_id: c for c in world.creatives}
    pred = model.predict_rows(test_rows, by_id)
    clicks = np.array([r.clicks for r in test_rows], dtype=float)
    n = np.array([r.impressions for r in test_rows], dtype=float)
    test_mask = ~in_train
    oracle = weighted_auc(
        imps.p_true[test_mask],
        imps.click[test_mask].astype(float),
        np.ones(int(test_mask.sum())),
    )
    truth = world.true_ctr()
    rng = np.random.default_rng(seed + 2)
    warm = world.creatives[: n_creatives - n_cold]
    cold = world.creatives[n_creatives - n_cold :]
    warm_truth, cold_truth = truth[: n_creatives - n_cold], truth[n_creatives - n_cold :]
    return BenchmarkResult(
        train_impressions=split,
        test_impressions=len(imps) - split,
        test_clicks=int(clicks.sum()),
        oracle_auc=oracle,
        model_auc=weighted_auc(pred, clicks, n),
        model_ece=expected_calibration_error(pred, clicks, n),
        ndcg_model=mean_ndcg(model.predict(warm), warm_truth, group),
        ndcg_quality=mean_ndcg(quality_scores(warm), warm_truth, group),
        ndcg_random=mean_ndcg(rng.random(len(warm)), warm_truth, group),
        ndcg_cold_model=mean_ndcg(model.predict(cold), cold_truth, group),
        ndcg_cold_quality=mean_ndcg(quality_scores(cold), cold_truth, group),
        model=model,
    )
