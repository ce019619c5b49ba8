"""Ranking creatives: a Ranker protocol and the transparent built-in ``QualityRanker``.

QualityRanker starts every creative at ``BASE`` points, subtracts hard-constraint penalties
and adds (or subtracts) soft design terms, then clamps to 0..100. Every nonzero term becomes
a short reason such as "contrast 3.9:1 below 4.5:1 (−25)", written from a template of
``adcraft.scoring.reasons`` so that the API can give its code and the web UI say it in the
user's language.

Hard penalties (a creative with any of them should never outrank a clean one):

    text_overlap_px > 0          −30   text or logo boxes collide
    overflow > 0                 −40   text spills out of its box
    out_of_canvas                −20 each, at most −40
    safe_zone_violations         −15 each, at most −30
    min_contrast < target        −25 (−35 under 3:1); target 4.5, context["min_contrast"]
    text_over_product > 2%       −(5 + 50·share), at most −30
    missing_facts                −12 each, at most −36 (price, discount... left out)
    truncated_fields             −8 each, at most −24

Soft terms (at most +40 together, so a clean layout scores 60..100):

    alignment_per_element        +8 aligned (0) .. 0 at 0.02 (~4.6% of the canvas off)
    readability_rea              +8 calm (0) .. 0 at 0.3 (DS-GAN reaches 0.19)
    whitespace_balance           +6 at 1 .. 0 at 0.6 and below
    utility                      +3 at >= 0.3 of the free area used
    occlusion                    −8 at >= 0.3 mean saliency under the layout
    text_share                   +4 up to 20% (Meta's advice), falling to −6 at 50%
    min_contrast >= 7            +4 (WCAG AAA)
    product_sharpness            +4·score;  product_exposure +3·score
    product_clipping             −5 at >= 10% blown or crushed pixels
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from adcraft.scoring.reasons import points, say

T = TypeVar("T")

BASE = 60.0
CONTRAST_TARGET = 4.5


@dataclass(frozen=True)
class ScoreResult:
    """A score in 0..100 and the reasons behind it, biggest effects first."""

    score: float
    reasons: tuple[str, ...]


class Ranker(Protocol):
    """Anything that scores a creative from its metrics (quality, predicted CTR...)."""

    name: str

    def score(self, metrics: dict[str, float], context: dict[str, Any]) -> ScoreResult:
        """Score one creative; ``context`` carries per-run settings such as a contrast target."""
        ...


def _lin(x: float, at_zero: float, at_full: float) -> float:
    """0 at ``at_zero`` rising linearly to 1 at ``at_full`` (either direction), clamped."""
    if at_full == at_zero:
        return 1.0 if x >= at_full else 0.0
    return min(1.0, max(0.0, (x - at_zero) / (at_full - at_zero)))


def _get(metrics: dict[str, float], key: str) -> float | None:
    """A finite metric or None: a missing or NaN metric gives no points either way."""
    v = metrics.get(key)
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


class QualityRanker:
    """The built-in transparent score from layout and product metrics (weights in the module)."""

    name = "quality"

    def score(self, metrics: dict[str, float], context: dict[str, Any]) -> ScoreResult:
        """Score 0..100 with one reason per nonzero term."""
        terms: list[tuple[float, str]] = []
        self._hard(metrics, context, terms)
        self._soft(metrics, terms)
        total = min(100.0, max(0.0, BASE + sum(p for p, _ in terms)))
        shown = [(p, r) for p, r in terms if round(p) != 0]
        # Biggest effects first; Python's sort is stable, so equal ones keep rule order.
        shown.sort(key=lambda t: -abs(t[0]))
        return ScoreResult(round(total, 2), tuple(f"{r} ({points(p)})" for p, r in shown))

    @staticmethod
    def _hard(m: dict[str, float], context: dict[str, Any], terms: list[tuple[float, str]]) -> None:
        if (v := _get(m, "text_overlap_px")) and v > 0:
            terms.append((-30, say("text_overlap", px=v)))
        if (v := _get(m, "overflow")) and v > 0:
            terms.append((-40, say("text_overflow")))
        if (v := _get(m, "out_of_canvas")) and v > 0:
            terms.append((-min(40, 20 * v), say("cut_off", n=v)))
        if (v := _get(m, "safe_zone_violations")) and v > 0:
            terms.append((-min(30, 15 * v), say("outside_safe_zone", n=v)))
        target = float(context.get("min_contrast", CONTRAST_TARGET))
        if (v := _get(m, "min_contrast")) is not None and v < target:
            pen = 35 if v < 3.0 else 25
            terms.append((-pen, say("low_contrast", ratio=v, target=target)))
        if (v := _get(m, "text_over_product")) and v > 0.02:
            terms.append((-min(30, 5 + 50 * v), say("text_over_product", share=v)))
        if (v := _get(m, "missing_facts")) and v > 0:
            terms.append((-min(36, 12 * v), say("missing_facts", n=v)))
        if (v := _get(m, "truncated_fields")) and v > 0:
            terms.append((-min(24, 8 * v), say("truncated_fields", n=v)))

    @staticmethod
    def _soft(m: dict[str, float], terms: list[tuple[float, str]]) -> None:
        if (v := _get(m, "alignment_per_element")) is not None:
            p = 8 * _lin(v, 0.02, 0.0)
            terms.append((p, say("good_alignment" if p >= 6 else "loose_alignment")))
        if (v := _get(m, "readability_rea")) is not None:
            p = 8 * _lin(v, 0.3, 0.0)
            terms.append((p, say("calm_background" if p >= 6 else "busy_background")))
        if (v := _get(m, "whitespace_balance")) is not None:
            p = 6 * _lin(v, 0.6, 1.0)
            terms.append((p, say("balanced_composition" if p >= 4 else "lopsided_composition")))
        if (v := _get(m, "utility")) is not None:
            terms.append((3 * _lin(v, 0.0, 0.3), say("uses_free_space")))
        if (v := _get(m, "occlusion")) is not None:
            terms.append((-8 * _lin(v, 0.0, 0.3), say("covers_salient_area")))
        if (v := _get(m, "text_share")) is not None:
            if v <= 0.2:
                terms.append((4, say("light_on_text")))
            else:
                terms.append((4 - 10 * _lin(v, 0.2, 0.5), say("text_share", share=v)))
        if (v := _get(m, "min_contrast")) is not None and v >= 7.0:
            terms.append((4, say("high_contrast", ratio=v)))
        if (v := _get(m, "product_sharpness")) is not None:
            terms.append((4 * v, say("sharp_product" if v >= 0.5 else "soft_product")))
        if (v := _get(m, "product_exposure")) is not None:
            code = "well_exposed_product" if v >= 0.5 else "badly_exposed_product"
            terms.append((3 * v, say(code)))
        if (v := _get(m, "product_clipping")) is not None:
            terms.append((-5 * _lin(v, 0.0, 0.1), say("clipping")))


def _default_id(item: Any) -> str:
    return str(getattr(item, "id", ""))


def rank(
    items: Sequence[T],
    key: Callable[[T], float],
    *,
    id_of: Callable[[T], str] = _default_id,
) -> list[T]:
    """Items by descending ``key``; ties by ascending id, then input order. NaN ranks last."""

    def order(pair: tuple[int, T]) -> tuple[float, str, int]:
        i, item = pair
        k = float(key(item))
        return (-k if not math.isnan(k) else math.inf, id_of(item), i)

    return [item for _, item in sorted(enumerate(items), key=order)]
