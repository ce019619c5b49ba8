"""Background removal with any salient-object segmentation model in ONNX format, run by
onnxruntime from a local file: U²-Net/U²-Netp, ISNet, BiRefNet, RMBG. The input size,
normalisation and output activation are set by a preset or by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from adcraft.errors import ProviderUnavailable, RemoverError

Activation = Literal["minmax", "sigmoid", "none"]


@dataclass(frozen=True)
class Normalisation:
    """How pixels go in and the mask comes out."""

    size: tuple[int, int] = (320, 320)
    """(width, height) fed to the model; a model with a fixed input size overrides it."""
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    divide_by_max: bool = False
    """rembg's U²-Net scales by the image's own maximum instead of by 255."""
    activation: Activation = "minmax"
    """Applied to the first output's first channel: min-max stretch, sigmoid, or as is."""


PRESETS: dict[str, Normalisation] = {
    "u2net": Normalisation((320, 320), divide_by_max=True, activation="minmax"),
    "isnet": Normalisation((1024, 1024), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0), activation="minmax"),
    "birefnet": Normalisation((1024, 1024), activation="sigmoid"),
    "rmbg": Normalisation((1024, 1024), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0), activation="minmax"),
}


def _ort() -> Any:
    try:
        import onnxruntime  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ProviderUnavailable(
            "ONNX background removers need onnxruntime: pip install 'adcraft[cutout]'"
        ) from exc
    return onnxruntime


class OnnxRemover:
    """A ``BackgroundRemover`` running a segmentation model from a local .onnx file."""

    def __init__(
        self,
        model_path: str | Path,
        *,
        preset: str | None = "u2net",
        normalisation: Normalisation | None = None,
        name: str | None = None,
        threads: int = 2,
    ) -> None:
        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise ProviderUnavailable(
                f"no ONNX model at {self.model_path}: give the path of a segmentation model "
                "(.onnx), e.g. BiRefNet, ISNet or RMBG exported to ONNX"
            )
        if normalisation is None:
            if preset not in PRESETS:
                raise ProviderUnavailable(
                    f"unknown ONNX remover preset {preset!r}: use one of {', '.join(PRESETS)}"
                )
            normalisation = PRESETS[preset]
        self.norm = normalisation
        self.name = name or f"onnx:{self.model_path.stem}"
        self.threads = threads
        self._session: Any = None

    def _load(self) -> Any:
        if self._session is None:
            ort = _ort()
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            try:
                self._session = ort.InferenceSession(
                    str(self.model_path), sess_options=opts, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ProviderUnavailable(
                    f"onnxruntime cannot load {self.model_path}: {exc}"
                ) from exc
        return self._session

    def _input_size(self, session: Any) -> tuple[int, int]:
        shape = session.get_inputs()[0].shape
        h, w = (shape[2], shape[3]) if len(shape) == 4 else (None, None)
        if isinstance(h, int) and isinstance(w, int) and h > 0 and w > 0:
            return w, h
        return self.norm.size

    def _tensor(self, image: Image.Image, size: tuple[int, int]) -> npt.NDArray[np.float32]:
        small = image.convert("RGB").resize(size, Image.Resampling.BILINEAR)
        arr = np.asarray(small, dtype=np.float32)
        scale = max(float(arr.max()), 1e-6) if self.norm.divide_by_max else 255.0
        arr = arr / np.float32(scale)
        mean = np.array(self.norm.mean, np.float32)
        std = np.array(self.norm.std, np.float32)
        arr = ((arr - mean) / std).astype(np.float32)
        return np.ascontiguousarray(arr.transpose(2, 0, 1)[None], dtype=np.float32)

    def probability(self, image: Image.Image) -> npt.NDArray[np.float32]:
        """Foreground probability 0..1 at the model's resolution."""
        session = self._load()
        feed = {session.get_inputs()[0].name: self._tensor(image, self._input_size(session))}
        try:
            out = np.asarray(session.run(None, feed)[0], dtype=np.float32)
        except Exception as exc:
            raise RemoverError(f"segmentation model {self.name!r} failed: {exc}") from exc
        if out.ndim < 2:
            raise RemoverError(
                f"segmentation model {self.name!r} returned shape {out.shape}; expected a mask"
            )
        mask = out.reshape(-1, *out.shape[-2:])[0]
        if self.norm.activation == "sigmoid":
            mask = (1.0 / (1.0 + np.exp(-mask))).astype(np.float32)
        elif self.norm.activation == "minmax":
            lo, hi = float(mask.min()), float(mask.max())
            mask = (mask - lo) / (hi - lo) if hi > lo else np.zeros_like(mask)
        out_mask: npt.NDArray[np.float32] = np.clip(mask, 0.0, 1.0).astype(np.float32)
        return out_mask

    def remove(self, image: Image.Image) -> npt.NDArray[np.uint8]:
        """Alpha mask (uint8, 255 = product) of the same size as ``image``."""
        prob = self.probability(image)
        small = Image.fromarray((prob * 255.0 + 0.5).astype(np.uint8))
        return np.asarray(small.resize(image.size, Image.Resampling.BILINEAR), dtype=np.uint8)
