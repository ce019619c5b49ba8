"""Image-text alignment: CLIPScore of each creative against what it should show.

CLIPScore (Hessel et al. 2021) = 2.5 · max(cos(E_image, E_text), 0), with CLIP's projected
embeddings; the text is the product name and the creative's headline. The model is a local
transformers ``CLIPModel`` folder given in ``GateSettings.clip_model_path`` (nothing is
downloaded); a folder that is not one is refused with what it lacks.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from adcraft.errors import ModelNotFound, ProviderUnavailable
from adcraft.scoring.gates.base import GateInput, GateResult

WEIGHT = 2.5
_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")


def check_clip_folder(path: Path) -> None:
    """Raise ModelNotFound naming what a CLIP model folder lacks."""
    where = f"CLIP model path {path}"
    if not path.is_dir():
        raise ModelNotFound(f"{where} is not a folder")
    config = path / "config.json"
    if not config.is_file():
        raise ModelNotFound(f"{where} has no config.json: it is not a transformers model folder")
    try:
        kind = json.loads(config.read_text("utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError) as exc:
        raise ModelNotFound(f"{where}: config.json is not readable JSON ({exc})") from None
    if kind != "clip":
        raise ModelNotFound(
            f"{where} holds a {kind or 'untyped'} model, not CLIP "
            "(config.json model_type must be 'clip', with a text and a vision tower)"
        )
    if not any((path / w).is_file() for w in _WEIGHTS):
        raise ModelNotFound(f"{where} has no weights ({' or '.join(_WEIGHTS[:2])})")
    has_tokenizer = (path / "tokenizer.json").is_file() or (
        (path / "vocab.json").is_file() and (path / "merges.txt").is_file()
    )
    if not has_tokenizer:
        raise ModelNotFound(
            f"{where} has no tokenizer (tokenizer.json, or vocab.json and merges.txt)"
        )
    if not (path / "preprocessor_config.json").is_file():
        raise ModelNotFound(f"{where} has no image processor (preprocessor_config.json)")


class ClipScorer:
    """A loaded CLIP model that scores (image, text) pairs, and the configured image encoder
    (``scoring.ranking.ImageEncoder``) that ranking's diversity measures similarity with."""

    batch = 32

    def __init__(self, path: Path) -> None:
        check_clip_folder(path)
        self.name = f"clip:{path}"
        try:
            import torch
            from transformers import AutoImageProcessor, AutoTokenizer, CLIPModel
            from transformers.utils import logging as hf_logging
        except ImportError:
            raise ProviderUnavailable(
                "the CLIPScore gate needs torch and transformers: pip install 'adcraft[minilm]'"
            ) from None
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # the PIL image-processor fallback note is expected
        self._torch = torch
        self.model = CLIPModel.from_pretrained(path, local_files_only=True)
        self.model.eval()  # type: ignore[no-untyped-call]
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.processor = AutoImageProcessor.from_pretrained(path, local_files_only=True)
        self._lock = threading.Lock()

    def scores(self, images: Sequence[Any], texts: Sequence[str]) -> list[float]:
        """CLIPScore of each image with its own text."""
        torch = self._torch
        px = self.processor(images=[im.convert("RGB") for im in images], return_tensors="pt")
        tx = self.tokenizer(list(texts), padding=True, truncation=True, return_tensors="pt")
        with self._lock, torch.no_grad():
            out = self.model(
                input_ids=tx["input_ids"],
                attention_mask=tx.get("attention_mask"),
                pixel_values=px["pixel_values"],
            )
        # image_embeds and text_embeds come out L2-normalised: the diagonal is the cosine.
        cos = (out.image_embeds * out.text_embeds).sum(dim=-1)
        return [WEIGHT * max(float(c), 0.0) for c in cos]

    def encode_images(self, images: Sequence[Any]) -> NDArray[np.float32]:
        """CLIP's projected image embeddings, unit length, ``batch`` pictures per forward pass."""
        torch = self._torch
        parts: list[NDArray[np.float32]] = []
        for i in range(0, len(images), self.batch):
            chunk = [im.convert("RGB") for im in images[i : i + self.batch]]
            px = self.processor(images=chunk, return_tensors="pt")
            with self._lock, torch.no_grad():
                # The vision tower's pooled output through CLIP's projection: image_embeds, as
                # scores() compares with text (spelled out: get_image_features' return type
                # differs between transformers versions).
                pooled = self.model.vision_model(pixel_values=px["pixel_values"]).pooler_output
                feats = self.model.visual_projection(pooled)
            parts.append(np.asarray(feats.float().numpy(), dtype=np.float32))
        if not parts:
            return np.zeros((0, int(self.model.config.projection_dim or 1)), np.float32)
        out = np.concatenate(parts)
        unit: NDArray[np.float32] = out / np.maximum(
            np.linalg.norm(out, axis=1, keepdims=True), 1e-12
        )
        return unit


_scorers: dict[Path, ClipScorer] = {}
_scorers_lock = threading.Lock()


def clip_scorer(path: Path) -> ClipScorer:
    """One loaded model per path per process."""
    key = Path(path).resolve()
    with _scorers_lock:
        if key not in _scorers:
            _scorers[key] = ClipScorer(key)
        return _scorers[key]


class ClipScoreGate:
    """Fails a creative whose CLIPScore with its product text is under the threshold."""

    name = "clipscore"

    def __init__(self, scorer: ClipScorer, min_score: float) -> None:
        self.scorer = scorer
        self.min_score = min_score

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        """One result per creative with a description; none for those without."""
        todo = [i for i, item in enumerate(items) if item.description.strip()]
        values = (
            self.scorer.scores([items[i].image for i in todo], [items[i].description for i in todo])
            if todo
            else []
        )
        out: list[list[GateResult]] = [[] for _ in items]
        for i, v in zip(todo, values, strict=True):
            ok = v >= self.min_score
            reason = (
                f"image matches its text (CLIPScore {v:.2f})"
                if ok
                else f"image does not match its text (CLIPScore {v:.2f}, below {self.min_score:g})"
            )
            out[i].append(
                GateResult(
                    gate=self.name,
                    subject="creative",
                    passed=ok,
                    reason=reason,
                    value=round(v, 4),
                    threshold=f">= {self.min_score:g}",
                )
            )
        return out
