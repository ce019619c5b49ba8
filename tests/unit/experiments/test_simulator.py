"""The click simulator: seeded, realistic rates, position and fatigue effects as specified."""

from __future__ import annotations

import numpy as np

from adcraft.experiments.simulator import (
    WorldConfig,
    count_rows,
    make_world,
    prior_exposures,
    simulate_impressions,
)


def test_same_seed_same_world_and_traffic() -> None:
    a, b = make_world(20, 5), make_world(20, 5)
    assert a.creatives == b.creatives
    ia, ib = simulate_impressions(a, 5000, 1), simulate_impressions(b, 5000, 1)
    assert np.array_equal(ia.click, ib.click)
    assert not np.array_equal(ia.click, simulate_impressions(a, 5000, 2).click)


def test_ctrs_are_ad_like_and_position_and_fatigue_lower_them() -> None:
    w = make_world(200, 0)
    ctr = w.true_ctr()
    assert 0.01 < float(np.median(ctr)) < 0.04
    assert np.all(w.true_ctr(position=3) < ctr)
    assert np.all(w.true_ctr(exposure=4) < ctr)
    imps = simulate_impressions(w, 200_000, 1)
    top, low = imps.position == 1, imps.position == 5
    assert imps.click[top].mean() > imps.click[low].mean()
    assert abs(imps.click.mean() - imps.p_true.mean()) < 0.002  # clicks follow the truth


def test_prior_exposures_counts_earlier_pairs_only() -> None:
    user = np.array([1, 1, 2, 1, 2, 1])
    creative = np.array([7, 7, 7, 8, 7, 7])
    assert prior_exposures(user, creative).tolist() == [0, 1, 0, 0, 1, 2]


def test_count_rows_add_up() -> None:
    w = make_world(10, 0)
    imps = simulate_impressions(w, 10_000, 1)
    rows = count_rows(w, imps)
    assert sum(r.impressions for r in rows) == 10_000
    assert sum(r.clicks for r in rows) == int(imps.click.sum())
    assert all(1 <= r.position <= 5 and 0 <= r.exposure <= 10 for r in rows)


def test_the_click_model_scores_any_creative_as_the_world_does() -> None:
    world = make_world(30, seed=4, config=WorldConfig(creative_noise_sd=0.0))
    assert world.truth is not None
    logits = [world.truth.logit(c) for c in world.creatives]
    assert np.allclose(logits, world.base_logit)
    # A creative made by adcraft: a format id the world never drew, metrics it does not report.
    made = world.creatives[0].model_copy(
        update={"format_id": "meta_feed_square", "metrics": {"text_share": 0.1}}
    )
    again = make_world(0, seed=4, config=WorldConfig(creative_noise_sd=0.0)).truth
    assert again is not None
    assert world.truth.logit(made) == again.logit(made)  # the same truth every time
    assert world.truth.effect("format", "meta_feed_square") != 0.0
    heavy_text = made.model_copy(update={"metrics": {"text_share": 0.6}})
    assert world.truth.ctr(heavy_text) < world.truth.ctr(made)
