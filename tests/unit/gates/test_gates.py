"""Quality gates: each check measures, compares with its threshold and says why in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from adcraft.errors import ConfigError, ModelNotFound
from adcraft.scoring.gates import GateInput, GateSettings, build_gates, run_gates
from adcraft.scoring.gates.duplicate import DuplicateGate
from adcraft.scoring.gates.image import BlurGate, ExposureGate, laplacian_variance
from adcraft.scoring.gates.nsfw import NsfwGate, nudenet_detector
from adcraft.scoring.gates.settings import EXPLICIT_CLASSES
from adcraft.scoring.gates.text import TextGate


def _busy(seed: int = 0, size: int = 400, grey: int | None = None) -> Image.Image:
    """A sharp picture: random rectangles and text-like strokes."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (size, size), (grey,) * 3 if grey is not None else (200, 180, 150))
    d = ImageDraw.Draw(im)
    for _ in range(40):
        x, y = rng.integers(0, size - 40, 2)
        w, h = rng.integers(8, 40, 2)
        col = tuple(int(c) for c in rng.integers(0, 255, 3))
        if grey is not None:
            col = (grey + 20,) * 3
        d.rectangle((int(x), int(y), int(x + w), int(y + h)), fill=col)
    return im


def _item(image: Image.Image, **kw: Any) -> GateInput:
    return GateInput(id=kw.pop("id", "c1"), image=image, format_id=kw.pop("fmt", "sq"), **kw)


def test_blur_gate_fails_a_blurred_picture_with_value_and_threshold() -> None:
    sharp = _busy()
    blurred = sharp.filter(ImageFilter.GaussianBlur(6))
    assert laplacian_variance(sharp) > 20 * laplacian_variance(blurred)
    gate = BlurGate(min_product=6.0, min_creative=100.0)
    (ok,), (bad,) = gate.check([_item(sharp), _item(blurred, id="c2")])
    assert ok.passed and ok.subject == "creative" and ok.threshold == ">= 100"
    assert not bad.passed and bad.value is not None and bad.value < 100
    assert "blurred" in bad.reason and f"{bad.value:.0f}" in bad.reason


def test_blur_of_the_product_is_measured_once_and_judged_with_its_own_limit() -> None:
    product = _busy(3).filter(ImageFilter.GaussianBlur(8)).convert("RGBA")
    gate = BlurGate(min_product=6.0, min_creative=100.0)
    out = gate.check([_item(_busy(1), product=product), _item(_busy(2), id="c2", product=product)])
    prod = [r for rs in out for r in rs if r.subject == "product"]
    assert len(prod) == 2 and prod[0] is prod[1]  # one picture behind the set
    assert not prod[0].passed and "product photo looks blurred" in prod[0].reason
    assert all(r.passed for rs in out for r in rs if r.subject == "creative")


def test_exposure_gate_names_too_dark_and_washed_out() -> None:
    gate = ExposureGate(dark_below=0.1, bright_above=0.97)
    dark, fine, bright = gate.check(
        [_item(_busy(grey=5)), _item(_busy(), id="b"), _item(_busy(grey=250), id="c")]
    )
    assert not dark[0].passed and "too dark" in dark[0].reason and dark[0].value < 0.1
    assert fine[0].passed
    assert not bright[0].passed and "washed out" in bright[0].reason
    assert dark[0].threshold == "0.1..0.97"


def test_nsfw_threshold_logic_on_injected_detections() -> None:
    gate = NsfwGate(min_score=0.45, classes=EXPLICIT_CLASSES)
    covered = [{"class": "FEMALE_BREAST_COVERED", "score": 0.99, "box": [0, 0, 5, 5]}]
    assert gate.judge("creative", covered).passed  # covered parts are not unsafe
    weak = [{"class": "BUTTOCKS_EXPOSED", "score": 0.44, "box": [0, 0, 5, 5]}]
    r = gate.judge("creative", weak)
    assert r.passed and r.value == pytest.approx(0.44)
    strong = [*weak, {"class": "FEMALE_GENITALIA_EXPOSED", "score": 0.46, "box": [0, 0, 5, 5]}]
    r = gate.judge("product", strong)
    assert not r.passed and r.value == pytest.approx(0.46) and r.threshold == "< 0.45"
    assert "female genitalia exposed" in r.reason and "product photo" in r.reason


class _Recorder:
    """Wraps the real detector, records what it was given, can inject extra detections."""

    def __init__(self, extra: list[dict[str, Any]]) -> None:
        self.real = nudenet_detector()
        self.extra = extra
        self.calls: list[tuple[tuple[int, ...], list[dict[str, Any]]]] = []

    def detect(self, image: Any) -> list[dict[str, Any]]:
        found = self.real.detect(image)
        self.calls.append((image.shape, found))
        return found + self.extra


def test_nsfw_gate_runs_the_packaged_detector_on_a_synthetic_image() -> None:
    pytest.importorskip("nudenet")
    picture = _busy(7, size=320)
    clean = _Recorder([])
    (result,) = NsfwGate(0.45, EXPLICIT_CLASSES, detector=clean).check([_item(picture)])[0]
    # The real ONNX model ran on an RGBA array of the picture and found nothing explicit.
    assert clean.calls and clean.calls[0][0] == (320, 320, 4)
    assert all(d["class"] not in EXPLICIT_CLASSES or d["score"] < 0.45 for d in clean.calls[0][1])
    assert result.passed
    flagged = _Recorder([{"class": "ANUS_EXPOSED", "score": 0.8, "box": [1, 1, 9, 9]}])
    product = picture.convert("RGBA")
    out = NsfwGate(0.45, EXPLICIT_CLASSES, detector=flagged).check(
        [_item(picture, product=product)]
    )[0]
    assert len(flagged.calls) == 2  # the product picture and the creative
    assert [r.passed for r in out] == [False, False]


def test_text_gate_reuses_the_copy_safety_filters() -> None:
    gate = TextGate()
    items = [
        _item(_busy(), fields={"headline": "Fresh tea for cold days"}),
        _item(_busy(), id="c2", fields={"headline": "Better than Acme", "body": "see www.x.com"}),
    ]
    ok, bad = gate.check([items[0], GateInput(**{**items[1].__dict__, "competitors": ("Acme",)})])
    assert ok[0].passed and ok[0].value == 0
    assert not bad[0].passed and bad[0].value == 2
    assert "competitor" in bad[0].reason and "link" in bad[0].reason


def test_duplicate_gate_keeps_the_first_of_a_format_only() -> None:
    a, b = _busy(1), _busy(2)
    again = a.copy().resize((380, 380))
    items = [
        _item(a, id="a"),
        _item(b, id="b"),
        _item(again, id="a2"),
        _item(a, id="a-story", fmt="story"),  # another format: a deliverable of its own
    ]
    out = DuplicateGate(max_distance=6).check(items)
    assert [r[0].passed for r in out] == [True, True, False, True]
    assert "same picture as creative a " in out[2][0].reason and out[2][0].value <= 6


def test_gates_come_from_the_registry_with_tenant_overrides() -> None:
    settings = GateSettings(tenants={"t1": {"blur_min_creative": 1e9, "enabled": ["blur"]}})
    assert [g.name for g in build_gates(settings)][:5] == [
        "blur",
        "exposure",
        "nsfw",
        "text",
        "duplicate",
    ]  # no CLIP model configured: the CLIPScore gate is off
    strict = build_gates(settings, "t1")
    assert [g.name for g in strict] == ["blur"]
    (results,) = run_gates(strict, [_item(_busy())])
    assert not results[0].passed and results[0].threshold == ">= 1e+09"
    with pytest.raises(ConfigError, match=r"gates.tenants.t2.dark_below"):
        GateSettings(tenants={"t2": {"dark_below": 3}}).for_tenant("t2")


def test_clipscore_gate_with_a_tiny_random_clip(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from tests.unit.gates.tiny_clip import save_tiny_clip

    folder = save_tiny_clip(tmp_path / "clip")
    settings = GateSettings(enabled=("clipscore",), clip_model_path=folder, clip_min_score=0.0)
    (gate,) = build_gates(settings)
    items = [_item(_busy(1), description="red shoe"), _item(_busy(2), id="c2", description="tea")]
    out = gate.check(items)
    values = [r[0].value for r in out]
    assert all(v is not None and 0 <= v <= 2.5 for v in values)
    assert all(r[0].passed and r[0].threshold == ">= 0" for r in out)
    # The same pairs score the same (deterministic), and the threshold decides.
    strict = type(gate)(gate.scorer, min_score=2.5)
    again = strict.check(items)
    assert [r[0].value for r in again] == values
    assert not any(r[0].passed for r in again if r[0].value < 2.5)


def test_a_folder_that_is_not_clip_is_refused_naming_what_is_missing(tmp_path: Path) -> None:
    from adcraft.scoring.gates.clip import ClipScorer

    with pytest.raises(ModelNotFound, match="is not a folder"):
        ClipScorer(tmp_path / "nothing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelNotFound, match=r"no config\.json"):
        ClipScorer(empty)
    (empty / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ModelNotFound, match="bert model, not CLIP"):
        ClipScorer(empty)
    (empty / "config.json").write_text(json.dumps({"model_type": "clip"}))
    with pytest.raises(ModelNotFound, match="no weights"):
        ClipScorer(empty)
    (empty / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelNotFound, match="no tokenizer"):
        ClipScorer(empty)
    (empty / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelNotFound, match=r"preprocessor_config\.json"):
        ClipScorer(empty)
