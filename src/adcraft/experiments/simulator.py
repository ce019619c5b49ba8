"""A seeded click simulator: a known, parametric click model to test learning and statistics.

Ground truth (per impression i of creative c shown to user u at feed position k, the user's
j-th exposure to that creative):

    logit P(click) = β0
                     + effect[format] + effect[style] + effect[category] + effect[format×style]
                     + effect[language] + Σ effect[claim kind]
                     + 0.35·log(contrast / 4.5)          (clipped to ±1 before the weight)
                     − 2.5·max(0, text_share − 0.2)       (heavy text hurts)
                     − 3.0·(product_share − 0.4)²         (a product neither tiny nor cropped)
                     − 0.008·(headline_chars − 35)
                     + effect[headline wording]          (0 unless wording_sd > 0)
                     + 0.4·(colorfulness − 0.5) − 0.5·occlusion + 0.3·product_sharpness
                     + ε_c                                 (creative noise the features miss)
                     − position_weight · log(k)            (lower slots are seen less)
                     − fatigue_weight · log(1 + j)         (the same ad, again, is ignored)

Categorical effects are drawn from normal distributions with the world seed; so are the
creatives. The true click probability of every impression is kept, so a benchmark knows the
best any model could do (the oracle AUC) and the true CTR of every creative.

Every creative has copy text (``copy_text``: a headline hook, a body line and a call to
action from the phrase lists below, drawn from their own seeded stream so the other draws do
not change). By default its wording has no effect; ``WorldConfig.wording_sd`` gives each
headline an effect drawn like the categorical ones, for testing copy-wording features.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from adcraft.experiments.creative_features import CLAIM_KINDS, CreativeFeatures, copy_text
from adcraft.scoring.ctr.features import CountRow

FORMATS = (
    "meta-feed-square",
    "meta-story",
    "google-display-300x250",
    "google-display-728x90",
    "linkedin-single-image",
)
STYLES = ("minimal", "bold", "elegant", "festive", "energetic", "studio", "pattern")
CATEGORIES = ("outdoor", "beauty", "electronics", "food", "fashion", "home")
TEMPLATES = ("hero", "split", "stacked", "banner")
LANGUAGES = ("en", "de", "fr", "es", "ja", "ar")
HEADLINES = (
    "Half price this weekend only",
    "Free delivery on every order",
    "The gear our customers love most",
    "New season, new favourites",
    "Built to last for years",
    "Treat yourself today",
    "Rated five stars by thousands",
    "Limited stock: get yours now",
    "Simple, honest and well made",
    "Upgrade your everyday routine",
    "Save big on top brands",
    "Designed by experts, priced for you",
)
BODIES = (
    "Lightweight, durable and ready for anything.",
    "Made from recycled materials.",
    "Order today and it ships tomorrow.",
    "Thirty-day returns, no questions asked.",
    "Available in six colours.",
    "Trusted by professionals worldwide.",
    "",
)
CTAS = ("Shop now", "Learn more", "Buy today", "See the range", "Get yours")
CLAIM_EFFECTS = {"discount": 0.25, "price": 0.08, "free_shipping": 0.15, "new": 0.05, "rating": 0.1}


@dataclass(frozen=True)
class WorldConfig:
    """The knobs of the ground truth; defaults give CTRs of about 1-4 %."""

    base_logit: float = -3.9
    format_sd: float = 0.25
    style_sd: float = 0.2
    category_sd: float = 0.3
    interaction_sd: float = 0.1
    language_sd: float = 0.1
    creative_noise_sd: float = 0.1
    wording_sd: float = 0.0
    """Standard deviation of the headline wording's effect (0: wording does not matter)."""
    position_weight: float = 0.3
    fatigue_weight: float = 0.35
    positions: int = 5


# A metric a creative does not report takes the value at which its term is zero.
_NEUTRAL = {
    "min_contrast": 4.5,
    "text_share": 0.2,
    "product_share": 0.4,
    "colorfulness": 0.5,
    "occlusion": 0.0,
    "product_sharpness": 0.0,
}


@dataclass(frozen=True)
class ClickModel:
    """The creative part of the ground truth: the logit at feed position 1, first exposure,
    without the per-creative noise. Scores any creative, simulated or made by adcraft."""

    config: WorldConfig
    seed: int
    effects: dict[str, float]
    """``format:…``, ``style:…``, ``category:…``, ``language:…``, ``format×style:f|s``."""

    def effect(self, kind: str, name: str) -> float:
        """The effect of a categorical value; a value the world did not draw (a real format
        id) gets one drawn the same way from the seed and its name, the same every time."""
        key = f"{kind}:{name}"
        if key in self.effects:
            return self.effects[key]
        sd = {
            "format": self.config.format_sd,
            "style": self.config.style_sd,
            "category": self.config.category_sd,
            "language": self.config.language_sd,
            "format×style": self.config.interaction_sd,
            "wording": self.config.wording_sd,
        }[kind]
        if sd == 0:
            return 0.0
        rng = np.random.default_rng([self.seed, zlib.crc32(key.encode("utf-8"))])
        return float(rng.normal(0.0, sd))

    def logit(self, c: CreativeFeatures) -> float:
        """The creative's true logit at position 1, first exposure (noise not included)."""
        m = {**_NEUTRAL, **c.metrics}
        return (
            self.config.base_logit
            + self.effect("format", c.format_id)
            + self.effect("style", c.style)
            + self.effect("category", c.category)
            + self.effect("format×style", f"{c.format_id}|{c.style}")
            + self.effect("language", c.language)
            + sum(CLAIM_EFFECTS.get(k, 0.0) for k in c.claim_kinds)
            + 0.35 * float(np.clip(np.log(max(m["min_contrast"], 1e-6) / 4.5), -1, 1))
            - 2.5 * max(0.0, m["text_share"] - 0.2)
            - 3.0 * (m["product_share"] - 0.4) ** 2
            - 0.008 * (c.headline_chars - 35)
            + 0.4 * (m["colorfulness"] - 0.5)
            - 0.5 * m["occlusion"]
            + 0.3 * m["product_sharpness"]
            + self.wording(c)
        )

    def wording(self, c: CreativeFeatures) -> float:
        """The effect of the creative's headline wording (its copy's first line)."""
        if self.config.wording_sd == 0 or not c.copy_text:
            return 0.0
        return self.effect("wording", c.copy_text.split("\n", 1)[0].strip().lower())

    def ctr(self, c: CreativeFeatures, noise: float = 0.0) -> float:
        """True click probability at position 1 to a fresh viewer."""
        return float(1.0 / (1.0 + np.exp(-(self.logit(c) + noise))))


@dataclass
class World:
    """A seeded ground truth: effects and creatives with their base (position 1, fresh) logit."""

    config: WorldConfig
    creatives: list[CreativeFeatures]
    base_logit: NDArray[np.float64]  # per creative, position 1, first exposure
    effects: dict[str, float] = field(default_factory=dict)
    truth: ClickModel | None = None
    """The click model behind ``base_logit`` (without each creative's noise)."""

    def true_ctr(self, position: int = 1, exposure: int = 0) -> NDArray[np.float64]:
        """True click probability of every creative at a position and prior-exposure count."""
        c = self.config
        z = (
            self.base_logit
            - c.position_weight * np.log(position)
            - c.fatigue_weight * np.log1p(exposure)
        )
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=float)


def _categorical_effects(
    rng: np.random.Generator, names: tuple[str, ...], sd: float
) -> dict[str, float]:
    return {n: float(v) for n, v in zip(names, rng.normal(0.0, sd, len(names)), strict=True)}


def make_world(n_creatives: int, seed: int, config: WorldConfig | None = None) -> World:
    """Draw the effects and ``n_creatives`` creatives with realistic metric ranges.

    ``make_world(0, seed, config).truth`` is the click model alone, to score creatives made
    elsewhere (an end-to-end test's generated set)."""
    cfg = config or WorldConfig()
    rng = np.random.default_rng(seed)
    fmt = _categorical_effects(rng, FORMATS, cfg.format_sd)
    sty = _categorical_effects(rng, STYLES, cfg.style_sd)
    cat = _categorical_effects(rng, CATEGORIES, cfg.category_sd)
    lang = _categorical_effects(rng, LANGUAGES, cfg.language_sd)
    inter = {
        f"{f}|{s}": float(rng.normal(0.0, cfg.interaction_sd)) for f in FORMATS for s in STYLES
    }
    truth = ClickModel(
        cfg,
        seed,
        {f"format:{k}": v for k, v in fmt.items()}
        | {f"style:{k}": v for k, v in sty.items()}
        | {f"category:{k}": v for k, v in cat.items()}
        | {f"language:{k}": v for k, v in lang.items()}
        | {f"format×style:{k}": v for k, v in inter.items()},
    )
    creatives: list[CreativeFeatures] = []
    logits = np.empty(n_creatives)
    words = np.random.default_rng([seed, 7])  # its own stream: the other draws stay the same
    for i in range(n_creatives):
        f, s = FORMATS[rng.integers(len(FORMATS))], STYLES[rng.integers(len(STYLES))]
        c, lg = CATEGORIES[rng.integers(len(CATEGORIES))], LANGUAGES[rng.integers(len(LANGUAGES))]
        claims = tuple(k for k in CLAIM_KINDS if rng.random() < 0.25)
        m = {
            "text_share": float(rng.beta(2.5, 9)),
            "min_contrast": float(np.exp(rng.normal(np.log(6), 0.5))),
            "alignment_per_element": float(rng.uniform(0, 0.03)),
            "readability_rea": float(rng.uniform(0, 0.3)),
            "whitespace_balance": float(rng.uniform(0.5, 1.0)),
            "occlusion": float(rng.beta(1.5, 8)),
            "utility": float(rng.uniform(0.1, 0.6)),
            "product_share": float(rng.uniform(0.1, 0.75)),
            "product_sharpness": float(rng.beta(5, 2)),
            "product_exposure": float(rng.beta(6, 2)),
            "colorfulness": float(rng.uniform(0, 1)),
            "brightness": float(rng.uniform(0.2, 0.9)),
            "overflow": 0.0,
            "text_overlap_px": 0.0,
        }
        headline = int(rng.integers(12, 80))
        cr = CreativeFeatures(
            creative_id=f"sim-{seed}-{i:05d}",
            format_id=f,
            style=s,
            category=c,
            template=TEMPLATES[rng.integers(len(TEMPLATES))],
            language=lg,
            claim_kinds=claims,
            headline_chars=headline,
            body_chars=int(rng.integers(0, 160)),
            copy_text=copy_text(
                {
                    "headline": HEADLINES[words.integers(len(HEADLINES))],
                    "body": BODIES[words.integers(len(BODIES))],
                    "cta": CTAS[words.integers(len(CTAS))],
                }
            ),
            metrics=m,
        )
        creatives.append(cr)
        logits[i] = truth.logit(cr) + rng.normal(0.0, cfg.creative_noise_sd)
    effects = {f"format:{k}": v for k, v in fmt.items()} | {f"style:{k}": v for k, v in sty.items()}
    return World(cfg, creatives, logits, effects, truth)


@dataclass(frozen=True)
class Impressions:
    """A simulated impression log, in time order (arrays of equal length)."""

    creative: NDArray[np.int64]  # index into World.creatives
    user: NDArray[np.int64]
    position: NDArray[np.int64]  # 1-based feed slot
    exposure: NDArray[np.int64]  # earlier impressions of this creative to this user
    p_true: NDArray[np.float64]
    click: NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.creative.size)


def prior_exposures(user: NDArray[np.int64], creative: NDArray[np.int64]) -> NDArray[np.int64]:
    """For each impression, how many earlier impressions had the same (user, creative)."""
    key = user.astype(np.int64) * (int(creative.max(initial=0)) + 1) + creative
    order = np.argsort(key, kind="stable")  # stable: time order kept within a pair
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    idx = np.arange(key.size)
    group_start = np.maximum.accumulate(np.where(starts, idx, 0))
    out = np.empty(key.size, dtype=np.int64)
    out[order] = idx - group_start
    return out


def simulate_impressions(
    world: World,
    n: int,
    seed: int,
    *,
    users: int = 20_000,
    allocation: NDArray[np.float64] | None = None,
) -> Impressions:
    """``n`` impressions: creatives drawn by ``allocation`` (uniform by default), users from a
    pool with log-normal activity (heavy users see the same ads again: fatigue), random feed
    positions."""
    rng = np.random.default_rng(seed)
    k = len(world.creatives)
    probs = None if allocation is None else allocation / allocation.sum()
    creative = rng.choice(k, size=n, p=probs).astype(np.int64)
    activity = rng.lognormal(0.0, 1.0, size=users)  # some users browse far more than others
    user = rng.choice(users, size=n, p=activity / activity.sum()).astype(np.int64)
    position = rng.integers(1, world.config.positions + 1, size=n).astype(np.int64)
    exposure = prior_exposures(user, creative)
    c = world.config
    z = (
        world.base_logit[creative]
        - c.position_weight * np.log(position)
        - c.fatigue_weight * np.log1p(exposure)
    )
    p = 1.0 / (1.0 + np.exp(-z))
    click = rng.random(n) < p
    return Impressions(creative, user, position, exposure, p, click)


def count_rows(
    world: World, imps: Impressions, mask: NDArray[np.bool_] | None = None, max_exposure: int = 10
) -> list[CountRow]:
    """Aggregate impressions (optionally a subset) into the CTR model's count rows, as the
    analytics store's GROUP BY creative, position, exposure would."""
    sel = np.ones(len(imps), dtype=bool) if mask is None else mask
    cr, pos = imps.creative[sel], imps.position[sel]
    exp = np.minimum(imps.exposure[sel], max_exposure)
    key = (cr * (world.config.positions + 1) + pos) * (max_exposure + 1) + exp
    uniq, inverse = np.unique(key, return_inverse=True)
    n = np.bincount(inverse)
    c = np.bincount(inverse, weights=imps.click[sel].astype(float))
    rows = []
    for k, ni, ci in zip(uniq, n, c, strict=True):
        e = int(k % (max_exposure + 1))
        rest = int(k // (max_exposure + 1))
        p, ix = rest % (world.config.positions + 1), rest // (world.config.positions + 1)
        rows.append(CountRow(world.creatives[ix].creative_id, int(ni), int(ci), int(p), e))
    return rows
