"""The ranking every surface uses: gates first, then score, then diversity; copies once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from adcraft.domain.brief import Brief
from adcraft.pipeline import generate
from adcraft.scoring.gates import GateInput, GateResult
from adcraft.scoring.gates.duplicate import DuplicateGate
from adcraft.scoring.ranking import order_tiers, rank_creatives


def _picture(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (128, 128), tuple(int(c) for c in rng.integers(0, 255, 3)))
    d = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = (int(v) for v in rng.integers(0, 100, 2))
        d.rectangle((x, y, x + 25, y + 25), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
    return im


class _Fails:
    """A gate that fails the named creatives."""

    name = "stub"

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        return [
            [
                GateResult(
                    gate="stub",
                    subject="creative",
                    passed=i.id not in self.failing,
                    reason="failed" if i.id in self.failing else "ok",
                )
            ]
            for i in items
        ]


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.floats(0, 100), min_size=1, max_size=12),
    data=st.data(),
)
def test_a_failing_creative_never_ranks_above_a_passing_one(
    scores: list[float], data: st.DataObject
) -> None:
    n = len(scores)
    tiers = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    lam = data.draw(st.floats(0, 1))
    emb = np.random.default_rng(n).normal(size=(n, 8))
    order = order_tiers(scores, tiers, emb, lam)
    assert sorted(order) == list(range(n))
    ranked_tiers = [tiers[i] for i in order]
    assert ranked_tiers == sorted(ranked_tiers)
    if lam == 1.0:  # no diversity: plain score order within a tier
        for t in set(tiers):
            within = [scores[i] for i in order if tiers[i] == t]
            assert within == sorted(within, reverse=True)


def test_rank_creatives_gates_score_diversity_and_copies_once() -> None:
    pics = {"a": _picture(1), "b": _picture(2), "c": _picture(3)}
    pics["a-copy"] = pics["a"].copy()
    ids = ["a", "a-copy", "b", "c"]
    score = {"a": 90.0, "a-copy": 89.0, "b": 50.0, "c": 95.0}
    inputs = [GateInput(id=i, image=pics[i], format_id="sq") for i in ids]
    ranking = rank_creatives(
        ids,
        inputs,
        lambda i: (score[i], ()),
        [_Fails({"c"}), DuplicateGate(6)],
        lam=1.0,
    )
    # c has the best score but failed a gate: last. a-copy is a near-copy of a: left out.
    assert [s.item for s in ranking.ranked] == ["a", "b", "c"]
    assert [s.item for s in ranking.duplicates] == ["a-copy"]
    assert not ranking.ranked[-1].passed_gates and ranking.ranked[0].passed_gates
    assert ranking.ranked[0].gates[-1].gate == "duplicate"


def test_diversity_lifts_a_different_picture_over_a_near_copy() -> None:
    base = _picture(5)
    similar = base.copy()
    ImageDraw.Draw(similar).rectangle((0, 0, 30, 6), fill=(0, 0, 0))  # a small change
    ids = ["best", "similar", "different"]
    images = {"best": base, "similar": similar, "different": _picture(9)}
    score = {"best": 1.0, "similar": 0.95, "different": 0.94}
    inputs = [GateInput(id=i, image=images[i], format_id=i) for i in ids]

    def ranked(lam: float) -> list[str]:
        r = rank_creatives(ids, inputs, lambda i: (score[i], ()), [], lam=lam)
        return [s.item for s in r.ranked]

    assert ranked(1.0) == ["best", "similar", "different"]
    assert ranked(0.7) == ["best", "different", "similar"]


def test_generate_writes_gate_results_and_ranks_failures_last(tmp_path: Path) -> None:
    brief = Brief(product_name="Trail tent", offer="-20%", language="en")
    gate = _Fails(set())
    first = generate(brief, formats=["meta_feed_square"], variants=3, gates=[gate], seed=1)
    worst_free = first.creatives[0].id
    gate.failing = {worst_free}
    out = tmp_path / "out"
    cs = generate(
        brief, formats=["meta_feed_square"], variants=3, gates=[gate], seed=1, out_dir=out
    )
    assert cs.creatives[-1].id == worst_free and not cs.creatives[-1].passed_gates
    assert all(c.passed_gates for c in cs.creatives[:-1])
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    entry = next(c for c in manifest["creatives"] if c["id"] == worst_free)
    assert entry["passed_gates"] is False
    assert entry["gates"] == [
        {
            "gate": "stub",
            "subject": "creative",
            "passed": False,
            "reason": "failed",
            "threshold": "",
        }
    ]
    assert "gate: stub (creative): failed" in entry["warnings"]
    assert manifest["duplicates"] == []


def test_generate_runs_the_configured_gates_by_default(tmp_path: Path) -> None:
    brief = Brief(product_name="Trail tent", language="en")
    cs = generate(brief, formats=["meta_feed_square"], variants=2)
    names = {g.gate for g in cs.creatives[0].gates}
    assert {"blur", "exposure", "text", "duplicate"} <= names
    assert all(c.passed_gates for c in cs.creatives)


class _ColourEncoder:
    """An image encoder that sees only the colour of the top-left corner: to it, two pictures
    with the same corner are the same picture, whatever their shapes."""

    name = "corner-colour-test"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray:
        self.calls.append(len(images))
        rgb = np.array([im.convert("RGB").getpixel((0, 0)) for im in images], dtype=np.float32)
        return rgb / np.linalg.norm(rgb, axis=1, keepdims=True)


def _cornered(seed: int, colour: tuple[int, int, int]) -> Image.Image:
    im = _picture(seed)
    ImageDraw.Draw(im).rectangle((0, 0, 3, 3), fill=colour)
    return im


def test_diversity_uses_the_configured_image_encoder() -> None:
    red, blue, green = (255, 0, 0), (0, 0, 255), (0, 255, 0)
    images = {
        "a": _cornered(1, red),
        "a-twin": _cornered(2, red),  # other shapes (pHash far) but the encoder's twin of a
        "b": _cornered(3, blue),
        "c": _cornered(4, green),
    }
    ids = list(images)
    score = {"a": 90.0, "a-twin": 89.0, "b": 80.0, "c": 0.0}
    inputs = [GateInput(id=i, image=images[i], format_id="sq") for i in ids]

    def top2(encoder: _ColourEncoder | None) -> list[str]:
        r = rank_creatives(ids, inputs, lambda i: (score[i], ()), [], encoder=encoder)
        return [s.item for s in r.ranked[:2]]

    # Without an image encoder the pictures' hashes and colours tell a and a-twin apart.
    assert top2(None) == ["a", "a-twin"]
    encoder = _ColourEncoder()
    assert top2(encoder) == ["a", "b"]
    assert encoder.calls == [4]  # every creative encoded once, in one batch


def test_the_configured_clip_model_is_the_image_encoder(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from adcraft.scoring.gates import GateSettings, build_gates, build_image_encoder
    from tests.unit.gates.tiny_clip import save_tiny_clip

    assert build_image_encoder(GateSettings()) is None
    settings = GateSettings(enabled=("clipscore",), clip_model_path=save_tiny_clip(tmp_path / "c"))
    encoder = build_image_encoder(settings)
    assert encoder is not None
    (gate,) = build_gates(settings)
    assert encoder is gate.scorer  # type: ignore[attr-defined]  # one loaded model for both
    pics = [_picture(1), _picture(2), _picture(1)]
    emb = encoder.encode_images(pics)
    assert emb.shape == (3, 8)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0)
    assert np.allclose(emb[0], emb[2])
    inputs = [GateInput(id=str(i), image=p, format_id="sq") for i, p in enumerate(pics)]
    ranking = rank_creatives([0, 1, 2], inputs, lambda i: (float(i), ()), [], encoder=encoder)
    assert sorted(s.item for s in ranking.ranked) == [0, 1, 2]
