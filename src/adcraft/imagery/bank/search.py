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

from adcraft.errors import EmptyBank, InputError
from adcraft.imagery.bank.models import BankImage, SearchHit, SearchResult
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
    usage = _stage1(bank, qv[0], stage1)
    ids = list(usage)
    d = _stage2(bank, ids, qv[1])
    u = np.fromiter(usage.values(), np.float64, len(ids))
    scores = description_weight * d + (1.0 - description_weight) * u
    # Only the returned hits become models: building 300 pydantic objects per query is waste.
    order = sorted(range(len(ids)), key=lambda i: (-round(float(scores[i]), 6), ids[i]))[:top]
    hits = [_hit(bank.images[ids[i]], scores[i], u[i], d[i]) for i in order]
    return SearchResult(
        hits=hits, description=description, candidates=len(ids), warnings=sorted(warnings)
    )


def _stage1(bank: Bank, query: np.ndarray, stage1: int) -> dict[str, float]:
    """Best usage score per image for the ``stage1`` best images, best first.

    Each image has 3 usage points: fetch enough of them to fill ``stage1`` distinct images.
    """
    usage_hits = bank.index.search(bank.collection(USAGE), query, limit=stage1 * 3)
    usage: dict[str, float] = {}
    images = bank.images
    for hit in usage_hits:
        image = str(hit.payload.get("image_id", ""))
        if image not in usage and image in images:
            usage[image] = hit.score
            if len(usage) >= stage1:
                break
    return usage


def _stage2(bank: Bank, ids: list[str], query: np.ndarray) -> np.ndarray:
    """Cosine of the description with each image's caption (0 for a missing caption point).

    A multiply-and-sum, not ``@``: 300 x 512 is too small to gain from BLAS threads, and on a
    busy machine their hand-offs cost milliseconds.
    """
    points = [bank.images[i].point_id() for i in ids]
    vecs = bank.index.vectors(bank.collection(CAPTIONS), points)
    out = np.zeros(len(ids), np.float64)
    present = [k for k, pid in enumerate(points) if pid in vecs]
    if present:
        matrix = np.stack([vecs[points[k]] for k in present]).astype(np.float32)
        out[present] = (matrix * np.asarray(query, np.float32)).sum(axis=1)
    return out


def _hit(rec: BankImage, score: float, usage: float, described: float) -> SearchHit:
    """The result model of one ranked image (scores rounded so results compare stably)."""
    return SearchHit(
        id=rec.id,
        key=rec.key,
        caption=rec.caption,
        score=round(float(score), 6),
        usage_score=round(float(usage), 6),
        description_score=round(float(described), 6),
        hypotheses=rec.hypotheses,
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
