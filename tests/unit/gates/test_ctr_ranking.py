"""Ranking by predicted CTR: a trained model's order, the quality score before one exists."""

from __future__ import annotations

from pathlib import Path

from adcraft.domain.brief import Brief
from adcraft.experiments.simulator import count_rows, make_world, simulate_impressions
from adcraft.pipeline import generate
from adcraft.scoring.ctr.model import train
from adcraft.scoring.ctr.ranker import NO_MODEL, CtrRanker
from adcraft.scoring.ctr.registry import ModelRegistry
from adcraft.wiring import create


def test_without_a_model_the_ctr_ranker_is_the_quality_score(tmp_path: Path) -> None:
    ranker = create("ranker", "ctr", {"data_dir": tmp_path, "tenant": "t1"})
    brief = Brief(product_name="Trail tent", language="en")
    cs = generate(brief, formats=["meta_feed_square"], variants=2, ranker=ranker, gates=[])
    quality = generate(brief, formats=["meta_feed_square"], variants=2, gates=[])
    assert [c.score for c in cs.creatives] == [c.score for c in quality.creatives]
    assert f"score: {NO_MODEL}" in cs.creatives[0].warnings


def test_a_trained_model_ranks_by_predicted_ctr(tmp_path: Path) -> None:
    world = make_world(40, seed=3)
    imps = simulate_impressions(world, 60_000, seed=3)
    model = train(world.creatives, count_rows(world, imps))
    ModelRegistry(tmp_path).save("t1", model, (None, None))
    ranker = create("ranker", "ctr", {"data_dir": tmp_path, "tenant": "t1"})
    assert isinstance(ranker, CtrRanker) and ranker.model is not None
    brief = Brief(product_name="Trail tent", language="en")
    cs = generate(brief, formats=["meta_feed_square"], variants=4, ranker=ranker, gates=[])
    scores = [c.score for c in cs.creatives]
    assert all(0 < s < 100 for s in scores)  # CTR in percent, not quality points
    assert any(w.startswith("score: predicted CTR") for w in cs.creatives[0].warnings)
    quality = generate(brief, formats=["meta_feed_square"], variants=4, gates=[])
    assert scores != [c.score for c in quality.creatives]
