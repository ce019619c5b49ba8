"""Per-creative explanations in words, from the model's feature contributions (SHAP values).

LightGBM's ``pred_contrib`` splits a prediction's log-odds into one additive term per feature
plus a bias. Each term is turned into the change in predicted CTR it causes relative to the
bias alone, and phrased from the creative's own value: "text covers 34 % of the image: −0.3
points of CTR" rather than a raw metric key.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from adcraft.experiments.creative_features import CreativeFeatures
from adcraft.scoring.ctr.features import TEXT_PREFIX
from adcraft.scoring.ctr.model import CtrModel
from adcraft.scoring.reasons import say

_PHRASES: dict[str, Callable[[CreativeFeatures], str]] = {
    "format_id": lambda c: f"format {c.format_id}",
    "style": lambda c: f"{c.style} style",
    "category": lambda c: f"{c.category} category",
    "template": lambda c: f"{c.template} template",
    "language": lambda c: f"copy in {c.language}",
    "text_share": lambda c: f"text covers {c.metrics.get('text_share', math.nan):.0%} of the image",
    "min_contrast": lambda c: f"text contrast {c.metrics.get('min_contrast', math.nan):.1f}:1",
    "alignment_per_element": lambda c: "alignment of the elements",
    "readability_rea": lambda c: "background calm under the text",
    "whitespace_balance": lambda c: "balance of the composition",
    "occlusion": lambda c: "layout over the salient product area",
    "utility": lambda c: "use of the free space",
    "product_share": lambda c: (
        f"product fills {c.metrics.get('product_share', math.nan):.0%} of the image"
    ),
    "product_sharpness": lambda c: "sharpness of the product photo",
    "product_exposure": lambda c: "exposure of the product photo",
    "colorfulness": lambda c: "colourfulness",
    "brightness": lambda c: "brightness",
    "headline_chars": lambda c: f"headline of {c.headline_chars} characters",
    "body_chars": lambda c: f"body text of {c.body_chars} characters",
    "cell_ctr": lambda c: f"how {c.format_id} × {c.style} × {c.category} creatives do in general",
    "copy_wording": lambda c: "wording of the copy",
}
COPY_WORDING = "copy_wording"
"""The copy-wording columns (``copy_emb_*``) explained as one reason: their contributions are
additive, so the wording's effect is their sum."""


def _phrase(feature: str, c: CreativeFeatures) -> str:
    if feature.startswith("claim_"):
        kind = feature.removeprefix("claim_").replace("_", " ")
        return (
            f"{kind} claim"
            if kind in {k.replace("_", " ") for k in c.claim_kinds}
            else (f"no {kind} claim")
        )
    fn = _PHRASES.get(feature)
    return fn(c) if fn else feature.replace("_", " ")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def explain(model: CtrModel, c: CreativeFeatures, top: int = 4) -> list[str]:
    """The ``top`` strongest reasons for this creative's predicted CTR, in words."""
    contrib = model.contributions(c)
    bias = contrib.pop("bias")
    contrib.pop("position", None)  # the reference context is the same for every creative
    contrib.pop("exposure", None)
    wording = [k for k in contrib if k.startswith(TEXT_PREFIX)]
    if wording:
        contrib[COPY_WORDING] = sum(contrib.pop(k) for k in wording)
    base = _sigmoid(bias)
    items = sorted(contrib.items(), key=lambda kv: -abs(kv[1]))[:top]
    out = []
    for feature, value in items:
        if abs(value) < 1e-4:
            continue
        delta = _sigmoid(bias + value) - base
        sign = "+" if delta >= 0 else "−"
        change = f"{sign}{abs(delta) * 100:.2f}"
        out.append(say("ctr_effect", what=_phrase(feature, c), delta=change))
    mult = model.multipliers.get(c.creative_id)
    if mult is not None and abs(mult - 1) >= 0.05:
        code = "ctr_history_more" if mult > 1 else "ctr_history_fewer"
        out.append(say(code, share=abs(mult - 1)))
    return out
