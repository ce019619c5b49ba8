"""Text-to-image with any diffusers pipeline (SD 1.x/2.x, SDXL, SDXL-Turbo, SD3, FLUX, Qwen-Image).

One ``DiffusersGenerator`` per worker process and device: the pipeline is loaded once, on
first use, and kept. Results come back as RGBA cut-outs so they composite onto a banner with
the renderer's shadow.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
from PIL import Image

from adcraft.imagery.cutout import BackgroundRemover, StudioRemover
from adcraft.imagery.diffusion import (
    DiffusionSettings,
    GeneratedImage,
    GenerationRequest,
    check_size,
    new_seed,
)
from adcraft.imagery.visual import ConfidentRemover
from adcraft.providers import diffusers_common as common

MIN_CUTOUT_CONFIDENCE = 0.5
"""Below this the generated image is kept whole (opaque) rather than cut out badly."""


class DiffusersGenerator:
    """``ImageGenerator`` over a diffusers text-to-image pipeline."""

    name = "diffusers"

    def __init__(
        self,
        settings: DiffusionSettings,
        *,
        remover: BackgroundRemover | None = None,
    ) -> None:
        self.settings = settings
        self.remover: BackgroundRemover = remover or StudioRemover()
        self._pipe: Any = None
        self._device = ""
        # A pipeline is not safe to call from two threads at once; one call at a time.
        self._lock = threading.Lock()

    @property
    def device(self) -> str:
        """The device the pipeline runs on ('' before it is loaded)."""
        return self._device

    def load(self) -> Any:
        """Load the pipeline and its LoRAs now (otherwise on the first generate)."""
        if self._pipe is None:
            device = common.resolve_device(self.settings)
            self._pipe = common.load_pipeline(self.settings, device, "text2image")
            self._device = device
        return self._pipe

    def close(self) -> None:
        """Drop the pipeline and give its GPU memory back."""
        self._pipe = None
        if self._device.startswith("cuda"):
            common.import_torch().cuda.empty_cache()

    def generate(self, request: GenerationRequest) -> GeneratedImage:
        """Paint one image; cut its background out when ``request.cutout``."""
        with self._lock:
            pipe = self.load()
            check_size(request.width, request.height, common.size_multiple(pipe))
            seed = new_seed() if request.seed is None else request.seed
            kwargs = common.call_kwargs(
                pipe,
                {
                    "prompt": request.prompt,
                    "negative_prompt": request.negative_prompt or None,
                    "num_inference_steps": request.steps,
                    "guidance_scale": request.guidance,
                    "width": request.width,
                    "height": request.height,
                    "generator": common.generator(self._device, seed),
                    "output_type": "pil",
                },
            )
            started = time.perf_counter()
            with common.oom_guard(self._device, f"painting {request.width}x{request.height}"):
                image: Image.Image = pipe(**kwargs).images[0]
            seconds = time.perf_counter() - started
        rgba, has_cutout, warnings = self._cut(image.convert("RGB"), request.cutout)
        return GeneratedImage(
            image=rgba,
            prompt=request.prompt,
            seed=seed,
            steps=request.steps,
            seconds=seconds,
            has_cutout=has_cutout,
            remover=self.remover.name if request.cutout else "none",
            warnings=warnings,
        )

    def _cut(self, rgb: Image.Image, cutout: bool) -> tuple[Image.Image, bool, tuple[str, ...]]:
        rgba = rgb.convert("RGBA")
        if not cutout:
            return rgba, False, ()
        if isinstance(self.remover, ConfidentRemover):
            result = self.remover.analyse(rgb)
            alpha, confidence = result.alpha, result.confidence
        else:
            alpha, confidence = self.remover.remove(rgb), 1.0
        if confidence < MIN_CUTOUT_CONFIDENCE or not np.any(alpha):
            note = (
                f"background removal was unsure ({confidence:.2f}); the image is kept whole: "
                "ask for a plain background in the prompt"
            )
            return rgba, False, (note,)
        rgba.putalpha(Image.fromarray(np.asarray(alpha, dtype=np.uint8), "L"))
        return rgba, True, ()
