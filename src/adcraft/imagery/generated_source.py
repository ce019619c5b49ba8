"""A text-to-image generator as an ``ImageSource``: the third way to get a creative's picture.

The generator (``adcraft.providers.gen_diffusers.DiffusersGenerator`` or any ``ImageGenerator``)
paints the product on a plain studio background and cuts it out; this adapter only writes the
prompt from the request and wraps the result. Nothing here imports torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from adcraft.imagery.diffusion import (
    MAX_PROMPT_CHARS,
    GenerationRequest,
    ImageGenerator,
    PromptLLM,
    clean_text,
    write_prompt,
)
from adcraft.imagery.source import ImageRequest, SourcedImage

DEFAULT_SIDE = 1024
"""Square output: the layout engine crops to the cut-out, so the aspect hardly matters."""
_SUBJECT_CHARS = 240


class GeneratedImageSource:
    """Paint a new picture for each request, in the style of the generator's LoRAs."""

    name = "generated"

    def __init__(
        self,
        generator: ImageGenerator,
        *,
        model_name: str | None = None,
        style_captions: Sequence[str] = (),
        llm: PromptLLM | None = None,
        steps: int = 30,
        guidance: float = 5.0,
        width: int = DEFAULT_SIDE,
        height: int = DEFAULT_SIDE,
        negative_prompt: str = "",
    ) -> None:
        self.generator = generator
        self.model_name = model_name or _model_name(generator)
        self.style_captions = tuple(style_captions)
        self.llm = llm
        self.steps = steps
        self.guidance = guidance
        self.size = (width, height)
        self.negative_prompt = negative_prompt

    def prompt(self, request: ImageRequest) -> str:
        """The prompt painted for a request: the user's description, else one from the product."""
        description = request.description or (
            f"a high quality advertising photo of {clean_text(request.product, _SUBJECT_CHARS)}"
        )
        return write_prompt(
            description, style_captions=self.style_captions, llm=self.llm, isolate=True
        )[:MAX_PROMPT_CHARS]

    def get(self, request: ImageRequest) -> SourcedImage:
        """One cut-out painted with the request's seed (same seed, same pixels)."""
        text = self.prompt(request)
        result = self.generator.generate(
            GenerationRequest(
                prompt=text,
                negative_prompt=self.negative_prompt,
                seed=request.seed,
                steps=self.steps,
                guidance=self.guidance,
                width=self.size[0],
                height=self.size[1],
                cutout=True,
            )
        )
        return SourcedImage(
            image=result.image,
            description=result.prompt,
            source=f"generated:{self.model_name}",
            warnings=result.warnings,
        )


def _model_name(generator: ImageGenerator) -> str:
    """The model folder's name (never its full path: manifests are shared with other people)."""
    settings = getattr(generator, "settings", None)
    model = getattr(settings, "model", None)
    return PurePath(model).name if model else generator.name
