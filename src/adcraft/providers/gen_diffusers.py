"""Text-to-image with any diffusers pipeline (SD 1.x/2.x, SDXL, SDXL-Turbo, SD3, FLUX, Qwen-Image).

One ``DiffusersGenerator`` per worker process and device: the pipeline is loaded once, on
first use, and kept. Results come back as RGBA cut-outs so they composite onto a banner with
the renderer's shadow.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PIL import Image

from adcraft.errors import InvalidGenerationRequest
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
from adcraft.providers import diffusion_pool as pool

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
        self._entry: pool.PoolEntry | None = None
        self._device = ""

    @property
    def device(self) -> str:
        """The device the pipeline runs on ('' before it is loaded)."""
        return self._device

    def load(self) -> Any:
        """Take the pipeline from the worker's warm pool, loading it there on first use."""
        if self._entry is None:
            device = common.resolve_device(self.settings)
            self._entry = pool.get(
                self.settings,
                device,
                "text2image",
                lambda: common.load_pipeline(self.settings, device, "text2image"),
            )
            self._device = device
        return self._entry.pipe

    def close(self) -> None:
        """Drop the pipeline from the pool and give its GPU memory back."""
        if self._entry is not None:
            pool.drop(self.settings, self._device, "text2image")
        self._entry = None
        if self._device.startswith("cuda"):
            common.import_torch().cuda.empty_cache()

    def generate(self, request: GenerationRequest) -> GeneratedImage:
        """Paint one image; cut its background out when ``request.cutout``."""
        return self.generate_batch(request, 1)[0]

    def generate_batch(self, request: GenerationRequest, count: int) -> list[GeneratedImage]:
        """Paint ``count`` variants in one pipeline call (seeds seed, seed+1, ...: each image
        can be made again alone with its own seed, batch or not, on the same device)."""
        if count < 1:
            raise InvalidGenerationRequest(f"count must be at least 1, not {count}")
        pipe = self.load()
        assert self._entry is not None
        with self._entry.lock:  # a pipeline is not safe to call from two threads at once
            check_size(request.width, request.height, common.size_multiple(pipe))
            first = new_seed() if request.seed is None else request.seed
            seeds = [(first + i) % 2**63 for i in range(count)]
            steps, step_args = common.step_kwargs(
                pipe, self.settings, request.steps, request.guidance, request.negative_prompt
            )
            kwargs = common.call_kwargs(
                pipe,
                {
                    "prompt": [request.prompt] * count,
                    **{k: [v] * count if k == "negative_prompt" and v else v
                       for k, v in step_args.items()},
                    "width": request.width,
                    "height": request.height,
                    "generator": [common.generator(self._device, s) for s in seeds],
                    "output_type": "pil",
                },
            )  # fmt: skip
            started = time.perf_counter()
            what = f"painting {count}x {request.width}x{request.height}"
            with common.oom_guard(self._device, what):
                images: list[Image.Image] = pipe(**kwargs).images
            seconds = (time.perf_counter() - started) / count
        out = []
        for seed, image in zip(seeds, images, strict=True):
            rgba, has_cutout, warnings = self._cut(image.convert("RGB"), request.cutout)
            out.append(
                GeneratedImage(
                    image=rgba,
                    prompt=request.prompt,
                    seed=seed,
                    steps=steps,
                    seconds=seconds,
                    has_cutout=has_cutout,
                    remover=self.remover.name if request.cutout else "none",
                    warnings=warnings,
                )
            )
        return out

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
