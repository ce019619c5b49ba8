"""The CTR model on simulated traffic: learns, calibrates, refuses too little data, persists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adcraft.experiments.simulator import count_rows, make_world, simulate_impressions
from adcraft.scoring.ctr.evaluation import ndcg_at_k, quality_scores
from adcraft.scoring.ctr.explain import explain
from adcraft.scoring.ctr.features import CountRow
from adcraft.scoring.ctr.model import (
    CtrModel,
    NotEnoughData,
    expected_calibration_error,
    train,
    weighted_auc,
)
from adcraft.scoring.ctr.registry import ModelRegistry, NoModel
from adcraft.scoring.ctr.smoothing import fit_beta_prior, fit_gamma_strength


@pytest.fixture(scope="module")
def trained() -> tuple[CtrModel, object, object]:
    world = make_world(80, 11)
    imps = simulate_impressions(world, 300_000, 12)
    model = train(world.creatives, count_rows(world, imps), rounds=60)
    return model, world, imps


def test_model_ranks_better_than_quality_and_random(
    trained: tuple[CtrModel, object, object],
) -> None:
    model, world, _ = trained
    truth = world.true_ctr()  # type: ignore[attr-defined]
    creatives = world.creatives  # type: ignore[attr-defined]
    pred = model.predict(creatives)
    corr_model = float(np.corrcoef(pred, truth)[0, 1])
    corr_quality = float(np.corrcoef(quality_scores(creatives), truth)[0, 1])
    assert corr_model > 0.8
    assert corr_model > corr_quality + 0.2


def test_model_is_calibrated_on_fresh_traffic(trained: tuple[CtrModel, object, object]) -> None:
    model, world, _ = trained
    fresh = simulate_impressions(world, 100_000, 99)  # type: ignore[arg-type]
    rows = count_rows(world, fresh)  # type: ignore[arg-type]
    by_id = {c.creative_id: c for c in world.creatives}  # type: ignore[attr-defined]
    pred = model.predict_rows(rows, by_id)
    clicks = np.array([r.clicks for r in rows], dtype=float)
    n = np.array([r.impressions for r in rows], dtype=float)
    assert expected_calibration_error(pred, clicks, n) < 0.01
    oracle = weighted_auc(fresh.p_true, fresh.click.astype(float), np.ones(len(fresh)))
    assert weighted_auc(pred, clicks, n) > oracle - 0.05


def test_too_little_data_is_refused_with_the_minimum() -> None:
    world = make_world(12, 1)
    imps = simulate_impressions(world, 3000, 2)
    with pytest.raises(NotEnoughData, match="minimum is 10000 impressions, 200 clicks"):
        train(world.creatives, count_rows(world, imps))


def test_clicks_without_impressions_are_refused() -> None:
    world = make_world(12, 1)
    rows = [CountRow(world.creatives[0].creative_id, impressions=5, clicks=9)]
    with pytest.raises(Exception, match="clicks without impressions"):
        train(world.creatives, rows)


def test_registry_round_trip_and_versions(
    tmp_path: Path, trained: tuple[CtrModel, object, object]
) -> None:
    model, world, _ = trained
    reg = ModelRegistry(tmp_path)
    with pytest.raises(NoModel, match="no CTR model trained"):
        reg.load("acme")
    assert reg.save("acme", model) == "v0001"
    assert reg.save("acme", model) == "v0002"
    assert reg.versions("acme") == ["v0001", "v0002"] and reg.latest("acme") == "v0002"
    again = reg.load("acme", "v0001")
    creatives = world.creatives  # type: ignore[attr-defined]
    assert np.allclose(again.predict(creatives), model.predict(creatives))
    assert reg.meta("acme")["summary"]["impressions"] == 300_000
    with pytest.raises(NoModel):
        reg.load("acme", "v0009")


def test_explanations_are_words(trained: tuple[CtrModel, object, object]) -> None:
    model, world, _ = trained
    reasons = explain(model, world.creatives[0])  # type: ignore[attr-defined]
    assert 1 <= len(reasons) <= 5
    assert all("points of CTR" in r or "history" in r for r in reasons)
    assert not any("_" in r.split(":")[0] for r in reasons)  # no raw metric keys


def test_smoothing_moments() -> None:
    # Identical cells: a strong prior at the common rate.
    prior = fit_beta_prior([(20.0, 1000.0)] * 10)
    assert prior.mean == pytest.approx(0.02)
    assert prior.a + prior.b > 1000
    # A creative exactly as predicted everywhere: no spread, huge kappa (no adjustment).
    assert fit_gamma_strength({"a": 10.0, "b": 20.0}, {"a": 10.0, "b": 20.0}) == 1e6


def test_auc_and_ndcg_helpers() -> None:
    pred = np.array([0.1, 0.2, 0.3])
    assert weighted_auc(pred, np.array([0.0, 0.0, 5.0]), np.array([5.0, 5.0, 5.0])) == 1.0
    assert weighted_auc(np.array([0.5, 0.5]), np.array([1.0, 0.0]), np.array([1.0, 1.0])) == 0.5
    gains = np.array([3.0, 2.0, 1.0])
    assert ndcg_at_k(gains, gains, 2) == pytest.approx(1.0)
    assert ndcg_at_k(-gains, gains, 2) < 1.0
