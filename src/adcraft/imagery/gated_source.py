"""A generated picture held to the quality gates: painted again with a new seed when it fails.

A diffusion model sometimes paints a blurred, black or unsafe picture; one more seed usually
fixes it. After ``max_attempts`` pictures that all fail, the request ends with an error naming
the gates and what to change, never with a creative made from a bad picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PIL import Image

from adcraft.errors import GenerationFailed
from adcraft.imagery.source import ImageRequest, ImageSource, SourcedImage

PictureCheck = Callable[[Image.Image], list[str]]
"""A picture in, the reasons it fails out (empty: it passes)."""

RESEED_STEP = 1_000_003
"""Seed distance between attempts: a prime, so retries never revisit a neighbour's seed."""


class GatedImageSource:
    """An ``ImageSource`` whose pictures pass ``check``, retried with new seeds."""

    def __init__(self, inner: ImageSource, check: PictureCheck, max_attempts: int = 3) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.inner = inner
        self.name = inner.name
        self.check = check
        self.max_attempts = max_attempts
        self.seed: int | None = None
        """The seed of the picture last returned (the request's, or a retry's)."""
        self.picture: SourcedImage | None = None
        """The picture last returned, for the caller to keep."""
        self.rejected: list[tuple[int, list[str]]] = []
        """(seed, reasons) of each picture the gates refused in the last call."""

    def get(self, request: ImageRequest) -> SourcedImage:
        """A picture that passes the gates; GenerationFailed after ``max_attempts``."""
        self.rejected = []
        for attempt in range(self.max_attempts):
            seed = (request.seed + attempt * RESEED_STEP) % 2**63
            picture = self.inner.get(replace(request, seed=seed))
            reasons = self.check(picture.image)
            if not reasons:
                self.seed, self.picture = seed, picture
                notes = [f"picture: seed {s} failed the quality gates ({'; '.join(r)}), "
                         "painted again" for s, r in self.rejected]  # fmt: skip
                return replace(picture, warnings=(*picture.warnings, *notes))
            self.rejected.append((seed, reasons))
        seeds = ", ".join(str(s) for s, _ in self.rejected)
        reasons = sorted({r for _, rs in self.rejected for r in rs})
        raise GenerationFailed(
            f"the generated picture failed the quality gates {self.max_attempts} times "
            f"(seeds {seeds}): {'; '.join(reasons)}. Describe the picture differently "
            "(a plain light background, a well-lit product), or upload a photo"
        )
