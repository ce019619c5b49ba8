"""Per-image memo: a picture is measured once, results are the same as measured afresh, read-only,
and let go with the picture; the gates say the same with the memo on or off."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from adcraft.scoring.duplicates import perceptual_hash
from adcraft.scoring.gates import GateInput, GateResult, run_gates
from adcraft.scoring.gates.duplicate import DuplicateGate
from adcraft.scoring.gates.image import BlurGate, ExposureGate, _grey_and_mask
from adcraft.scoring.gates.nsfw import NsfwGate
from adcraft.scoring.gates.settings import EXPLICIT_CLASSES
from adcraft.scoring.image_memo import memo_disabled, memo_enabled, per_image
from adcraft.scoring.ranking import rank_creatives


def _picture(seed: int, size: int = 300, mode: str = "RGB") -> Image.Image:
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (size, size), tuple(int(c) for c in rng.integers(0, 255, 3)))
    d = ImageDraw.Draw(im)
    for _ in range(20):
        x, y = (int(v) for v in rng.integers(0, size - 40, 2))
        w, h = (int(v) for v in rng.integers(8, 40, 2))
        d.rectangle((x, y, x + w, y + h), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
    if mode == "RGBA":  # a cut-out: opaque disc on a transparent ground
        alpha = Image.new("L", im.size, 0)
        ImageDraw.Draw(alpha).ellipse((20, 20, size - 20, size - 20), fill=255)
        im = im.convert("RGBA")
        im.putalpha(alpha)
    return im


class _CountingDetector:
    """A deterministic stand-in for NudeNet that counts the pictures it is shown."""

    def __init__(self) -> None:
        self.calls = 0

    def detect(self, image: Any) -> list[dict[str, Any]]:
        self.calls += 1
        score = float(np.asarray(image)[..., 0].mean() / 255.0)  # depends on the picture
        return [{"class": "BUTTOCKS_EXPOSED", "score": score, "box": [0, 0, 4, 4]}]


def test_memoised_results_equal_the_function_computed_afresh() -> None:
    for mode in ("RGB", "RGBA"):
        im = _picture(1, mode=mode)
        grey, mask = _grey_and_mask(im)
        fresh_grey, fresh_mask = _grey_and_mask.__wrapped__(im)
        again = _grey_and_mask(im)
        assert again[0] is grey and again[1] is mask  # kept, not recomputed
        np.testing.assert_array_equal(grey, fresh_grey)
        np.testing.assert_array_equal(mask, fresh_mask)
        h = perceptual_hash(im)
        assert perceptual_hash(im) is h
        assert h == perceptual_hash.__wrapped__(im)
    # Two equal-looking but distinct images each get their own entry (keyed by the object).
    a, b = _picture(2), _picture(2)
    assert perceptual_hash(a) is not perceptual_hash(b) and perceptual_hash(a) == perceptual_hash(b)


def test_a_freshly_made_image_never_gets_an_earlier_images_result() -> None:
    # Freed images' ids are reused by CPython: every new picture must still be measured anew.
    for seed in range(12):
        im = _picture(seed, size=96)
        assert perceptual_hash(im) == perceptual_hash.__wrapped__(im)
        np.testing.assert_array_equal(_grey_and_mask(im)[0], _grey_and_mask.__wrapped__(im)[0])
        del im


def test_arguments_are_part_of_the_key() -> None:
    seen: list[int] = []

    @per_image
    def scaled_mean(image: Image.Image, factor: int) -> float:
        seen.append(factor)
        return float(np.asarray(image.convert("L")).mean()) * factor

    im = _picture(3)
    assert scaled_mean(im, 2) == 2 * scaled_mean(im, 1)
    scaled_mean(im, 1)
    assert seen.count(1) == 1 and seen.count(2) == 1


def test_entries_go_with_their_image_and_the_image_is_not_kept_alive() -> None:
    gc.collect()  # no earlier test's picture left to go during this one
    before = len(_grey_and_mask)
    im = _picture(4)
    grey, _ = _grey_and_mask(im)
    assert len(_grey_and_mask) == before + 1
    alive = weakref.ref(im)
    del im
    gc.collect()
    assert alive() is None  # the memo holds no strong reference to the picture
    assert len(_grey_and_mask) == before  # and its entry went with it
    assert grey.shape == (300, 300)  # a result already handed out stays usable


def test_returned_arrays_are_read_only() -> None:
    im = _picture(5, mode="RGBA")
    grey, mask = _grey_and_mask(im)
    with pytest.raises(ValueError):
        grey[0, 0] = 0.0
    with pytest.raises(ValueError):
        mask[0, 0] = False
    with pytest.raises(ValueError):
        perceptual_hash(im).hash[0, 0] = True
    with memo_disabled():  # the same contract when computed afresh
        assert not _grey_and_mask(im)[0].flags.writeable
    assert _grey_and_mask(im)[0] is grey  # and the kept result is untouched


def test_threads_measuring_one_picture_all_get_the_same_result() -> None:
    im = _picture(6)
    results: list[object] = []

    def work() -> None:
        results.append(perceptual_hash(im))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(r is results[0] for r in results)


def _set() -> list[GateInput]:
    """Six creatives of one product (a cut-out), two formats, one a copy and one blurred."""
    product = _picture(10, mode="RGBA")
    a, b, c = _picture(11), _picture(12), _picture(13)
    blurred = _picture(14).filter(ImageFilter.GaussianBlur(6))
    dark = Image.eval(_picture(15), lambda v: v // 20)
    images = [a, b, a.copy(), blurred, dark, c]
    return [
        GateInput(id=f"c{n}", image=im, format_id="sq" if n < 4 else "story", product=product)
        for n, im in enumerate(images)
    ]


def _gates(detector: _CountingDetector) -> list[Any]:
    return [
        BlurGate(min_product=6.0, min_creative=100.0),
        ExposureGate(dark_below=0.1, bright_above=0.97),
        NsfwGate(0.45, EXPLICIT_CLASSES, detector=detector),
        DuplicateGate(max_distance=6),
    ]


def _outcome(items: Sequence[GateInput]) -> tuple[list[list[GateResult]], list[str], list[str]]:
    gates = _gates(_CountingDetector())
    whole = run_gates(gates, items)
    ranking = rank_creatives(list(items), items, lambda i: (float(i.id[1:]), ()), gates)
    return whole, [s.item.id for s in ranking.ranked], [s.item.id for s in ranking.duplicates]


def test_gates_and_ranking_say_the_same_with_the_memo_on_and_off() -> None:
    assert memo_enabled()
    with memo_disabled():
        off = _outcome(_set())
    on_first = _outcome(items := _set())
    on_again = _outcome(items)  # the same pictures, now all measured before
    assert on_first == off and on_again == off
    results = [r for rs in off[0] for r in rs]
    assert {r.gate for r in results if not r.passed} >= {"blur", "exposure", "nsfw", "duplicate"}


def test_gating_creatives_one_by_one_checks_the_product_picture_once() -> None:
    # A re-render gates each creative on its own; all of them carry the same product picture.
    items = _set()
    detector = _CountingDetector()
    gates = _gates(detector)
    one_by_one = [run_gates(gates, [item])[0] for item in items]
    assert detector.calls == len(items) + 1  # each creative, and the product picture once
    with memo_disabled():
        fresh = [run_gates(_gates(_CountingDetector()), [item])[0] for item in items]
    assert one_by_one == fresh
