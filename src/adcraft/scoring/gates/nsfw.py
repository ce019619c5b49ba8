"""Unsafe imagery: NudeNet's detector on every finished creative and on the product picture.

NudeNet 3 ships its detector (YOLOv8n, 320 px, ONNX) inside the package, so nothing is
downloaded. It finds body parts, covered or exposed; only the explicit classes in
``GateSettings.nsfw_classes`` count, and only from ``nsfw_min_score``. The detector is built once
per process and shared (an ONNX Runtime session is safe to call from several threads). A
picture's detections are kept with the picture (scoring.image_memo): a re-render gates each
creative on its own, and every one of them carries the same product picture.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
from PIL import Image

from adcraft.errors import ProviderUnavailable
from adcraft.scoring.gates.base import GateInput, GateResult, Subject
from adcraft.scoring.image_memo import per_image


class Detector(Protocol):
    """NudeNet's interface: detections as {'class', 'score', 'box'} dicts."""

    def detect(self, image: Any) -> list[dict[str, Any]]:
        """Detections in one image (an RGBA uint8 array)."""
        ...


_detector: Detector | None = None
_lock = threading.Lock()


def nudenet_detector() -> Detector:
    """The packaged NudeNet detector, loaded once."""
    global _detector
    with _lock:
        if _detector is None:
            try:
                from nudenet import NudeDetector  # type: ignore[import-untyped]
            except ImportError:
                raise ProviderUnavailable(
                    "the unsafe-imagery gate needs nudenet: pip install 'adcraft[gates]'"
                ) from None
            _detector = NudeDetector()
        return _detector


def _array(image: Image.Image) -> np.ndarray[Any, Any]:
    # NudeNet converts an array with COLOR_RGBA2BGR, so it must be given RGBA.
    return np.ascontiguousarray(np.asarray(image.convert("RGBA")))


@per_image
def _detections(image: Image.Image, detector: Detector) -> tuple[Mapping[str, Any], ...]:
    """The detector's findings in one picture, read-only and kept per picture and detector."""
    return tuple(MappingProxyType(dict(d)) for d in detector.detect(_array(image)))


class NsfwGate:
    """Fails a picture with any explicit detection at or above the score threshold."""

    name = "nsfw"

    def __init__(
        self, min_score: float, classes: Sequence[str], detector: Detector | None = None
    ) -> None:
        self.min_score = min_score
        self.classes = frozenset(classes)
        self._detector = detector

    def _detect(self, image: Image.Image) -> Sequence[Mapping[str, Any]]:
        return _detections(image, self._detector or nudenet_detector())

    def judge(self, subject: Subject, detections: Sequence[Mapping[str, Any]]) -> GateResult:
        """The verdict on one picture's detections (separate from detection, to be testable)."""
        explicit = [d for d in detections if str(d.get("class")) in self.classes]
        top = max(explicit, key=lambda d: float(d["score"]), default=None)
        value = float(top["score"]) if top is not None else 0.0
        what = "product photo" if subject == "product" else "creative"
        if top is not None and value >= self.min_score:
            label = str(top["class"]).lower().replace("_", " ")
            reason = f"{what} may show nudity ({label}, confidence {value:.2f})"
            ok = False
        else:
            reason = f"no explicit content found in the {what}"
            ok = True
        return GateResult(
            gate=self.name,
            subject=subject,
            passed=ok,
            reason=reason,
            value=round(value, 4),
            threshold=f"< {self.min_score:g}",
        )

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        """Product picture (once per set) and each creative."""
        seen: dict[int, GateResult] = {}
        out: list[list[GateResult]] = []
        for item in items:
            results = []
            if item.product is not None:
                key = id(item.product)
                if key not in seen:
                    seen[key] = self.judge("product", self._detect(item.product))
                results.append(seen[key])
            results.append(self.judge("creative", self._detect(item.image)))
            out.append(results)
        return out
