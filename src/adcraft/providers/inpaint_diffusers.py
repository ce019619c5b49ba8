"""Background generation and outpainting with any diffusers inpainting pipeline.

Works with dedicated inpainting checkpoints (SD/SDXL inpaint, FLUX Fill, Kandinsky) and with
plain text-to-image checkpoints, which ``AutoPipelineForInpainting`` runs as latent-blend
inpainting. The kept pixels (the product, or the original photo) are laid back exactly after
painting: see :mod:`adcraft.imagery.scene`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from PIL import Image

from adcraft.imagery.diffusion import (
    DiffusionSettings,
    GeneratedImage,
    OutpaintRequest,
    SceneRequest,
    new_seed,
)
from adcraft.imagery.scene import Canvas, outpaint_canvas, product_canvas, restore
from adcraft.providers import diffusers_common as common

_OUTPAINT_DEFAULT = "the same scene continued naturally, same light and colours"


class DiffusersPainter:
    """``BackgroundPainter`` over a diffusers inpainting pipeline."""

    name = "diffusers-inpaint"

    def __init__(self, settings: DiffusionSettings, *, pipeline: Any = None) -> None:
        self.settings = settings
        self._pipe: Any = pipeline
        self._device = str(getattr(pipeline, "device", "")) if pipeline is not None else ""
        self._lock = threading.Lock()

    @classmethod
    def sharing(cls, generator: Any) -> DiffusersPainter:
        """A painter that reuses a loaded DiffusersGenerator's weights (no second copy in VRAM)."""
        diffusers = common.import_diffusers()
        pipe = diffusers.AutoPipelineForInpainting.from_pipe(generator.load())
        pipe.set_progress_bar_config(disable=True)
        painter = cls(generator.settings, pipeline=pipe)
        painter._device = generator.device
        return painter

    def load(self) -> Any:
        """Load the inpainting pipeline and its LoRAs now (otherwise on first use)."""
        if self._pipe is None:
            device = common.resolve_device(self.settings)
            self._pipe = common.load_pipeline(self.settings, device, "inpaint")
            self._device = device
        return self._pipe

    def paint_background(self, product: Image.Image, request: SceneRequest) -> GeneratedImage:
        """Paint the scene around an RGBA cut-out; its opaque pixels come back unchanged."""
        with self._lock:
            pipe = self.load()
            canvas = product_canvas(
                product,
                request.width,
                request.height,
                multiple=common.size_multiple(pipe),
                scale=request.product_scale,
                center=request.center,
                upscale=request.upscale,
            )
            return self._paint(pipe, canvas, request.scene, request, request.seed)

    def outpaint(self, photo: Image.Image, request: OutpaintRequest) -> GeneratedImage:
        """Extend the photo to ``width`` x ``height``; the photo itself is scaled, never cropped."""
        with self._lock:
            pipe = self.load()
            canvas = outpaint_canvas(
                photo, request.width, request.height, multiple=common.size_multiple(pipe)
            )
            prompt = request.prompt or _OUTPAINT_DEFAULT
            return self._paint(pipe, canvas, prompt, request, request.seed)

    def _paint(
        self,
        pipe: Any,
        canvas: Canvas,
        prompt: str,
        request: SceneRequest | OutpaintRequest,
        seed: int | None,
    ) -> GeneratedImage:
        seed = new_seed() if seed is None else seed
        width, height = canvas.init.size
        kwargs = common.call_kwargs(
            pipe,
            {
                "prompt": prompt,
                "negative_prompt": request.negative_prompt or None,
                "image": canvas.init,
                "mask_image": canvas.mask,
                "num_inference_steps": request.steps,
                "guidance_scale": request.guidance,
                "strength": 1.0,
                "width": width,
                "height": height,
                "generator": common.generator(self._device, seed),
                "output_type": "pil",
            },
        )
        started = time.perf_counter()
        with common.oom_guard(self._device, f"inpainting {width}x{height}"):
            painted: Image.Image = pipe(**kwargs).images[0]
        seconds = time.perf_counter() - started
        result, kept = restore(painted, canvas)
        return GeneratedImage(
            image=result,
            prompt=prompt,
            seed=seed,
            steps=request.steps,
            seconds=seconds,
            keep_mask=kept,
        )
