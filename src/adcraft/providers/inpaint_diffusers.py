"""Background generation and outpainting with any diffusers inpainting pipeline.

Works with dedicated inpainting checkpoints (SD/SDXL inpaint, FLUX Fill, Kandinsky) and with
plain text-to-image checkpoints, which ``AutoPipelineForInpainting`` runs as latent-blend
inpainting. The kept pixels (the product, or the original photo) are laid back exactly after
painting: see :mod:`adcraft.imagery.scene`.

With ``settings.controlnet`` the ControlNet variant of the inpainting pipeline is used and
gets a control image made from the kept pixels (edges or a near/far map of the product), so
the painted scene follows the product's silhouette and perspective. With
``settings.ip_adapter`` a style reference image (``style_image=``, e.g. a brand photo)
steers the look of the scene through the IP-Adapter.
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
from adcraft.imagery.scene import (
    Canvas,
    control_image,
    outpaint_canvas,
    product_canvas,
    restore,
)
from adcraft.providers import diffusers_common as common
from adcraft.providers import diffusion_pool as pool

_OUTPAINT_DEFAULT = "the same scene continued naturally, same light and colours"


class DiffusersPainter:
    """``BackgroundPainter`` over a diffusers inpainting pipeline."""

    name = "diffusers-inpaint"

    def __init__(self, settings: DiffusionSettings, *, pipeline: Any = None) -> None:
        self.settings = settings
        self._pipe: Any = pipeline
        self._device = str(getattr(pipeline, "device", "")) if pipeline is not None else ""
        self._lock = threading.Lock()
        self._pooled = False

    @classmethod
    def sharing(cls, generator: Any) -> DiffusersPainter:
        """A painter that reuses a loaded DiffusersGenerator's weights (no second copy in VRAM);
        the settings' ControlNet, if any, is the only model loaded on top."""
        pipe = common.inpaint_from(generator.load(), generator.settings, generator.device)
        painter = cls(generator.settings, pipeline=pipe)
        painter._device = generator.device
        return painter

    def load(self) -> Any:
        """Take the inpainting pipeline from the worker's warm pool (loaded on first use)."""
        if self._pipe is None:
            device = common.resolve_device(self.settings)
            entry = pool.get(
                self.settings,
                device,
                "inpaint",
                lambda: common.load_pipeline(self.settings, device, "inpaint"),
            )
            self._pipe, self._lock, self._device = entry.pipe, entry.lock, device
        return self._pipe

    def paint_background(
        self,
        product: Image.Image,
        request: SceneRequest,
        *,
        style_image: Image.Image | None = None,
    ) -> GeneratedImage:
        """Paint the scene around an RGBA cut-out; its opaque pixels come back unchanged.

        ``style_image`` is the IP-Adapter's reference (needs ``settings.ip_adapter``).
        """
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
            control = self._control(pipe, canvas, outline=True)
            return self._paint(pipe, canvas, request.scene, request, control, style_image)

    def outpaint(
        self,
        photo: Image.Image,
        request: OutpaintRequest,
        *,
        style_image: Image.Image | None = None,
    ) -> GeneratedImage:
        """Extend the photo to ``width`` x ``height``; the photo itself is scaled, never cropped."""
        with self._lock:
            pipe = self.load()
            canvas = outpaint_canvas(
                photo,
                request.width,
                request.height,
                multiple=common.size_multiple(pipe),
                feather=request.feather,
            )
            prompt = request.prompt or _OUTPAINT_DEFAULT
            # The photo's border is not a line in the scene: no outline in the edge map.
            control = self._control(pipe, canvas, outline=False)
            return self._paint(pipe, canvas, prompt, request, control, style_image)

    def _control(self, pipe: Any, canvas: Canvas, *, outline: bool) -> dict[str, Any]:
        """The ControlNet arguments for this canvas; none when the pipeline has no ControlNet."""
        if getattr(pipe, "controlnet", None) is None:
            return {}
        return {
            "control_image": control_image(canvas, self.settings.controlnet_kind, outline=outline),
            "controlnet_conditioning_scale": self.settings.controlnet_scale,
        }

    def _style(
        self, pipe: Any, canvas: Canvas, style_image: Image.Image | None
    ) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The IP-Adapter arguments, and a warning when a style image cannot be used."""
        if self.settings.ip_adapter is None:
            if style_image is None:
                return {}, ()
            return {}, ("the style image was ignored: no IP-Adapter is configured",)
        # A pipeline with an IP-Adapter loaded needs an image on every call; without a style
        # image it gets a neutral one at scale 0, which paints as if no adapter were loaded.
        scale = self.settings.ip_adapter_scale if style_image is not None else 0.0
        pipe.set_ip_adapter_scale(scale)
        reference = style_image.convert("RGB") if style_image is not None else canvas.init
        return {"ip_adapter_image": reference}, ()

    def _paint(
        self,
        pipe: Any,
        canvas: Canvas,
        prompt: str,
        request: SceneRequest | OutpaintRequest,
        control: dict[str, Any],
        style_image: Image.Image | None = None,
    ) -> GeneratedImage:
        seed = new_seed() if request.seed is None else request.seed
        style, warnings = self._style(pipe, canvas, style_image)
        width, height = canvas.init.size
        steps, step_args = common.step_kwargs(
            pipe, self.settings, request.steps, request.guidance, request.negative_prompt
        )
        kwargs = common.call_kwargs(
            pipe,
            {
                "prompt": prompt,
                **step_args,
                "image": canvas.init,
                "mask_image": canvas.mask,
                "strength": 1.0,
                "width": width,
                "height": height,
                "generator": common.generator(self._device, seed),
                "output_type": "pil",
                **control,
                **style,
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
            steps=steps,
            seconds=seconds,
            keep_mask=kept,
            warnings=warnings,
        )
