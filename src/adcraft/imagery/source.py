"""The ``ImageSource`` port: where a creative's picture comes from (the user's photo, the
company's image bank, or a generator), always delivered as RGBA plus a description, ready for
``build_visual``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from adcraft.domain.visual import Visual
from adcraft.imagery.cutout import BackgroundRemover
from adcraft.imagery.load import LoadedImage
from adcraft.imagery.visual import build_visual


@dataclass(frozen=True)
class ImageRequest:
    """What the creative needs a picture of."""

    product: str
    """Product/offer text."""
    description: str | None = None
    """The user's image description; None lets the source write one from the offer."""
    seed: int = 0


@dataclass(frozen=True)
class SourcedImage:
    """A picture from a source: RGB(A) pixels, what it shows, and where it came from."""

    image: Image.Image
    description: str
    source: str
    """'bank:<id>', 'photo:<name>', 'generated:<model>'..."""
    key: str | None = None
    """Asset-store key when the source stores its images."""
    warnings: tuple[str, ...] = ()

    def loaded(self) -> LoadedImage:
        """As a LoadedImage (alpha detected the way load_image does)."""
        img = self.image if self.image.mode in ("RGB", "RGBA") else self.image.convert("RGBA")
        lowest = img.getchannel("A").getextrema()[0] if img.mode == "RGBA" else 255
        has_alpha = isinstance(lowest, int | float) and lowest < 255
        return LoadedImage(img if has_alpha else img.convert("RGB"), has_alpha, self.source)

    def visual(self, remover: BackgroundRemover | None = None) -> Visual:
        """The Visual the layout engine takes (background removed when there is no alpha)."""
        return build_visual(self.loaded(), remover)


class ImageSource(Protocol):
    """Anything that can supply the picture for a creative."""

    name: str

    def get(self, request: ImageRequest) -> SourcedImage:
        """One picture for the request (reproducible for the same seed)."""
        ...
