"""Two-stage text-only search of the bank, and seeded sampling among the best hits.

1. The product/offer text is ranked against every image's usage hypotheses ('where could this
   image advertise'); the best ``stage1`` images (default 300) are kept.
2. Those are re-ranked by the image description (the user's, or one written from the offer)
   against their captions; the final score blends both stages.
3. ``pick`` samples one of the top ``pool`` (default 10) with weights from the scores, seeded,
   so repeated campaigns do not all get the same picture yet a seed reproduces its choice.

No image encoder is used at query time: only the bank's text encoder.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np

from adcraft.errors import InputError
from adcraft.imagery.bank.models import EmptyBank, SearchHit, SearchResult
from adcraft.imagery.bank.store import CAPTIONS, USAGE, Bank

STAGE1 = 300
POOL = 10
DESCRIPTION_WEIGHT = 0.6
"""Share of the final score from the description-vs-caption match (the rest: usage)."""
TEMPERATURE = 0.03
"""Softmax temperature of the sampling weights: a hit scoring 0.03 lower is e times rarer."""

# script -> the languages written in it that an encoder might know
_SCRIPTS = {
    "CYRILLIC": {"ru", "uk", "bg", "sr", "be", "kk"},
    "CJK": {"zh", "ja"},
    "HIRAGANA": {"ja"},
    "KATAKANA": {"ja"},
    "HANGUL": {"ko"},
    "ARABIC": {"ar", "fa", "ur"},
    "HEBREW": {"he"},
    "THAI": {"th"},
    "DEVANAGARI": {"hi", "mr", "ne"},
    "GREEK": {"el"},
    "ARMENIAN": {"hy"},
    "GEORGIAN": {"ka"},
    "BENGALI": {"bn"},
    "TAMIL": {"ta"},
}


def describe_from_offer(product: str) -> str:
    """An image description written from the offer when the user gave none."""
    return f"a picture of {product.strip()}"


def script_warning(text: str, languages: frozenset[str] | None, encoder: str) -> str | None:
    """A warning when the text is written in a script none of the encoder's languages use."""
    if languages is None:
        return None
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            first = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            counts[first] += 1
    for script, n in counts.most_common():
        if script == "LATIN" or n < 2:
            continue
        known = _SCRIPTS.get(script)
        if known is None or not (known & languages):
            return (
                f"the query is written in {script.title()} script, which the {encoder!r} "
                f"encoder was not trained on ({', '.join(sorted(languages))}): results may be "
                "unrelated; translate the query or use a multilingual encoder"
            )
    return None


def search(
    bank: Bank,
    product: str,
    description: str | None = None,
    *,
    top: int = 10,
    stage1: int = STAGE1,
    description_weight: float = DESCRIPTION_WEIGHT,
) -> SearchResult:
    """Rank the bank's images for a product text and an optional image description."""
    product = product.strip()
    described = (description or "").strip()
    if not product and not described:
        raise InputError("give a product/offer text, an image description, or both")
    if len(bank) == 0:
        raise EmptyBank(
            f"the image bank at {bank.root} is empty: add images with `adcraft bank add FOLDER` "
            "or build the demo bank with `adcraft bank build --demo`"
        )
    if top < 1:
        raise InputError("top must be at least 1")
    product = product or described
    description = described or describe_from_offer(product)
    enc = bank.encoder
    warnings = [
        w for w in {script_warning(t, enc.languages, enc.name) for t in (product, description)} if w
    ]
    qv = enc.encode([product, description])
    # Each image has 3 usage points: fetch enough of them to fill ``stage1`` distinct images.
    usage_hits = bank.index.search(bank.collection(USAGE), qv[0], limit=stage1 * 3)
    usage: dict[str, float] = {}
    for hit in usage_hits:
        image = str(hit.payload.get("image_id", ""))
        if image in bank.images and image not in usage:
            usage[image] = hit.score
        if len(usage) >= stage1:
            break
    ids = list(usage)
    records = [bank.images[i] for i in ids]
    vecs = bank.index.vectors(bank.collection(CAPTIONS), [r.point_id() for r in records])
    hits: list[SearchHit] = []
    for rec in records:
        vec = vecs.get(rec.point_id())
        d = float(vec @ qv[1]) if vec is not None else 0.0
        u = usage[rec.id]
        score = description_weight * d + (1.0 - description_weight) * u
        hits.append(
            SearchHit(
                id=rec.id,
                key=rec.key,
                caption=rec.caption,
                score=round(score, 6),
                usage_score=round(u, 6),
                description_score=round(d, 6),
                hypotheses=rec.hypotheses,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.id))
    return SearchResult(
        hits=hits[:top], description=description, candidates=len(ids), warnings=sorted(warnings)
    )


def pick(
    bank: Bank,
    product: str,
    description: str | None = None,
    *,
    seed: int = 0,
    pool: int = POOL,
    temperature: float = TEMPERATURE,
) -> SearchHit:
    """One image sampled from the top ``pool`` with score-based weights (seeded)."""
    result = search(bank, product, description, top=pool)
    return sample(result.hits, seed=seed, temperature=temperature)


def sample(hits: list[SearchHit], *, seed: int, temperature: float = TEMPERATURE) -> SearchHit:
    """Weighted draw from ranked hits: softmax of score / temperature, reproducible by seed."""
    if not hits:
        raise EmptyBank("nothing to choose from: the search returned no images")
    scores = np.array([h.score for h in hits], np.float64)
    weights = np.exp((scores - scores.max()) / max(temperature, 1e-6))
    rng = np.random.default_rng(seed)
    return hits[int(rng.choice(len(hits), p=weights / weights.sum()))]
