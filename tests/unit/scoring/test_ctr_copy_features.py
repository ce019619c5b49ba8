"""The copy's wording as CTR features: encoded once, reduced, stored, explained in words."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from adcraft.experiments.simulator import (
    WorldConfig,
    count_rows,
    make_world,
    simulate_impressions,
)
from adcraft.scoring.ctr.explain import explain
from adcraft.scoring.ctr.features import TEXT_DIMS
from adcraft.scoring.ctr.model import CtrModel, train
from adcraft.scoring.ctr.registry import ModelRegistry


class WordEncoder:
    """A deterministic bag-of-words encoder standing in for the configured one."""

    name = "words-test"
    dim = 32
    languages: frozenset[str] | None = None

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, sum(word.encode()) % self.dim] += 1.0
        out[:, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def worded() -> tuple[CtrModel, object, WordEncoder]:
    # Headline wording matters in this world; the features must pick it up.
    world = make_world(60, 5, WorldConfig(wording_sd=0.6))
    imps = simulate_impressions(world, 200_000, 6)
    encoder = WordEncoder()
    model = train(
        world.creatives,
        count_rows(world, imps),
        rounds=60,
        text_encoder=encoder,
        encoder_setting="words",
    )
    return model, world, encoder


def test_features_include_the_copy_wording_and_differ_with_the_copy(
    worded: tuple[CtrModel, object, WordEncoder],
) -> None:
    model, world, _ = worded
    names = model.booster.feature_name()
    assert [n for n in names if n.startswith("copy_emb_")] == [
        f"copy_emb_{i}" for i in range(TEXT_DIMS)
    ]
    c = world.creatives[0]  # type: ignore[attr-defined]
    other = c.model_copy(update={"copy_text": "Completely different words here\nShop now"})
    same = c.model_copy(update={"creative_id": "copy-of-0"})
    feats = model.text_features([c, other, same])
    assert feats.shape == (3, TEXT_DIMS) and np.isfinite(feats).all()
    assert not np.allclose(feats[0], feats[1])
    assert np.array_equal(feats[0], feats[2])
    # The wording moves the prediction of an otherwise identical creative: give creative 0
    # the copy whose headline the world likes least, then the one it likes most.
    truth = world.truth  # type: ignore[attr-defined]
    by_effect = sorted(world.creatives, key=truth.wording)  # type: ignore[attr-defined]
    worst = c.model_copy(update={"copy_text": by_effect[0].copy_text})
    best = c.model_copy(update={"copy_text": by_effect[-1].copy_text})
    wording = [
        sum(v for k, v in model.contributions(x).items() if k.startswith("copy_emb_"))
        for x in (worst, best)
    ]
    assert wording[1] > wording[0]


def test_each_distinct_text_is_encoded_once(
    worded: tuple[CtrModel, object, WordEncoder],
) -> None:
    model, world, encoder = worded
    assert len(encoder.texts) == len(set(encoder.texts))
    before = len(encoder.texts)
    model.predict(world.creatives)  # type: ignore[attr-defined]
    model.predict(world.creatives)  # type: ignore[attr-defined]
    assert len(encoder.texts) == before  # all cached since training


def test_a_model_loaded_from_the_registry_predicts_identically(
    tmp_path: Path, worded: tuple[CtrModel, object, WordEncoder]
) -> None:
    model, world, _ = worded
    reg = ModelRegistry(tmp_path)
    reg.save("acme", model)
    again = reg.load("acme", text_encoder=WordEncoder())
    assert again.text == model.text
    creatives = list(world.creatives)  # type: ignore[attr-defined]
    brand_new = creatives[0].model_copy(
        update={"creative_id": "new-1", "copy_text": "Winter sale starts now\nBuy today"}
    )
    creatives.append(brand_new)
    assert np.array_equal(again.predict(creatives), model.predict(creatives))
    assert again.contributions(brand_new) == model.contributions(brand_new)


def test_without_its_encoder_a_loaded_model_still_predicts(
    tmp_path: Path, worded: tuple[CtrModel, object, WordEncoder]
) -> None:
    model, world, _ = worded
    reg = ModelRegistry(tmp_path)
    reg.save("acme", model)
    # The stored setting "words" is no encoder this install can build: wording is missing.
    again = reg.load("acme")
    assert again.embedder is None
    p = again.predict(world.creatives)  # type: ignore[attr-defined]
    assert np.isfinite(p).all() and ((p > 0) & (p < 1)).all()


def test_the_copy_wording_is_explained_in_words(
    worded: tuple[CtrModel, object, WordEncoder],
) -> None:
    model, world, _ = worded
    reasons = [
        r
        for c in world.creatives  # type: ignore[attr-defined]
        for r in explain(model, c, top=40)
    ]
    wording = [r for r in reasons if r.startswith("wording of the copy")]
    assert wording and all("points of CTR" in r for r in wording)
    assert not any("copy_emb" in r or "copy emb" in r for r in reasons)
    # One reason for the wording, however many columns carry it.
    for c in world.creatives[:10]:  # type: ignore[attr-defined]
        assert sum(r.startswith("wording") for r in explain(model, c, top=40)) <= 1


def test_without_an_encoder_there_are_no_wording_features() -> None:
    world = make_world(30, 2)
    imps = simulate_impressions(world, 60_000, 3)
    model = train(world.creatives, count_rows(world, imps), rounds=20)
    assert model.text is None
    assert not any(n.startswith("copy_emb") for n in model.booster.feature_name())
