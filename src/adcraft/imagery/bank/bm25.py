"""A plain BM25 (Okapi) baseline over each image's words: the yardstick for the encoders."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from adcraft.imagery.bank.models import BankImage

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (Unicode-aware; CJK runs stay whole words)."""
    return _TOKEN.findall(text.lower())


class BM25:
    """Okapi BM25 with the usual k1 = 1.5, b = 0.75."""

    def __init__(self, docs: Sequence[str], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tfs = [Counter(tokenize(d)) for d in docs]
        self.lengths = np.array([sum(tf.values()) for tf in self.tfs], np.float64)
        self.avg = float(self.lengths.mean()) if len(docs) else 0.0
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log((n - f + 0.5) / (f + 0.5) + 1.0) for t, f in df.items()}

    def scores(self, query: str) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
        """BM25 score of every document for the query."""
        out = np.zeros(len(self.tfs), np.float64)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg, 1e-9))
        for term in set(tokenize(query)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            tf = np.array([d.get(term, 0) for d in self.tfs], np.float64)
            out += idf * tf * (self.k1 + 1) / (tf + norm)
        return out


def bm25_rank(images: Sequence[BankImage], query: str, top: int = 10) -> list[tuple[str, float]]:
    """(image id, score) of the best ``top`` images by BM25 over their captions and keywords."""
    engine = BM25([img.search_text() for img in images])
    scores = engine.scores(query)
    order = np.argsort(-scores, kind="stable")[:top]
    return [(images[i].id, float(scores[i])) for i in order if scores[i] > 0]
